"""i064_conclusion (checks/i064_conclusion.py): a conclusion claiming compliance over a
result the tables judge exceeding."""
from __future__ import annotations

import pytest

from tests.checks.lab_records import codes
from tests.checks.prose_records import check, noise, passage, records, result

OVER = [result("混合工", "矽尘(呼尘)", "不合格", c=0.9, limit=0.7), result("投料工", "一氧化碳", "合格", c=3.0, limit=20.0)]


@pytest.mark.parametrize("wording", [
    "所检测岗位的职业病危害因素检测结果均符合国家职业接触限值要求。",
    "各检测点职业病危害因素浓度均未超过国家职业接触限值。",
    "本次检测结果全部合格，未发现超标岗位。",
    "本次共检测2个岗位，检测结果2项，不符合0项。",
])
def test_all_compliant_over_an_exceedance(wording):
    f = check(records(OVER, passage("conclusion", wording)), "i064_conclusion")
    assert codes(f) == ["report.conclusion_wrong"] and f[0].indicator == 64
    m = f[0].message
    assert "混合工" in m and "矽尘(呼尘)" in m and "0.9" in m and "0.7" in m and "不合格" in m
    assert wording[:10] in m
    assert {e.page for e in f[0].evidence} == {9, 10} and all(e.bbox for e in f[0].evidence)
    assert f[0].pages == (9, 10)


def test_named_compliance_over_that_post():
    f = check(records(OVER, passage("conclusion", "混合岗位粉尘浓度符合职业接触限值要求。")), "i064_conclusion")
    assert codes(f) == ["report.conclusion_wrong"] and "混合岗位" in f[0].message
    # the named post complies: no contradiction
    assert check(records(OVER, passage("conclusion", "投料工一氧化碳浓度符合职业接触限值要求。")), "i064_conclusion") == []
    # the named factor class does not cover the exceeding factor (毒物 are no dusts) ...
    assert check(records(OVER, passage("conclusion", "各岗位化学毒物浓度均符合限值要求。")), "i064_conclusion") == []
    # ... GBZ 2.1's 化学有害因素 do
    f = check(records(OVER, passage("conclusion", "本次检测的化学有害因素及物理因素全部合格。")), "i064_conclusion")
    assert codes(f) == ["report.conclusion_wrong"]


@pytest.mark.parametrize("wording", [
    "本次共检测2个岗位，检测结果2项，其中符合职业接触限值要求1项，不符合1项。",
    "原料车间混合工矽尘(呼尘)的检测结果超过GBZ 2.1-2019规定的职业接触限值；其余岗位均符合要求。",
    "除混合工矽尘超标外，各岗位检测结果均符合国家职业接触限值要求。",
    "检测结果基本符合要求。",
    "用人单位应确保各岗位浓度符合职业接触限值要求。",
])
def test_conclusions_that_agree(wording):
    assert check(records(OVER, passage("conclusion", wording)), "i064_conclusion") == []


def test_no_exceedance_no_finding():
    ok = [result("投料工", "一氧化碳", "合格", c=3.0, limit=20.0)]
    assert check(records(ok, passage("conclusion", "所检测岗位检测结果均符合国家职业接触限值要求。")), "i064_conclusion") == []


def test_noise_exceedance_and_other_parts():
    rec = records([result("投料工", "一氧化碳", "合格")], passage("conclusion", "各岗位噪声强度均符合职业接触限值要求。"),
                  noise_rows=[noise("配料工", 86.8, "不合格")])
    f = check(rec, "i064_conclusion")
    assert codes(f) == ["report.conclusion_wrong"] and "配料工" in f[0].message and "86.8" in f[0].message
    # the same sentence in a recommendation passage is no conclusion
    rec = records(OVER, passage("recommendation", "所检测岗位检测结果均符合国家职业接触限值要求。"))
    assert check(rec, "i064_conclusion") == []


def test_exceedance_by_value_where_no_judgement_was_read():
    rows = [result("混合工", "矽尘", "", c=0.9, limit=0.7)]
    f = check(records(rows, passage("conclusion", "检测结果均符合职业接触限值要求。")), "i064_conclusion")
    assert codes(f) == ["report.conclusion_wrong"] and "0.9" in f[0].message


def test_conclusion_that_leaves_an_exceeding_post_out():
    summary = "本次共检测2个岗位，检测结果2项，其中符合职业接触限值要求1项，不符合1项。"
    f = check(records(OVER, passage("conclusion", summary)), "i064_conclusion_complete")
    assert codes(f) == ["report.conclusion_wrong"] and "混合工" in f[0].message and "未提及" in f[0].message
    assert {e.page for e in f[0].evidence} == {9, 10}
    for named in ("原料车间混合工矽尘(呼尘)的检测结果超过职业接触限值。", "混合机操作位粉尘浓度超过限值。",
                  "矽尘的检测结果不符合职业接触限值要求。"):
        assert check(records(OVER, passage("conclusion", summary, named)), "i064_conclusion_complete") == [], named
    # the conclusions not found: nothing said of them
    rec = records(OVER, passage("other", summary, heading=False))
    assert check(rec, "i064_conclusion_complete") == []
