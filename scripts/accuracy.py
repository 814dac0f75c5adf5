"""Accuracy against the generator's ground truth.

    python scripts/accuracy.py --seed 20261123 --n 12            # generate a fresh batch, run, score
    python scripts/accuracy.py --bundles DIR --out OUT           # score an existing batch (runs it if OUT lacks results)

Prints page-typing accuracy (overall, scanned vs born-digital, per section type, and a
confusion list), and the structural findings (missing section, late submission,
anonymized missing) against planted defects. Later issues add extraction, checks and
redaction figures here.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STRUCTURAL_CODES = {"submission.late", "bundle.missing_section", "anonymized.missing"}


def load_truths(bundles: Path) -> dict[str, dict]:
    truths = {}
    for p in sorted((bundles / "_truth").glob("*.json")):
        if p.name in ("batch.json", "timing.json"):
            continue
        t = json.loads(p.read_text(encoding="utf-8"))
        truths[t["bundle_id"]] = t
    return truths


def truth_page_types(t: dict) -> list[str]:
    if "page_types" in t:
        return list(t["page_types"])
    pages: dict[int, str] = {}
    for s in t["sections"]:
        for p in s["pages"]:
            pages[p] = s["type"]
    return [pages[i] for i in sorted(pages)]


def score(bundles: Path, out: Path) -> dict:
    truths = load_truths(bundles)
    per_type = defaultdict(lambda: [0, 0])
    by_kind = defaultdict(lambda: [0, 0])
    confusion = Counter()
    struct = {"tp": 0, "fn": 0, "fp": 0}
    struct_detail = []
    for bid, t in truths.items():
        f = out / bid / "findings.json"
        if not f.exists():
            print(f"  no output for {bid}")
            continue
        res = json.loads(f.read_text(encoding="utf-8"))
        got: dict[int, str] = {}
        for s in res.get("sections", []):
            for p in s["pages"]:
                got[p] = s["type"]
        want = truth_page_types(t)
        kind = "scanned" if t.get("scanned") else "born_digital"
        for i, wt in enumerate(want, 1):
            gt = got.get(i, "?")
            ok = gt == wt
            per_type[wt][0] += ok
            per_type[wt][1] += 1
            by_kind[kind][0] += ok
            by_kind[kind][1] += 1
            if not ok:
                confusion[(wt, gt)] += 1
        planted = {d["code"] for d in t.get("defects", []) if d["code"] in STRUCTURAL_CODES}
        # a defect may legitimately cascade into other codes (truth "also"): not false positives
        acceptable = planted | {c for d in t.get("defects", []) for c in d.get("also", [])}
        found = {x["code"] for x in res.get("findings", []) if x["code"] in STRUCTURAL_CODES}
        struct["tp"] += len(planted & found)
        struct["fn"] += len(planted - found)
        struct["fp"] += len(found - acceptable)
        if planted != found:
            struct_detail.append((bid, sorted(planted), sorted(found)))
    total_ok = sum(v[0] for v in by_kind.values())
    total = sum(v[1] for v in by_kind.values())
    return {
        "pages": total,
        "page_typing_accuracy": total_ok / total if total else None,
        "by_kind": {k: {"correct": v[0], "pages": v[1], "accuracy": v[0] / v[1]} for k, v in by_kind.items()},
        "per_type": {k: {"correct": v[0], "pages": v[1], "accuracy": v[0] / v[1]} for k, v in sorted(per_type.items())},
        "confusion": [{"truth": a, "got": b, "pages": n} for (a, b), n in confusion.most_common(20)],
        "structural": struct,
        "structural_mismatches": struct_detail,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bundles", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--n", type=int, default=12)
    ap.add_argument("--engine", default="plain")
    args = ap.parse_args()

    work = ROOT / "bench_out" / f"accuracy-{args.seed}"
    bundles = args.bundles or work / "bundles"
    out = args.out or work / "out"
    if not (bundles / "_truth").exists():
        from samples.batch import generate_batch

        t = time.perf_counter()
        generate_batch(bundles, args.n, args.seed)
        print(f"generated {args.n} bundles (seed {args.seed}) in {time.perf_counter() - t:.1f} s → {bundles}")
    if not (out / "summary.json").exists():
        from pipeline.batch import run_batch
        from pipeline.run import Settings

        t = time.perf_counter()
        run_batch(bundles, out, Settings(cache_dir=str(ROOT / "bench_out" / "cache")))
        print(f"ran pipeline in {time.perf_counter() - t:.1f} s → {out}")
    report = score(bundles, out)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    (out / "accuracy.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
