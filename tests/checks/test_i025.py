"""i025_disclosure_in_time (checks/i025_disclosure.py): the report is disclosed within 15
working days; scan misreadings do not raise pre-flags (the last two tests also cover
i080 on a scan)."""
from __future__ import annotations

import chinese_calendar

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, DisclosureRecord, ReportRecord
from tests.synth import page, stacked_lines
from tests.checks.admin_records import _ocr_page, _samp, codes, D, run, sheet, V


def _disclosure(issue, submitted, public=None):
    return BundleRecords(
        report=ReportRecord(issue_date=V(issue, page=8), pages=(8,)),
        disclosure=DisclosureRecord(report_date=V(issue, page=10), submitted_date=V(submitted, page=10),
                                    public_date=V(public or submitted, page=10), pages=(10,)),
    )


def test_disclosure_counts_across_national_day_with_adjusted_workdays():
    # 2023 National Day: 9-29..10-06 off, Sat 10-07 and Sun 10-08 are working days
    assert chinese_calendar.is_workday(D(2023, 10, 7)) and not chinese_calendar.is_workday(D(2023, 10, 2))
    issue = D(2023, 9, 25)
    assert run(_disclosure(issue, D(2023, 10, 20)), only=["i025_disclosure_in_time"]) == []  # 15th working day
    f = run(_disclosure(issue, D(2023, 10, 23)), only=["i025_disclosure_in_time"])
    assert codes(f) == [("disclosure.late", 25)]
    assert [e.page for e in f[0].evidence] == [10, 8]
    assert "2023年9月25日" in f[0].message and "2023年10月23日" in f[0].message
    assert "第16个工作日" in f[0].message and "2023年10月20日" in f[0].message


def test_disclosure_counts_across_spring_festival():
    # 2023 Spring Festival: 1-21..1-27 off, Sat 1-28 and Sun 1-29 are working days
    issue = D(2023, 1, 13)  # Friday
    # working days after: 1-16..1-20 (5), 1-28, 1-29 (7), 1-30..2-3 (12), 2-6, 2-7, 2-8 (15)
    assert run(_disclosure(issue, D(2023, 2, 8)), only=["i025_disclosure_in_time"]) == []
    f = run(_disclosure(issue, D(2023, 2, 9)), only=["i025_disclosure_in_time"])
    assert codes(f) == [("disclosure.late", 25)] and "第16个工作日" in f[0].message


def test_disclosure_cannot_decide_outside_calendar_and_without_date():
    f = run(_disclosure(D(2031, 3, 3), D(2031, 4, 30)), only=["i025_disclosure_in_time"])
    assert codes(f) == [(CANNOT_DECIDE, 25)] and "工作日" in f[0].message
    recs = BundleRecords(report=ReportRecord(issue_date=V(D(2022, 5, 16), page=8)),
                         disclosure=DisclosureRecord(submitted_date=V(None, page=10), pages=(10,)))
    assert codes(run(recs, only=["i025_disclosure_in_time"])) == [(CANNOT_DECIDE, 25)]


def test_scan_misreadings_do_not_raise_preflags():
    # disclosure: 2023-10-26 is 19 working days after 2023-09-25, but 10-20 (6 misread for 0) is on time
    recs = _disclosure(D(2023, 9, 25), D(2023, 10, 26))
    assert codes(run(recs, only=["i025_disclosure_in_time"])) == [("disclosure.late", 25)]  # text layer: exact
    assert run(recs, only=["i025_disclosure_in_time"], pages=[_ocr_page(10)]) == []
    # pump: a 15-min overlap whose times disagree with the recorded duration is not trusted on a scan
    rows = [_samp("YQ-20-392", "压缩机房", "13:22", "13:37", "S01"), _samp("YQ-20-392", "造气炉操作平台", "13:19", "13:34", "S02")]
    bad = [r.model_copy(update={"fields": {**r.fields, "minutes": V(45.0, page=9)}}) for r in rows]
    good = [r.model_copy(update={"fields": {**r.fields, "minutes": V(15.0, page=9)}}) for r in rows]
    assert run(BundleRecords(sampling_records=[sheet(D(2022, 4, 15), page=9, rows=bad)]), only=["i080_equipment_overlap"],
               pages=[_ocr_page(9)]) == []
    f = run(BundleRecords(sampling_records=[sheet(D(2022, 4, 15), page=9, rows=good)]), only=["i080_equipment_overlap"],
            pages=[_ocr_page(9)])
    assert codes(f) == [("equipment.overlapping_use", 80)]


def _scan_page(no, texts):
    return page(no, stacked_lines(texts, x0=50.0, x1=400.0, y0=100.0, pitch=20, height=15), source="ocr")


def test_disclosure_late_on_a_scan_not_explained_away_when_both_dates_read_twice():
    # Scan: 2022-06-28 is one confused digit from 2022-06-08 (on time), but the sheet repeats
    # the submission date beside the clerk's signature and the disclosure sheet repeats the
    # issue date, so the late reading stands.
    recs = BundleRecords(
        report=ReportRecord(issue_date=V(D(2022, 5, 24), page=8, bbox=(50.0, 100.0, 400.0, 115.0)), pages=(8,)),
        disclosure=DisclosureRecord(report_date=V(D(2022, 5, 24), page=10, bbox=(50.0, 100.0, 400.0, 115.0)),
                                    submitted_date=V(D(2022, 6, 28), page=10, bbox=(50.0, 120.0, 400.0, 135.0)),
                                    pages=(10,)))
    page8 = _scan_page(8, ["签发日期:2022-05-24"])
    page10 = _scan_page(10, ["报告出具日期:2022-05-24", "报送日期:2022-06-28", "经办人:某某 日期:2022-06-28"])
    f = run(recs, only=["i025_disclosure_in_time"], pages=[page8, page10])
    assert codes(f) == [("disclosure.late", 25)] and "第24个工作日" in f[0].message
    # read once only: one misread digit would make it on time, so no pre-flag
    page10_once = _scan_page(10, ["报告出具日期:2022-05-24", "报送日期:2022-06-28", "经办人:某某"])
    assert run(recs, only=["i025_disclosure_in_time"], pages=[page8, page10_once]) == []
