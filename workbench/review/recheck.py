"""The workbench's own look at a blind copy before it may be assigned (defence in depth).

The pipeline's verdict (``findings.json`` ``anonymized.safe``) is necessary but not taken on
trust: at import, every page of ``anonymized.pdf`` is read as the expert will get it — its
text layer, and the OCR (the project's engine, ``pipeline.ocr_engine.get_engine``) of the
page image the workbench serves — and any identity string of ``submission.json`` found
there makes the copy unsafe, with page and string named. A long string (≥ 8 characters)
read almost whole (partial ratio ≥ 90) counts too: OCR misreads a character now and then.

Results are cached by the PDF's sha256 and the identity strings, so re-imports are free.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path
from typing import Sequence

import pymupdf
from django.conf import settings
from rapidfuzz import fuzz

from pipeline.fsio import atomic_write_text
from pipeline.ocr_engine import get_engine
from pipeline.page_pool import map_calls
from pipeline.raster import pixmap_bgr
from workbench.review import blind

ZOOM = 1.5  # the zoom blind.page_png serves
WORKERS = 2  # page workers for the re-read (0: in this process)
FUZZY_MIN_LEN, FUZZY_MIN_RATIO = 8, 90


def found(text: str, identity: Sequence[str], fuzzy: bool) -> list[str]:
    """Identity strings present in ``text`` (exact up to brackets/spacing; fuzzy for long ones)."""
    hits = blind.leaks(text, identity)
    if fuzzy:
        flat = re.sub(r"\s+", "", text)
        hits += [s for s in identity if len(s) >= FUZZY_MIN_LEN and s not in hits
                 and fuzz.partial_ratio(s, flat) >= FUZZY_MIN_RATIO]
    return hits


def served_pixels(page) -> "np.ndarray":
    """The pixels (BGR) of the PNG ``blind.page_png`` serves for ``page``: the same pixmap
    (PNG is lossless), taken before the PNG is made. Encoding and decoding the PNG cost
    0.23 s a page, a quarter of the page's OCR."""
    return pixmap_bgr(page.get_pixmap(matrix=pymupdf.Matrix(ZOOM, ZOOM), alpha=False))


def read_page(pdf: str, no: int) -> tuple[str, str]:
    """(text layer, OCR of the served page image) of page ``no``; runs in a page worker."""
    with pymupdf.open(pdf) as doc:
        page = doc[no - 1]
        return page.get_text(), "\n".join(s.text for s in get_engine().read(served_pixels(page)))


def check_pdf(pdf: Path, identity: Sequence[str]) -> dict:
    """``{"leaks": [{"page", "source", "what"}], "pages", "seconds"}`` for the blind copy."""
    raw = pdf.read_bytes()
    key = hashlib.sha256(raw + json.dumps(sorted(identity), ensure_ascii=False).encode()).hexdigest()
    cache = Path(settings.RENDER_CACHE) / "_recheck" / f"{key}.json"
    if cache.is_file():
        return json.loads(cache.read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    leaks = []
    with pymupdf.open(stream=raw, filetype="pdf") as doc:
        n = doc.page_count
    # Pages are read over the pipeline's page workers (both cores; issue 13), each as
    # the expert is served it; the matching stays here.
    reads = map_calls(read_page, [(str(pdf), no) for no in range(1, n + 1)], WORKERS)
    for no, (text, ocr_text) in enumerate(reads, start=1):
        for what in found(text, identity, fuzzy=False):
            leaks.append({"page": no, "source": "text", "what": what})
        for what in found(ocr_text, identity, fuzzy=True):
            leaks.append({"page": no, "source": "ocr", "what": what})
    out = {"leaks": leaks, "pages": n, "seconds": round(time.perf_counter() - t0, 2)}
    atomic_write_text(cache, json.dumps(out, ensure_ascii=False))
    return out


def reason(detail: dict) -> str:
    """The refusal sentence for a copy the re-check failed."""
    leaks = (detail or {}).get("workbench_check", {}).get("leaks") or []
    return "；".join(f"第{x['page']}页仍可读出“{x['what']}”" for x in leaks[:5])
