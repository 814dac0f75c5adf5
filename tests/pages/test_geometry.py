"""pipeline.geometry: quarter turns round-trip, agree with the 3×3 matrix and the raster
turn, and the union/overlap helpers."""
from __future__ import annotations

import numpy as np
import pytest

from pipeline import geometry as G
from pipeline.raster import rotate_image_cw

W, H = 300.0, 200.0
BOXES = [(10.0, 20.0, 60.0, 35.0), (0.0, 0.0, W, H), (250.5, 180.25, 299.0, 199.5), (5.0, 5.0, 5.0, 9.0)]


@pytest.mark.parametrize("k", [0, 1, 2, 3, -1, 5])
@pytest.mark.parametrize("box", BOXES)
def test_turn_then_unturn_is_identity(k: int, box) -> None:
    turned = G.turn_box(box, k, W, H)
    tw, th = G.turn_size(k, W, H)
    assert 0 <= turned[0] <= turned[2] <= tw and 0 <= turned[1] <= turned[3] <= th
    assert G.unturn_box(turned, k, W, H) == pytest.approx(box)


@pytest.mark.parametrize("k", [0, 1, 2, 3])
@pytest.mark.parametrize("box", BOXES)
def test_turns_compose(k: int, box) -> None:
    # k quarter turns one at a time = one turn by k; four = none
    b, w, h = box, W, H
    for _ in range(k):
        b = G.turn_box(b, 1, w, h)
        w, h = G.turn_size(1, w, h)
    assert b == pytest.approx(G.turn_box(box, k, W, H))
    assert G.turn_box(G.turn_box(box, 2, W, H), 2, W, H) == pytest.approx(box)


@pytest.mark.parametrize("k", [0, 1, 2, 3])
def test_matrix_and_raster_agree_with_turn_point(k: int) -> None:
    h, w = 4, 6
    img = np.arange(h * w).reshape(h, w)
    out = rotate_image_cw(img, k)
    m = G.rot90_matrix(k, w, h)
    for y in range(h):
        for x in range(w):
            # pixel centres: the pixel (x, y) covers [x, x+1) × [y, y+1)
            cx, cy = G.turn_point(x + 0.5, y + 0.5, k, w, h)
            assert (cx, cy) == pytest.approx(tuple(G.apply_matrix(np.array([[x + 0.5, y + 0.5]]), m)[0]))
            assert out[int(cy), int(cx)] == img[y, x]


def test_layout_turn_formulas() -> None:
    # the displayed → upright maps extractors.layout used before they moved here
    b = (10.0, 20.0, 60.0, 35.0)
    assert G.turn_box(b, 3, W, H) == (b[1], W - b[2], b[3], W - b[0])
    assert G.turn_box(b, 1, W, H) == (H - b[3], b[0], H - b[1], b[2])
    assert G.unturn_box(b, 3, W, H) == (W - b[3], b[0], W - b[1], b[2])
    assert G.unturn_box(b, 1, W, H) == (b[1], H - b[2], b[3], H - b[0])
    assert G.turn_box(b, 2, W, H) == (W - b[2], H - b[3], W - b[0], H - b[1])


@pytest.mark.parametrize("boxes,expected", [
    ([], (0.0, 0.0, 0.0, 0.0)),
    ([(1, 2, 3, 4)], (1, 2, 3, 4)),
    ([(1, 2, 3, 4), (0, 5, 2, 9), (2, 1, 8, 3)], (0, 1, 8, 9)),
])
def test_union(boxes, expected) -> None:
    assert G.union_bbox(boxes) == expected
    assert G.union_bbox(iter(boxes)) == expected


@pytest.mark.parametrize("a,b,inter,iou,xo,yo", [
    ((0, 0, 10, 10), (5, 5, 15, 15), True, 25 / 175, 5, 5),
    ((0, 0, 10, 10), (0, 0, 10, 10), True, 1.0, 10, 10),
    ((0, 0, 10, 10), (10, 0, 20, 10), False, 0.0, 0, 10),  # touching edges
    ((0, 0, 10, 10), (20, 30, 25, 35), False, 0.0, -10, -20),
])
def test_overlap(a, b, inter, iou, xo, yo) -> None:
    assert G.boxes_intersect(a, b) is inter and G.boxes_intersect(b, a) is inter
    assert G.box_iou(a, b) == pytest.approx(iou) and G.box_iou(b, a) == pytest.approx(iou)
    assert G.x_overlap(a, b) == xo and G.y_overlap(a, b) == yo


@pytest.mark.parametrize("a,b,slack,rows,gap", [
    ((0, 0, 5, 10), (0, 5, 5, 15), 0.0, True, 0.0),
    ((0, 0, 5, 10), (0, 12, 5, 20), 0.0, False, 2.0),
    ((0, 12, 5, 20), (0, 0, 5, 10), 0.0, False, 2.0),
    ((0, 12, 5, 20), (0, 0, 5, 10), 3.0, True, 2.0),
])
def test_rows_and_gaps(a, b, slack, rows, gap) -> None:
    assert G.rows_overlap(a, b, slack) is rows
    assert G.v_gap(a, b) == gap


def test_scaling_and_quads() -> None:
    assert G.scale_box((10, 20, 30, 40), 2.0, pad=1.0) == (18.0, 38.0, 62.0, 82.0)
    quad = np.array([[20.0, 40.0], [60.0, 40.0], [60.0, 80.0], [20.0, 80.0]])
    to_pt = np.diag([0.5, 0.5, 1.0])
    assert G.quad_to_bbox(quad, to_pt, 100.0, 30.0) == (10.0, 20.0, 30.0, 30.0)  # clamped to the page
