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

import cv2
import numpy as np
import pymupdf
from django.conf import settings
from rapidfuzz import fuzz

from pipeline.fsio import atomic_write_text
from pipeline.ocr_engine import get_engine
from workbench.review import blind

ZOOM = 1.5  # the zoom blind.page_png serves
FUZZY_MIN_LEN, FUZZY_MIN_RATIO = 8, 90


def found(text: str, identity: Sequence[str], fuzzy: bool) -> list[str]:
    """Identity strings present in ``text`` (exact up to brackets/spacing; fuzzy for long ones)."""
    hits = blind.leaks(text, identity)
    if fuzzy:
        flat = re.sub(r"\s+", "", text)
        hits += [s for s in identity if len(s) >= FUZZY_MIN_LEN and s not in hits
                 and fuzz.partial_ratio(s, flat) >= FUZZY_MIN_RATIO]
    return hits


def ocr_png(data: bytes) -> str:
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    return "\n".join(s.text for s in get_engine().read(img))


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
        for page in doc:
            for what in found(page.get_text(), identity, fuzzy=False):
                leaks.append({"page": page.number + 1, "source": "text", "what": what})
            png = page.get_pixmap(matrix=pymupdf.Matrix(ZOOM, ZOOM), alpha=False).tobytes("png")
            for what in found(ocr_png(png), identity, fuzzy=True):
                leaks.append({"page": page.number + 1, "source": "ocr", "what": what})
        n = doc.page_count
    out = {"leaks": leaks, "pages": n, "seconds": round(time.perf_counter() - t0, 2)}
    atomic_write_text(cache, json.dumps(out, ensure_ascii=False))
    return out


def reason(detail: dict) -> str:
    """The refusal sentence for a copy the re-check failed."""
    leaks = (detail or {}).get("workbench_check", {}).get("leaks") or []
    return "；".join(f"第{x['page']}页仍可读出“{x['what']}”" for x in leaks[:5])
