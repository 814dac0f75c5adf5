"""i065_recommendations (checks/i065_recommendations.py): where a result exceeds, a
recommendation naming its post, site, workshop or factor."""
from __future__ import annotations

from checks.base import CANNOT_DECIDE
from tests.checks.lab_records import codes
from tests.checks.prose_records import check, noise, passage, records, result

OVER = [result("混合工", "矽尘(呼尘)", "不合格", c=0.9, limit=0.7, site="混合机操作位"),
        result("投料工", "一氧化碳", "合格", c=3.0, limit=20.0)]
GENERIC = ("加强职业病防护设施的日常维护和检修，确保其正常运行。", "督促劳动者正确佩戴个体防护用品。",
           "定期组织接触职业病危害因素的劳动者进行职业健康检查。")


def test_generic_advice_only():
    f = check(records(OVER, passage("conclusion", "混合工矽尘超标。"), passage("recommendation", *GENERIC)),
              "i065_recommendations")
    assert codes(f) == ["report.no_targeted_recommendation"] and f[0].indicator == 65
    m = f[0].message
    assert "混合工" in m and "矽尘(呼尘)" in m and "0.9" in m and "建议" in m and "加强职业病防护设施" in m
    assert {e.page for e in f[0].evidence} == {9, 10}


def test_targeted_by_post_site_workshop_or_factor():
    for targeted in ("建议对混合工岗位加强个体防护。", "建议对混合机操作位增设局部排风设施。",
                     "建议对混合机加装密闭罩。", "原料车间应完善通风除尘设施。", "建议采取湿式作业降低矽尘浓度。"):
        rec = records(OVER, passage("recommendation", *GENERIC, targeted))
        assert check(rec, "i065_recommendations") == [], targeted


def test_a_cause_in_the_recommendations_is_not_a_recommendation():
    rec = records(OVER, passage("recommendation", *GENERIC, "超标原因分析：混合工矽尘超标，主要原因为排风设施风量不足。"))
    assert codes(check(rec, "i065_recommendations")) == ["report.no_targeted_recommendation"]
    # ……；建议…… after it names nothing and takes the cause's names: targeted
    rec = records(OVER, passage("recommendation", *GENERIC, "超标原因分析：混合工矽尘超标，主要原因为排风设施风量不足；"
                                                            "建议增设局部排风设施。"))
    assert check(rec, "i065_recommendations") == []


def test_a_factor_class_is_generic():
    rec = records(OVER, passage("recommendation", "加强粉尘危害防护。"))
    assert codes(check(rec, "i065_recommendations")) == ["report.no_targeted_recommendation"]


def test_one_finding_per_exceeding_post():
    rows = OVER + [result("破碎工", "矽尘(总尘)", "不合格", c=1.5, limit=1.0)]
    rec = records(rows, passage("recommendation", *GENERIC, "建议对混合机操作位增设局部排风设施。"))
    f = check(rec, "i065_recommendations")
    assert codes(f) == ["report.no_targeted_recommendation"] and "破碎工" in f[0].message
    rec = records([result("投料工", "一氧化碳", "合格")], passage("recommendation", *GENERIC),
                  noise_rows=[noise("配料工", 88.0, "不合格")])
    assert "配料工" in check(rec, "i065_recommendations")[0].message


def test_absence_needs_the_section():
    # no 建议 heading seen: cannot decide, never "missing"
    rec = records(OVER, passage("conclusion", "混合工矽尘超标。"), passage("other", *GENERIC, heading=False))
    f = check(rec, "i065_recommendations")
    assert codes(f) == [CANNOT_DECIDE] and f[0].indicator == 65
    # a 结论与建议 heading counts
    rec = records(OVER, passage("conclusion_recommendation", "混合工矽尘超标。", *GENERIC))
    assert codes(check(rec, "i065_recommendations")) == ["report.no_targeted_recommendation"]


def test_no_exceedance_no_finding():
    ok = [result("投料工", "一氧化碳", "合格")]
    assert check(records(ok, passage("recommendation", *GENERIC)), "i065_recommendations") == []
    assert check(records(ok), "i065_recommendations") == []
