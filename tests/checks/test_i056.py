"""i056_materials (checks/i056_materials.py): the report's raw materials against the survey's."""
from __future__ import annotations

from extractors.records import Val, ValState
from tests.checks.report_basics_records import V, check, mat, records, report, survey

PLACE = V("主要原辅材料", 8, raw="三、主要原辅材料")
SURVEY = [mat("石英砂", "1200 t/a", 3), mat("膨润土", "80t/a", 3), mat("脱模剂（煤油）", "2 吨/年", 3),
          mat("液氨", "副产", 3)]


def rep(*mats, place=PLACE):
    return report(materials=list(mats), materials_place=place)


FULL = [mat("石英砂", "1200吨/年", 8, 1200.0, "t/a"), mat("膨润土", "80 t/a", 8, 80.0, "t/a"),
        mat("脱模剂(煤油)", "2t/a", 8, 2.0, "t/a"), mat("液氨", "副产", 8)]


def test_same_materials_other_wording_is_silent():
    assert check(records(rep(*FULL), survey(materials=SURVEY)), "i056_materials") == []


def test_missing_material():
    (f,) = check(records(rep(*FULL[:1], *FULL[2:]), survey(materials=SURVEY)), "i056_materials")
    assert f.code == "report.materials_mismatch" and f.indicator == 56
    assert "膨润土" in f.message and "第3页" in f.message and "第8页" in f.message


def test_amount_differs():
    r = [mat("石英砂", "800吨/年", 8, 800.0, "t/a")] + FULL[1:]
    (f,) = check(records(rep(*r), survey(materials=SURVEY)), "i056_materials")
    assert "石英砂" in f.message and "800" in f.message and "1200" in f.message


def test_name_printed_but_not_split_is_not_missing():
    r = [mat("石英砂", "1200吨/年", 8, 1200.0, "t/a"), mat("脱模剂(煤油)", "2t/a", 8, 2.0, "t/a"),
         mat("液氨", "副产、膨润土80t/a", 8)]
    assert check(records(rep(*r), survey(materials=SURVEY)), "i056_materials") == []


def test_no_description_found_is_silent_and_empty_place_flagged():
    absent = Val.missing("none", None, ValState.ABSENT)
    assert check(records(rep(place=absent), survey(materials=SURVEY)), "i056_materials") == []
    empty = Val(value=None, page=8, bbox=(1.0, 1.0, 9.0, 9.0), raw="三、主要原辅材料", state=ValState.EMPTY)
    (f,) = check(records(rep(place=empty), survey(materials=SURVEY)), "i056_materials")
    assert f.code == "report.materials_mismatch" and "石英砂" in f.message


def test_description_read_unlike_the_survey_cannot_decide():
    r = [mat("钢材", "500t/a", 8, 500.0, "t/a")]
    (f,) = check(records(rep(*r), survey(materials=SURVEY)), "i056_materials")
    assert f.code == "check.cannot_decide"
