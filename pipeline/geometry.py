"""Box geometry, in one place: union, overlap, pixel ↔ point scaling, quarter turns.

A box is ``(x0, y0, x1, y1)`` with the origin top-left and y down: PDF points of the
page as displayed, or pixels of a raster. Every module that unions, intersects,
scales or turns boxes calls these functions; none re-derives the formulas.

Quarter turns: ``turn_point``/``turn_box`` map a point/box of a ``w × h`` frame to the
frame turned ``k`` × 90° clockwise (``k`` taken mod 4), which is ``h × w`` for odd
``k``. ``unturn_box`` is its inverse. ``rot90_matrix`` is the same map as a 3×3
homogeneous matrix, for chaining with scaling and deskew matrices. Only numpy here.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from .types import BBox

__all__ = [
    "apply_matrix", "box_iou", "boxes_intersect", "quad_to_bbox", "rot90_matrix", "rows_overlap",
    "scale_box", "turn_box", "turn_point", "turn_size", "union_bbox", "unturn_box", "v_gap",
    "x_overlap", "y_overlap",
]


# ------------------------------------------------------------------ union, overlap


def union_bbox(boxes: Iterable[Sequence[float]]) -> BBox:
    """Smallest box holding all ``boxes``; ``(0, 0, 0, 0)`` for none."""
    bs = list(boxes)
    if not bs:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))


def x_overlap(a: Sequence[float], b: Sequence[float]) -> float:
    """Length of the boxes' common x extent (negative: the gap between them)."""
    return min(a[2], b[2]) - max(a[0], b[0])


def y_overlap(a: Sequence[float], b: Sequence[float]) -> float:
    """Length of the boxes' common y extent (negative: the gap between them)."""
    return min(a[3], b[3]) - max(a[1], b[1])


def rows_overlap(a: Sequence[float], b: Sequence[float], slack: float = 0.0) -> bool:
    """Do the boxes' y extents overlap (each grown upwards by ``slack``)?"""
    return a[1] - slack < b[3] and b[1] - slack < a[3]


def v_gap(a: Sequence[float], b: Sequence[float]) -> float:
    """Vertical distance between the boxes (0 when their y extents touch or overlap)."""
    if a[3] < b[1]:
        return b[1] - a[3]
    if a[1] > b[3]:
        return a[1] - b[3]
    return 0.0


def boxes_intersect(a: Sequence[float], b: Sequence[float]) -> bool:
    """Do the boxes share an area (touching edges do not count)?"""
    return not (b[2] <= a[0] or b[0] >= a[2] or b[3] <= a[1] or b[1] >= a[3])


def box_iou(a: Sequence[float], b: Sequence[float]) -> float:
    """Intersection over union of two boxes (0 when they share no area)."""
    ix = min(a[2], b[2]) - max(a[0], b[0])
    iy = min(a[3], b[3]) - max(a[1], b[1])
    if ix <= 0 or iy <= 0:
        return 0.0
    inter = ix * iy
    ua = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / ua if ua > 0 else 0.0


# ------------------------------------------------------------------ scaling, matrices


def scale_box(b: Sequence[float], k: float, pad: float = 0.0) -> tuple[float, float, float, float]:
    """Box grown by ``pad`` on every side, then scaled by ``k`` (points → pixels with
    ``k`` = pixels per point; pixels → points with ``k`` = 1 / that)."""
    return ((b[0] - pad) * k, (b[1] - pad) * k, (b[2] + pad) * k, (b[3] + pad) * k)


def apply_matrix(pts: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Points (N×2) mapped by a 3×3 homogeneous matrix; N×2 back."""
    pts = np.asarray(pts)
    return (np.c_[pts, np.ones(len(pts))] @ m.T)[:, :2]


def quad_to_bbox(quad: np.ndarray, m: np.ndarray, page_w: float, page_h: float) -> BBox:
    """Axis-aligned box, in page points, of a pixel quad mapped by ``m`` (pixels →
    points), clamped to the page and rounded to 0.01 pt."""
    pts = np.c_[quad, np.ones(len(quad))] @ m.T
    x0, y0 = pts[:, 0].min(), pts[:, 1].min()
    x1, y1 = pts[:, 0].max(), pts[:, 1].max()
    clamp = lambda v, hi: float(round(min(max(v, 0.0), hi), 2))  # noqa: E731
    return (clamp(x0, page_w), clamp(y0, page_h), clamp(x1, page_w), clamp(y1, page_h))


# ------------------------------------------------------------------ quarter turns


def turn_size(k_cw: int, w: float, h: float) -> tuple[float, float]:
    """(width, height) of a ``w × h`` frame turned ``k_cw`` × 90°."""
    return (h, w) if k_cw % 2 else (w, h)


def turn_point(x: float, y: float, k_cw: int, w: float, h: float) -> tuple[float, float]:
    """A point of a ``w × h`` frame in that frame turned ``k_cw`` × 90° clockwise."""
    k = k_cw % 4
    if k == 0:
        return x, y
    if k == 1:
        return h - y, x
    if k == 2:
        return w - x, h - y
    return y, w - x


def rot90_matrix(k_cw: int, w: float, h: float) -> np.ndarray:
    """3×3 matrix of ``turn_point``: points of a w×h image → the image turned k_cw×90° clockwise."""
    k = k_cw % 4
    if k == 0:
        return np.eye(3)
    if k == 1:  # (x, y) → (h - y, x)
        return np.array([[0, -1, h], [1, 0, 0], [0, 0, 1]], dtype=float)
    if k == 2:  # (x, y) → (w - x, h - y)
        return np.array([[-1, 0, w], [0, -1, h], [0, 0, 1]], dtype=float)
    return np.array([[0, 1, 0], [-1, 0, w], [0, 0, 1]], dtype=float)  # (x, y) → (y, w - x)


def turn_box(b: Sequence[float], k_cw: int, w: float, h: float) -> BBox:
    """A box of a ``w × h`` frame in that frame turned ``k_cw`` × 90° clockwise."""
    ax, ay = turn_point(b[0], b[1], k_cw, w, h)
    bx, by = turn_point(b[2], b[3], k_cw, w, h)
    return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def unturn_box(b: Sequence[float], k_cw: int, w: float, h: float) -> BBox:
    """Inverse of ``turn_box``: a box of the turned frame back in the ``w × h`` frame."""
    tw, th = turn_size(k_cw, w, h)
    return turn_box(b, -k_cw, tw, th)
