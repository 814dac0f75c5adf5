#!/usr/bin/env python
"""Field-level precision / recall of the extractors against generated truth.

    .venv/bin/python scripts/extract_accuracy.py --bundles DIR [--cache DIR] [--json OUT] [-v]

DIR holds generated bundles and ``_truth/<bundle_id>.json``. Pages come from the pages
stage (cached OCR when ``--cache`` is given), sections from the pipeline's own page
typing (so section errors count against extraction, as in production).

Each truth value is an *item* ``(record, field, key, value)``; precision = correct
extracted items / extracted items, recall = correct / truth items. Scanned and
born-digital bundles are reported separately. Categories: sample ids (id × section
× page, from the ledger), dates, signer names, counts (samples per section), and
values (concentrations, C_TWA, limits, judgements).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import extract_records  # noqa: E402
from extractors.ledger import CORE, build_ledger  # noqa: E402
from extractors.text import parse_number  # noqa: E402

Item = tuple  # (category, record, field, key, value)


def _d(v) -> str | None:
    if v is None:
        return None
    return v.isoformat() if hasattr(v, "isoformat") else str(v)


def _num(v):
    if v is None:
        return None
    try:
        return round(float(v), 4)
    except (TypeError, ValueError):
        return None


def _val(v):
    return v.value if v is not None and getattr(v, "ok", False) else None


def truth_items(t: dict) -> set[Item]:
    r = t["records"]
    items: set[Item] = set()
    add = items.add
    present = {s["type"] for s in t["sections"]}
    # sample ids: (id, section, page)
    for s in t["samples"]:
        for sec, pages in s["seen"].items():
            if sec in CORE:
                for p in pages:
                    add(("sample_ids", sec, "id@page", p, s["sample_id"]))
    # counts per section
    per = defaultdict(set)
    for s in t["samples"]:
        for sec in s["seen"]:
            if sec in CORE and sec != "report":
                per[sec].add(s["sample_id"])
    for sec, ids in per.items():
        add(("counts", sec, "samples", "", len(ids)))
    if "report" in present:
        add(("counts", "report", "samples", "", len({sid for x in r["report"].get("results", []) for sid in x.get("sample_ids", [])})))
    # dates
    c = r.get("contract") or {}
    if "contract" in present and c.get("sign_date"):
        add(("dates", "contract", "sign_date", "", c["sign_date"]))
    cr = r.get("contract_review") or {}
    if "contract_review" in present and cr.get("date"):
        add(("dates", "contract_review", "date", "", cr["date"]))
    sv = r.get("survey") or {}
    if "field_survey" in present:
        for d in sv.get("dates", []):
            add(("dates", "field_survey", "date", "", d))
    pl = r.get("plan") or {}
    if "detection_plan" in present:
        for f in ("author_date", "review_date", "approve_date"):
            if pl.get(f):
                add(("dates", "detection_plan", f, "", pl[f]))
    if "sampling_record" in present:
        for day in r.get("sampling_days", []):
            add(("dates", "sampling_record", "date", "", day["date"]))
    if "sample_transfer" in present:
        for tr in r.get("transfers", []):
            add(("dates", "sample_transfer", "date", "", tr["date"]))
    if "lab_analysis" in present:
        for ls in r.get("lab_sheets", []):
            add(("dates", "lab_analysis", "receipt_date", ls["factor"], ls["receipt_date"]))
            add(("dates", "lab_analysis", "analysis_date", ls["factor"], ls["analysis_date"]))
    rp = r.get("report") or {}
    if "report" in present and rp.get("issue_date"):
        add(("dates", "report", "issue_date", "", rp["issue_date"]))
    ds = r.get("disclosure") or {}
    if "disclosure" in present:
        for f in ("submitted_date", "public_date"):
            if ds.get(f):
                add(("dates", "disclosure", f, "", ds[f]))
    # signers
    if "contract" in present:
        for f in ("party_a_signer", "party_b_signer"):
            if c.get(f):
                add(("signers", "contract", "signer", "", c[f]))
    if "contract_review" in present:
        for n in cr.get("reviewers", []):
            add(("signers", "contract_review", "reviewer", "", n))
    if "field_survey" in present:
        for n in sv.get("technicians", []):
            add(("signers", "field_survey", "technician", "", n))
        if sv.get("escort"):
            add(("signers", "field_survey", "escort", "", sv["escort"]))
    if "detection_plan" in present:
        for f in ("author", "reviewer", "approver"):
            if pl.get(f):
                add(("signers", "detection_plan", f, "", pl[f]))
    if "sampling_record" in present:
        for day in r.get("sampling_days", []):
            for n in day.get("samplers", []):
                add(("signers", "sampling_record", "sampler", day["date"], n))
            if day.get("escort"):
                add(("signers", "sampling_record", "escort", day["date"], day["escort"]))
            if day.get("checker"):
                add(("signers", "sampling_record", "checker", day["date"], day["checker"]))
    if "sample_transfer" in present:
        for tr in r.get("transfers", []):
            for f in ("sender", "receiver"):
                if tr.get(f):
                    add(("signers", "sample_transfer", f, tr["date"], tr[f]))
    if "lab_analysis" in present:
        for ls in r.get("lab_sheets", []):
            for f in ("analyst", "reviewer"):
                if ls.get(f):
                    add(("signers", "lab_analysis", f, ls["factor"], ls[f]))
    if "report" in present:
        for f in ("author", "reviewer", "issuer"):
            if rp.get(f):
                add(("signers", "report", f, "", rp[f]))
        for m in rp.get("team", []):
            add(("signers", "report", "team", "", m["name"]))
    # values
    if "report" in present:
        for x in rp.get("results", []):
            k = f"{x['post']}|{x['factor']}"
            # reports print C_STE and C_ME (and PC-STEL and MAC) in one column
            vals = {"c_twa": x.get("c_twa"), "c_stel": x.get("c_stel") if x.get("c_stel") is not None else x.get("c_mac"),
                    "limit_twa": x.get("limit_twa"),
                    "limit_stel": x.get("limit_stel") if x.get("limit_stel") is not None else x.get("limit_mac")}
            for f, v in vals.items():
                if v is not None:
                    add(("values", "report", f, k, _num(v)))
            add(("values", "report", "judgement", k, x["judgement"]))
    if "photos" in present:
        for ph in r.get("photos", []):
            add(("values", "photos", "timestamp", "", ph["timestamp"][:16]))
    if "lab_analysis" in present:
        for s in r.get("samples", []):
            if s.get("conc") is not None and not s.get("is_blank") and s["sample_id"] in {
                    row["sample_id"] for ls in r.get("lab_sheets", []) for row in ls["rows"]}:
                add(("values", "lab_analysis", "conc", s["sample_id"], _num(s["conc"])))
    return items


def pred_items(rec, ledger, t: dict) -> set[Item]:
    items: set[Item] = set()
    add = items.add
    for e in ledger:
        for sec, pages in e.seen.items():
            if sec in CORE:
                for p in pages:
                    add(("sample_ids", sec, "id@page", p, e.sample_id))
    for sec in CORE:
        ids = {v.value for v in rec.sample_ids(sec)}
        if ids:
            add(("counts", sec, "samples", "", len(ids)))
    # dates
    if rec.contract and _val(rec.contract.sign_date):
        add(("dates", "contract", "sign_date", "", _d(_val(rec.contract.sign_date))))
    if rec.contract_review and _val(rec.contract_review.date):
        add(("dates", "contract_review", "date", "", _d(_val(rec.contract_review.date))))
    if rec.field_survey:
        for v in rec.field_survey.dates:
            if v.ok:
                add(("dates", "field_survey", "date", "", _d(v.value)))
    if rec.detection_plan:
        p = rec.detection_plan
        for f, v in (("author_date", p.author_date), ("review_date", p.review_date), ("approve_date", p.approve_date)):
            if v.ok:
                add(("dates", "detection_plan", f, "", _d(v.value)))
    for s in rec.sampling_records:
        if s.date.ok:
            add(("dates", "sampling_record", "date", "", _d(s.date.value)))
    for tr in rec.sample_transfers:
        if tr.date.ok:
            add(("dates", "sample_transfer", "date", "", _d(tr.date.value)))
    for ls in rec.lab_sheets:
        fac = ls.factor.value if ls.factor.ok else ""
        if ls.receipt_date.ok:
            add(("dates", "lab_analysis", "receipt_date", fac, _d(ls.receipt_date.value)))
        if ls.analysis_date.ok:
            add(("dates", "lab_analysis", "analysis_date", fac, _d(ls.analysis_date.value)))
    if rec.report and rec.report.issue_date.ok:
        add(("dates", "report", "issue_date", "", _d(rec.report.issue_date.value)))
    if rec.disclosure:
        for f in ("submitted_date", "public_date"):
            v = getattr(rec.disclosure, f)
            if v.ok:
                add(("dates", "disclosure", f, "", _d(v.value)))
    # signers
    if rec.contract:
        for v in rec.contract.signers:
            if v.ok:
                add(("signers", "contract", "signer", "", v.value))
    if rec.contract_review:
        for v in rec.contract_review.reviewers:
            if v.ok:
                add(("signers", "contract_review", "reviewer", "", v.value))
    if rec.field_survey:
        for v in rec.field_survey.technicians:
            if v.ok:
                add(("signers", "field_survey", "technician", "", v.value))
        if rec.field_survey.escort.ok:
            add(("signers", "field_survey", "escort", "", rec.field_survey.escort.value))
    if rec.detection_plan:
        for f in ("author", "reviewer", "approver"):
            v = getattr(rec.detection_plan, f)
            if v.ok:
                add(("signers", "detection_plan", f, "", v.value))
    for s in rec.sampling_records:
        d = _d(s.date.value) if s.date.ok else ""
        for v in s.samplers:
            if v.ok:
                add(("signers", "sampling_record", "sampler", d, v.value))
        if s.escort.ok:
            add(("signers", "sampling_record", "escort", d, s.escort.value))
        if s.checker.ok:
            add(("signers", "sampling_record", "checker", d, s.checker.value))
    for tr in rec.sample_transfers:
        d = _d(tr.date.value) if tr.date.ok else ""
        for f in ("sender", "receiver"):
            v = getattr(tr, f)
            if v.ok:
                add(("signers", "sample_transfer", f, d, v.value))
    for ls in rec.lab_sheets:
        fac = ls.factor.value if ls.factor.ok else ""
        for f in ("analyst", "reviewer"):
            v = getattr(ls, f)
            if v.ok:
                add(("signers", "lab_analysis", f, fac, v.value))
    if rec.report:
        for f in ("author", "reviewer", "issuer"):
            v = getattr(rec.report, f)
            if v.ok:
                add(("signers", "report", f, "", v.value))
        for row in rec.report.team:
            if row.value("name"):
                add(("signers", "report", "team", "", row.value("name")))
        for x in rec.report.results:
            k = f"{x.value('post')}|{x.value('factor')}"
            for f in ("c_twa", "c_stel", "limit_twa", "limit_stel"):
                if x.value(f) is not None:
                    add(("values", "report", f, k, _num(x.value(f))))
            if x.value("judgement"):
                add(("values", "report", "judgement", k, x.value("judgement")))
    for ph in rec.photos:
        if ph.timestamp.ok:
            add(("values", "photos", "timestamp", "", ph.timestamp.value))
    for ls in rec.lab_sheets:
        for row in ls.rows:
            if row.value("conc") is not None and row.value("sample_id"):
                add(("values", "lab_analysis", "conc", row.value("sample_id"), _num(row.value("conc"))))
    return items


def load_bundle(bdir: Path, cache: Path | None):
    from pipeline.ingest import load_submission
    from pipeline.pages import extract_pages
    from pipeline.sections import split_sections, type_pages

    pages = extract_pages(bdir / "original.pdf", cache_dir=cache, workers=2)
    sections = split_sections(type_pages(pages))
    try:
        staff = [s.name for s in load_submission(bdir).institution.staff]
    except Exception:
        staff = []
    return pages, sections, staff


def score(truth: set, pred: set) -> dict:
    stats: dict = defaultdict(lambda: [0, 0, 0])  # truth, pred, correct
    for it in truth:
        stats[(it[0], it[1])][0] += 1
        stats[(it[0], "ALL")][0] += 1
    for it in pred:
        stats[(it[0], it[1])][1] += 1
        stats[(it[0], "ALL")][1] += 1
    for it in truth & pred:
        stats[(it[0], it[1])][2] += 1
        stats[(it[0], "ALL")][2] += 1
    return stats


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bundles", required=True, type=Path)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("-v", "--verbose", action="store_true", help="print every miss and false positive")
    args = ap.parse_args()
    truth_dir = args.bundles / "_truth"
    groups = {"scanned": [defaultdict(lambda: [0, 0, 0]), 0], "born-digital": [defaultdict(lambda: [0, 0, 0]), 0]}
    for tf in sorted(truth_dir.glob("*.json")):
        t = json.loads(tf.read_text())
        if "records" not in t:
            continue
        bdir = args.bundles / t.get("folder", t["bundle_id"])
        pages, sections, staff = load_bundle(bdir, args.cache)
        inst = (json.loads((bdir / "submission.json").read_text()).get("institution") or {}
                if (bdir / "submission.json").exists() else {})
        from pipeline.reread import Rereader

        rr = Rereader(bdir / "original.pdf", pages)  # as the pipeline does (scans only)
        rec = extract_records(pages, sections, staff=staff, legal_rep=inst.get("legal_rep") or None, rereader=rr)
        rr.close()
        ledger = build_ledger(pages, sections, rec)
        ti, pi = truth_items(t), pred_items(rec, ledger, t)
        g = groups["scanned" if t.get("scanned") else "born-digital"]
        g[1] += 1
        for k, v in score(ti, pi).items():
            for i in range(3):
                g[0][k][i] += v[i]
        if args.verbose:
            for it in sorted(ti - pi, key=str):
                print(f"  {t['bundle_id']} MISS {it}")
            for it in sorted(pi - ti, key=str):
                print(f"  {t['bundle_id']} FP   {it}")
    out = {}
    for name, (stats, n) in groups.items():
        if not n:
            continue
        print(f"\n== {name}: {n} bundles ({args.bundles})")
        print(f"{'category':<11} {'record':<16} {'truth':>6} {'pred':>6} {'ok':>6} {'P':>6} {'R':>6}")
        for (cat, recn), (nt, np_, nc) in sorted(stats.items(), key=lambda kv: (kv[0][0], kv[0][1] != "ALL", kv[0][1])):
            p = nc / np_ if np_ else (1.0 if not nt else 0.0)
            r = nc / nt if nt else (1.0 if not np_ else 0.0)
            mark = "" if recn != "ALL" else ("  <-- below 0.97" if cat in ("sample_ids", "dates", "signers", "counts") and min(p, r) < 0.97 else "")
            print(f"{cat:<11} {recn:<16} {nt:>6} {np_:>6} {nc:>6} {p:>6.3f} {r:>6.3f}{mark}")
            out.setdefault(name, {})[f"{cat}/{recn}"] = {"truth": nt, "pred": np_, "ok": nc, "P": p, "R": r}
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
