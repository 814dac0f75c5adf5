"""Pages stage alone: cold (no cache) and warm (cache) timings for one PDF.

    python scripts/bench_pages.py PDF [--workers 2] [--dpi 200]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.pages import extract_pages, shutdown_pools  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdf", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dpi", type=int, default=200)
    args = ap.parse_args()
    cache = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        t = time.perf_counter()
        pages = extract_pages(args.pdf, cache_dir=cache, workers=args.workers, dpi=args.dpi)
        cold = time.perf_counter() - t
        t = time.perf_counter()
        extract_pages(args.pdf, cache_dir=cache, workers=args.workers, dpi=args.dpi)
        warm = time.perf_counter() - t
    finally:
        shutdown_pools()
        shutil.rmtree(cache, ignore_errors=True)
    n = len(pages)
    ocr = sum(p.source == "ocr" for p in pages)
    print(json.dumps({
        "pdf": str(args.pdf), "pages": n, "ocr_pages": ocr, "workers": args.workers,
        "cold_seconds": round(cold, 2), "pages_per_second": round(n / cold, 2), "seconds_per_page": round(cold / n, 3),
        "warm_seconds": round(warm, 3), "rerun_speedup": round(cold / warm, 1),
        "mean_worker_seconds_per_page": round(sum(p.seconds for p in pages) / n, 3),
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
