"""A second, closer OCR reading of one box, for checks whose pre-flag hinges on it.

A scanned watermark or table cell read once can carry a misread digit that turns a
correct record into a "defect" (a photo stamped 2022-05-09 read as 2022-05-03). Before
such a pre-flag is raised, the check asks for the box again: rendered alone at a higher
resolution, with a margin, and recognised on its own. The pre-flag stands only when
the second reading agrees with the first.

Only scanned pages (``Page.source == "ocr"``) are re-read: a text layer is exact.
Readings are memoised per (page, box); nothing is written to the original.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from pipeline.types import Page

DPI = 400
MARGIN_PT = 4.0
PAD_PX = 16


class Rereader:
    """``reread(page_no, bbox) -> text`` over one original PDF."""

    def __init__(self, pdf: Path, pages: Sequence[Page] = ()):
        self.pdf = Path(pdf)
        self.pages = {p.no: p for p in pages}
        self._doc: Any = None
        self._memo: dict[tuple, Optional[str]] = {}
        self._lock = threading.Lock()
        self.calls = 0

    def __call__(self, page_no: Optional[int], bbox: Optional[Sequence[float]]) -> Optional[str]:
        """The box's text read again (None when the page is not a scan or cannot be read)."""
        if page_no is None or bbox is None:
            return None
        p = self.pages.get(page_no)
        if p is None or p.source != "ocr":
            return None
        key = (page_no, tuple(round(float(v), 1) for v in bbox))
        with self._lock:
            if key not in self._memo:
                try:
                    self._memo[key] = self._read(page_no, bbox, p)
                except Exception:  # a second opinion is optional: never break a check
                    self._memo[key] = None
                self.calls += 1
            return self._memo[key]

    def _read(self, page_no: int, bbox: Sequence[float], p: Page) -> Optional[str]:
        import cv2
        import pymupdf

        from pipeline.ocr import _rotate_image_cw, get_engine, ocr_raster

        if self._doc is None:
            self._doc = pymupdf.open(stream=self.pdf.read_bytes(), filetype="pdf")
        page = self._doc[page_no - 1]
        x0, y0, x1, y1 = (float(v) for v in bbox)
        clip = pymupdf.Rect(x0 - MARGIN_PT, y0 - MARGIN_PT, x1 + MARGIN_PT, y1 + MARGIN_PT) & page.rect
        if clip.is_empty or clip.width < 2 or clip.height < 2:
            return None
        pix = page.get_pixmap(dpi=DPI, clip=clip, colorspace=pymupdf.csRGB)
        img = np.frombuffer(pix.samples, np.uint8).reshape(pix.h, pix.w, pix.n)[..., :3][..., ::-1]
        img = _rotate_image_cw(np.ascontiguousarray(img), ((p.rotation or 0) // 90) % 4)
        img = cv2.copyMakeBorder(img, PAD_PX, PAD_PX, PAD_PX, PAD_PX, cv2.BORDER_CONSTANT, value=(255, 255, 255))
        segs = ocr_raster(get_engine(0), img)
        segs = sorted(segs, key=lambda s: (round(float(np.mean(s.quad[:, 1])) / 20), float(np.min(s.quad[:, 0]))))
        text = " ".join(s.text for s in segs if s.text)
        return text or None

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None
