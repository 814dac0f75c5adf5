"""Personal name seals (私章/名章) on rasters: where they stand and how to read them.

A name seal is a small square stamp whose only content is a person's name, in two
columns of two characters. Whitening red (so official seals stop hiding the text under
them) erases exactly the words it holds, and OCR of the whole page runs a seal's
characters into the label beside it; so seals are found first (red, faded red, or a
grey frame standing alone), read on their own crop, and handed back to ``pipeline.ocr``
as seal segments. Split from ``pipeline.ocr`` (one concern per module).
"""
from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from .geometry import boxes_intersect
from .ocr_engine import OcrEngine, Segment
from .ocr_tolerance import is_seal_suffix_char
from .raster import faint_red_mask, red_mask

__all__ = ["SEAL_RED_MIN", "SEAL_SIDE_PT", "grey_seal_frames", "is_personal_seal", "personal_seal_boxes",
           "read_seal", "seal_like"]


def _is_cjk(ch: str) -> bool:  # as pipeline.ocr counts characters
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"



# A personal seal (私章/名章) is a small square red stamp whose only content is the
# person's name: whitening red (done so that official seals stop hiding the text under
# them) erases exactly the words it holds. Sides in points: a name seal is 10-15 mm
# (28-43 pt) in practice; official seals (40-42 mm round, ~115 pt) are far above.
SEAL_SIDE_PT = (14.0, 48.0)
SEAL_ASPECT_MAX = 1.4
SEAL_RED_MIN = 0.06  # share of red pixels in the box: a stamped frame and strokes, not a red tick


def is_personal_seal(width_pt: float, height_pt: float) -> bool:
    lo, hi = SEAL_SIDE_PT
    if not (lo <= width_pt <= hi and lo <= height_pt <= hi):
        return False
    return max(width_pt, height_pt) / max(min(width_pt, height_pt), 1e-6) <= SEAL_ASPECT_MAX


def personal_seal_boxes(img: np.ndarray, px_per_pt: float) -> list[tuple[int, int, int, int]]:
    """Pixel boxes (x0, y0, x1, y1, padded) of red blobs shaped like personal seals: those
    of seal red, then those of faint red (a faded stamp, ``faint_red_mask``) apart from them."""
    strict = _seal_boxes(red_mask(img), px_per_pt)
    faint = [b for b in _seal_boxes(faint_red_mask(img), px_per_pt)
             if not any(boxes_intersect(b, o) for o in strict)]
    return strict + faint


def _seal_boxes(mask_bool: np.ndarray, px_per_pt: float) -> list[tuple[int, int, int, int]]:
    mask = mask_bool.astype(np.uint8)
    if not mask.any():
        return []
    # Close the gaps between a seal's frame and its strokes so one seal is one blob.
    k = max(3, int(round(2.0 * px_per_pt)))
    blobs = cv2.dilate(mask, np.ones((k, k), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(blobs, connectivity=8)
    h, w = mask.shape
    found: list[tuple[int, int, int, int]] = []
    out: list[tuple[int, int, int, int]] = []
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]
        # the dilation grew the blob by about k/2 on each side
        x0, y0, x1, y1 = x + k // 2, y + k // 2, x + bw - k // 2, y + bh - k // 2
        if x1 <= x0 or y1 <= y0 or not is_personal_seal((x1 - x0) / px_per_pt, (y1 - y0) / px_per_pt):
            continue
        if mask[y0:y1, x0:x1].mean() < SEAL_RED_MIN:
            continue
        found.append((x0, y0, x1, y1))
    pad = int(round(4 * px_per_pt))  # the detector misses text touching the border
    for x0, y0, x1, y1 in found:
        # the characters inside a seal's frame may be a blob of their own: one seal, one box
        if any(o != (x0, y0, x1, y1) and o[0] <= x0 and o[1] <= y0 and x1 <= o[2] and y1 <= o[3] for o in found):
            continue
        out.append((max(0, x0 - pad), max(0, y0 - pad), min(w, x1 + pad), min(h, y1 + pad)))
    return out


def grey_seal_frames(img: np.ndarray, px_per_pt: float) -> list[tuple[int, int, int, int]]:
    """Pixel boxes (padded) of square frames the size of a name seal with ink in each
    quarter (two rows of two characters), whose sides do not run on past the corners
    (a table cell's do). Any colour: on a grey-scale scan a red seal is a grey frame."""
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img
    bw = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    contours, _ = cv2.findContours(bw, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    lo, hi = SEAL_SIDE_PT[0] * px_per_pt, SEAL_SIDE_PT[1] * px_per_pt
    H, W = bw.shape
    found: list[tuple[int, int, int, int]] = []

    def line_on(a: np.ndarray) -> bool:  # a border continues here
        return bool(a.size) and float((a > 0).mean()) > 0.5

    for c in contours:
        x, y, w, h = cv2.boundingRect(c)
        if not (lo <= w <= hi and lo <= h <= hi) or max(w, h) / min(w, h) > SEAL_FRAME_ASPECT:
            continue
        approx = cv2.approxPolyDP(c, 0.06 * cv2.arcLength(c, True), True)
        if len(approx) != 4 or cv2.contourArea(c) < 0.8 * w * h:
            continue
        mg = max(2, int(0.12 * w))
        inner = bw[y + mg:y + h - mg, x + mg:x + w - mg]
        if inner.size == 0:
            continue
        ih, iw = inner.shape
        quarters = (inner[:ih // 2, :iw // 2], inner[:ih // 2, iw // 2:], inner[ih // 2:, :iw // 2], inner[ih // 2:, iw // 2:])
        if min(float(q.mean()) for q in quarters) < 0.04 * 255:
            continue
        e = max(3, int(0.3 * w))
        runs = []
        for yy in (y, y + h - 1):
            band = bw[max(0, yy - 2):yy + 3]
            runs += [band[:, max(0, x - e):max(0, x - 2)].max(axis=0, initial=0),
                     band[:, min(W, x + w + 2):min(W, x + w + e)].max(axis=0, initial=0)]
        for xx in (x, x + w - 1):
            band = bw[:, max(0, xx - 2):xx + 3]
            runs += [band[max(0, y - e):max(0, y - 2)].max(axis=1, initial=0),
                     band[min(H, y + h + 2):min(H, y + h + e)].max(axis=1, initial=0)]
        if any(line_on(r) for r in runs):
            continue
        if any(abs(x - o[0]) < 0.2 * w and abs(y - o[1]) < 0.2 * h for o in found):
            continue  # the inner edge of a frame already taken
        found.append((x, y, x + w, y + h))
    pad = max(1, int(round(1.5 * px_per_pt)))
    return [(max(0, x0 - pad), max(0, y0 - pad), min(W, x1 + pad), min(H, y1 + pad)) for x0, y0, x1, y1 in found]


SEAL_FRAME_ASPECT = 1.25


def seal_like(segs: list[Segment]) -> bool:
    """A reading of a seal: whole (two rows of two characters, or one run of four) with
    a seal word (印, 章 or an OCR look-alike) among them; a table cell with words in it
    does not read so."""
    return _whole_seal(segs) and any(is_seal_suffix_char(ch) and ch != "之" for s in segs for ch in s.text)


# The recognizer reads a seal's 2×2 characters best when the seal is about this many
# pixels across; measured on 113 name seals of generated bundles (fb27): 128 px read 94
# whole, the render as it came (~120 px) 97, 128 then 150 px 105. A reading is whole
# when it has the seal's two rows of two characters (or one run of four).
SEAL_SIDES_PX = (128, 150, 104)


def _whole_seal(segments: list[Segment]) -> bool:
    rows = [sum(1 for ch in s.text if _is_cjk(ch)) for s in segments]
    return sum(r == 2 for r in rows) >= 2 or 4 in rows


# Margins (fraction of the seal's side) of the crops tried, tightest first, around the
# seal's red ink: the padding a region or blob box carries makes the characters smaller
# at a given crop size. Measured on 117 name seals of ten family-B bundles (seed 4401):
# the padded crop alone gave 89 whole names, a 5% margin 102, 8% 100, 12% 95; in turn
# (5%, 10%, then the crop as given) they give more than any one.
SEAL_MARGINS = (0.05, 0.10)


def _seal_crops(img: np.ndarray) -> list[tuple[np.ndarray, int, int]]:
    """``img`` cut to its red ink plus each margin of SEAL_MARGINS, then ``img`` itself;
    with the offset (x, y) of each crop in ``img``."""
    out: list[tuple[np.ndarray, int, int]] = []
    strict, faint = red_mask(img), faint_red_mask(img)
    # a faded seal has few pixels of seal red: its faint ones outline it
    ys, xs = np.nonzero(strict if strict.sum() >= 0.5 * faint.sum() else faint)
    if len(xs):
        x0, x1, y0, y1 = int(xs.min()), int(xs.max()) + 1, int(ys.min()), int(ys.max()) + 1
        side = max(x1 - x0, y1 - y0)
        for m in SEAL_MARGINS:
            g = max(1, int(round(m * side)))
            cx0, cy0 = max(0, x0 - g), max(0, y0 - g)
            out.append((img[cy0:y1 + g, cx0:x1 + g], cx0, cy0))
    out.append((img, 0, 0))
    return out


def read_seal(eng: OcrEngine, img: np.ndarray, accept: Any = None) -> list[Segment]:
    """OCR of a personal seal crop (red kept), cut close around its ink and scaled to the
    sizes the recognizer reads seals at best; the first whole reading, else the one with
    the most CJK characters (``accept``: what counts as whole, default two rows of two
    characters). Quads are in the pixels of ``img``."""
    best: list[Segment] = []
    for crop, ox, oy in _seal_crops(img):
        side = max(crop.shape[:2])
        for want in SEAL_SIDES_PX:
            f = want / max(side, 1)
            im = cv2.resize(crop, None, fx=f, fy=f, interpolation=cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC)
            segs = [Segment(s.text, s.score, np.asarray(s.quad, dtype=float) / f + np.array([ox, oy]))
                    for s in eng.read(im)]
            if (accept or _whole_seal)(segs):
                return segs
            if _cjk_count(segs) > _cjk_count(best):
                best = segs
    return best


def _cjk_count(segs: list[Segment]) -> int:
    return sum(1 for s in segs for ch in s.text if _is_cjk(ch))
