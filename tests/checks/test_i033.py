"""i033_component_analysis (checks/i033_component_analysis.py): a dust whose limit depends on
its free-SiO2 content, tested with no content anywhere in the bundle."""
from __future__ import annotations

import pytest

from extractors import extract_records
from extractors.records import BundleRecords, LabSheet, PlanRecord, ReportRecord, Row, SurveyRecord, Val
from tests.checks.people_records import V, codes, run
from tests.checks.runner import findings_of
from tests.synth import grid_page, section_pages

ONLY = ["i033_component_analysis"]
CODE = ("survey.no_sio2_analysis", 33)


def result(factor, page=10):
    return Row(fields={"factor": V(factor, page=page), "post": V("破碎工", page=page)}, page=page,
               bbox=(10.0, 100.0, 500.0, 112.0))


def sio2(x, page=3):
    return Row(fields={"value": V(x, page=page)}, page=page, bbox=(10.0, 100.0, 500.0, 112.0))


def recs(factors, *, survey_sio2=(), report_sio2=(), plan_sio2=(), labs=()):
    return BundleRecords(field_survey=SurveyRecord(sio2_pct=list(survey_sio2), pages=(3,)),
                         detection_plan=PlanRecord(sio2_pct=list(plan_sio2), pages=(4,)),
                         lab_sheets=list(labs),
                         report=ReportRecord(results=[result(f) for f in factors], sio2_pct=list(report_sio2),
                                             pages=(10,)))


@pytest.mark.parametrize("factor", ["矽尘(总尘)", "矽尘（呼尘）", "煤尘", "水泥粉尘(总尘)", "其他粉尘"])
def test_dust_tied_to_sio2_without_a_content(factor):
    f = run(recs([factor, "噪声"]), ONLY)
    assert codes(f) == [CODE]
    assert factor.split("(")[0].split("（")[0] in f[0].message and "游离SiO2" in f[0].message
    assert f[0].pages == (3, 10)


@pytest.mark.parametrize("factor", ["铝尘(总尘)", "电焊烟尘", "木粉尘", "大理石粉尘", "苯", "噪声"])
def test_dust_the_table_does_not_tie_to_sio2(factor):
    assert run(recs([factor]), ONLY) == []


def test_a_content_anywhere_is_enough():
    assert run(recs(["矽尘(总尘)"], survey_sio2=[sio2(32.4)]), ONLY) == []
    assert run(recs(["矽尘(总尘)"], report_sio2=[sio2(32.4, page=10)]), ONLY) == []
    assert run(recs(["矽尘(总尘)"], plan_sio2=[sio2(32.4, page=4)]), ONLY) == []
    lab = LabSheet(factor=V("游离二氧化硅", page=8), method=V("焦磷酸法", page=8), pages=(8,))
    assert run(recs(["矽尘(总尘)"], labs=[lab]), ONLY) == []
    # the survey names the analysis, its number unread: not proven missing
    named = Row(fields={"value": Val(value=None, page=3, raw="游离SiO2含量测定结果见附件", reason="no number")}, page=3)
    assert run(recs(["矽尘(总尘)"], survey_sio2=[named]), ONLY) == []
    # a plan that only says it will measure is no result
    will = Row(fields={"value": Val(value=None, page=4, raw="粉尘测定游离SiO2含量", reason="no number")}, page=4)
    assert codes(run(recs(["矽尘(总尘)"], plan_sio2=[will]), ONLY)) == [CODE]


def test_report_not_read_is_cannot_decide():
    r = BundleRecords(field_survey=SurveyRecord(pages=(3,)),
                      detection_plan=PlanRecord(rows=[Row(fields={"factor": V("矽尘(总尘)", page=4),
                                                                  "mode": V("定点", page=4)}, page=4)], pages=(4,)))
    f = run(r, ONLY)
    assert [x.code for x in f] == ["check.cannot_decide"]


# ------------------------------------------------------------------ from pages


@pytest.mark.parametrize("source", ["text", "ocr"])
@pytest.mark.parametrize("lines,stated", [
    (["六、游离SiO2含量", "游离SiO2含量测定结果：32.4%"], True),
    (["本次调查采集沉积尘样品，按焦磷酸法测定游离SiO2含", "量为 32.4%。"], True),  # prose wrapped mid-word
    (["粉尘中游离二氧化硅含量(%)：", "41.6"], True),  # a number without % on the next line: the analysis is named
    (["主要原辅材料：石英砂、长石", "职业病危害因素：矽尘、噪声"], False),
    # the place of the content printed blank, or the text saying it was not measured
    (["七、粉尘中游离二氧化硅含量", "游离SiO2含量测定结果：/"], False),
    (["6  游离二氧化硅", "本次调查未测定游离SiO2含量。"], False),
])
def test_survey_statements_read_from_pages(source, lines, stated):
    survey = ["现场调查记录", [(50, "用人单位"), (130, "某某陶瓷有限公司")]] + lines + ["调查人:冯瑞红 田泽彬"]
    report = ["检测报告", [(50, "岗位"), (130, "检测项目"), (250, "C_TWA"), (350, "PC-TWA")],
              [(50, "破碎工"), (130, "矽尘(总尘)"), (250, "0.52"), (350, "1")]]
    pages, secs = section_pages({"field_survey": [survey], "report": [report]},
                                lambda no, rows: grid_page(no, rows, source=source))
    rec = extract_records(pages, secs, staff=["冯瑞红", "田泽彬"])
    assert any(not r.get("value").empty for r in rec.field_survey.sio2_pct) == stated
    f = findings_of(rec, {"bundle_id": "T"}, ONLY, sections=secs, pages=pages)
    assert codes(f) == ([] if stated else [CODE])
