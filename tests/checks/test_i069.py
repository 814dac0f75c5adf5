"""i069_lab_signatures / i069_lab_dates (checks/i069_lab_signatures.py)."""
from __future__ import annotations

import datetime as dt

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, Val, ValState
from tests.checks.lab_records import _lab, _page, codes, D1, run, V


def _slot(role, page=5):
    return Val(value=None, page=page, bbox=(50.0, 300.0, 90.0, 310.0), raw=role,
               reason=f"{role} slot present but no name in the text layer: a hand signature is an image there",
               state=ValState.EMPTY)


def test_lab_missing_signature():
    sh = _lab(D1, analyst=V("张三", 5), reviewer=_slot("复核人"))
    f = run(BundleRecords(lab_sheets=[sh]), ["i069_lab_signatures"], pages=[_page(5)])
    assert codes(f) == ["lab.missing_signature"] and f[0].indicator == 69 and f[0].evidence[0].page == 5
    sh = _lab(D1, analyst=V("张三", 5), reviewer=V("李四", 5))
    assert run(BundleRecords(lab_sheets=[sh]), ["i069_lab_signatures"], pages=[_page(5)]) == []
    # both unread and the page's images never OCR'd: cannot decide, not "unsigned"
    sh = _lab(D1, analyst=_slot("检验人"), reviewer=_slot("复核人"))
    f = run(BundleRecords(lab_sheets=[sh]), ["i069_lab_signatures"], pages=[_page(5, image_lines=False)])
    assert codes(f) == [CANNOT_DECIDE] and f[0].indicator == 69


def test_lab_analysed_before_receipt():
    sh = _lab(D1, D1 - dt.timedelta(days=1), ids=())
    assert codes(run(BundleRecords(lab_sheets=[sh]), ["i069_lab_dates"])) == ["lab.analysed_before_receipt"]
    assert run(BundleRecords(lab_sheets=[_lab(D1, D1)]), ["i069_lab_dates"]) == []
