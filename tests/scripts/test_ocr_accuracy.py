"""scripts/ocr_accuracy.py: the character measure engines are chosen by, and its truth."""
from __future__ import annotations

from collections import Counter

import pytest

from tests.scripts import load_script


@pytest.fixture(scope="module")
def oa():
    return load_script("ocr_accuracy")


def test_characters_ignore_spacing_and_width(oa) -> None:
    # NFKC: a full-width digit is its ASCII twin; spaces and line breaks are not characters
    assert oa.chars("采样 日期：２０22\n") == Counter("采样日期:2022")


def test_counts_are_a_multiset_overlap(oa) -> None:
    hit, got, want = oa.prf(oa.chars("苯 苯 甲苯"), oa.chars("苯甲苯苯苯"))
    assert (hit, got, want) == (4, 5, 4)  # one 苯 too many read; order does not count


def test_truth_is_the_text_the_scan_was_printed_from(oa) -> None:
    bid, texts, scan = next(oa.scanned_pairs(7, 1, "a", 1.0))
    import pymupdf

    with pymupdf.open(stream=scan, filetype="pdf") as d:
        assert d.page_count == len(texts) and not d[0].get_text().strip()  # the scan has no text layer
    assert bid.startswith("HN-") and any("检测" in t for t in texts)
