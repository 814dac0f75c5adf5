"""Register a copy page on the page it was made from, and find what changed (issue 13).

A blind copy is the original with some regions hidden. Ours keeps the original's
pixels outside the painted boxes; an institution's copy is often the redacted paper
scanned again: the same page, shifted and turned a little, with new scanner noise.
Either way, most of the page is the original's ink at a known place, and its reading
is already known. This module says where that holds:

1. ``align``: the affine map from copy pixels to original pixels, from a coarse
   phase-correlation shift refined by OpenCV's ECC (enhanced correlation coefficient)
   on 50 dpi grey rasters; None when the two do not correlate (another page, a page
   turned by quarter turns, a copy rendered at another size).
2. ``changed``: the copy's changed pixels against the aligned original. A copy that is
   the original's pixels (alignment within half a pixel) is compared grey level by
   grey level (``DIFF_LEVEL``), as before; a copy scanned anew is compared as ink:
   copy ink with no original ink within ``INK_TOL_PT``, and original ink with no copy
   ink within it (a stroke hidden, a box painted, a seal erased). Scanner noise and
   dust specks smaller than ``SPECK_PT`` are not changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import cv2
import numpy as np

__all__ = ["ALIGN_DPI", "Alignment", "align", "ink_changed"]

ALIGN_DPI = 50
ECC_MIN = 0.3  # correlation below this: not the same page (painted boxes lower it; the ink test decides)
SAME_LEVEL = 24  # grey levels: re-encoding noise stays below, a new scan's noise and shift do not
SAME_MAX = 0.3
SAME_KEPT = 0.8  # share of the original's ink that must sit unchanged for the shortcut
MAX_SHIFT_PT = 36.0  # a copy shifted further than half an inch is not a re-scan of the page
MAX_TURN_DEG = 3.0
IDENTITY_PX = 0.5  # at 200 dpi: the copy carries the original's pixels
INK_LEVEL = 150
FAINT_LEVEL = 200  # a rule's faintest pixels are darker than paper
RULE_PT = 24.0  # a straight run of ink this long is a rule (no glyph stroke is)
SOLID_PT = 2.5  # ink this thick both ways is a solid area (rules are ≤ 1 pt)
INK_TOL_PT = 1.5
SPECK_PT = 3.0  # dust specks of a 150 dpi scan reach ~2.5 pt; a changed glyph or stroke is longer


@dataclass(frozen=True)
class Alignment:
    """``m``: 2×3 affine, copy pixels → original pixels at the compared resolution."""

    m: np.ndarray
    score: float  # ECC correlation, 1.0 = identical

    def is_identity(self, size: tuple[int, int], px: float = IDENTITY_PX) -> bool:
        """Does the map move no corner of a ``size`` (w, h) raster by more than ``px``?"""
        w, h = size
        corners = np.array([[0, 0, 1], [w, 0, 1], [0, h, 1], [w, h, 1]], dtype=float)
        moved = corners @ self.m.T - corners[:, :2]
        return float(np.abs(moved).max()) <= px

    def scaled(self, k: float) -> "Alignment":
        """The same map for rasters ``k`` times larger."""
        m = self.m.copy()
        m[:, 2] *= k
        return Alignment(m, self.score)

    @property
    def turn_deg(self) -> float:
        return float(np.degrees(np.arctan2(self.m[1, 0], self.m[0, 0])))


def _grey(img: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img


def align(copy: np.ndarray, ref: np.ndarray, px_per_pt: float) -> Optional[Alignment]:
    """Affine copy→original for two low-resolution rasters of one size (BGR or grey)."""
    if copy.shape[:2] != ref.shape[:2]:
        return None
    d = cv2.absdiff(copy, ref)
    moved = (d.max(axis=2) if d.ndim == 3 else d) > SAME_LEVEL
    ref_ink = _grey(ref) < INK_LEVEL
    if ref_ink.any() and float(moved.mean()) <= SAME_MAX and float((ref_ink & ~moved).sum()) >= SAME_KEPT * float(ref_ink.sum()):
        # The original's own pixels, most of its ink in place (our copy): painted boxes
        # would only pull a correlation off the exact answer.
        return Alignment(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), 1.0)
    a = 255.0 - _grey(copy).astype(np.float32)  # ink bright: the blank paper carries no signal
    b = 255.0 - _grey(ref).astype(np.float32)
    if float(a.std()) < 1.0 or float(b.std()) < 1.0:
        return None  # a blank page: nothing to align on
    win = cv2.createHanningWindow(a.shape[::-1], cv2.CV_32F)
    (dx, dy), _ = cv2.phaseCorrelate(a, b, win)
    if max(abs(dx), abs(dy)) > MAX_SHIFT_PT * px_per_pt:
        return None
    m = np.array([[1, 0, dx], [0, 1, dy]], dtype=np.float32)
    try:
        score, m = cv2.findTransformECC(a, b, m, cv2.MOTION_AFFINE,
                                        (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 60, 1e-5), None, 3)
    except cv2.error:
        return None
    al = Alignment(m.astype(float), float(score))
    lin = al.m[:, :2]
    if (score < ECC_MIN or abs(al.turn_deg) > MAX_TURN_DEG or np.abs(lin - np.eye(2)).max() > 0.06
            or np.abs(al.m[:, 2]).max() > MAX_SHIFT_PT * px_per_pt + 2):
        return None
    return al


def warp_to_copy(ref: np.ndarray, al: Alignment, shape: tuple[int, int]) -> np.ndarray:
    """The original raster resampled in the copy's pixel frame (white outside it)."""
    border = (255, 255, 255) if ref.ndim == 3 else 255
    return cv2.warpAffine(ref, al.m, (shape[1], shape[0]), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=border)


def _rules(ink: np.ndarray, px_per_pt: float) -> np.ndarray:
    """Thin straight lines of a 0/1 ink mask (table rules, underlines), grown by a pixel:
    runs of ink at least RULE_PT long across or down the page, less solid areas (a box
    painted over text is long and straight too, and stays a change)."""
    n = max(3, int(round(RULE_PT * px_per_pt)))
    lines = (cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (n, 1)))
             | cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, n))))
    t = max(2, int(round(SOLID_PT * px_per_pt)))
    solid = cv2.dilate(cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (t, t))),
                       cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    return cv2.dilate(lines & (1 - solid), cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))


def ink_changed(copy: np.ndarray, ref_aligned: np.ndarray, px_per_pt: float) -> np.ndarray:
    """uint8 mask (255 = changed) of a re-scanned copy against the aligned original: ink
    present on one side with none near it on the other, specks left out."""
    gc, gr = _grey(copy), _grey(ref_aligned)
    ic, ir = (gc < INK_LEVEL).astype(np.uint8), (gr < INK_LEVEL).astype(np.uint8)
    r = max(1, int(round(INK_TOL_PT * px_per_pt)))
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    diff = ((ic & (1 - cv2.dilate(ir, k))) | (ir & (1 - cv2.dilate(ic, k)))).astype(np.uint8)
    # Table rules: a scanner's warp is not quite affine, and a rule lands a point or two
    # off its registered place or falls on either side of INK_LEVEL, leaving slivers
    # along it. A rule is no text: ink on a rule of either side is not a change.
    faint_c, faint_r = (gc < FAINT_LEVEL).astype(np.uint8), (gr < FAINT_LEVEL).astype(np.uint8)
    diff &= 1 - (_rules(faint_c, px_per_pt) | _rules(faint_r, px_per_pt))
    # Specks (dust, noise at the ink threshold) are small in both directions; a stroke
    # that changed is long even when thin, so it is kept (an opening would erase it).
    s = max(2, int(round(SPECK_PT * px_per_pt)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(diff, connectivity=8)
    keep = np.zeros(n, dtype=np.uint8)
    big = (np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]) > s) & (stats[:, cv2.CC_STAT_AREA] > s)
    keep[big] = 255
    keep[0] = 0
    return keep[labels]
