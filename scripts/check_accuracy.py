"""Recall and precision of the findings against the generator's planted defects.

    python scripts/check_accuracy.py --bundles DIR --out OUTDIR [--json FILE]

``DIR`` holds generated bundles with ground truth in ``DIR/_truth/<bundle_id>.json``;
``OUTDIR`` is what ``bundlecheck run DIR --out OUTDIR`` wrote
(``OUTDIR/<folder>/findings.json``, folders mapped to bundles by the ``bundle_id``
inside findings.json).

Matching:

- a planted defect (truth ``defects[i]``) is *found* when the bundle has a finding
  with its ``code`` and, when the truth names an indicator, the same indicator (a
  defect without an indicator matches on the code alone);
- a finding is a *true positive* when its code is the code of a planted defect of the
  bundle or is in a defect's ``also`` list; otherwise a false positive;
- ``check.cannot_decide`` follows the same rule (so it is a false positive unless the
  truth lists it, in a defect's code/``also`` or a ``cannot_decide`` key naming the
  indicator), and is also counted on its own;
- a bundle without output (or with a failed one) keeps its defects as missed.

Prints a plain-text table; ``--json`` writes the same figures. Always exits 0: this
is a measurement, not a gate.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Optional

CANNOT_DECIDE = "check.cannot_decide"
SKIP_TRUTH_FILES = {"batch.json", "timing.json"}


# ------------------------------------------------------------------ loading


def load_truths(bundles: Path) -> dict[str, dict]:
    """bundle_id → truth dict, from ``bundles/_truth/*.json``."""
    truths: dict[str, dict] = {}
    for p in sorted((bundles / "_truth").glob("*.json")):
        if p.name in SKIP_TRUTH_FILES:
            continue
        try:
            t = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            print(f"  unreadable truth {p}: {e}", file=sys.stderr)
            continue
        if isinstance(t, dict) and t.get("bundle_id"):
            truths[t["bundle_id"]] = t
    return truths


def load_outputs(out: Path) -> tuple[dict[str, dict], list[str]]:
    """bundle_id → findings.json content, and notes about folders that could not be used.

    Folders are mapped by the ``bundle_id`` inside; when two folders claim one id (the
    pipeline's ``<id>-2``), the folder named exactly after the id wins.
    """
    results: dict[str, dict] = {}
    folders: dict[str, str] = {}
    notes: list[str] = []
    if not out.is_dir():
        return results, [f"output folder {out} does not exist"]
    for f in sorted(out.glob("*/findings.json")):
        try:
            res = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            notes.append(f"{f.parent.name}: unreadable findings.json ({e})")
            continue
        bid = res.get("bundle_id") if isinstance(res, dict) else None
        if not bid:
            notes.append(f"{f.parent.name}: findings.json has no bundle_id")
            continue
        if bid in results:
            keep_new = f.parent.name == bid
            notes.append(f"{bid}: claimed by folders {folders[bid]} and {f.parent.name}; "
                         f"using {f.parent.name if keep_new else folders[bid]}")
            if not keep_new:
                continue
        results[bid] = res
        folders[bid] = f.parent.name
    return results, notes


# ------------------------------------------------------------------ matching


def defect_found(defect: dict, findings: Iterable[dict]) -> bool:
    """The planted defect has a finding with its code (and its indicator, if it has one)."""
    code, ind = defect.get("code"), defect.get("indicator")
    for f in findings:
        if f.get("code") != code:
            continue
        if ind is None or f.get("indicator") == ind:
            return True
    return False


def accepted_codes(truth: dict) -> set[str]:
    """Codes the bundle's planted defects may legitimately produce."""
    codes: set[str] = set()
    for d in truth.get("defects") or []:
        if d.get("code"):
            codes.add(d["code"])
        codes.update(c for c in d.get("also") or [] if c)
    return codes


def cannot_decide_explained(finding: dict, truth: dict) -> bool:
    """The truth expects a 'cannot decide' here: listed as a defect code / ``also``, or in
    a ``cannot_decide`` key (true, or a list of indicators)."""
    if CANNOT_DECIDE in accepted_codes(truth):
        return True
    cd = truth.get("cannot_decide")
    if cd is True:
        return True
    if isinstance(cd, (list, tuple, set)):
        return finding.get("indicator") in cd
    return False


def finding_is_tp(finding: dict, truth: dict) -> bool:
    if finding.get("code") == CANNOT_DECIDE:
        return cannot_decide_explained(finding, truth)
    return finding.get("code") in accepted_codes(truth)


def score_bundle(truth: dict, result: Optional[dict]) -> dict:
    """One bundle: each planted defect found or not, each finding TP or FP.

    ``result`` None (no output folder) or failed: the defects count as missed unless a
    finding of a failed result still matches them.
    """
    findings = [f for f in ((result or {}).get("findings") or []) if isinstance(f, dict)]
    defects = []
    for d in truth.get("defects") or []:
        found = defect_found(d, findings)
        # the code was emitted but against another indicator: worth knowing when missed
        near = sorted({f.get("indicator") for f in findings if f.get("code") == d.get("code")}
                      - {d.get("indicator")}, key=lambda x: (x is None, x)) if not found else []
        defects.append({"kind": d.get("kind"), "code": d.get("code"), "indicator": d.get("indicator"),
                        "found": found, "pages": d.get("pages") or [], "detail": d.get("detail"),
                        "emitted_with_indicator": near})
    scored = []
    for f in findings:
        scored.append({"code": f.get("code"), "indicator": f.get("indicator"), "message": f.get("message") or "",
                       "tp": finding_is_tp(f, truth), "cannot_decide": f.get("code") == CANNOT_DECIDE,
                       "pages": sorted({e.get("page") for e in f.get("evidence") or []
                                        if isinstance(e, dict) and e.get("page")})})
    status = "missing" if result is None else str(result.get("status") or "?")
    return {"bundle_id": truth.get("bundle_id"), "clean": bool(truth.get("clean")),
            "scanned": bool(truth.get("scanned")), "status": status,
            "error": (result or {}).get("error"), "defects": defects, "findings": scored}


def _ratio(a: int, b: int) -> Optional[float]:
    return round(a / b, 4) if b else None


def _pr(bundles: list[dict]) -> dict:
    planted = sum(len(b["defects"]) for b in bundles)
    found = sum(d["found"] for b in bundles for d in b["defects"])
    n = sum(len(b["findings"]) for b in bundles)
    tp = sum(f["tp"] for b in bundles for f in b["findings"])
    cd = [f for b in bundles for f in b["findings"] if f["cannot_decide"]]
    n_wo = n - len(cd)
    tp_wo = tp - sum(f["tp"] for f in cd)
    return {"bundles": len(bundles), "planted": planted, "found": found, "recall": _ratio(found, planted),
            "findings": n, "true_positives": tp, "false_positives": n - tp, "precision": _ratio(tp, n),
            "cannot_decide": len(cd), "cannot_decide_unexplained": sum(not f["tp"] for f in cd),
            "precision_without_cannot_decide": _ratio(tp_wo, n_wo)}


def aggregate(scores: list[dict], notes: Iterable[str] = ()) -> dict:
    """Batch figures from :func:`score_bundle` results."""
    kinds: dict[tuple, dict] = {}
    for b in scores:
        for d in b["defects"]:
            k = kinds.setdefault((d["kind"], d["code"]), {"kind": d["kind"], "code": d["code"], "planted": 0,
                                                           "found": 0, "indicators": set(), "missed": []})
            k["planted"] += 1
            k["found"] += d["found"]
            if d["indicator"] is not None:
                k["indicators"].add(d["indicator"])
            if not d["found"]:
                k["missed"].append(b["bundle_id"])
    per_kind = []
    for (kind, code), k in sorted(kinds.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        per_kind.append({"kind": kind, "code": code, "indicators": sorted(k["indicators"]),
                         "planted": k["planted"], "found": k["found"], "recall": _ratio(k["found"], k["planted"]),
                         "missed_in": k["missed"]})

    per_code: dict[str, dict] = defaultdict(lambda: {"findings": 0, "tp": 0, "fp": 0, "fp_examples": []})
    for b in scores:
        for f in b["findings"]:
            c = per_code[str(f["code"])]
            c["findings"] += 1
            if f["tp"]:
                c["tp"] += 1
            else:
                c["fp"] += 1
                c["fp_examples"].append({"bundle_id": b["bundle_id"], "indicator": f["indicator"],
                                         "message": f["message"], "pages": f["pages"]})
    cd_by_indicator: dict[str, int] = defaultdict(int)
    for b in scores:
        for f in b["findings"]:
            if f["cannot_decide"] and not f["tp"]:
                cd_by_indicator[str(f["indicator"])] += 1

    clean_findings = [{"bundle_id": b["bundle_id"], "code": f["code"], "indicator": f["indicator"],
                       "message": f["message"], "pages": f["pages"]}
                      for b in scores if b["clean"] for f in b["findings"]]
    missed = [{"bundle_id": b["bundle_id"], **{k: d[k] for k in ("kind", "code", "indicator", "pages",
                                                                   "emitted_with_indicator")}}
              for b in scores for d in b["defects"] if not d["found"]]
    failed = [{"bundle_id": b["bundle_id"], "status": b["status"], "error": b["error"],
               "planted": len(b["defects"])}
              for b in scores if b["status"] != "done"]
    split = {}
    for name, want in (("born_digital", False), ("scanned", True)):
        part = [b for b in scores if b["scanned"] == want]
        if part:
            split[name] = _pr(part)
    return {
        "overall": _pr(scores),
        "clean_bundles": sum(b["clean"] for b in scores),
        "per_kind": per_kind,
        "per_code": {c: v for c, v in sorted(per_code.items())},
        "cannot_decide_unexplained_by_indicator": dict(sorted(cd_by_indicator.items())),
        "clean_bundle_findings": clean_findings,
        "missed": missed,
        "failed_bundles": failed,
        "split": split,
        "notes": list(notes),
    }


def score(bundles: Path, out: Path) -> dict:
    truths = load_truths(bundles)
    results, notes = load_outputs(out)
    extra = sorted(set(results) - set(truths))
    if extra:
        notes = list(notes) + [f"outputs without truth (not scored): {', '.join(extra)}"]
    scores = [score_bundle(t, results.get(bid)) for bid, t in sorted(truths.items())]
    rep = aggregate(scores, notes)
    rep["bundles_dir"], rep["out_dir"] = str(bundles), str(out)
    return rep


# ------------------------------------------------------------------ text report


def _pct(x: Optional[float]) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    cells = [[str(h) for h in headers]] + [[("" if c is None else str(c)) for c in r] for r in rows]

    def width(s: str) -> int:  # CJK characters take two columns in a terminal
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    ws = [max(width(r[i]) for r in cells) for i in range(len(headers))]
    fmt = lambda r: "  ".join(c + " " * (ws[i] - width(c)) for i, c in enumerate(r)).rstrip()  # noqa: E731
    return [fmt(cells[0]), "  ".join("-" * w for w in ws)] + [fmt(r) for r in cells[1:]]


def _short(s: str, n: int = 110) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[: n - 1] + "…"


def format_report(rep: dict, examples: int = 3) -> str:
    o = rep["overall"]
    lines = [f"Defect recall/precision — {rep.get('bundles_dir', '')} vs {rep.get('out_dir', '')}", ""]
    lines.append(f"bundles {o['bundles']} (clean {rep['clean_bundles']}), planted {o['planted']}, "
                 f"found {o['found']}, recall {_pct(o['recall'])}")
    lines.append(f"findings {o['findings']}: TP {o['true_positives']}, FP {o['false_positives']}, "
                 f"precision {_pct(o['precision'])} "
                 f"(without cannot_decide: {_pct(o['precision_without_cannot_decide'])}); "
                 f"cannot_decide {o['cannot_decide']} ({o['cannot_decide_unexplained']} unexplained)")
    lines.append("")
    if rep["split"]:
        lines += _table(["batch part", "bundles", "planted", "found", "recall", "findings", "FP", "precision",
                         "cannot_decide"],
                        [[k, v["bundles"], v["planted"], v["found"], _pct(v["recall"]), v["findings"],
                          v["false_positives"], _pct(v["precision"]), v["cannot_decide"]]
                         for k, v in rep["split"].items()])
        lines.append("")
    lines.append("Per defect kind")
    lines += _table(["kind", "code", "ind", "planted", "found", "recall", "missed in"],
                    [[k["kind"], k["code"], ",".join(map(str, k["indicators"])) or "-", k["planted"], k["found"],
                      _pct(k["recall"]), " ".join(k["missed_in"])] for k in rep["per_kind"]])
    lines.append("")
    lines.append("Per finding code")
    lines += _table(["code", "findings", "TP", "FP"],
                    [[c, v["findings"], v["tp"], v["fp"]] for c, v in rep["per_code"].items()])
    fps = [(c, v) for c, v in rep["per_code"].items() if v["fp"]]
    if fps:
        lines.append("")
        lines.append("False positives (examples)")
        for c, v in sorted(fps, key=lambda cv: -cv[1]["fp"]):
            lines.append(f"  {c}: {v['fp']}")
            for e in v["fp_examples"][:examples]:
                lines.append(f"    {e['bundle_id']} [{e['indicator']}] p{e['pages']}: {_short(e['message'])}")
    if rep["cannot_decide_unexplained_by_indicator"]:
        lines.append("")
        lines.append("Unexplained cannot_decide by indicator: " + ", ".join(
            f"{k}×{v}" for k, v in rep["cannot_decide_unexplained_by_indicator"].items()))
    lines.append("")
    cf = rep["clean_bundle_findings"]
    lines.append(f"Findings on clean bundles: {len(cf)} (must be 0)")
    for e in cf:
        lines.append(f"  {e['bundle_id']} {e['code']} [{e['indicator']}] p{e['pages']}: {_short(e['message'])}")
    if rep["missed"]:
        lines.append("")
        lines.append(f"Missed defects: {len(rep['missed'])}")
        for m in rep["missed"]:
            near = f" (code emitted with indicator {m['emitted_with_indicator']})" if m["emitted_with_indicator"] else ""
            lines.append(f"  {m['bundle_id']} {m['kind']} {m['code']} [{m['indicator']}] p{m['pages']}{near}")
    lines.append("")
    lines.append(f"Failed / missing bundles: {len(rep['failed_bundles'])}")
    for b in rep["failed_bundles"]:
        lines.append(f"  {b['bundle_id']} {b['status']} ({b['planted']} planted): {_short(b['error'] or '')}")
    for n in rep["notes"]:
        lines.append(f"note: {n}")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bundles", type=Path, required=True, help="generated bundles with _truth/")
    ap.add_argument("--out", type=Path, required=True, help="output of bundlecheck run")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--examples", type=int, default=3, help="false-positive examples per code")
    args = ap.parse_args(argv)
    try:
        rep = score(args.bundles, args.out)
    except Exception as e:  # a measurement never fails the caller
        print(f"check_accuracy: {type(e).__name__}: {e}", file=sys.stderr)
        return 0
    print(format_report(rep, args.examples))
    if args.json:
        try:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(rep, ensure_ascii=False, indent=2), encoding="utf-8")
        except OSError as e:
            print(f"check_accuracy: cannot write {args.json}: {e}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
