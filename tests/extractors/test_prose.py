"""extractors/prose.py and forms/report.passages: the report's prose read with spaCy —
tokens, entities compared by key, claims with negation, passages under headings — on
wordings of both generated families and on others written here."""
from __future__ import annotations

import pytest

from extractors.forms.report import passages
from extractors.layout import grid
from extractors.prose import Lexicon, ProseReader, add_prose_facts, factor_key, nlp, post_key, read_passages
from extractors.records import BundleRecords, Paragraph, Passage, ReportRecord, Row, Val
from tests.synth import page, stacked_lines


def _row(**kw) -> Row:
    return Row(fields={k: Val(value=v, page=9, bbox=(10.0, 10.0, 50.0, 20.0), raw=str(v)) for k, v in kw.items()},
               page=9, bbox=(10.0, 10.0, 500.0, 20.0))


RESULTS = [_row(workshop="原料车间", post="混合工", site="混合机操作位", factor="矽尘(呼尘)", judgement="不合格"),
           _row(workshop="熔化车间", post="投料工", site="窑头投料口", factor="一氧化碳", judgement="合格"),
           _row(workshop="包装车间", post="包装工", site="包装线", factor="苯", judgement="合格")]
NOISE = [_row(post="配料工", site="配料称量皮带", judgement="不合格")]


@pytest.fixture(scope="module")
def reader() -> ProseReader:
    return ProseReader(Lexicon.for_bundle(BundleRecords(report=ReportRecord(results=RESULTS, noise=NOISE))))


def _claims(reader, text):
    doc = reader.doc(text)
    return [(c.kind, c.scope, c.count, sorted(m.key for m in c.mentions)) for c in reader.claims(doc, reader.mentions(doc), text)]


# ------------------------------------------------------------------ tokens and entities


def test_pipeline_is_blank_chinese_with_jieba_and_built_once():
    n, m = nlp()
    assert n.lang == "zh" and n.tokenizer.segmenter == "jieba" and n.pipe_names == []
    assert nlp()[0] is n  # cached per process
    assert len(m) >= 5


def test_names_are_tokens_of_their_own(reader):
    # jieba alone glues the post to the factor ("工矽尘") and 符合 to what follows
    words = [t.text for t in reader.doc("破碎车间混合工矽尘浓度符合国家职业接触限值要求")]
    assert "混合工" in words and "矽尘" in words and "符合" in words
    assert [t.text for t in reader.doc("检测结果不符合要求")][2:4] == ["不", "符合"]


def test_entities_compared_by_key(reader):
    doc = reader.doc("投料岗位与混合工的矽尘(总尘)、锰及噪声")
    got = {(m.label, m.key) for _, m in reader.mentions(doc)}
    assert ("POST", "投料") in got and ("POST", "混合") in got
    assert ("FACTOR", "矽尘") in got and ("FACTOR", "噪声") in got
    # GBZ aliases: 锰 is 锰及其无机化合物's, whichever way it is printed
    assert factor_key("锰") == factor_key("锰及其无机化合物（按MnO2计）") == "锰及其无机化合物"
    assert factor_key("矽尘（呼尘）") == factor_key("矽尘") == "矽尘"
    assert factor_key("二甲苯") == factor_key("二甲苯（全部异构体）")
    assert post_key("投料工") == post_key("投料岗位") == post_key("投料 岗") == "投料"
    assert post_key("电焊工") != post_key("焊工")


def test_site_and_its_equipment_name_one_site(reader):
    doc = reader.doc("建议对混合机加装密闭罩")
    assert [(m.label, m.key) for _, m in reader.mentions(doc)] == [("SITE", "混合机操作位")]


def test_survey_and_plan_names_enter_the_lexicon():
    from extractors.records import PlanRecord, SurveyRecord

    rec = BundleRecords(field_survey=SurveyRecord(posts=[_row(post="打磨工", factors="电焊烟尘、噪声")],
                                                  raw_materials=[_row(name="稀释剂")]),
                        detection_plan=PlanRecord(rows=[_row(post="喷漆工", site="喷漆房", factor="甲苯")]))
    r = ProseReader(Lexicon.for_bundle(rec))
    got = {(m.label, m.key) for _, m in r.mentions(r.doc("打磨岗位电焊烟尘与喷漆房甲苯，所用稀释剂"))}
    assert {("POST", "打磨"), ("FACTOR", "电焊烟尘"), ("SITE", "喷漆房"), ("FACTOR", "甲苯"),
            ("MATERIAL", "稀释剂")} <= got


# ------------------------------------------------------------------ claims, negation


@pytest.mark.parametrize("text, want", [
    # compliance for everything, several wordings
    ("所检测岗位的职业病危害因素检测结果均符合国家职业接触限值要求。", [("comply", "all", None, [])]),
    ("各检测点职业病危害因素浓度均未超过国家职业接触限值。", [("comply", "all", None, [])]),
    ("本次检测结果全部合格。", [("comply", "all", None, [])]),
    ("检测结果未发现超标。", [("comply", "all", None, [])]),
    ("经检测，各岗位接触水平没有超出职业接触限值。", [("comply", "all", None, [])]),
    ("检测结果未见不合格项。", [("comply", "all", None, [])]),
    # exceedance
    ("原料车间混合工矽尘(呼尘)的检测结果超过GBZ 2.1-2019规定的职业接触限值。",
     [("exceed", "named", None, ["原料车间", "混合", "矽尘"])]),
    ("配料工噪声L_EX,8h为86.8 dB(A)，超过GBZ 2.2-2007规定的85 dB(A)。", [("exceed", "named", None, ["噪声", "配料"])]),
    ("混合工岗位矽尘浓度不符合职业接触限值要求。", [("exceed", "named", None, ["混合", "矽尘"])]),
    ("检测结果未达标。", [("exceed", "all", None, [])]),
    # compliance for a named post or factor
    ("投料岗位一氧化碳浓度符合职业接触限值要求。", [("comply", "named", None, ["一氧化碳", "投料"])]),
    ("各岗位粉尘浓度均低于职业接触限值。", [("comply", "named", None, ["dust"])]),
    # counts, the rest, partial: never a claim for everything
    ("检测结果10项，其中符合职业接触限值要求8项，不符合2项。", [("comply", "count", 8, []), ("exceed", "count", 2, [])]),
    ("不符合0项。", [("exceed", "count", 0, [])]),
    ("10项检测结果中8项合格、2项不合格。", [("comply", "count", 8, []), ("exceed", "count", 2, [])]),
    ("除混合工矽尘超标外，其余岗位均符合要求。", [("exceed", "rest", None, ["混合", "矽尘"]), ("comply", "rest", None, [])]),
    ("其他岗位检测结果均合格。", [("comply", "rest", None, [])]),
    ("检测结果基本符合要求。", [("comply", "partial", None, [])]),
    # norms and aims are no statements; nor is compliance of something else than results
    ("用人单位应确保各岗位浓度不得超过职业接触限值。", []),
    ("各岗位浓度应符合GBZ 2.1-2019的要求。", []),
    ("本次检测的采样和分析方法符合国家标准要求。", []),
    # a rate is no claim
    ("对5个岗位的4种职业病危害因素进行了检测，合格率为90.0%（9/10）。", []),
    # classes: GBZ 2.1's chemical factors include dusts
    ("本次检测的化学有害因素及物理因素全部合格。", [("comply", "named", None, ["chemical", "physical"])]),
])
def test_claims(reader, text, want):
    assert _claims(reader, text) == want


def test_negation_turns_the_verb(reader):
    assert _claims(reader, "混合工矽尘浓度未超过限值")[0][0] == "comply"
    assert _claims(reader, "混合工矽尘浓度超过限值")[0][0] == "exceed"
    assert _claims(reader, "混合工矽尘浓度不超标")[0][0] == "comply"
    assert _claims(reader, "混合工矽尘浓度不合格")[0][0] == "exceed"
    assert _claims(reader, "混合工矽尘浓度合格")[0][0] == "comply"


# ------------------------------------------------------------------ passages and statements


def _pages(*texts_per_page):
    return [grid(page(i + 20, stacked_lines(ts, y0=80.0))) for i, ts in enumerate(texts_per_page)]


HEAD = ("某某职业卫生技术服务有限公司", "报告编号：AK-JC2022-294")


def test_passages_family_a_wording():
    gs = _pages(HEAD + ("4.3 工作场所噪声检测结果", "配料工 配料称量皮带 87.4 7 86.8 85 不合格", "五、结论",
                        "1．本次共检测4个岗位（工种），检测结果10项，其中符合职业接触限值要求8项，",
                        "不符合2项。", "2．原料车间混合工矽尘(呼尘)的检测结果超过GBZ 2.1-2019规定的职业接触限值。",
                        "第 5 页 共 6 页"),
                HEAD + ("六、建议", "1．加强职业病防护设施的日常维护和检修，确保其正常运行。",
                        "2．超标原因分析：混合工矽尘(呼尘)超标，主要原因为局部排风设施风量不足；建议对混",
                        "合机操作位增设局部排风设施。", "（以下空白）", "第 6 页 共 6 页"))
    ps = passages(gs)
    parts = [(p.part, p.heading.value) for p in ps]
    assert ("conclusion", "结论") in parts and ("recommendation", "建议") in parts
    concl = next(p for p in ps if p.part == "conclusion")
    assert [len(par.lines) for par in concl.paragraphs] == [2, 1]  # a wrapped item stays one paragraph
    assert not any("第 5 页" in v.value or "报告编号" in v.value for p in ps for par in p.paragraphs for v in par.lines)
    rec = BundleRecords(report=ReportRecord(results=RESULTS, noise=NOISE, passages=ps))
    st = add_prose_facts(rec).report.statements
    recs = [s for s in st if s.part == "recommendation"]
    # the cause stated in the 建议 passage is a cause, not a recommendation; the 建议 after it is
    assert [(s.cause, s.recommends) for s in recs] == [(False, True), (True, False), (False, True)]
    assert {(m.label, m.key) for m in recs[2].mentions} == {("SITE", "混合机操作位")}
    assert recs[1].text.page == 21 and recs[1].text.bbox is not None
    concl_st = [s for s in st if s.part == "conclusion"]
    assert concl_st[0].text.value.startswith("本次共检测") and concl_st[0].text.page == 20


def test_passages_family_b_and_other_wordings():
    gs = _pages(("表2 工作场所噪声检测结果", "5 结论与建议", "5.1 结论",
                 "1. 各检测点职业病危害因素浓度均未超过国家职业接触限值。", "5.2 建议",
                 "（1）建议定期体检", "（2）加强个体防护", "（三）超标原因分析",
                 "配料工噪声超标。其原因为设备老化、缺少隔声罩。", "七、附件"))
    ps = passages(gs)
    assert [(p.part, p.heading.value) for p in ps] == [
        ("other", None), ("conclusion_recommendation", "结论与建议"), ("conclusion", "结论"),
        ("recommendation", "建议"), ("cause", "超标原因分析"), ("other", "附件")]
    rec_p = ps[3]
    # "（1）建议定期体检" is an item of the list, not a heading
    assert [par.text for par in rec_p.paragraphs] == ["（1）建议定期体检", "（2）加强个体防护"]
    st = read_passages(ps, Lexicon.for_bundle(BundleRecords(report=ReportRecord(results=RESULTS, noise=NOISE))))
    cause = [s for s in st if s.part == "cause"]
    # the sentence naming nothing takes the names of the sentence before it
    assert all(s.cause for s in cause) and ("POST", "配料") in {(m.label, m.key) for m in cause[1].mentions}


def test_labelled_conclusion_outside_a_heading():
    ps = [Passage(part="other", paragraphs=[Paragraph(lines=[Val(value="检测结论：所检岗位检测结果均符合职业接触限值要求。",
                                                                 page=2, bbox=(1.0, 1.0, 2.0, 2.0))])])]
    (s,) = read_passages(ps, Lexicon())
    assert s.part == "conclusion" and [(c.kind, c.scope) for c in s.claims] == [("comply", "all")]


def test_a_recommendation_to_analyse_is_no_analysis():
    ps = [Passage(part="recommendation", heading=Val(value="建议", page=3),
                  paragraphs=[Paragraph(lines=[Val(value="建议对混合工岗位矽尘超标的原因进行分析。", page=3)])])]
    (s,) = read_passages(ps, Lexicon.for_bundle(BundleRecords(report=ReportRecord(results=RESULTS))))
    assert s.recommends and not s.cause
