"""``register.ink_changed``: what counts as a change between a copy scanned anew and the
aligned original. Synthetic grey rasters at 200 dpi; ink 0, paper 255."""
from __future__ import annotations

import cv2
import numpy as np

from pipeline.anonymize.register import ink_changed

K = 200 / 72.0  # px per point


def _page() -> np.ndarray:
    return np.full((int(300 * K), int(400 * K)), 255, dtype=np.uint8)


def _table(img: np.ndarray, dy: float = 0.0, grey: int = 60) -> np.ndarray:
    """Rules of a table, shifted down by ``dy`` points (a scanner's local warp)."""
    for y in (40, 80, 120, 160):
        yy = int((y + dy) * K)
        cv2.line(img, (int(20 * K), yy), (int(380 * K), yy), grey, 2)
    for x in (20, 200, 380):
        cv2.line(img, (int(x * K), int((40 + dy) * K)), (int(x * K), int((160 + dy) * K)), grey, 2)
    return img


def _text(img: np.ndarray, s: str, x: float, y: float, grey: int = 40) -> np.ndarray:
    cv2.putText(img, s, (int(x * K), int(y * K)), cv2.FONT_HERSHEY_SIMPLEX, 0.9, grey, 2)
    return img


def test_a_rule_moved_or_faded_is_no_change():
    orig = _text(_table(_page()), "ABC 123", 30, 70)
    copy = _text(_table(_page(), dy=2.5), "ABC 123", 30, 70)  # rules 2.5 pt off (text stays put)
    assert not ink_changed(copy, orig, K).any()
    faded = _text(_table(_page(), grey=170), "ABC 123", 30, 70)  # rules just past INK_LEVEL
    assert not ink_changed(faded, orig, K).any()


def test_text_changed_beside_rules_is_a_change():
    orig = _text(_table(_page()), "HENAN TJ", 30, 70)
    copy = _text(_table(_page(), dy=2.5), "XXX", 30, 70)  # a name replaced in the same cell
    m = ink_changed(copy, orig, K)
    ys, xs = np.nonzero(m)
    assert m.any() and ys.min() >= int(45 * K) and ys.max() <= int(78 * K)


def test_faint_text_replaced_by_faint_text_is_a_change():
    # a light-grey footer name replaced by a light-grey placeholder: ink near INK_LEVEL on
    # both sides, at the same place (a threshold that let faint ink match faint ink read
    # the original's footer into the copy)
    orig = _text(_page(), "HENAN TIANJIAN", 30, 280, grey=140)
    copy = _text(_page(), "XXX ORG", 30, 280, grey=140)
    assert ink_changed(copy, orig, K).any()


def test_a_box_painted_over_a_rule_is_a_change():
    orig = _text(_table(_page()), "HENAN TJ", 30, 70)
    copy = _table(_page())
    cv2.rectangle(copy, (int(25 * K), int(50 * K)), (int(190 * K), int(90 * K)), 0, -1)  # over the rule at y=80
    m = ink_changed(copy, orig, K)
    # the box is solid ink, no rule: changed above and below the rule it covers (on the
    # rule itself both sides have ink)
    assert m[int(56 * K), int(100 * K)] and m[int(86 * K), int(100 * K)]
