"""Red round seals (公章) on a page raster: found by colour and shape, read round the ring.

A seal carries the owner's name round its upper arc; OCR reads that poorly in place,
so seals are found as *shapes*: a ring of ink of seal size (60–180 pt across).

- colour rasters: a red-hue mask (HSV), joined into blobs, each blob's enclosing
  circle checked for a ring (ink on most of the circumference);
- grey rasters (grey scans turn red seals grey): Hough circles on the blurred grey
  image, with the same ring check on an ink mask, plus "more ink on the ring than
  just outside it" so dense text is not taken for a ring.

``read_ring`` unwraps the ring band to a strip (polar transform) and OCRs it twice
round, so the verifier can tell the institution's seal from the employer's or the
issuing authority's (those may stay on a blind copy).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional

import cv2
import numpy as np

from pipeline.ocr_engine import OcrEngine, get_engine
from pipeline.raster import render_page

from .identity import match_key

# Seal diameters looked for, in PDF points (real seals are 38–45 mm ≈ 110–128 pt;
# generated ones 100–118 pt; small 合同专用章 can be ~60 pt).
MIN_DIAMETER_PT = 60.0
MAX_DIAMETER_PT = 190.0
DETECT_PX_PER_PT = 100 / 72.0  # detection raster: 100 dpi is plenty for a ring
RING_COVERAGE_MIN = 0.72  # fraction of the circumference with ink on the ring band
RING_CONTRAST_MIN = 0.30
INTERIOR_MAX = 0.45  # ink share inside the ring (a seal's star and letters are sparse)  # ring coverage minus coverage just outside the ring


@dataclass(frozen=True)
class Seal:
    """A round seal: centre and radius in PDF points (page as displayed), how it was found."""

    cx: float
    cy: float
    r: float
    how: str  # "red" | "shape"
    coverage: float

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.cx - self.r, self.cy - self.r, self.cx + self.r, self.cy + self.r)


def red_mask(img_bgr: np.ndarray) -> np.ndarray:
    """Seal-red pixels (uint8 0/255): red hue, some saturation, not black."""
    hsv = cv2.cvtColor(img_bgr, cv2.COLOR_BGR2HSV)
    h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    m = ((h <= 12) | (h >= 160)) & (s >= 55) & (v >= 70)
    return (m.astype(np.uint8)) * 255


def is_colour(img_bgr: np.ndarray) -> bool:
    if img_bgr.ndim != 3:
        return False
    b, g, r = (img_bgr[..., i].astype(np.int16) for i in range(3))
    chroma = np.maximum(np.maximum(abs(r - g), abs(r - b)), abs(g - b))
    return float((chroma > 40).mean()) > 0.0005


def _ring_coverage(mask: np.ndarray, cx: float, cy: float, r: float, lo: float, hi: float, n: int = 120) -> float:
    """Fraction of n directions with an ink pixel between radii lo·r and hi·r."""
    h, w = mask.shape
    radii = np.linspace(lo * r, hi * r, max(3, int((hi - lo) * r) + 2))
    a = np.linspace(0, 2 * math.pi, n, endpoint=False)
    xs = (cx + np.cos(a)[:, None] * radii[None, :]).astype(int)
    ys = (cy + np.sin(a)[:, None] * radii[None, :]).astype(int)
    ok = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
    vals = np.zeros(xs.shape, dtype=bool)
    vals[ok] = mask[ys[ok], xs[ok]] > 0
    return float(vals.any(axis=1).mean())


def _interior_density(mask: np.ndarray, cx: float, cy: float, r: float,
                      solid: Optional[np.ndarray] = None) -> float:
    """Share of ink pixels inside 0.7·r: a seal's interior is sparse (star, letters); a
    blacked-out disc or a dense photo is not. ``solid``: filled dark areas (boxes painted
    over part of a seal) left out of the count, unless they fill most of the interior."""
    h, w = mask.shape
    x0, x1 = max(0, int(cx - 0.7 * r)), min(w, int(cx + 0.7 * r) + 1)
    y0, y1 = max(0, int(cy - 0.7 * r)), min(h, int(cy + 0.7 * r) + 1)
    if x1 <= x0 or y1 <= y0:
        return 1.0
    yy, xx = np.mgrid[y0:y1, x0:x1]
    inside = (xx - cx) ** 2 + (yy - cy) ** 2 <= (0.7 * r) ** 2
    sub = mask[y0:y1, x0:x1] > 0
    if solid is not None and inside.any():
        box = solid[y0:y1, x0:x1] > 0
        if float(box[inside].mean()) >= SOLID_MAX:
            return 1.0  # a disc (or box) painted over it: not a seal's open interior
        inside = inside & ~box
    return float(sub[inside].mean()) if inside.any() else 1.0


SOLID_MAX = 0.6
SOLID_PT = 4.0  # filled dark areas at least this thick (strokes of text and rings are thinner)


def _solid_mask(gray: np.ndarray, px_per_pt: float) -> np.ndarray:
    """Filled dark areas (redaction boxes, a star's body): opening removes thin strokes."""
    dark = ((gray < 90).astype(np.uint8)) * 255
    n = max(3, int(SOLID_PT * px_per_pt)) | 1
    return cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (n, n)))


def _ink_at(mask: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Ink at each (x, y) of two integer arrays, False off the raster. One gather from the
    flat mask (pixel 0 stands in off the raster, then masked): boolean indexing twice
    over was most of the ring search's cost."""
    h, w = mask.shape
    ok = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
    vals = np.take(mask.reshape(-1), np.where(ok, ys * w + xs, 0)) > 0
    vals &= ok
    return vals


def _coverages(mask: np.ndarray, cxs: np.ndarray, cys: np.ndarray, rs: np.ndarray, lo: float, hi: float,
               n: int) -> np.ndarray:
    """``_ring_coverage`` for many candidate circles at once (same sampling, same result)."""
    counts = np.maximum(3, ((hi - lo) * rs).astype(int) + 2)
    m = int(counts.max())
    # per candidate: m radii, linspace over its own count, padded with its last radius
    # (a repeated sample cannot change "any ink in this direction")
    j = np.minimum(np.arange(m)[None, :], (counts - 1)[:, None])
    radii = lo * rs[:, None] + (hi - lo) * rs[:, None] * j / np.maximum(counts - 1, 1)[:, None]
    a = np.linspace(0, 2 * math.pi, n, endpoint=False)
    ca, sa = np.cos(a), np.sin(a)
    xs = (cxs[:, None, None] + ca[None, :, None] * radii[:, None, :]).astype(np.intp)
    ys = (cys[:, None, None] + sa[None, :, None] * radii[:, None, :]).astype(np.intp)
    return _ink_at(mask, xs, ys).any(axis=2).mean(axis=1)


_GRID = np.array([(dr, dx, dy) for dr in (-2, -1, 0, 1, 2) for dx in (-1, 0, 1) for dy in (-1, 0, 1)], dtype=float)


def _ring_step(mask: np.ndarray, cx: float, cy: float, r: float) -> Optional[tuple[float, float, float]]:
    """The best circle of the small grid round (cx, cy, r) (first best, in the grid's order)."""
    step = max(1.0, r * 0.04)
    xs, ys, rr = cx + _GRID[:, 1] * step, cy + _GRID[:, 2] * step, r + _GRID[:, 0] * step
    keep = rr > 3
    if not keep.any():
        return None
    xs, ys, rr = xs[keep], ys[keep], rr[keep]
    cov = _coverages(mask, xs, ys, rr, 0.9, 1.05, 72)
    i = int(np.argmax(cov))
    return float(xs[i]), float(ys[i]), float(rr[i])


def _ring_cover(mask: np.ndarray, x: float, y: float, r: float) -> float:
    return float(_coverages(mask, np.array([x]), np.array([y]), np.array([r]), 0.9, 1.05, 120)[0])


def _outside_cover(mask: np.ndarray, x: float, y: float, r: float) -> float:
    return float(_coverages(mask, np.array([x]), np.array([y]), np.array([r]), 1.12, 1.25, 120)[0])


def _best_ring(mask: np.ndarray, cx: float, cy: float, r: float) -> tuple[float, float, float, float, float]:
    """Refine (cx, cy, r) a little; returns (cx, cy, r, ring coverage, outside coverage)."""
    got = _ring_step(mask, cx, cy, r)
    if got is None:
        return cx, cy, r, -1.0, 1.0
    x, y, r1 = got
    return x, y, r1, _ring_cover(mask, x, y, r1), _outside_cover(mask, x, y, r1)


_THIN_OFFS = np.array([-1.5, -0.5, 0.5, 1.5])
_THIN_A = np.linspace(0, 2 * math.pi, 120, endpoint=False)


def _thin_fit(mask: np.ndarray, cx: float, cy: float, r: float) -> tuple[float, float, float, float]:
    """Best circle within a few pixels for a THIN band (±1.5 px): a printed ring is a
    continuous stroke at one radius; text and table rules only hit a thin circle here
    and there, however dense they are."""
    grid = [(rr, dx, dy) for rr in (r + dr for dr in np.arange(-4, 4.5, 1.0)) if rr > 4
            for dx in range(-3, 4) for dy in range(-3, 4)]
    if not grid:
        return cx, cy, r, -1.0
    g = np.array(grid, dtype=float)
    rad = g[:, 0][:, None] + _THIN_OFFS[None, :]  # (k, 4)
    xs = (cx + g[:, 1][:, None, None] + np.cos(_THIN_A)[None, :, None] * rad[:, None, :]).astype(int)
    ys = (cy + g[:, 2][:, None, None] + np.sin(_THIN_A)[None, :, None] * rad[:, None, :]).astype(int)
    cov = _ink_at(mask, xs, ys).any(axis=2).mean(axis=1)
    i = int(np.argmax(cov))
    return cx + g[i, 1], cy + g[i, 2], float(g[i, 0]), float(cov[i])


PRECHECK_MIN = 0.8  # real seals: 1.0 at the Hough start (16 of 16 measured); 37 % of other candidates < 0.8
PRE_LO, PRE_HI = 0.85, 1.15
_PRECHECK_LOG: Optional[list] = None
THIN_COVERAGE_MIN = 0.9
HOUGH_PX_PER_PT = 50 / 72.0
RADIUS_STARTS = (1.0, 1.12, 1.25)


def find_seals(img_bgr: np.ndarray, px_per_pt: float) -> list[Seal]:
    """Round seals on a BGR raster rendered at ``px_per_pt``; boxes in page points."""
    scale = DETECT_PX_PER_PT / px_per_pt
    small = cv2.resize(img_bgr, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else img_bgr
    k = px_per_pt * (scale if scale < 1 else 1.0)  # small-raster pixels per point
    rmin, rmax = MIN_DIAMETER_PT / 2 * k, MAX_DIAMETER_PT / 2 * k
    found: list[Seal] = []
    if small.ndim == 2:
        small = cv2.cvtColor(small, cv2.COLOR_GRAY2BGR)
    colour = is_colour(small)
    if colour:
        red = red_mask(small)
        joined = cv2.dilate(red, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (int(k * 8) | 1, int(k * 8) | 1)))
        n, _lab, stats, _ = cv2.connectedComponentsWithStats(joined)
        for i in range(1, n):
            x, y, w, h, area = stats[i]
            if not (2 * rmin * 0.8 <= max(w, h) <= 2 * rmax * 1.1):
                continue
            if not (0.6 <= w / max(h, 1) <= 1.66):
                continue
            cx, cy, r = x + w / 2, y + h / 2, (w + h) / 4 - k * 4  # dilation grew it by ~4 pt
            cx, cy, r, cov, out = _best_ring(red, cx, cy, r)
            if cov >= RING_COVERAGE_MIN:
                cx, cy, r, thin = _thin_fit(red, cx, cy, r)
                cov = min(cov, thin)
            if cov >= RING_COVERAGE_MIN and _interior_density(red, cx, cy, r) < INTERIOR_MAX:
                found.append(Seal(cx / k, cy / k, r / k, "red", round(cov, 3)))
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    ink = ((gray < 200).astype(np.uint8)) * 255
    # Hough on a coarse raster (≈50 dpi): 10× faster than at 100 dpi, the thin fit refines it.
    hs = HOUGH_PX_PER_PT / k
    coarse = cv2.resize(gray, None, fx=hs, fy=hs, interpolation=cv2.INTER_AREA) if hs < 1 else gray
    hk = k * (hs if hs < 1 else 1.0)
    blur = cv2.GaussianBlur(coarse, (0, 0), 1.0)
    circles = cv2.HoughCircles(blur, cv2.HOUGH_GRADIENT, dp=1.0, minDist=MIN_DIAMETER_PT / 2 * hk * 1.5,
                               param1=120, param2=22, minRadius=int(MIN_DIAMETER_PT / 2 * hk),
                               maxRadius=int(MAX_DIAMETER_PT / 2 * hk))
    if circles is not None:
        circles = circles.copy()
        circles[0][:, :3] *= k / hk
        solid = _solid_mask(gray, k)
        for cx0, cy0, r0 in circles[0][:30]:
            if any(math.hypot(cx0 / k - s.cx, cy0 / k - s.cy) < s.r * 0.6 for s in found):
                continue
            # Hough often settles on a seal's inner circle (the lettering band's edge):
            # the outer ring is looked for a little further out too.
            for f in RADIUS_STARTS:
                cx, cy, r = float(cx0), float(cy0), float(r0) * f
                # Cheap test before the walk: a seal's ring is nearly all there around
                # the Hough start already; most text-made circles are not.
                pre = float(_coverages(ink, np.array([cx]), np.array([cy]), np.array([r]), PRE_LO, PRE_HI, 72)[0])
                if _PRECHECK_LOG is not None:
                    _PRECHECK_LOG.append(pre)
                if pre < PRECHECK_MIN:
                    continue
                walked = True
                for _ in range(3):  # the Hough centre can be a few points off: walk to the ring
                    got = _ring_step(ink, cx, cy, r)
                    if got is None:
                        walked = False
                        break
                    nx, ny, nr = got
                    moved = abs(nx - cx) + abs(ny - cy) + abs(nr - r) > 0.5
                    cx, cy, r = nx, ny, nr
                    if not moved:
                        break
                # The ring's scores at the end of the walk only (the steps need the grid
                # alone); the outside only where the ring is there at all.
                cov = _ring_cover(ink, cx, cy, r) if walked else -1.0
                out = _outside_cover(ink, cx, cy, r) if cov >= 0.85 else 1.0
                if cov >= 0.85 and cov - out >= RING_CONTRAST_MIN:
                    cx, cy, r, thin = _thin_fit(ink, cx, cy, r)
                    cov = min(cov, thin) if thin >= THIN_COVERAGE_MIN else 0.0
                if (cov >= 0.85 and cov - out >= RING_CONTRAST_MIN
                        and _interior_density(ink, cx, cy, r, solid) < INTERIOR_MAX):
                    found.append(Seal(cx / k, cy / k, r / k, "shape", round(cov, 3)))
                    if _PRECHECK_LOG is not None:
                        _PRECHECK_LOG[-1] = (_PRECHECK_LOG[-1], "SEAL")
                    break
    # Drop duplicates (a ring found twice): keep the larger.
    found.sort(key=lambda s: -s.r)
    out_seals: list[Seal] = []
    for s in found:
        if not any(math.hypot(s.cx - t.cx, s.cy - t.cy) < t.r * 0.6 for t in out_seals):
            out_seals.append(s)
    return out_seals


def unwrap_ring(img_bgr: np.ndarray, px_per_pt: float, seal: Seal, turns: float = 2.0) -> np.ndarray:
    """The seal's lettering band as a straight strip (text upright, read clockwise), ``turns`` times round."""
    cx, cy, r = seal.cx * px_per_pt, seal.cy * px_per_pt, seal.r * px_per_pt
    band_out, band_in = 0.93 * r, 0.63 * r
    height = max(16, int(band_out - band_in))
    mid = (band_out + band_in) / 2
    width = int(2 * math.pi * mid * turns)
    theta = np.linspace(0, 2 * math.pi * turns, width, endpoint=False).astype(np.float32)
    rad = np.linspace(band_out, band_in, height).astype(np.float32)
    # Angle 0 at the bottom (6 o'clock), increasing clockwise on screen: the upper arc
    # text then lies whole in the middle of each turn.
    a = theta[None, :] + math.pi / 2
    map_x = (cx + rad[:, None] * np.cos(a)).astype(np.float32)
    map_y = (cy + rad[:, None] * np.sin(a)).astype(np.float32)
    strip = cv2.remap(img_bgr, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                      borderValue=(255, 255, 255))
    return strip


def _rec_strip(eng: OcrEngine, strip: np.ndarray) -> str:
    h = strip.shape[0]
    # Overlapping windows: the recognizer prefers bounded aspect ratios.
    win, step = int(h * 14), int(h * 10)
    crops = [np.ascontiguousarray(strip[:, x: x + win]) for x in range(0, max(1, strip.shape[1] - h), step)]
    return " ".join(t for t, sc in eng.recognize(crops) if t and sc >= 0.3)


def read_ring(img_bgr: np.ndarray, px_per_pt: float, seal: Seal, engine: Optional[OcrEngine] = None) -> list[str]:
    """OCR readings of the unwrapped ring: as scanned, and (colour) as a redness map."""
    eng = engine or get_engine(1)
    strip = unwrap_ring(img_bgr, px_per_pt, seal)
    reads = [_rec_strip(eng, strip)]
    if is_colour(strip):
        # Redness as darkness: the red lettering turns black, black text over it fades.
        b, g, r = (strip[..., i].astype(np.float32) for i in range(3))
        red = np.clip((r - np.maximum(g, b)) * 1.6, 0, 255)
        grey = (255 - red).astype(np.uint8)
        reads.append(_rec_strip(eng, cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)))
    return [t for t in reads if t]


def fill_circles(img: np.ndarray, px_per_pt: float, seals: list[Seal], colour=(0, 0, 0), pad_pt: float = 4.0) -> None:
    """Cover each seal whole, in place: a filled disc over its circle (plus a margin)."""
    for s in seals:
        c = (int(round(s.cx * px_per_pt)), int(round(s.cy * px_per_pt)))
        cv2.circle(img, c, int(math.ceil((s.r + pad_pt) * px_per_pt)), colour, -1)


def erase_seals(img: np.ndarray, px_per_pt: float, seals: list[Seal], pad_pt: float = 4.0) -> None:
    """Remove each seal's ink but keep dark, neutral text under it (in place).

    Inside the disc every pixel that is not dark and neutral becomes paper white:
    seal red (colour) and seal grey (grey scans turn red into mid-grey ≥ ~110) go,
    black print stays. What is left of the ring is only where it crossed black text.
    """
    h, w = img.shape[:2]
    for s in seals:
        cx, cy, r = s.cx * px_per_pt, s.cy * px_per_pt, (s.r + pad_pt) * px_per_pt
        x0, x1 = max(0, int(cx - r)), min(w, int(cx + r) + 1)
        y0, y1 = max(0, int(cy - r)), min(h, int(cy + r) + 1)
        if x1 <= x0 or y1 <= y0:
            continue
        sub = img[y0:y1, x0:x1]
        yy, xx = np.mgrid[y0:y1, x0:x1]
        disc = (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r
        if sub.ndim == 3:
            f = sub.astype(np.int16)
            mx, mn = f.max(axis=2), f.min(axis=2)
            keep = (mx < 100) & (mx - mn < 45)
        else:
            keep = sub < 95
        white = disc & ~keep
        sub[white] = 255


def render(page: Any, dpi: float = 100.0, max_pixels: int = 12_000_000) -> tuple[np.ndarray, float]:
    """Render a PyMuPDF page (as displayed) to BGR; returns (image, pixels per point)."""
    return render_page(page, int(dpi), max_pixels)


def seals_on_page(page: Any, dpi: float = 100.0) -> list[Seal]:
    img, k = render(page, dpi)
    return find_seals(img, k)


def owner_scores(readings: list[str], names: dict[str, list[str]]) -> dict[str, float]:
    """Best fuzzy score (0–100) of each owner's name variants over the ring readings."""
    from rapidfuzz import fuzz

    scores = {o: 0.0 for o in names}
    for reading in readings:
        t = match_key(reading)
        if len(t) < 2:
            continue
        for owner, variants in names.items():
            for v in variants:
                v = match_key(v)
                if len(v) < 4:
                    continue
                if len(v) <= len(t):
                    sc = fuzz.partial_ratio(v, t)
                else:
                    sc = fuzz.partial_ratio(t, v) * len(t) / len(v)
                scores[owner] = max(scores[owner], sc)
    return scores


def classify_seal(readings: list[str], names: dict[str, list[str]]) -> tuple[str, dict[str, float]]:
    """'institution', another owner's name, or 'unknown' (unreadable: treated as the institution's)."""
    sc = owner_scores(readings, names)
    inst = sc.get("institution", 0.0)
    others = {o: v for o, v in sc.items() if o != "institution"}
    if others:
        o, v = max(others.items(), key=lambda kv: kv[1])
        if v >= 70 and v >= inst + 12:
            return o, sc
    if inst >= 60:
        return "institution", sc
    return "unknown", sc


# Red print that is not a seal (a red letterhead 红头, a red name stamp): the OCR of
# the pages stage whitens seal red to read the text under seals, so it reads none of it.
RED_TEXT_MIN_PX_PT2 = 6.0  # ink area (pt²) below which a red speck is noise
RED_TEXT_MAX_BOXES = 16


def red_text_boxes(img_bgr: np.ndarray, px_per_pt: float, seals: list[Seal],
                   page_box: Optional[tuple[float, float, float, float]] = None) -> list[tuple[float, float, float, float]]:
    """Boxes (page points) of red ink outside the seals' discs, joined into text lines."""
    if img_bgr.ndim != 3 or not is_colour(img_bgr):
        return []
    k = px_per_pt
    red = red_mask(img_bgr)
    for s in seals:
        cv2.circle(red, (int(round(s.cx * k)), int(round(s.cy * k))), int(math.ceil((s.r + 6.0) * k)), 0, -1)
    if not red.any():
        return []
    # Characters of one line join horizontally; lines stay apart.
    joined = cv2.dilate(red, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(k * 6)) | 1, max(1, int(k * 1.5)) | 1)))
    n, _lab, stats, _ = cv2.connectedComponentsWithStats(joined)
    boxes = []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        ink = int(cv2.countNonZero(red[y:y + h, x:x + w]))
        if ink < RED_TEXT_MIN_PX_PT2 * k * k or h < 4 * k or w < 4 * k:
            continue
        pad = 3.0
        boxes.append((ink, (x / k - pad, y / k - pad, (x + w) / k + pad, (y + h) / k + pad)))
    boxes.sort(key=lambda b: -b[0])
    out = [b for _, b in boxes[:RED_TEXT_MAX_BOXES]]
    if page_box is not None:
        X0, Y0, X1, Y1 = page_box
        out = [(max(X0, a), max(Y0, b), min(X1, c), min(Y1, d)) for a, b, c, d in out]
    return out
