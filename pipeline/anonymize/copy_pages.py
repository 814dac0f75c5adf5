"""Per-page work on a copy, run in the page workers (``page_pool.map_calls``) by ``verify``.

- ``reread_task``: one copy page re-read against its original page (``reocr``), with the
  regions where the copy changed;
- ``seals_on_page``: a page's round seals and its red print outside them, for the
  original (``plan_pages``) and for a copy (``verify``) alike;
- ``plumber_text_task``: pdfplumber's text of some pages (a second, independent decoder,
  pure Python: ~0.1 s a text page, serial in this process it left the workers idle);
- ``seal_search`` / ``only_within``: where a re-read copy page can hold a seal the
  original did not show there (its changed regions), and round the original's seals
  (which move with the copy's registration); everything else is whitened before the
  seal finder looks (issue 13: dense text is most of its cost, and holds no new seal).

Each task answers for its own page: an error comes back as a message, never as an
exception that would stop the other pages.
"""
from __future__ import annotations

from typing import Any, Optional

from pipeline.types import Page

from .apply import all_layers_on
from .reocr import read_regions, reread_page
from .seals import Seal, find_seals, red_text_boxes, render

__all__ = ["SEAL_DPI", "SEAL_SEARCH_PAD_PT", "SEAL_SHIFT_PT", "only_within", "plumber_text_task", "reread_task",
           "seal_search", "seals_on_page"]

SEAL_DPI = 150  # seal search raster: rings are wide strokes


def reread_task(copy_path: str, ref_path: str, no: int,
                ref_ocr: Page) -> tuple[Optional[Page], Optional[tuple], str]:
    """One page of a copy re-read against its original (``reocr``), in a page worker:
    (its reading, the changed regions in page points, error); no reading: the pages do
    not compare, or the re-read failed (the error says so); the caller OCRs it whole."""
    import pymupdf

    try:
        with pymupdf.open(copy_path) as doc, pymupdf.open(ref_path) as ref:
            all_layers_on(doc)  # hidden layers are shown: an attacker can switch them on
            all_layers_on(ref)
            rr = reread_page(doc[no - 1], ref[no - 1], ref_ocr, no=no)
    except Exception as e:
        return None, None, f"page {no}: re-read failed, OCR'd whole: {type(e).__name__}: {e}"
    return (rr.page, rr.regions, "") if rr is not None else (None, None, "")


def plumber_text_task(path: str, nos: list[int], deadline: float) -> tuple[dict[int, str], str]:
    """pdfplumber's text of pages ``nos`` of ``path``, read until the wall-clock ``deadline``
    (``time.time()``), in a page worker: (text by page read, error)."""
    import time

    out: dict[int, str] = {}
    try:
        import pdfplumber  # slow optional library

        with pdfplumber.open(path) as pdf:
            for no in nos:
                if time.time() > deadline:
                    break
                try:
                    out[no] = pdf.pages[no - 1].extract_text() or ""
                except Exception:
                    out[no] = ""  # a page pdfminer cannot parse: nothing it can show
    except Exception as e:
        return out, f"pdfplumber: {type(e).__name__}: {e}"
    return out, ""


def seals_on_page(path: str, no: int, red_rotation: Optional[int],
                  search: Optional[list] = None) -> tuple[Any, float, list[Seal], Optional[Page]]:
    """(raster, px per point, round seals, reading of the red print outside them) of page
    ``no``. ``red_rotation``: the page's text orientation where it is read from pixels
    (its OCR whitened red print like seal red), None to leave red print alone;
    ``search``: look for seals only in these boxes (``seal_search``)."""
    import pymupdf

    with pymupdf.open(path) as doc:
        all_layers_on(doc)
        page = doc[no - 1]
        img, k = render(page, SEAL_DPI)
        found = find_seals(only_within(img, k, search) if search is not None else img, k)
        red = None
        if red_rotation is not None:
            boxes = red_text_boxes(img, k, found, (0.0, 0.0, float(page.rect.width), float(page.rect.height)))
            if boxes:
                red = read_regions(page, boxes, no=no, rotation=red_rotation)
    return img, k, found, red


def only_within(img: Any, k: float, boxes: list) -> Any:
    """``img`` white outside ``boxes`` (page points at ``k`` px per point)."""
    import numpy as np

    out = np.full_like(img, 255)
    h, w = img.shape[:2]
    for x0, y0, x1, y1 in boxes:
        a0, b0 = max(0, int(x0 * k)), max(0, int(y0 * k))
        a1, b1 = min(w, int(x1 * k) + 1), min(h, int(y1 * k) + 1)
        if a1 > a0 and b1 > b0:
            out[b0:b1, a0:a1] = img[b0:b1, a0:a1]
    return out


# Margins round the places a copy's seal is looked for: a seal ring cut by a changed
# region runs on beyond it; an original seal moves with the copy's registration shift.
SEAL_SEARCH_PAD_PT = 12.0
SEAL_SHIFT_PT = 40.0


def seal_search(regions: tuple, seals: list, pw: float, ph: float) -> list:
    """Boxes (page points) a re-read copy page is searched for seals in: its changed
    ``regions`` and the original's ``seals``, each with its margin, on a ``pw`` × ``ph`` page."""
    def grow(b: tuple, d: float) -> tuple:
        return (max(0.0, b[0] - d), max(0.0, b[1] - d), min(pw, b[2] + d), min(ph, b[3] + d))

    return ([grow(r, SEAL_SEARCH_PAD_PT) for r in regions]
            + [grow(s.bbox, SEAL_SEARCH_PAD_PT + SEAL_SHIFT_PT) for s in seals])
