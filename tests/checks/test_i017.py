"""i017/i018/i019 (checks/i017_qualification.py): the institution's qualification covers the
employer's industry, the measured factors, and the sampling dates."""
from __future__ import annotations

import pytest

from checks.base import CANNOT_DECIDE
from extractors.records import BundleRecords, PlanRecord, ReportRecord, SamplingSheet
from tests.checks.admin_records import codes, D, row, run, sheet, sub, V


def test_validity_flags_sampling_after_expiry():
    recs = BundleRecords(sampling_records=[sheet(D(2022, 6, 14), page=5), sheet(D(2022, 6, 15), page=6)],
                         report=ReportRecord(issue_date=V(D(2022, 6, 30), page=8), pages=(8,)))
    f = run(recs, sub(valid_from="2017-05-01", valid_to="2022-06-14"), only=["i019_qualification_validity"])
    assert codes(f) == [("qualification.expired", 19)]
    assert f[0].veto
    assert {e.page for e in f[0].evidence} == {6, 8}  # 2022-06-14 is the last valid day
    assert "2022年6月15日" in f[0].message and "2022年6月14日" in f[0].message


def test_validity_silent_inside_and_cannot_decide_without_registry_dates():
    recs = BundleRecords(sampling_records=[sheet(D(2022, 6, 14))])
    assert run(recs, only=["i019_qualification_validity"]) == []
    s = sub()
    del s["institution"]["valid_from"], s["institution"]["valid_to"]
    f = run(recs, s, only=["i019_qualification_validity"])
    assert codes(f) == [(CANNOT_DECIDE, 19)]
    assert "质控中心" in f[0].message


def test_validity_cannot_decide_without_dates():
    f = run(BundleRecords(sampling_records=[SamplingSheet(date=V(None, page=5), pages=(5,))]),
            only=["i019_qualification_validity"])
    assert codes(f) == [(CANNOT_DECIDE, 19)]


def test_registry_absent_is_said_once():
    recs = BundleRecords(sampling_records=[sheet()])
    s = {"bundle_id": "T", "institution": {"name": "某机构"}, "employer": {"industry_code": "C3391"}}
    f = run(recs, s, only=["i019_qualification_validity", "i018_qualification_factors", "i017_qualification_industry"])
    assert codes(f) == [(CANNOT_DECIDE, 17)]
    assert "17、18、19" in f[0].message



def _factor_records(*names, page=20):
    return BundleRecords(report=ReportRecord(results=[row(page=page, post="打磨工", factor=n) for n in names], pages=(page,)))


def test_factors_normalised_into_scope():
    recs = _factor_records("矽尘(呼尘)", "矽尘（总尘）", "铅烟", "铅尘", "氯化氢", "噪声", "二氧化锰", "苯")
    assert run(recs, only=["i018_qualification_factors"]) == []


@pytest.mark.parametrize("measured,scope", [("甲苯", ["苯", "二甲苯"]), ("二甲苯", ["甲苯"]), ("苯", ["甲苯", "二甲苯"]),
                                            ("乙苯", ["甲苯"]), ("甲醛", ["甲醇"])])
def test_factors_similar_names_do_not_match(measured, scope):
    f = run(_factor_records(measured), sub(scope={"industries": ["C33"], "factors": scope}), only=["i018_qualification_factors"])
    assert codes(f) == [("qualification.factor_out_of_scope", 18)]
    assert f[0].evidence[0].page == 20 and measured in f[0].message


def test_factors_ocr_variant_of_a_long_name_is_not_flagged_but_titles_are_ignored():
    recs = BundleRecords(
        report=ReportRecord(results=[row(page=20, factor="人造矿物纤维绝热棉粉坐")], pages=(20,)),
        sampling_records=[sheet(factors=("现场采样记录(化学因素)",))],
        detection_plan=PlanRecord(rows=[row(page=4, factor="职业病危害因素检测方案(续)")]),
    )
    assert run(recs, only=["i018_qualification_factors"]) == []


def test_factors_flag_one_out_of_scope_with_all_pages():
    recs = BundleRecords(
        report=ReportRecord(results=[row(page=20, factor="一氧化碳"), row(page=20, factor="噪声")], pages=(20,)),
        detection_plan=PlanRecord(rows=[row(page=4, factor="一氧化碳")]),
    )
    f = run(recs, only=["i018_qualification_factors"])
    assert codes(f) == [("qualification.factor_out_of_scope", 18)]
    assert [e.page for e in f[0].evidence] == [20, 4]


def test_factors_cannot_decide_without_scope():
    s = sub(scope={"industries": ["C33"]})
    f = run(_factor_records("噪声"), s, only=["i018_qualification_factors"])
    assert codes(f) == [(CANNOT_DECIDE, 18)]



def test_industry_code_inside_and_outside_scope():
    recs = BundleRecords()
    assert run(recs, only=["i017_qualification_industry"]) == []  # C3391 under C33
    s = sub()
    s["employer"]["industry_code"] = "C2621"
    f = run(recs, s, only=["i017_qualification_industry"])
    assert codes(f) == [("qualification.out_of_scope", 17)]
    assert "C2621" in f[0].message and "C33" in f[0].message
    s["employer"].pop("industry_code")
    assert codes(run(recs, s, only=["i017_qualification_industry"])) == [(CANNOT_DECIDE, 17)]
