"""A second, closer OCR reading of one box, for checks whose pre-flag hinges on it.

A scanned watermark or table cell read once can carry a misread digit that turns a
correct record into a "defect" (a photo stamped 2022-05-09 read as 2022-05-03). Before
such a pre-flag is raised, the check asks for the box again: rendered alone at a higher
resolution, with a margin, and recognised on its own. The pre-flag stands only when
the second reading agrees with the first.

Only scanned pages (``Page.source == "ocr"``) are re-read: a text layer is exact. With
``images=True`` a box of text OCR'd from an image drawn on a text-layer page (a photo's
watermark: ``Line.origin == "image"``) is read again too.
Readings are memoised per (page, box, red mode, dpi) for each original file, shared by
every ``Rereader`` of that file in the process: the records stage and the checks stage
ask for some of the same boxes (a photo watermark), which are then read once. Nothing
is written to the original.

By default the box is read as scanned, red kept. ``red="suppress"`` whitens seal red
first, more widely than the full-page pass does (faded and pinkish seal ink too): a
hand signature under a red seal is read without the ring's strokes crossing it. Blue
and black ink stay, and so does the dark purple where they cross the seal.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, NamedTuple, Optional, Sequence

import numpy as np

from pipeline.ocr_engine import OcrEngine, get_engine
from pipeline.raster import pad_white, pixmap_bgr, rotate_image_cw
from pipeline.types import Page

DPI = 400
MARGIN_PT = 4.0
PAD_PX = 16
RED_MODES = ("keep", "suppress")
# How far red must exceed both other channels for a pixel to count as seal ink. Paper
# and grey scans stay well under it; faded seal pink (240, 180, 180) is far above.
RED_MARGIN = 25


class ReadSegment(NamedTuple):
    """One text run of a re-read box: its text, recognition score, and its quad (4×2,
    pixels of the upright, padded crop: corner order tl, tr, br, bl)."""

    text: str
    score: float
    quad: tuple


def whiten_red(img: np.ndarray) -> tuple[np.ndarray, int]:
    """``img`` (BGR) with seal-red pixels turned white, and how many were.

    A pixel is seal red when its red channel exceeds both others by ``RED_MARGIN``;
    ink of any other colour (black, blue, the purple of blue over red) is kept.
    """
    b, g, r = (img[:, :, i].astype(np.int16) for i in range(3))
    mask = (r - np.maximum(g, b)) > RED_MARGIN
    n = int(mask.sum())
    if not n:
        return img, 0
    out = img.copy()
    out[mask] = 255
    return out, n


# readings per original file (path, size, mtime: originals are never modified); the
# files of the last few bundles are enough, since one bundle's stages run one after another
_MEMOS: "OrderedDict[tuple, dict]" = OrderedDict()
_MEMO_FILES = 4
_MEMOS_LOCK = threading.Lock()


def _shared_memo(pdf: Path) -> dict:
    try:
        st = pdf.stat()
        key = (str(pdf.resolve()), st.st_size, st.st_mtime_ns)
    except OSError:
        return {}
    with _MEMOS_LOCK:
        memo = _MEMOS.pop(key, None)
        if memo is None:
            memo = {}
        _MEMOS[key] = memo
        while len(_MEMOS) > _MEMO_FILES:
            _MEMOS.popitem(last=False)
        return memo


def _on_image_text(p: Page, bbox: Sequence[float]) -> bool:
    """Whether the box holds text OCR'd from an image drawn on a text-layer page."""
    x0, y0, x1, y1 = (float(v) for v in bbox)
    return any(ln.origin == "image" and min(x1, ln.bbox[2]) > max(x0, ln.bbox[0])
               and min(y1, ln.bbox[3]) > max(y0, ln.bbox[1]) for ln in p.lines)


class Rereader:
    """``reread(page_no, bbox) -> text`` over one original PDF; ``segments`` gives the
    same reading as scored text runs. ``engine``: the OCR engine that reads the boxes
    (default ``get_engine(0)``, loaded at the first read)."""

    def __init__(self, pdf: Path, pages: Sequence[Page] = (), engine: Optional[OcrEngine] = None):
        self.pdf = Path(pdf)
        self.pages = {p.no: p for p in pages}
        self.engine = engine
        self._doc: Any = None
        # readings by another engine than the default are not shared with other readers
        self._memo: dict[tuple, Optional[list[ReadSegment]]] = _shared_memo(self.pdf) if engine is None else {}
        self._lock = threading.Lock()
        self.calls = 0  # boxes this instance had to read (memo misses)

    def __call__(self, page_no: Optional[int], bbox: Optional[Sequence[float]], *,
                 red: str = "keep", dpi: int = DPI, images: bool = False) -> Optional[str]:
        """The box's text read again (None when the page is not a scan or cannot be read)."""
        segs = self.segments(page_no, bbox, red=red, dpi=dpi, images=images)
        if not segs:
            return None
        text = " ".join(s.text for s in segs if s.text)
        return text or None

    def segments(self, page_no: Optional[int], bbox: Optional[Sequence[float]], *,
                 red: str = "keep", dpi: int = DPI, images: bool = False) -> Optional[list[ReadSegment]]:
        """The box read again as text runs in reading order (None when the page is not a
        scan or cannot be read); ``red`` is one of ``RED_MODES``. Another ``dpi`` gives
        the recogniser another view of the same box (faint handwriting it finds nothing
        in at one scale it often reads at another)."""
        if red not in RED_MODES:
            raise ValueError(f"red must be one of {RED_MODES}, not {red!r}")
        dpi = int(dpi)
        if not 72 <= dpi <= 1200:
            raise ValueError(f"dpi out of range: {dpi}")
        if page_no is None or bbox is None:
            return None
        p = self.pages.get(page_no)
        if p is None or (p.source != "ocr" and not (images and _on_image_text(p, bbox))):
            return None
        key = self._key(page_no, bbox, red, dpi)
        with self._lock:
            if key not in self._memo:
                try:
                    self._memo[key] = self._read(page_no, bbox, p, red, dpi)
                except Exception:  # a second opinion is optional: never break a check
                    self._memo[key] = None
                self.calls += 1
            return self._memo[key]

    @staticmethod
    def _key(page_no: int, bbox: Sequence[float], red: str, dpi: int) -> tuple:
        # the default reading keeps the key it always had
        box = tuple(round(float(v), 1) for v in bbox)
        return (page_no, box) + ((red,) if red != "keep" else ()) + ((dpi,) if dpi != DPI else ())

    def _read(self, page_no: int, bbox: Sequence[float], p: Page, red: str = "keep",
              dpi: int = DPI) -> Optional[list[ReadSegment]]:
        import pymupdf  # slow optional library

        if self._doc is None:
            self._doc = pymupdf.open(stream=self.pdf.read_bytes(), filetype="pdf")
        page = self._doc[page_no - 1]
        x0, y0, x1, y1 = (float(v) for v in bbox)
        clip = pymupdf.Rect(x0 - MARGIN_PT, y0 - MARGIN_PT, x1 + MARGIN_PT, y1 + MARGIN_PT) & page.rect
        if clip.is_empty or clip.width < 2 or clip.height < 2:
            return None
        pix = page.get_pixmap(dpi=dpi, clip=clip, colorspace=pymupdf.csRGB)
        img = rotate_image_cw(pixmap_bgr(pix), ((p.rotation or 0) // 90) % 4)
        if red == "suppress":
            img, n = whiten_red(img)
            keep = self._key(page_no, bbox, "keep", dpi)
            if not n and keep in self._memo:  # no red in the box: the same image as read before
                return self._memo[keep]
        img = pad_white(img, PAD_PX)
        segs = (self.engine or get_engine(0)).read(img)
        segs = sorted(segs, key=lambda s: (round(float(np.mean(s.quad[:, 1])) / 20), float(np.min(s.quad[:, 0]))))
        out = [ReadSegment(s.text, float(s.score), tuple(tuple(float(v) for v in pt) for pt in s.quad))
               for s in segs if s.text]
        return out or None

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()
            self._doc = None
