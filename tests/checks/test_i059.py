"""i059_hazard_identification (checks/i059_hazard_identification.py): every hazardous
factor the field survey names is in the plan or the report's results."""
from __future__ import annotations

import pytest

from checks.base import run_checks
from checks.i059_hazard_identification import component_factors, substance
from extractors.records import BundleRecords
from tests.checks.people_records import SECTIONS
from tests.checks.survey_records import codes, factor, plan_with, post_row, report_with, run, survey
from tests.synth import scan_page

ONLY = ["i059_hazard_identification"]
TESTED = ("矽尘(总尘)", "矽尘(呼尘)", "一氧化碳", "噪声")


def bundle(factors, plan=TESTED, report=TESTED):
    return BundleRecords(field_survey=survey(factors=factors), detection_plan=plan_with(*plan),
                         report=report_with(*report))


CLEAN = [factor("矽尘(总尘)", "落砂工"), factor("矽尘(呼尘)", "落砂工"), factor("噪声", "落砂工"),
         factor("一氧化碳", "熔炼工"), factor("SiO2约90%", "石英砂", "material"), factor("Fe", "生铁", "material"),
         factor("含少量石英", "膨润土", "material"), factor("C", "煤粉", "material")]


def test_every_named_factor_tested_is_silent():
    assert run(bundle(CLEAN), ONLY) == []


def test_post_factor_not_tested_is_flagged():
    f = run(bundle(CLEAN + [factor("锰及其无机化合物", "打磨工")]), ONLY)
    assert codes(f) == [("report.hazard_not_identified", 59)]
    assert "锰及其无机化合物" in f[0].message and "打磨工" in f[0].message
    assert "第4页" in f[0].message and "第10页" in f[0].message
    assert f[0].evidence[0].page == 3 and f[0].evidence[0].bbox is not None


def test_raw_material_component_not_tested_is_flagged():
    f = run(bundle(CLEAN + [factor("甲苯", "稀释剂", "material"), factor("乙酸丁酯", "稀释剂", "material")],
                   plan=TESTED + ("甲苯",), report=TESTED + ("甲苯",)), ONLY)
    assert codes(f) == [("report.hazard_not_identified", 59)]
    assert "乙酸丁酯" in f[0].message and "稀释剂" in f[0].message and "“甲苯”" not in f[0].message


def test_tested_in_plan_or_report_alone_is_tested():
    """In the plan but not the report (or the reverse): identified and planned; other
    items judge what the report left out."""
    fs = CLEAN + [factor("氨", "合成工")]
    assert run(bundle(fs, plan=TESTED + ("氨",)), ONLY) == []
    assert run(bundle(fs, report=TESTED + ("氨",)), ONLY) == []


@pytest.mark.parametrize("survey_name, tested_name", [
    ("矽尘", "矽尘(总尘)"),  # fraction
    ("矽尘（总粉尘）", "矽尘(呼尘)"),
    ("铅", "铅尘"),  # one GBZ 2.1 row
    ("盐酸", "氯化氢"),
    ("二甲苯（全部异构体）", "二甲苯"),
    ("一氧化炭", "一氧化碳"),  # one slip
])
def test_same_substance_other_wording(survey_name, tested_name):
    assert run(bundle([factor(survey_name, "某岗位")], plan=(tested_name,), report=(tested_name,)), ONLY) == []


def test_components_naming_no_factor_say_nothing():
    assert component_factors("Fe、C、Si、Mn") == []
    assert component_factors("含改性硅油") == [] and component_factors("TDI 加成物") == []
    assert component_factors("苯≤0.3%") == ["苯"] and component_factors("含甲苯") == ["甲苯"]
    assert component_factors("含游离甲醛≤0.3%") == ["甲醛"]
    assert component_factors("二甲苯") == ["二甲苯"]  # not 甲苯 nor 苯 inside it
    assert substance("矽尘(总尘)") == substance("矽尘(呼尘)")


def test_plan_or_report_not_read_says_nothing():
    fs = CLEAN + [factor("锰及其无机化合物", "打磨工")]
    assert run(bundle(fs, plan=()), ONLY) == []
    assert run(bundle(fs, report=()), ONLY) == []


def test_blank_or_placeholder_items_are_no_factors():
    assert run(bundle(CLEAN + [factor("无", "装配工"), factor("/", "装配工"), factor("同上", "装配工")]), ONLY) == []


def test_scanned_unknown_name_must_read_the_same_again():
    """A name outside the GBZ tables on a scan (OCR can make one up) stands only when
    read the same a second time."""
    recs = bundle(CLEAN + [factor("其他粉尘甲", "打磨工")])
    pg = scan_page(3, [("打磨工 其他粉尘甲", 550, 300, 500)])
    res = run_checks(recs, {}, sections=SECTIONS, pages=[pg], only=ONLY, rereader=lambda p, b: "其他粉尘")
    assert res.findings == []
    res = run_checks(recs, {}, sections=SECTIONS, pages=[pg], only=ONLY, rereader=lambda p, b: "其他粉尘甲")
    assert codes(res.findings) == [("report.hazard_not_identified", 59)]


# ------------------------------------------------------------------ tested, never surveyed

BOTH = ["i059_hazard_identification", "i059_tested_not_surveyed"]
POSTS = [post_row("落砂工", "矽尘(总尘)、矽尘(呼尘)、噪声"), post_row("熔炼工", "一氧化碳")]


def surveyed(posts=POSTS, factors=CLEAN, plan=TESTED, report=TESTED):
    return BundleRecords(field_survey=survey(posts=posts, factors=factors), detection_plan=plan_with(*plan),
                         report=report_with(*report))


def test_tested_factor_the_survey_never_named_is_flagged():
    assert run(surveyed(), BOTH) == []
    f = run(surveyed(plan=TESTED + ("氨",), report=TESTED + ("氨",)), BOTH)
    assert codes(f) == [("report.hazard_not_identified", 59)]
    assert "“氨”（第4、10页）" in f[0].message and "现场调查记录（第3页）" in f[0].message


def test_tested_not_surveyed_needs_the_identification_read_whole():
    extra = dict(plan=TESTED + ("氨",), report=TESTED + ("氨",))
    # no factor column (a work-day table names no factors), or one factor cell unread
    assert run(surveyed(posts=[], **extra), BOTH) == []
    assert run(surveyed(posts=POSTS + [post_row("装车工", None)], **extra), BOTH) == []


def test_tested_name_that_is_no_known_factor_says_nothing():
    """一氧化炭 (an OCR slip) or a form word read as a factor: no accusation."""
    assert run(surveyed(plan=TESTED + ("检测因素",), report=TESTED + ("一氧化炭",)), BOTH) == []


def test_material_component_counts_as_named():
    fs = CLEAN + [factor("含游离甲醛≤0.3%", "脲醛树脂胶", "material")]
    assert run(surveyed(factors=fs, plan=TESTED + ("甲醛",), report=TESTED + ("甲醛",)), BOTH) == []


def test_alike_names_of_two_substances_are_two_factors():
    """硫化氢 and 氯化氢 differ in one character and are two substances; 氨 is one character
    and a whole factor name."""
    f = run(bundle(CLEAN + [factor("硫化氢", "脱硫工")], plan=TESTED + ("氯化氢",), report=TESTED + ("氯化氢",)), ONLY)
    assert codes(f) == [("report.hazard_not_identified", 59)] and "硫化氢" in f[0].message
    f = run(bundle(CLEAN + [factor("氨", "合成工")]), ONLY)
    assert codes(f) == [("report.hazard_not_identified", 59)] and "“氨”" in f[0].message
