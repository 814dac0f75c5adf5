"""Character accuracy and speed of the OCR engines on generated scans, against the text
they were printed from (issue 13: an engine is chosen by measured accuracy, not speed).

    python scripts/ocr_accuracy.py --seed 7 --n 3 [--family a] [--engines rapidocr,rapidocr-openvino]

For each scanned bundle the generator would make for ``--seed``/``--n``, the born-digital
PDF is rebuilt in memory (same scenario, before ``scan_pdf``) and its text layer is the
truth; the scanned page is read by ``pipeline.ocr.ocr_page`` with each engine, one
thread (as a page worker runs). Per engine it prints: character precision, recall and
F1 (multisets of non-space characters after NFKC, so reading order does not count),
pages whose F1 dropped by more than 0.01 against the first engine, and seconds a page.
Printed, never asserted.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pymupdf  # noqa: E402

from pipeline.ocr import ocr_page  # noqa: E402
from pipeline.ocr_engine import get_engine  # noqa: E402
from samples.batch import allocate_defects, allocate_scanned  # noqa: E402
from samples.defects import apply_defects  # noqa: E402
from samples.scan import scan_pdf  # noqa: E402
from samples.scenario import build_scenario  # noqa: E402


def chars(text: str) -> Counter:
    return Counter(c for c in unicodedata.normalize("NFKC", text) if not c.isspace())


def prf(truth: Counter, got: Counter) -> tuple[int, int, int]:
    return sum((truth & got).values()), sum(got.values()), sum(truth.values())


def scanned_pairs(seed: int, n: int, family: str, ratio: float):
    """(bundle id, page no, born-digital page text, scanned PDF bytes) for the scanned bundles."""
    if family == "b":
        from samples.render_b import render_bundle
    else:
        from samples.render import render_bundle
    kinds = allocate_defects(n, seed)
    scanned = allocate_scanned(n, seed, ratio)
    for i in range(n):
        if not scanned[i]:
            continue
        clean = build_scenario(seed, i, scanned=True, family=family)
        s = apply_defects(clean, tuple(kinds[i]), seed) if kinds[i] else clean
        digital = render_bundle(s).pdf
        scan = scan_pdf(digital, s.style, s.seed)
        with pymupdf.open(stream=digital, filetype="pdf") as d:
            texts = [p.get_text() for p in d]
        yield s.bundle_id, texts, scan


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--n", type=int, default=3)
    ap.add_argument("--family", default="a")
    ap.add_argument("--ratio", type=float, default=1.0, help="scanned ratio the batch is generated with")
    ap.add_argument("--engines", default="rapidocr,rapidocr-openvino-f32,rapidocr-openvino")
    ap.add_argument("--every", type=int, default=1, help="read every k-th page only")
    a = ap.parse_args()
    engines = a.engines.split(",")
    tot = {e: [0, 0, 0] for e in engines}
    secs = {e: 0.0 for e in engines}
    worse = {e: [] for e in engines}
    pages = 0
    for bid, texts, scan in scanned_pairs(a.seed, a.n, a.family, a.ratio):
        doc = pymupdf.open(stream=scan, filetype="pdf")
        for i, page in enumerate(doc):
            if i % a.every:
                continue
            truth = chars(texts[i])
            pages += 1
            f1s = {}
            for e in engines:
                eng = get_engine(1, name=e)
                t = time.perf_counter()
                out = ocr_page(page, dpi=200, max_pixels=12_000_000, threads=1, engine=eng)
                secs[e] += time.perf_counter() - t
                hit, got, want = prf(truth, chars("".join(ln.text for ln in out.lines)))
                for k, v in enumerate((hit, got, want)):
                    tot[e][k] += v
                f1s[e] = 2 * hit / (got + want) if got + want else 1.0
                if f1s[e] < f1s[engines[0]] - 0.01:
                    worse[e].append(f"{bid} p{i + 1}: {f1s[engines[0]]:.3f}->{f1s[e]:.3f}")
        doc.close()
    print(f"{pages} scanned pages (seed {a.seed}, n {a.n}, family {a.family})")
    print(f"{'engine':28} {'precision':>9} {'recall':>7} {'F1':>7} {'s/page':>7} {'x first':>7}  pages worse")
    for e in engines:
        hit, got, want = tot[e]
        p, r = hit / max(got, 1), hit / max(want, 1)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{e:28} {p:9.4f} {r:7.4f} {f1:7.4f} {secs[e] / max(pages, 1):7.2f} "
              f"{secs[engines[0]] / max(secs[e], 1e-9):7.2f}  {len(worse[e])}")
        for w in worse[e][:8]:
            print("    " + w)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
