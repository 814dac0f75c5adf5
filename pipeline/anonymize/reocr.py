"""Re-read a copy page against the page it was made from (verification OCR, issue 6).

A blind copy differs from the original only where something was hidden: OCR boxes
painted black, seal ink erased. Reading the whole copy page again costs as much as
the pages stage did; this module reads again only what may read differently:

1. the copy page and the original page are rendered alike (same size, same dpi) and
   compared pixel by pixel; *changed* = any channel moved by more than ``DIFF_LEVEL``
   grey levels (re-encoding noise stays far below it, a stroke painted over or a
   seal erased far above), grown by ``GROW_PT``;
2. the text detector runs on the whole copy page, in the original OCR's frame (its
   rotation and skew), exactly as a full OCR of the copy would;
3. a detected box is *recognized* unless it touches no changed pixel AND coincides
   (IoU ≥ ``IOU_SAME``) with a segment the original's OCR already read: that
   segment's reading stands, since the box holds the same pixels;
4. everything is grouped into lines as the pages stage does.

Why this reads what a full OCR of the copy reads: painting adds no glyph outside the
painted pixels, and recognition of a box depends only on the pixels inside it; every
box touching a changed pixel is read again from the copy (a box cut by a black box,
text revealed by an erased seal, line joins across a box), and every box the copy's
detector segments differently from the original is read again too. The comparison is
of rendered pixels, not of the redaction plan, so a change the plan does not know of
is read as well. Pages that are not the original with local changes (another scan,
shifted or turned: most of the original's ink moved) return None and are OCR'd whole
by the caller, with their own orientation.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Optional

import cv2
import numpy as np

from pipeline.geometry import apply_matrix, box_iou, quad_to_bbox, rot90_matrix, union_bbox
from pipeline.ocr import segments_to_lines
from pipeline.ocr_engine import TEXT_SCORE, OcrEngine, Segment, engine_fingerprint, get_engine
from pipeline.raster import deskew, pad_white, render_page, rotate_image_cw, suppress_red
from pipeline.types import Page

__all__ = ["DIFF_LEVEL", "Reread", "changed_mask", "read_regions", "reread_page"]

DPI = 200
MAX_PIXELS = 12_000_000
DIFF_LEVEL = 24  # grey levels; JPEG q95 re-encoding of a scan moves pixels by ≤ ~8
GROW_PT = 2.0  # changed regions grown by this much (resampling kernel, anti-aliasing)
BOX_PAD_PT = 1.5  # a box "touches" a changed pixel within this margin
IOU_SAME = 0.7
MAX_CHANGED = 0.30  # changed share of the page above which the page is OCR'd whole
# Share of the original's ink that must be unchanged in the copy: a copy made from
# the page keeps most of it (hiding touches a few lines); a page scanned, shifted or
# turned anew keeps almost none, and must not be read in the original's frame.
MIN_KEPT_INK = 0.6
MIN_KEPT_INK_PRECHECK = 0.4  # at 36 dpi thin strokes blur into their neighbours' changes
INK_LEVEL = 128
PRECHECK_DPI = 36
LOGIC = "anon-reread-1"


@dataclass
class Reread:
    page: Page
    boxes: int  # text boxes detected on the copy page
    recognized: int  # of which recognized again (the rest keep the original's reading)
    changed: float  # share of the page's pixels that changed


def _render(page: Any, dpi: float) -> tuple[np.ndarray, float]:
    return render_page(page, int(dpi), MAX_PIXELS)


def changed_mask(a: np.ndarray, b: np.ndarray, px_per_pt: float, *, level: int = DIFF_LEVEL,
                 grow_pt: float = GROW_PT) -> np.ndarray:
    """uint8 mask (255 = changed) of two same-size BGR rasters, grown by ``grow_pt``."""
    d = cv2.absdiff(a, b)
    if d.ndim == 3:
        d = d.max(axis=2)
    mask = (d > level).astype(np.uint8) * 255
    r = max(1, int(round(grow_pt * px_per_pt)))
    if mask.any():
        mask = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * r + 1, 2 * r + 1)))
    return mask


def _same_geometry(a: Any, b: Any) -> bool:
    ra, rb = a.rect, b.rect
    return (abs(ra.width - rb.width) < 0.5 and abs(ra.height - rb.height) < 0.5)


def kept_ink(a: np.ndarray, b: np.ndarray, changed: np.ndarray) -> float:
    """Share of ``b``'s ink (dark pixels in either raster) that did not change."""
    ink = (b.min(axis=2) if b.ndim == 3 else b) < INK_LEVEL
    n = int(ink.sum())
    return float((ink & (changed == 0)).sum()) / n if n else 1.0


def comparable(a: np.ndarray, b: np.ndarray, px_per_pt: float, min_kept: float = MIN_KEPT_INK) -> bool:
    """Is raster ``a`` raster ``b`` with local changes (same size, most ink in place)?"""
    if a.shape != b.shape:
        return False
    raw = changed_mask(a, b, px_per_pt, grow_pt=0.0)
    return float((raw > 0).mean()) <= MAX_CHANGED and kept_ink(a, b, raw) >= min_kept


def precheck(copy_page: Any, ref_page: Any) -> bool:
    """``comparable`` at low resolution (cheap), False when the page boxes differ."""
    if not _same_geometry(copy_page, ref_page):
        return False
    a, k = _render(copy_page, PRECHECK_DPI)
    b, _ = _render(ref_page, PRECHECK_DPI)
    return comparable(a, b, k, MIN_KEPT_INK_PRECHECK)


def reread_page(copy_page: Any, ref_page: Any, ref_ocr: Page, *, no: int, threads: int = 0,
                engine: Optional[OcrEngine] = None) -> Optional[Reread]:
    """OCR of ``copy_page`` (PyMuPDF) made from ``ref_page``, whose OCR is ``ref_ocr``;
    None when the pages cannot be compared (the caller then OCRs the copy page whole)."""
    if ref_ocr.source != "ocr" or ref_ocr.error or ref_ocr.rotation % 90 or not _same_geometry(copy_page, ref_page):
        return None
    if not precheck(copy_page, ref_page):
        return None
    img, zoom = _render(copy_page, DPI)
    ref, _ = _render(ref_page, DPI)
    if not comparable(img, ref, zoom):
        return None
    mask = changed_mask(img, ref, zoom)
    changed = float((mask > 0).mean())
    h0, w0 = img.shape[:2]
    # The original OCR's frame: its rotation, then its deskew (pipeline.ocr.ocr_page).
    k = (ref_ocr.rotation // 90) % 4
    rot = rot90_matrix(k, w0, h0)
    up = rotate_image_cw(img, k)
    px = rot  # unrotated raster px → upright px
    if ref_ocr.skew:
        up, d = deskew(up, ref_ocr.skew)
        px = d @ px
    up, _ = suppress_red(up)
    to_page = np.linalg.inv(px @ np.diag([zoom, zoom, 1.0]))
    to_raw = np.linalg.inv(px)
    eng = engine or get_engine(threads)
    quads = eng.detect(up)
    words = [(w.bbox, w.text, ln.conf) for ln in ref_ocr.lines for w in (ln.words or ())]
    pw, ph = float(copy_page.rect.width), float(copy_page.rect.height)
    pad = BOX_PAD_PT * zoom
    segs: list[Segment] = []
    todo: list[np.ndarray] = []
    for q in quads:
        q = np.asarray(q, dtype=float)
        raw = apply_matrix(q, to_raw)
        x0, y0 = max(0, int(raw[:, 0].min() - pad)), max(0, int(raw[:, 1].min() - pad))
        x1, y1 = min(w0, int(np.ceil(raw[:, 0].max() + pad)) + 1), min(h0, int(np.ceil(raw[:, 1].max() + pad)) + 1)
        touched = x1 <= x0 or y1 <= y0 or bool(mask[y0:y1, x0:x1].any())
        if not touched:
            box = quad_to_bbox(q, to_page, pw, ph)
            best = max(words, key=lambda w: box_iou(box, w[0]), default=None)
            if best is not None and box_iou(box, best[0]) >= IOU_SAME:
                segs.append(Segment(text=best[1], score=float(best[2]), quad=q))
                continue
        todo.append(q)
    if todo:
        crops = [eng.crop(up, q) for q in todo]
        for q, (t, s) in zip(todo, eng.recognize(crops)):
            if t and t.strip() and float(s) >= TEXT_SCORE:
                segs.append(Segment(text=t, score=float(s), quad=q))
    lines = segments_to_lines(segs, to_page, pw, ph)
    page = Page(no=no, source="ocr", width=pw, height=ph, lines=tuple(lines), rotation=ref_ocr.rotation,
                skew=ref_ocr.skew, reread_recognized=len(todo), reread_boxes=len(quads),
                note=f"re-read against the original: {len(todo)} of {len(quads)} boxes recognized, "
                     f"{changed:.1%} of the page changed")
    return Reread(page, len(quads), len(todo), changed)


def memo_key(copy_digest: str, ref_digest: str, ref_ocr: Page) -> str:
    """Cache key of a re-read: both pages' content, the original's reading, the engine."""
    blob = json.dumps({"logic": LOGIC, "copy": copy_digest, "ref": ref_digest, "engine": engine_fingerprint(),
                       "ref_ocr": hashlib.sha256(ref_ocr.model_dump_json().encode()).hexdigest(),
                       "dpi": DPI, "level": DIFF_LEVEL, "iou": IOU_SAME}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def merge_boxes(boxes: list[tuple[float, float, float, float]], gap: float = 12.0) -> list[tuple[float, float, float, float]]:
    """Boxes closer than ``gap`` points merged (fewer, larger crops for the detector)."""
    out = [tuple(b) for b in boxes]
    merged = True
    while merged:
        merged = False
        for i in range(len(out)):
            for j in range(i + 1, len(out)):
                a, b = out[i], out[j]
                if a[0] - gap < b[2] and b[0] - gap < a[2] and a[1] - gap < b[3] and b[1] - gap < a[3]:
                    out[i] = union_bbox((a, b))
                    del out[j]
                    merged = True
                    break
            if merged:
                break
    return out


def read_regions(page: Any, boxes: list[tuple[float, float, float, float]], *, no: int, rotation: int = 0,
                 threads: int = 0, engine: Optional[OcrEngine] = None) -> Page:
    """OCR of page regions (page points) rendered as they are, red kept (no seal-red
    suppression): red print the pages stage's OCR whitens away. ``rotation``: the
    page's text orientation (clockwise degrees that make it upright)."""
    if not boxes:
        return Page(no=no, source="ocr", width=float(page.rect.width), height=float(page.rect.height))
    boxes = merge_boxes(boxes)
    eng = engine or get_engine(threads)
    full, zoom = _render(page, DPI)  # the page as displayed
    H, W = full.shape[:2]
    lines = []
    pw, ph = float(page.rect.width), float(page.rect.height)
    for x0, y0, x1, y1 in boxes:
        a0, b0 = max(0, int(x0 * zoom)), max(0, int(y0 * zoom))
        a1, b1 = min(W, int(np.ceil(x1 * zoom))), min(H, int(np.ceil(y1 * zoom)))
        if a1 - a0 < 4 or b1 - b0 < 4:
            continue
        img = np.ascontiguousarray(full[b0:b1, a0:a1])
        h0, w0 = img.shape[:2]
        kk = (rotation // 90) % 4
        m = rot90_matrix(kk, w0, h0) @ np.array([[zoom, 0, -a0], [0, zoom, -b0], [0, 0, 1]], dtype=float)
        up = rotate_image_cw(img, kk)
        # A margin: the detector misses text that touches the image border.
        padpx = 16
        up = pad_white(up, padpx)
        m = np.array([[1, 0, padpx], [0, 1, padpx], [0, 0, 1]], dtype=float) @ m
        segs = eng.read(up)
        lines += segments_to_lines(segs, np.linalg.inv(m), pw, ph)
    return Page(no=no, source="ocr", width=pw, height=ph, lines=tuple(lines), rotation=rotation,
                note=f"red print read in {len(boxes)} region(s)")
