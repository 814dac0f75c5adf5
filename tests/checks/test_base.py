"""checks.base: Ctx.confirmed reads a scanned value again before a check relies on it."""
from __future__ import annotations

from extractors.records import BundleRecords, Val
from tests.synth import page
from tests.checks.admin_records import _ocr_page, D, V


def test_confirmed_rereads_scanned_dates_numbers_and_text():
    from checks.base import Ctx

    pages = {1: _ocr_page(1), 2: page(2)}
    said = {}
    ctx = Ctx(BundleRecords(), {}, pages=pages, rereader=lambda page, bbox: said.get(page))
    said[1] = "接收日期 2022/06/13"
    assert ctx.confirmed(V(D(2022, 6, 13), page=1)) and not ctx.confirmed(V(D(2022, 6, 18), page=1))
    said[1] = "1.00"
    assert ctx.confirmed(V(1.0, page=1)) and not ctx.confirmed(V(100.0, page=1))
    said[1] = None
    assert not ctx.confirmed(V(1.0, page=1))  # cannot be read again: not confirmed
    assert ctx.confirmed(V(1.0, page=2))  # a text layer stands as read
    assert ctx.confirmed(Val(value=1.0, page=1, bbox=None, raw="1"))  # no box to read again
    assert Ctx(BundleRecords(), {}, pages=pages).confirmed(V(1.0, page=1))  # no re-reader
