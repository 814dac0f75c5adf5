"""i031_survey_complete (checks/i031_survey_complete.py): each part of the field survey
whose label or heading was found is filled in."""
from __future__ import annotations

import pytest

from checks.base import run_checks
from extractors.records import BundleRecords, ValState
from tests.checks.people_records import SECTIONS
from tests.checks.survey_records import codes, part, parts, run, survey
from tests.synth import scan_page

ONLY = ["i031_survey_complete"]


def test_filled_survey_is_silent():
    assert run(BundleRecords(field_survey=survey()), ONLY) == []


@pytest.mark.parametrize("blank", ["", "/", "—"])
def test_blank_part_is_flagged_with_page_and_box(blank):
    f = run(BundleRecords(field_survey=survey(parts=parts(equipment=part(blank)))), ONLY)
    assert codes(f) == [("survey.incomplete", 31)]
    assert "主要生产设备" in f[0].message and "第3页" in f[0].message
    assert f[0].evidence[0].page == 3 and f[0].evidence[0].bbox is not None
    if blank:
        assert f"仅填“{blank}”" in f[0].message


def test_one_heading_for_two_parts_is_one_place():
    v = part("/", raw="四、职业病防护设施及个体防护用品配备情况 /")
    f = run(BundleRecords(field_survey=survey(parts=parts(facilities=v, ppe=v))), ONLY)
    assert codes(f) == [("survey.incomplete", 31)] and len(f[0].evidence) == 1
    assert "职业病防护设施、个体防护用品" in f[0].message


def test_blank_basics_named():
    addr = part("", raw="单位地址")
    f = run(BundleRecords(field_survey=survey(parts=parts(address=addr))), ONLY)
    assert codes(f) == [("survey.incomplete", 31)] and "单位地址" in f[0].message


@pytest.mark.parametrize("state", [ValState.ABSENT, ValState.UNKNOWN])
def test_part_not_found_or_not_delimited_says_nothing(state):
    from extractors.records import Val

    v = Val(value=None, page=3 if state is ValState.UNKNOWN else None, reason="x", state=state)
    assert run(BundleRecords(field_survey=survey(parts=parts(process=v, ppe=v))), ONLY) == []


def test_scan_with_content_on_second_reading_is_silent():
    """OCR missed the paragraph the first time; read again, closer, it is there."""
    v = part("", raw="三、主要生产设备")
    pg = scan_page(3, [("三、主要生产设备", 300, 50, 200)])
    recs = BundleRecords(field_survey=survey(parts=parts(equipment=v)))
    res = run_checks(recs, {}, sections=SECTIONS,
                     pages=[pg], only=ONLY, rereader=lambda page, box: "三、主要生产设备 中频炉2台、混砂机2台")
    assert res.findings == []
    res = run_checks(recs, {}, sections=SECTIONS,
                     pages=[pg], only=ONLY, rereader=lambda page, box: "三、主要生产设备 /")
    assert codes(res.findings) == [("survey.incomplete", 31)]
