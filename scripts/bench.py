"""Speed and memory figures (printed, never asserted).

    python scripts/bench.py                 # default: 2 born-digital + 2 scanned bundles
    python scripts/bench.py --n 3 --big     # also one ~200-page born-digital bundle

Prints: generation time, born-digital pages/s, scanned s/page, time per stage, peak
memory (this process and the largest child), the warm-cache re-run speed-up, and page
typing accuracy against the generator's truth.
"""
from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.batch import run_batch  # noqa: E402
from pipeline.run import Settings  # noqa: E402
from samples.batch import generate_batch  # noqa: E402
from scripts.accuracy import score  # noqa: E402


def peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def run_set(name: str, bundles: Path, work: Path, workers: int, rerun: bool) -> dict:
    cache = work / f"cache-{name}"
    shutil.rmtree(cache, ignore_errors=True)
    out = work / f"out-{name}"
    shutil.rmtree(out, ignore_errors=True)
    settings = Settings(cache_dir=str(cache), workers=workers)
    t = time.perf_counter()
    summary = run_batch(bundles, out, settings)
    cold = time.perf_counter() - t
    pages = sum(b["pages"] for b in summary.bundles)
    stages: dict[str, float] = {}
    for b in summary.bundles:
        for k, v in b["timings"].items():
            stages[k] = stages.get(k, 0.0) + v
    res = {
        "bundles": len(summary.bundles),
        "pages": pages,
        "pages_ocr": sum(b["pages_ocr"] for b in summary.bundles),
        "cold_seconds": round(cold, 2),
        "pages_per_second": round(pages / cold, 2) if cold else None,
        "seconds_per_page": round(cold / pages, 3) if pages else None,
        "stage_seconds": {k: round(v, 2) for k, v in stages.items()},
    }
    if pages and stages.get("pages"):
        res["pages_stage_pages_per_second"] = round(pages / stages["pages"], 2)
        res["pages_stage_seconds_per_page"] = round(stages["pages"] / pages, 3)
    if rerun:
        shutil.rmtree(out, ignore_errors=True)
        t = time.perf_counter()
        summary2 = run_batch(bundles, out, settings)
        warm = time.perf_counter() - t
        res["warm_seconds"] = round(warm, 2)
        res["rerun_speedup"] = round(cold / warm, 1) if warm else None
        warm_pages = sum(b["timings"].get("pages", 0.0) for b in summary2.bundles)
        res["pages_stage_warm_seconds"] = round(warm_pages, 3)
        res["pages_stage_rerun_speedup"] = round(stages.get("pages", 0.0) / warm_pages, 1) if warm_pages else None
    acc = score(bundles, out)
    res["page_typing_accuracy"] = acc["page_typing_accuracy"]
    res["confusion"] = acc["confusion"][:5]
    return res


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2, help="bundles per set")
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--big", action="store_true", help="also a ~200-page born-digital bundle")
    args = ap.parse_args()
    work = ROOT / "bench_out" / f"bench-{args.seed}"
    work.mkdir(parents=True, exist_ok=True)
    report: dict = {"workers": args.workers}

    sets = {"born_digital": 0.0, "scanned": 1.0}
    for name, ratio in sets.items():
        bundles = work / f"bundles-{name}"
        if not (bundles / "_truth").exists():
            t = time.perf_counter()
            generate_batch(bundles, args.n, args.seed, scanned_ratio=ratio)
            report[f"generate_{name}_seconds"] = round(time.perf_counter() - t, 2)
        report[name] = run_set(name, bundles, work, args.workers, rerun=True)
        print(f"{name}: {json.dumps(report[name], ensure_ascii=False)}", flush=True)
    if args.big:
        bundles = work / "bundles-big"
        if not (bundles / "_truth").exists():
            t = time.perf_counter()
            generate_batch(bundles, 1, args.seed, pages=200, scanned_ratio=0.0)
            report["generate_big_seconds"] = round(time.perf_counter() - t, 2)
        report["big_born_digital"] = run_set("big", bundles, work, args.workers, rerun=False)
    own, child = peak_mb()
    report["peak_rss_mb"] = {"main_process": round(own, 1), "largest_child": round(child, 1)}
    print(json.dumps(report, ensure_ascii=False, indent=2))
    (work / "bench.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
