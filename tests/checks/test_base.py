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


def test_finding_pages_are_its_evidence_pages_and_the_pages_its_message_names():
    from checks.base import Ctx
    from pipeline.types import Evidence

    ctx = Ctx(BundleRecords(), {})
    f = ctx.finding("x", None, "第3、9页不一致", [V(1, page=5), Evidence(page=3), None], pages=[9, 3, None])
    assert f.pages == (3, 5, 9) and f.message_pages == (3, 9)
    # no pages given: the evidence pages, and the message is not read for more
    f = ctx.finding("x", None, "第7页", [V(1, page=5)])
    assert f.pages == (5,) and f.message_pages == ()


def test_cannot_decide_passes_its_pages_on():
    from checks.base import Ctx

    f = Ctx(BundleRecords(), {}).cannot_decide(36, "检测方案中的仪器设备种类", pages=[8, 6, 8])
    assert "（第6、8页）" in f.message
    assert f.pages == (6, 8) and f.message_pages == (6, 8)
