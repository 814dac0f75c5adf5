"""i034_workday (checks/i034_workday.py): each post of the work-day record has its
exposed headcount and exposure time."""
from __future__ import annotations

import pytest

from checks.base import run_checks
from extractors.records import BundleRecords, Row, Val
from tests.checks.people_records import SECTIONS
from tests.checks.survey_records import V, codes, run, survey, wrow
from tests.synth import scan_page

ONLY = ["i034_workday"]


def test_complete_workday_is_silent():
    assert run(BundleRecords(field_survey=survey(workday=[wrow("抛丸工"), wrow("落砂工")])), ONLY) == []


@pytest.mark.parametrize("mark", ["", "/", "—"])
def test_blank_headcount_flagged(mark):
    f = run(BundleRecords(field_survey=survey(workday=[wrow("抛丸工"), wrow("落砂工", workers=mark)])), ONLY)
    assert codes(f) == [("survey.workday_incomplete", 34)]
    assert "落砂工" in f[0].message and "接触人数" in f[0].message and "抛丸工" not in f[0].message
    assert "“落砂工”的接触人数" in f[0].message and "接触时间" not in f[0].message
    assert {e.page for e in f[0].evidence} == {3} and all(e.bbox for e in f[0].evidence)


def test_blank_exposure_time_flagged_and_both_named():
    f = run(BundleRecords(field_survey=survey(workday=[wrow("熔炼工", hours="/"), wrow("浇注工", workers="", hours="")])),
            ONLY)
    assert codes(f) == [("survey.workday_incomplete", 34)]
    assert "“熔炼工”的接触时间" in f[0].message and "“浇注工”的接触人数（空白）、接触时间" in f[0].message


def test_unparsed_or_missing_column_is_not_blank():
    r = wrow("落砂工")
    odd = r.model_copy(update={"fields": {**r.fields, "workers": Val(value=None, page=3, raw="约", reason="cannot parse")}})
    no_col = r.model_copy(update={"fields": {k: v for k, v in r.fields.items() if k != "exposure_hours"}})
    assert run(BundleRecords(field_survey=survey(workday=[odd, no_col])), ONLY) == []


def test_total_and_stray_rows_are_no_posts():
    total = wrow("合计", hours="")
    stray = Row(fields={"post": V("备注说明文字"), "workers": Val(value=None, page=3, state="empty"),
                        "exposure_hours": Val(value=None, page=3, state="empty")}, page=3)
    assert run(BundleRecords(field_survey=survey(workday=[total, stray])), ONLY) == []


def test_posts_table_read_when_no_workday_table():
    f = run(BundleRecords(field_survey=survey(posts=[wrow("混砂工", workers="/")])), ONLY)
    assert codes(f) == [("survey.workday_incomplete", 34)] and "现场调查岗位" in f[0].message


def test_scanned_blank_cell_read_again():
    recs = BundleRecords(field_survey=survey(workday=[wrow("落砂工", workers="")]))
    pg = scan_page(3, [("落砂工 两班制 8 操作设备", 150, 50, 500)])
    res = run_checks(recs, {}, sections=SECTIONS, pages=[pg], only=ONLY, rereader=lambda page, box: "8")
    assert res.findings == []  # a lone digit OCR skipped the first time
    res = run_checks(recs, {}, sections=SECTIONS, pages=[pg], only=ONLY, rereader=lambda page, box: None)
    assert codes(res.findings) == [("survey.workday_incomplete", 34)]
