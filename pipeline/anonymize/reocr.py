"""Re-read a copy page against the page it was made from (verification OCR, issues 6, 13).

A blind copy differs from the original only where something was hidden: OCR boxes
painted black, seal ink erased. Reading the whole copy page again costs as much as
the pages stage did; this module reads again only what may read differently:

1. the copy page is registered on the original page (``register.align``, at 50 dpi:
   our own copy aligns to itself; an institution's copy scanned anew is shifted and
   turned a little), and both are rendered alike and brought into the frame the
   original was read in (its rotation and deskew);
2. *changed* pixels: where the copy carries the original's own pixels, any channel
   moved by more than ``DIFF_LEVEL`` grey levels (re-encoding noise stays far below
   it, a stroke painted over or a seal erased far above); where it is a new scan, ink
   on one side with none near it on the other (``register.ink_changed``); grown by
   ``GROW_PT``;
3. the text detector runs again on the row bands holding changed pixels, grown by
   ``BAND_PT`` above and below (detection looks at a neighbourhood, not the page: a
   line in a band's inner half is detected as on the whole page); the original's
   lines outside those bands stand, moved to where the copy shows them;
4. a detected box is *recognized* unless it touches no changed pixel AND coincides
   (IoU ≥ ``IOU_SAME``) with a segment the original's OCR already read: that
   segment's reading stands, since the box holds the same pixels;
5. everything is grouped into lines as the pages stage does.

Why this reads what a full OCR of the copy reads: hiding adds no glyph outside the
changed pixels, and recognition of a box depends only on the pixels inside it; every
box touching a changed pixel is read again from the copy (a box cut by a black box,
text revealed by an erased seal, line joins across a box), and every box the copy's
detector segments differently from the original is read again too. The comparison is
of rendered pixels, not of the redaction plan, so a change the plan does not know of
is read as well. Pages that are not the original with local changes (another page,
turned by quarter turns, or most of the original's ink moved) return None and are
OCR'd whole by the caller, with their own orientation.
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
from pipeline.ocr_engine import DET_SIDE, TEXT_SCORE, OcrEngine, Segment, engine_fingerprint, get_engine
from pipeline.raster import deskew, pad_white, render_page_enlarged, rotate_image_cw, suppress_red
from pipeline.types import Line, Page

from .register import ALIGN_DPI, align, ink_changed

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
INK_LEVEL = 128
LOGIC = "anon-reread-4"  # 3: bands detected at the page's detection scale; 4: coarse scans enlarged by cv2
# Changed rows are detected again in bands grown by this much above and below; a line
# whose centre lies in a band's interior (the band less BAND_PT/2 at each end) is read
# there, whole, if it is at most BAND_PT tall.
BAND_PT = 40.0


@dataclass
class Reread:
    page: Page
    boxes: int  # text boxes detected on the copy page
    recognized: int  # of which recognized again (the rest keep the original's reading)
    changed: float  # share of the page's pixels that changed
    # Where the copy differs from the original: boxes in the copy's page points (the
    # changed pixels' connected regions); everywhere else the copy shows the original.
    regions: tuple[tuple[float, float, float, float], ...] = ()


def _render(page: Any, dpi: float) -> tuple[np.ndarray, float]:
    # A copy page and its original are both made here (enlarged by cv2 where a scan is
    # coarser than ``dpi``), so the two rasters compared are made alike.
    return render_page_enlarged(page, int(dpi), MAX_PIXELS)


def changed_mask(a: np.ndarray, b: np.ndarray, px_per_pt: float, *, level: int = DIFF_LEVEL,
                 grow_pt: float = GROW_PT) -> np.ndarray:
    """uint8 mask (255 = changed) of two same-size BGR rasters, grown by ``grow_pt``."""
    d = cv2.absdiff(a, b)
    if d.ndim == 3:
        c = cv2.split(d)
        d = cv2.max(cv2.max(c[0], c[1]), c[2])  # numpy's max(axis=2) is 10× slower
    mask = (d > level).astype(np.uint8) * 255
    return _grow(mask, px_per_pt, grow_pt) if grow_pt > 0 else mask


def _same_geometry(a: Any, b: Any) -> bool:
    ra, rb = a.rect, b.rect
    return (abs(ra.width - rb.width) < 0.5 and abs(ra.height - rb.height) < 0.5)


def kept_ink(a: np.ndarray, b: np.ndarray, changed: np.ndarray) -> float:
    """Share of ``b``'s ink (dark pixels in either raster) that did not change."""
    dark = cv2.min(cv2.min(*cv2.split(b)[:2]), cv2.split(b)[2]) if b.ndim == 3 else b  # numpy's min(axis=2) is 10× slower
    ink = (dark < INK_LEVEL).astype(np.uint8)
    n = cv2.countNonZero(ink)
    return float(cv2.countNonZero(ink & (changed == 0).astype(np.uint8))) / n if n else 1.0


def _grow(mask: np.ndarray, px_per_pt: float, grow_pt: float = GROW_PT) -> np.ndarray:
    r = max(1, int(round(grow_pt * px_per_pt)))
    if not mask.any():
        return mask
    return cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * r + 1, 2 * r + 1)))


def _regions(mask: np.ndarray, to_page: np.ndarray, pw: float, ph: float) -> tuple:
    """Bounding boxes (page points) of the changed regions of an upright-frame mask."""
    if not mask.any():
        return ()
    n, _, stats, _ = cv2.connectedComponentsWithStats((mask > 0).astype(np.uint8), connectivity=8)
    out = []
    for x, y, w, h, _a in stats[1:]:
        q = np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], dtype=float)
        out.append(quad_to_bbox(q, to_page, pw, ph))
    return tuple(out)


def _bands(mask: np.ndarray, margin: int) -> list[tuple[int, int, int, int]]:
    """Row bands holding changed pixels: (y0, y1, interior y0, interior y1), each grown by
    ``margin`` px, overlapping ones merged; a band at a page edge owns that edge."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return []
    h = mask.shape[0]
    spans: list[list[int]] = []
    for y in rows:
        if spans and y - spans[-1][1] <= 2 * margin:
            spans[-1][1] = int(y)
        else:
            spans.append([int(y), int(y)])
    out = []
    for a, b in spans:
        y0, y1 = max(0, a - margin), min(h, b + 1 + margin)
        out.append((y0, y1, 0 if y0 == 0 else y0 + margin // 2, h if y1 == h else y1 - margin // 2))
    return out


def _in_interior(y: float, bands: list[tuple[int, int, int, int]]) -> bool:
    return any(i0 <= y < i1 for _, _, i0, i1 in bands)


def _shift_line(ln: Line, dx: float, dy: float, pw: float, ph: float) -> Line:
    """A line of the original moved to where the aligned copy shows it."""
    if not dx and not dy:
        return ln

    def mv(b: tuple) -> tuple:
        return (min(max(b[0] + dx, 0.0), pw), min(max(b[1] + dy, 0.0), ph),
                min(max(b[2] + dx, 0.0), pw), min(max(b[3] + dy, 0.0), ph))

    return ln.model_copy(update={"bbox": mv(ln.bbox), "words": tuple(w.model_copy(update={"bbox": mv(w.bbox)})
                                                                      for w in ln.words)})


def reread_page(copy_page: Any, ref_page: Any, ref_ocr: Page, *, no: int, threads: int = 0,
                engine: Optional[OcrEngine] = None) -> Optional[Reread]:
    """OCR of ``copy_page`` (PyMuPDF) made from ``ref_page``, whose OCR is ``ref_ocr``;
    None when the pages cannot be compared (the caller then OCRs the copy page whole).

    The copy is registered on the original (``register.align``: our copy aligns to
    itself, an institution's re-scan is shifted and turned a little), both are brought
    into the frame the original was read in (its rotation and deskew), and only the
    row bands holding changed pixels are detected again; the original's lines outside
    them stand, moved to where the copy shows them."""
    if ref_ocr.source != "ocr" or ref_ocr.error or ref_ocr.rotation % 90 or not _same_geometry(copy_page, ref_page):
        return None
    small_c, ks = _render(copy_page, ALIGN_DPI)
    small_r, _ = _render(ref_page, ALIGN_DPI)
    al_small = align(small_c, small_r, ks)
    if al_small is None:
        return None
    img, zoom = _render(copy_page, DPI)
    ref, _ = _render(ref_page, DPI)
    if img.shape != ref.shape:
        return None
    al = al_small.scaled(zoom / ks)
    same_pixels = al.is_identity(size=(img.shape[1], img.shape[0]))
    h0, w0 = img.shape[:2]
    # The original OCR's frame: its rotation, then its deskew (pipeline.ocr.ocr_page).
    k = (ref_ocr.rotation // 90) % 4
    up_of_ref = rot90_matrix(k, w0, h0)  # original raster px → upright px
    up_r = rotate_image_cw(ref, k)
    if ref_ocr.skew:
        up_r, d = deskew(up_r, ref_ocr.skew)
        up_of_ref = d @ up_of_ref
    m = np.vstack([al.m, [0.0, 0.0, 1.0]])  # copy px → original px
    up_of_copy = up_of_ref if same_pixels else up_of_ref @ m
    if same_pixels:
        up_c = rotate_image_cw(img, k)
        if ref_ocr.skew:
            up_c, _ = deskew(up_c, ref_ocr.skew)
    else:
        up_c = cv2.warpAffine(img, up_of_copy[:2], (up_r.shape[1], up_r.shape[0]), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255))
    raw = changed_mask(up_c, up_r, zoom, grow_pt=0.0) if same_pixels else None
    if raw is not None and float((raw > 0).mean()) > MAX_CHANGED:
        # Aligned to within half a pixel, yet not the same pixels: a new scan that happens
        # to lie where the original lay; compared as ink, like any re-scan.
        same_pixels = False
        raw = None
    if raw is None:
        raw = ink_changed(up_c, up_r, zoom)
    if float((raw > 0).mean()) > MAX_CHANGED or kept_ink(up_c, up_r, raw) < MIN_KEPT_INK:
        return None
    mask = _grow(raw, zoom)
    changed = float((mask > 0).mean())
    pw, ph = float(copy_page.rect.width), float(copy_page.rect.height)
    z = np.diag([zoom, zoom, 1.0])
    to_copy_page = np.linalg.inv(up_of_copy @ z)  # upright px → copy page points
    to_ref_page = np.linalg.inv(up_of_ref @ z)  # upright px → original page points
    from_ref_page = up_of_ref @ z
    # Where the copy shows a point of the original page (page points): for the shift of kept lines.
    ref_to_copy = np.linalg.inv(z) @ np.linalg.inv(m) @ z
    bands = _bands(mask, int(round(BAND_PT * zoom)))
    kept: list[Line] = []
    for ln in ref_ocr.lines:
        c = np.array([[(ln.bbox[0] + ln.bbox[2]) / 2, (ln.bbox[1] + ln.bbox[3]) / 2]])
        if _in_interior(float(apply_matrix(c, from_ref_page)[0, 1]), bands):
            continue
        dx, dy = (apply_matrix(c, ref_to_copy) - c)[0] if not same_pixels else (0.0, 0.0)
        kept.append(_shift_line(ln, float(dx), float(dy), pw, ph))
    eng = engine or get_engine(threads)
    words = [(w.bbox, w.text, ln.conf) for ln in ref_ocr.lines for w in (ln.words or ())]
    pad = BOX_PAD_PT * zoom
    segs: list[Segment] = []
    todo: list[np.ndarray] = []
    crops: list[np.ndarray] = []
    detected = 0
    H, W = mask.shape
    # The page's own detection scale: the pages stage detected the whole upright page
    # shrunk to DET_SIDE on its long side; a band detected at full resolution would cost
    # twice the pixels and see strokes the original's detector never saw.
    det_k = min(1.0, DET_SIDE / max(H, W))
    for y0, y1, i0, i1 in bands:
        band, _ = suppress_red(np.ascontiguousarray(up_c[y0:y1]))
        small = band if det_k == 1.0 else cv2.resize(band, None, fx=det_k, fy=det_k, interpolation=cv2.INTER_LINEAR)
        for q in eng.detect(small):
            q = np.asarray(q, dtype=float) / det_k + np.array([0.0, y0])
            if not i0 <= float(q[:, 1].mean()) < i1:
                continue  # the neighbouring band (or the kept lines) owns it
            detected += 1
            x0, yy0 = max(0, int(q[:, 0].min() - pad)), max(0, int(q[:, 1].min() - pad))
            x1, yy1 = min(W, int(np.ceil(q[:, 0].max() + pad)) + 1), min(H, int(np.ceil(q[:, 1].max() + pad)) + 1)
            touched = x1 <= x0 or yy1 <= yy0 or bool(mask[yy0:yy1, x0:x1].any())
            if not touched:
                box = quad_to_bbox(q, to_ref_page, pw, ph)
                best = max(words, key=lambda w: box_iou(box, w[0]), default=None)
                if best is not None and box_iou(box, best[0]) >= IOU_SAME:
                    segs.append(Segment(text=best[1], score=float(best[2]), quad=q))
                    continue
            todo.append(q)
            crops.append(eng.crop(band, q - np.array([0.0, y0])))
    if todo:
        for q, (t, sc) in zip(todo, eng.recognize(crops)):
            if t and t.strip() and float(sc) >= TEXT_SCORE:
                segs.append(Segment(text=t, score=float(sc), quad=q))
    lines = sorted(kept + segments_to_lines(segs, to_copy_page, pw, ph), key=lambda ln: (ln.bbox[1], ln.bbox[0]))
    boxes = detected + sum(len(ln.words) or 1 for ln in kept)
    how = "its own pixels" if same_pixels else f"registered (turn {al.turn_deg:.2f}°, ECC {al.score:.2f})"
    page = Page(no=no, source="ocr", width=pw, height=ph, lines=tuple(lines), rotation=ref_ocr.rotation,
                skew=ref_ocr.skew, reread_recognized=len(todo), reread_boxes=boxes,
                note=f"re-read against the original, {how}: {len(todo)} of {boxes} boxes recognized, "
                     f"{changed:.1%} of the page changed, {len(bands)} band(s) detected again")
    return Reread(page, boxes, len(todo), changed, _regions(mask, to_copy_page, pw, ph))


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
