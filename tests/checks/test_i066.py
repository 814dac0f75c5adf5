"""i066_cause_analysis (checks/i066_cause_analysis.py): every exceeding post has a cause
analysis somewhere in the report."""
from __future__ import annotations

from checks.base import CANNOT_DECIDE
from tests.checks.lab_records import codes
from tests.checks.prose_records import check, noise, passage, records, result

OVER = [result("混合工", "矽尘(呼尘)", "不合格", c=0.9, limit=0.7, site="混合机操作位"),
        result("投料工", "一氧化碳", "合格", c=3.0, limit=20.0)]
CONCL = passage("conclusion", "原料车间混合工矽尘(呼尘)的检测结果超过GBZ 2.1-2019规定的职业接触限值。")
GENERIC = passage("recommendation", "加强职业病防护设施的日常维护。", "建议对混合机操作位增设局部排风设施。")


def test_no_cause_analysis():
    f = check(records(OVER, CONCL, GENERIC), "i066_cause_analysis")
    assert codes(f) == ["report.no_cause_analysis"] and f[0].indicator == 66
    m = f[0].message
    assert "混合工" in m and "矽尘(呼尘)" in m and "原因" in m and "结论" in m
    assert {e.page for e in f[0].evidence} == {9, 10} and all(e.bbox for e in f[0].evidence)


def test_cause_analyses_in_several_wordings():
    for cause in ("超标原因分析：混合工矽尘超标，主要原因为局部排风设施风量不足。",
                  "混合岗位粉尘浓度超标是由于混合机密闭不严。",
                  "混合机操作位粉尘逸散严重，导致浓度超标。",
                  "混合工矽尘超标。其原因为投料方式开放、除尘器失效。"):
        rec = records(OVER, CONCL, passage("recommendation", "加强职业病防护设施的日常维护。", cause))
        assert check(rec, "i066_cause_analysis") == [], cause
    # in a passage of its own, without a cause word
    rec = records(OVER, CONCL, GENERIC, passage("cause", "混合工：混合机密闭不严，局部排风罩风量不足。"))
    assert check(rec, "i066_cause_analysis") == []
    # naming only the factor speaks for its one exceeding post
    rec = records(OVER, CONCL, GENERIC, passage("cause", "矽尘超标主要因为物料含水率低、扬尘大。"))
    assert check(rec, "i066_cause_analysis") == []


def test_an_analysis_of_another_post_or_a_recommendation_to_analyse_is_none():
    rows = OVER + [noise("配料工", 87.0, "不合格")]
    rec = records(rows, CONCL, GENERIC, passage("cause", "配料工噪声超标的原因为设备老化、缺少隔声措施。"))
    f = check(rec, "i066_cause_analysis")
    assert codes(f) == ["report.no_cause_analysis"] and "混合工" in f[0].message and "配料工" not in f[0].message
    rec = records(OVER, CONCL, passage("recommendation", "建议对混合工岗位矽尘超标的原因进行分析。"))
    assert codes(check(rec, "i066_cause_analysis")) == ["report.no_cause_analysis"]


def test_absence_needs_the_prose_read():
    rec = records(OVER, passage("other", "混合工矽尘超标。", heading=False))
    assert codes(check(rec, "i066_cause_analysis")) == [CANNOT_DECIDE]
    assert codes(check(records(OVER), "i066_cause_analysis")) == [CANNOT_DECIDE]


def test_no_exceedance_no_finding():
    ok = [result("投料工", "一氧化碳", "合格")]
    assert check(records(ok, passage("conclusion", "检测结果均符合要求。")), "i066_cause_analysis") == []


def test_a_post_cell_run_together_with_its_site_is_still_named():
    # the noise table's post and site cells read as one ("制粉工铅粉机旁"); the survey names
    # the post 制粉工, and the cause naming it speaks for the row
    row = noise("制粉工", 93.7, "不合格")
    row = row.model_copy(update={"fields": {**row.fields, "post": row.fields["post"].model_copy(
        update={"value": "制粉工铅粉机旁"})}})
    rec = records([], passage("conclusion", "制粉工噪声超标。"), passage("cause", "制粉工岗位噪声超标的原因为设备老化。"),
                  passage("recommendation", "加强防护。"), noise_rows=[row], survey_posts=["制粉工"])
    assert check(rec, "i066_cause_analysis") == []
    rec = records([], passage("conclusion", "制粉工噪声超标。"), passage("recommendation", "加强防护。"),
                  noise_rows=[row], survey_posts=["制粉工"])
    assert codes(check(rec, "i066_cause_analysis")) == ["report.no_cause_analysis"]


def test_a_row_without_a_factor_name_is_no_exceedance():
    # a noise table read with the chemical columns: the level under 检测因素
    row = result("铅粉机旁", "90.5", "不合格", workshop="制粉工")
    rec = records([row], passage("conclusion", "检测结果9项，不符合1项。"), passage("recommendation", "加强防护。"))
    assert check(rec, "i066_cause_analysis") == []
