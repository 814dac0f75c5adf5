"""Administrative checks (items 17, 18, 19, 25, 27, 28, 52, 75, 80) on hand-built records.

Each check fires on a bad case with the expected code, indicator and evidence page, stays
silent on a good one, and says "cannot decide" when a needed field is missing.
"""
from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from checks.base import CANNOT_DECIDE, run_checks
from extractors.slots import add_page_facts
from extractors.records import (BundleRecords, ContractRecord, ContractReviewRecord, DisclosureRecord, PhotoRecord,
                                PlanRecord, ReportRecord, Row, SamplingSheet, SurveyRecord, Val)
from pipeline.types import Line, Page, Section

D = dt.date


def V(value, page=1, bbox=(10.0, 10.0, 100.0, 20.0), conf=1.0, reason=None):
    if value is None:
        return Val(value=None, page=page, bbox=bbox, reason=reason or "not read")
    return Val(value=value, page=page, bbox=bbox, raw=str(value), conf=conf)


def row(page=1, bbox=(10.0, 100.0, 500.0, 112.0), **fields):
    return Row(fields={k: (f if isinstance(f, Val) else V(f, page=page, bbox=bbox)) for k, f in fields.items()},
               page=page, bbox=bbox)


def sub(**inst):
    base = {
        "certificate_no": "豫卫职技字〔2021〕第0012号",
        "valid_from": "2021-03-01", "valid_to": "2026-02-28",
        "scope": {"industries": ["C33", "C30"],
                  "factors": ["矽尘", "其他粉尘", "噪声", "苯", "铅及其无机化合物", "氯化氢及盐酸", "锰及其无机化合物",
                              "人造矿物纤维绝热棉粉尘"]},
    }
    base.update(inst)
    return {"bundle_id": "T-1", "institution": base, "employer": {"name": "某铸造有限公司", "industry_code": "C3391"}}


SECTIONS_ALL = [Section(type=t, pages=(p,)) for t, p in (
    ("contract", 1), ("contract_review", 2), ("field_survey", 3), ("detection_plan", 4), ("sampling_record", 5),
    ("report", 8), ("disclosure", 10), ("photos", 11))]


def run(records, submission=None, only=(), sections=SECTIONS_ALL, pages=()):
    # the slots and page words the extractors put on the records (extract_records does this)
    records = add_page_facts(records, pages)
    res = run_checks(records, submission if submission is not None else sub(), sections=sections, pages=pages,
                     only=list(only))
    assert not res.errors, res.errors
    return res.findings


def codes(findings):
    return [(f.code, f.indicator) for f in findings]


def sheet(date=D(2022, 6, 14), page=5, rows=(), factors=("矽尘(呼尘)",)):
    return SamplingSheet(date=V(date, page=page), factors=V(list(factors), page=page), rows=list(rows), pages=(page,))


# ------------------------------------------------------------------ 19 validity


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


# ------------------------------------------------------------------ 18 factors


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


# ------------------------------------------------------------------ 17 industry


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


# ------------------------------------------------------------------ 25 disclosure


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


# ------------------------------------------------------------------ 27 contract


def _contract(**kw):
    base = dict(contract_no=V("HT-2022-001"), service_content=V("职业病危害因素定期检测"), scope=V("厂区内各作业场所"),
                completion_time=V("现场采样结束后20个工作日内出具检测报告"),
                party_a_duties=[V("提供真实资料"), V("按约定支付费用")], party_b_duties=[V("按标准开展检测")], pages=(1, 2))
    base.update(kw)
    return BundleRecords(contract=ContractRecord(**base))


def test_contract_complete_and_incomplete():
    assert run(_contract(), only=["i027_contract_complete"]) == []
    f = run(_contract(completion_time=V(None)), only=["i027_contract_complete"])
    assert codes(f) == [("contract.incomplete", 27)]
    assert "完成时间" in f[0].message and f[0].evidence[0].page == 1


def test_contract_completion_time_inside_duties_and_payment_terms_do_not_count():
    ok = _contract(completion_time=V(None), party_b_duties=[V("自采样结束之日起30日内出具检测报告")])
    assert run(ok, only=["i027_contract_complete"]) == []
    bad = _contract(completion_time=V(None), party_b_duties=[V("按标准开展检测")],
                    party_a_duties=[V("于报告交付后十五个工作日内支付费用")])
    assert codes(run(bad, only=["i027_contract_complete"])) == [("contract.incomplete", 27)]


def test_contract_unread_layout_is_cannot_decide():
    f = run(_contract(service_content=V(None), scope=V(None), completion_time=V(None)), only=["i027_contract_complete"])
    assert codes(f) == [(CANNOT_DECIDE, 27)]
    # neither party's duties read (a joint clause not split): not judged as missing
    f = run(_contract(party_a_duties=[], party_b_duties=[]), only=["i027_contract_complete"])
    assert codes(f) == [(CANNOT_DECIDE, 27)]
    # one party's duties read and the other's not: a gap
    f = run(_contract(party_b_duties=[]), only=["i027_contract_complete"])
    assert codes(f) == [("contract.incomplete", 27)] and "乙方" in f[0].message
    # on a scan the other party's heading may just be misread (甲方 → 申方)
    f = run(_contract(party_a_duties=[]), only=["i027_contract_complete"], pages=[_ocr_page(1)])
    assert codes(f) == [(CANNOT_DECIDE, 27)]


# ------------------------------------------------------------------ 28 contract review


def _review(points=None, conclusion="经评审，依据的法律法规及标准现行有效，本机构具备相应的检测能力、人员和设备，同意承接。",
            date=D(2022, 6, 1)):
    pts = points if points is not None else {k: V(True, page=2) for k in ("legal_basis", "capability", "staff", "equipment")}
    return ContractReviewRecord(date=V(date, page=2), points=pts, conclusion=V(conclusion, page=2), pages=(2,))


def test_contract_review_missing_even_without_needs():
    secs = [s for s in SECTIONS_ALL if s.type != "contract_review"]
    f = run(BundleRecords(), only=["i028_contract_review_present"], sections=secs)
    assert codes(f) == [("contract_review.missing", 28)]
    assert f[0].evidence[0].page == 1


def test_contract_review_complete_incomplete_and_late():
    recs = BundleRecords(contract_review=_review(), sampling_records=[sheet(D(2022, 6, 14))])
    assert run(recs, only=["i028_contract_review_present"]) == []
    pts = {"legal_basis": V(True, page=2), "capability": V(True, page=2), "staff": V(True, page=2),
           "equipment": V(None, page=2)}
    recs = BundleRecords(contract_review=_review(pts, conclusion="经评审，同意承接本项目的检测工作。"),
                         sampling_records=[sheet(D(2022, 6, 14))])
    f = run(recs, only=["i028_contract_review_present"])
    assert codes(f) == [("contract_review.incomplete", 28)] and "设备" in f[0].message
    recs = BundleRecords(contract_review=_review(date=D(2022, 6, 20)), sampling_records=[sheet(D(2022, 6, 14), page=5)])
    f = run(recs, only=["i028_contract_review_present"])
    assert codes(f) == [("contract_review.after_sampling", 28)]
    assert [e.page for e in f[0].evidence] == [2, 5]


def test_contract_review_unread_is_cannot_decide():
    recs = BundleRecords(contract_review=None)
    assert codes(run(recs, only=["i028_contract_review_present"])) == [(CANNOT_DECIDE, 28)]


# ------------------------------------------------------------------ 52 report signatures


def _line(text, bbox, origin=None, conf=1.0):
    return Line(text=text, raw=text, bbox=bbox, conf=conf, origin=origin)


def _sig_page(issuer_image: str | None):
    lines = [
        _line("编制人:", (258, 451, 304, 466)), _line("日期:", (416, 451, 450, 466)),
        _line("审核人:", (258, 481, 304, 496)), _line("日期:", (416, 481, 450, 496)),
        _line("签发人:", (258, 511, 304, 526)), _line("日期:", (416, 511, 450, 526)),
        _line("陆峰志", (307, 448, 350, 469), "image", 0.99), _line("2022-08-15", (450, 454, 518, 468), "image"),
        _line("冯芳瑞", (316, 475, 361, 499), "image", 0.99), _line("2022-08-15", (450, 484, 516, 498), "image"),
    ]
    if issuer_image is not None:
        lines.append(_line(issuer_image, (310, 506, 360, 530), "image", 0.4))
    return Page(no=21, source="text", width=595, height=842, lines=tuple(lines))


def _signed_report(issuer: Val, team=None):
    if team is None:
        team = [row(page=21, name="冯芳瑞", role="项目负责人", specialty="预防医学"),
                row(page=21, name="陆峰志", role="采样、报告编写", specialty="环境工程")]
    return BundleRecords(report=ReportRecord(
        author=V("陆峰志", page=21, bbox=(258, 448, 450, 469)), reviewer=V("冯芳瑞", page=21, bbox=(258, 475, 450, 499)),
        issuer=issuer, team=team, pages=(18, 19, 20, 21)))


def test_report_signed_is_silent():
    recs = _signed_report(V("郝轩", page=21, bbox=(258, 506, 450, 530)))
    assert run(recs, only=["i052_report_signatures"], pages=[_sig_page("郝轩")]) == []


def test_report_issuer_slot_positively_empty():
    empty = Val(value=None, page=21, bbox=(258.0, 511.0, 450.0, 526.0), raw="签发人: 日期:", conf=0.9,
                reason="签发人 slot present but no name")
    f = run(_signed_report(empty), only=["i052_report_signatures"], pages=[_sig_page(None)])
    assert codes(f) == [("report.missing_signature", 52)]
    assert f[0].evidence[0].page == 21 and "签发人" in f[0].message


def test_report_issuer_slot_with_unresolved_mark_counts_as_signed():
    empty = Val(value=None, page=21, bbox=(258.0, 511.0, 450.0, 526.0), raw="签发人: 日期:", conf=0.9,
                reason="签发人 slot present but no name")
    # OCR saw a mark it could not resolve to a name (e.g. one character of it): signed
    assert run(_signed_report(empty), only=["i052_report_signatures"], pages=[_sig_page("乡")]) == []


def test_report_slot_that_cannot_be_judged_is_cannot_decide():
    # the "slot" is a sentence of the declaration page, where no signature was read
    decl = Val(value=None, page=19, bbox=(72.0, 208.0, 318.0, 223.0), raw="签发人签字无效。", conf=0.9,
               reason="签发人 slot present but no name")
    page19 = Page(no=19, source="text", width=595, height=842,
                  lines=(_line("2.本报告无编写人、审核人、签发人签字无效。", (72, 208, 318, 223)),))
    f = run(_signed_report(decl), only=["i052_report_signatures"], pages=[_sig_page(None), page19])
    assert codes(f) == [(CANNOT_DECIDE, 52)] and f[0].evidence[0].page == 19
    # an empty slot on a page where no other signature could be read either
    lone = Val(value=None, page=21, bbox=(258.0, 511.0, 450.0, 526.0), raw="签发人: 日期:", conf=0.9, reason="no name")
    recs = BundleRecords(report=ReportRecord(author=V("陆峰志", page=20), reviewer=V("冯芳瑞", page=20), issuer=lone,
                                             team=_signed_report(lone).report.team, pages=(20, 21)))
    assert codes(run(recs, only=["i052_report_signatures"], pages=[_sig_page(None)])) == [(CANNOT_DECIDE, 52)]


def test_report_team_member_without_specialty():
    team = [row(page=21, name="冯芳瑞", role="项目负责人", specialty="预防医学"),
            row(page=21, name="苏佳波", role="采样", specialty=Val(value=None, page=21, reason="cell specialty empty"))]
    f = run(_signed_report(V("郝轩", page=21), team), only=["i052_report_signatures"], pages=[_sig_page("郝轩")])
    assert codes(f) == [("report.team_incomplete", 52)]
    assert "苏佳波" in f[0].message and "专业" in f[0].message


# ------------------------------------------------------------------ 80 equipment


def _samp(pid, site, start, end, sid, page=9):
    return row(page=page, sample_id=sid, site=site, pump_id=pid, start=start, end=end, is_blank=V(False, page=page))


def test_pump_overlap_flagged_and_legit_uses_silent():
    bad = BundleRecords(sampling_records=[
        sheet(D(2022, 4, 15), page=9, rows=[_samp("YQ-20-392", "压缩机房", "13:22", "13:37", "S01"),
                                          _samp("YQ-20-392", "造气炉操作平台", "13:19", "13:34", "S02")])])
    f = run(bad, only=["i080_equipment_overlap"])
    assert codes(f) == [("equipment.overlapping_use", 80)] and f[0].veto
    assert {e.page for e in f[0].evidence} == {9} and "S01" in f[0].message and "YQ-20-392" in f[0].message
    good = BundleRecords(sampling_records=[
        sheet(D(2022, 4, 15), page=9, rows=[_samp("P1", "A", "08:00", "09:00", "S01"), _samp("P1", "B", "09:00", "10:00", "S02"),
                                          _samp("P2", "A", "08:00", "09:00", "S03"), _samp("P2", "A", "08:30", "09:00", "S04")]),
        sheet(D(2022, 4, 16), page=10, rows=[_samp("P1", "C", "08:10", "08:50", "S05")])])
    assert run(good, only=["i080_equipment_overlap"]) == []


# ------------------------------------------------------------------ 75 photos


def _photos(*stamps):
    return [PhotoRecord(caption=V(f"采样现场{i}", page=11), timestamp=V(s, page=11), page=11) for i, s in enumerate(stamps)]


def test_photo_dates_checked_against_field_work():
    base = dict(sampling_records=[sheet(D(2022, 4, 15), page=9)],
                field_survey=SurveyRecord(dates=[V(D(2022, 4, 7), page=3)]))
    ok = BundleRecords(photos=_photos("2022-04-07T08:40", "2022-04-15T10:12"), **base)
    assert run(ok, only=["i075_photo_times"]) == []
    bad = BundleRecords(photos=_photos("2022-04-15T10:12", "2022-04-12T08:36"), **base)
    f = run(bad, only=["i075_photo_times"])
    assert codes(f) == [("photos.timestamp_mismatch", 75)]
    assert f[0].evidence[0].page == 11 and "2022年4月12日" in f[0].message


def test_photo_check_cannot_decide_without_sampling_dates():
    recs = BundleRecords(photos=_photos("2022-04-12T08:36"), sampling_records=[SamplingSheet(date=V(None, page=9))])
    assert codes(run(recs, only=["i075_photo_times"])) == [(CANNOT_DECIDE, 75)]


def test_photo_stamps_explained_by_ocr_misreading_are_not_flagged():
    base = dict(sampling_records=[sheet(D(2022, 4, 18), page=9)],
                field_survey=SurveyRecord(dates=[V(D(2022, 4, 7), page=3)]))
    s = sub()
    s["received_at"] = "2023-05-10T10:00:00+08:00"
    # 2072 for 2022 (year misread), 04-16 for 04-18 (6/8), 2024-04-01: after the bundle was submitted
    recs = BundleRecords(photos=_photos("2072-04-07T08:40", "2022-04-16T10:12", "2024-04-01T09:00"), **base)
    assert run(recs, s, only=["i075_photo_times"]) == []
    # a shift that no single confused digit explains is still flagged
    recs = BundleRecords(photos=_photos("2022-04-25T10:12"), **base)
    assert codes(run(recs, s, only=["i075_photo_times"])) == [("photos.timestamp_mismatch", 75)]


def _ocr_page(no):
    return Page(no=no, source="ocr", width=595, height=842)


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
    lines = tuple(Line(text=t, raw=t, bbox=(50.0, 100.0 + 20 * i, 400.0, 115.0 + 20 * i), conf=1.0)
                  for i, t in enumerate(texts))
    return Page(no=no, source="ocr", width=595.0, height=842.0, lines=lines)


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


def test_scanned_photo_stamp_flagged_only_when_read_again_the_same():
    from checks.base import run_checks

    base = dict(sampling_records=[sheet(D(2022, 5, 9), page=9)],
                field_survey=SurveyRecord(dates=[V(D(2022, 4, 28), page=3)]))
    recs = BundleRecords(photos=_photos("2022-05-03T16:36"), **base)  # 9 read as 3 on the scan
    pages = [_ocr_page(11)]
    calls = []

    def reader(text):
        def rr(page, bbox):
            calls.append((page, bbox))
            return text
        return rr

    def go(rr):
        res = run_checks(recs, sub(), sections=SECTIONS_ALL, pages=pages, only=["i075_photo_times"], rereader=rr)
        return codes(res.findings)

    assert go(reader("2022-05-09 16:36")) == []  # the closer reading disagrees: no pre-flag
    assert calls and calls[0][0] == 11
    assert go(reader("2022-05-0316:36")) == [("photos.timestamp_mismatch", 75)]  # read twice the same
    assert go(reader(None)) == []  # cannot be read again: too unsure
    assert go(None) == [("photos.timestamp_mismatch", 75)]  # no re-reader: the first reading stands


def test_confirmed_rereads_scanned_dates_numbers_and_text():
    from checks.base import Ctx

    pages = {1: _ocr_page(1), 2: Page(no=2, source="text", width=595, height=842)}
    said = {}
    ctx = Ctx(BundleRecords(), {}, pages=pages, rereader=lambda page, bbox: said.get(page))
    said[1] = "接收日期 2022/06/13"
    assert ctx.confirmed(V(D(2022, 6, 13), page=1)) and not ctx.confirmed(V(D(2022, 6, 18), page=1))
    said[1] = "1.00"
    assert ctx.confirmed(V(1.0, page=1)) and not ctx.confirmed(V(100.0, page=1))
    said[1] = None
    assert not ctx.confirmed(V(1.0, page=1))  # cannot be read again: not confirmed
    assert ctx.confirmed(V(1.0, page=2))  # a text layer stands as read
    assert ctx.confirmed(Val(value=1.0, page=1, bbox=None, raw="1"))  # no box to read again
    assert Ctx(BundleRecords(), {}, pages=pages).confirmed(V(1.0, page=1))  # no re-reader
