"""What an expert may be served: identity-free text, and pixels from the verified blind copy.

- :func:`scrub` removes every identity string of ``submission.json`` from a text, also
  when it is written with other brackets, spaces or separators (〔2019〕 / [2019],
  0372-86285672 / 0372 86285672).
- :func:`page_png` and :func:`crop_png` render bundlecheck's own ``anonymized.pdf`` (never
  ``original.pdf``) with PyMuPDF, cached on disk per bundle; a bundle whose blind copy is
  not verified ``safe`` is refused with :class:`NotBlind`.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional, Sequence

import pymupdf
from django.conf import settings

from pipeline.fsio import atomic_write_bytes

MASK = "〔机构信息已隐去〕"
_OPEN, _CLOSE = "〔[【(（［", "〕]】)）］"
_SEPARATORS = " \u3000-－—·.、"


class NotBlind(Exception):
    """The bundle has no verified blind copy: nothing of it may be served blind."""


def _char_pattern(ch: str) -> str:
    if ch in _OPEN:
        return "[" + re.escape(_OPEN) + "]"
    if ch in _CLOSE:
        return "[" + re.escape(_CLOSE) + "]"
    if ch in _SEPARATORS:
        return "[" + re.escape(_SEPARATORS) + "]?"
    return re.escape(ch)


@lru_cache(maxsize=256)
def _pattern(strings: tuple[str, ...]) -> Optional[re.Pattern]:
    alts = []
    for s in strings:
        chars = [c for c in s if not c.isspace()]
        if len(chars) < 2:
            continue
        # any whitespace may stand between two characters of the printed string
        alts.append(r"\s*".join(_char_pattern(c) for c in chars))
    return re.compile("|".join(alts), re.IGNORECASE) if alts else None


def scrub(text: str, identity: Sequence[str]) -> str:
    """``text`` with every identity string replaced by :data:`MASK`."""
    pat = _pattern(tuple(identity))
    return pat.sub(MASK, text) if (pat and text) else (text or "")


def leaks(text: str, identity: Iterable[str]) -> list[str]:
    """The identity strings still found in ``text`` (the same matching as :func:`scrub`)."""
    return [s for s in identity if (p := _pattern((s,))) and p.search(text or "")]


def _blind_pdf(bundle) -> Path:
    if not bundle.anonymized_safe or not bundle.anonymized_pdf:
        raise NotBlind(bundle.bundle_id)
    p = Path(bundle.anonymized_pdf)
    if not p.is_file():
        raise NotBlind(bundle.bundle_id)
    return p


def _cache_path(bundle, name: str) -> Path:
    pdf = _blind_pdf(bundle)
    st = pdf.stat()
    key = hashlib.sha256(f"{pdf}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:16]
    return Path(settings.RENDER_CACHE) / bundle.bundle_id / key / name


def page_png(bundle, page_no: int, zoom: float = 1.5) -> bytes:
    """Page ``page_no`` (1-based) of the blind copy as PNG; ``IndexError`` when out of range."""
    out = _cache_path(bundle, f"p{page_no}_{zoom:g}.png")
    if out.is_file():
        return out.read_bytes()
    with pymupdf.open(_blind_pdf(bundle)) as doc:
        if not 1 <= page_no <= doc.page_count:
            raise IndexError(page_no)
        pix = doc[page_no - 1].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
        data = pix.tobytes("png")
    atomic_write_bytes(out, data)
    return data


def crop_png(bundle, page_no: int, bbox: Sequence[float], zoom: float = 2.0, margin: float = 24.0) -> bytes:
    """The evidence box (PDF points, top-left origin) with a margin, outlined in red, from the blind copy."""
    x0, y0, x1, y1 = (float(v) for v in bbox)
    out = _cache_path(bundle, f"c{page_no}_{x0:.1f}_{y0:.1f}_{x1:.1f}_{y1:.1f}_{zoom:g}.png")
    if out.is_file():
        return out.read_bytes()
    with pymupdf.open(_blind_pdf(bundle)) as doc:
        if not 1 <= page_no <= doc.page_count:
            raise IndexError(page_no)
        page = doc[page_no - 1]
        box = pymupdf.Rect(x0, y0, x1, y1) & page.rect
        clip = pymupdf.Rect(box.x0 - margin, box.y0 - margin, box.x1 + margin, box.y1 + margin) & page.rect
        if clip.is_empty:
            raise IndexError(page_no)
        pix = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), clip=clip, alpha=False)
        _outline(pix, box, clip, zoom)
        data = pix.tobytes("png")
    atomic_write_bytes(out, data)
    return data


def _outline(pix, box, clip, zoom: float) -> None:
    a, b = int((box.x0 - clip.x0) * zoom), int((box.y0 - clip.y0) * zoom)
    c, d = int((box.x1 - clip.x0) * zoom), int((box.y1 - clip.y0) * zoom)
    red, w = (220, 30, 30), 2
    for r in ((a, b, c, b + w), (a, d - w, c, d), (a, b, a + w, d), (c - w, b, c, d)):
        rect = pymupdf.IRect(*r) & pymupdf.IRect(0, 0, pix.width, pix.height)
        if not rect.is_empty:
            pix.set_rect(rect, red)


def blind_evidence(evidence: list[dict], identity: Sequence[str]) -> list[dict]:
    """Evidence for an expert: page, box and scrubbed text (the file is always the blind copy)."""
    return [{"page": e.get("page"), "bbox": e.get("bbox"), "text": scrub(e.get("text") or "", identity)}
            for e in evidence]
