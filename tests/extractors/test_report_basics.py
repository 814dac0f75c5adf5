"""The report's basis list, basics and raw materials, and the survey's headcount and output
(``extractors/forms/_report_basics.py``), read from synthetic pages in several
institutions' wordings and layouts, as a text layer and as OCR output."""
from __future__ import annotations

import pytest

from extractors import extract_records
from extractors.forms._report_basics import material_items, parse_amount, same_amount, standard_codes, title_code
from extractors.records import ValState
from pipeline.types import Section
from tests.synth import grid_page


def report(rows, source="text"):
    pg = grid_page(8, rows, source=source)
    return extract_records([pg], [Section(type="report", pages=(8,))]).report


def survey(rows, source="text"):
    pg = grid_page(3, rows, source=source)
    return extract_records([pg], [Section(type="field_survey", pages=(3,))]).field_survey


@pytest.mark.parametrize("text, want", [
    ("GBZ 159-2004《工作场所空气中有害物质监测的采样规范》", [("GBZ 159", 2004)]),
    ("《工作场所空气中有害物质监测的采样规范》（GBZ 159—2004）", [("GBZ 159", 2004)]),
    ("GBZ 2.1—2019 工作场所有害因素职业接触限值", [("GBZ 2.1", 2019)]),
    ("ＧＢＺ　２．２－２００７", [("GBZ 2.2", 2007)]),
    ("GBZ/T 300.37-2017、GBZ/T 160.29-2004", [("GBZ/T 300.37", 2017), ("GBZ/T 160.29", 2004)]),
    ("GB2 l59-2004", [("GBZ 159", 2004)]),  # OCR: Z read as 2, 1 as l
    ("GBZ 2.1", [("GBZ 2.1", None)]),
    ("GB/T 8170-2008 数值修约规则", [("GB/T 8170", 2008)]),
    ("《中华人民共和国职业病防治法》", []),
])
def test_standard_codes(text, want):
    assert standard_codes(text) == want


def test_title_alone_names_its_standard():
    assert title_code("《工作场所空气中有害物质监测的采样规范》") == "GBZ 159"
    assert title_code("工作场所有害因素职业接触限值 第2部分：物理因素") == "GBZ 2.2"
    assert title_code("《工作场所职业卫生管理规定》") is None


@pytest.mark.parametrize("text, want", [
    ("1200t/a", (1200.0, "t/a")), ("1200 吨/年", (1200.0, "t/a")), ("18 万t/a", (180000.0, "t/a")),
    ("年用量1.2万吨", (12000.0, "t/a")), ("500kg/月", (0.5, "t/month")), ("副产", None), ("/", None),
    ("2000 m³/a", (2000.0, "m³/a")),
])
def test_parse_amount(text, want):
    assert parse_amount(text) == want


def test_same_amount_by_value_and_unit():
    assert same_amount((1200.0, "t/a"), (1200.0, "t")) is True
    assert same_amount((1200.0, "t/a"), (800.0, "t/a")) is False
    assert same_amount((1200.0, "t/a"), (100.0, "t/month")) is True
    assert same_amount((1200.0, "t/a"), (1200.0, "件/a")) is None


def test_material_items_from_prose():
    assert material_items("石英砂（1200t/a）、膨润土80吨/年、煤粉，年用量50t") == [
        ("石英砂", "1200t/a"), ("膨润土", "80吨/年"), ("煤粉", "年用量50t")]


BASIS_A = ["一、项目概况", [(54, "该单位劳动定员320人，年产水泥8万吨。检测期间生产设备正常运行，生产负荷约85%。")],
           "二、检测依据", [(54, "1．《中华人民共和国职业病防治法》")],
           [(54, "2．GBZ 159-2004《工作场所空气中有害物质监测的采样规范》")],
           [(54, "3．《工作场所有害因素职业接触限值 第1部分：化学有害因素》（GBZ 2.1—2019）")],
           [(54, "4．GBZ/T 300.37-2017")],
           "三、检测范围及内容", [(54, "本次检测范围为……")]]


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_basis_list_read_to_its_end(source):
    r = report(BASIS_A, source)
    assert [c.code for c in r.basis] == ["GBZ 159", "GBZ 2.1", "GBZ/T 300.37"]
    assert r.basis_place.state is ValState.READ and r.basis_place.value == "检测依据"
    assert r.basis[0].text.page == 8 and r.basis[0].text.bbox is not None


def test_two_basis_subheadings_and_a_title_only_item():
    rows = ["2.1 检测依据", [(54, "（1）GBZ 159—2004")], "2.2 评价依据",
            [(54, "（1）工作场所有害因素职业接触限值 第2部分：物理因素")], "3 检测结果"]
    r = report(rows)
    assert {c.code for c in r.basis} == {"GBZ 159", "GBZ 2.2"} and r.basis_place.ok


def test_inline_basis_line():
    r = report(["检测依据：GBZ 159-2004、GBZ 2.1-2019、GBZ/T 192.1-2007", "三、检测结果"])
    assert [c.code for c in r.basis] == ["GBZ 159", "GBZ 2.1", "GBZ/T 192.1"]


def test_no_basis_heading_is_absent_and_list_to_the_end_unknown():
    assert report(["一、项目概况", [(54, "受委托……")]]).basis_place.state is ValState.ABSENT
    r = report(["二、检测依据", [(54, "1．GBZ 159-2004")]])
    assert r.basis_place.state is ValState.UNKNOWN and [c.code for c in r.basis] == ["GBZ 159"]


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_report_basics_in_prose(source):
    r = report(BASIS_A, source)
    assert r.basics["headcount"].value == 320
    assert [(x.value("amount"), x.value("unit")) for x in r.output] == [(80000.0, "t/a")]
    assert "生产负荷约85%" in r.basics["operating"].value


def test_headcount_not_read_from_exposed_workers_or_post_tables():
    r = report([[(54, "接触职业病危害因素劳动者人数45人。")],
                [(50, "岗位"), (150, "劳动定员"), (250, "工作班制")], [(50, "混砂工"), (150, "4"), (250, "两班制")]])
    assert "headcount" not in r.basics


def test_survey_basics_in_a_label_grid():
    s = survey(["职业卫生现场调查记录", [(50, "在册职工"), (120, "230人"), (300, "规 模"), (370, "中型")],
                [(50, "产品及产能"), (120, "水泥，年产5万吨")]])
    assert s.basics["headcount"].value == 230 and s.basics["size"].value == "中型"
    assert [(x.value("amount"), x.value("unit")) for x in s.output] == [(50000.0, "t/a")]


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_report_materials_table(source):
    rows = ["三、主要原辅材料", [(50, "名称"), (200, "年用量"), (330, "主要成分")],
            [(50, "石英砂"), (200, "1200 吨/年"), (330, "SiO2")], [(50, "膨润土"), (200, "80t/a"), (330, "硅铝酸盐")],
            "四、检测结果"]
    r = report(rows, source)
    assert [(x.value("name"), x.value("amount"), x.value("unit")) for x in r.materials] == [
        ("石英砂", 1200.0, "t/a"), ("膨润土", 80.0, "t/a")]
    assert r.materials_place.ok


def test_report_materials_prose_and_empty_heading():
    r = report([[(54, "该单位主要原辅材料为石英砂（1200t/a）、膨润土（80t/a）。")]])
    assert [(x.value("name"), x.value("amount")) for x in r.materials] == [("石英砂", 1200.0), ("膨润土", 80.0)]
    r = report(["三、主要原辅材料", "四、检测结果"])
    assert r.materials == [] and r.materials_place.state is ValState.EMPTY
    assert report(["一、项目概况"]).materials_place.state is ValState.ABSENT


def test_basis_as_a_table_and_two_labels_for_one_figure():
    rows = ["二、引用文件", [(50, "序号"), (100, "标准名称"), (330, "标准编号")],
            [(50, "1"), (100, "工作场所空气中有害物质监测的采样规范"), (330, "GBZ 159-2004")],
            [(50, "2"), (100, "工作场所有害因素职业接触限值 第1部分：化学有害因素"), (330, "GBZ 2.1-2019")],
            "三、检测结果", [(54, "企业现有劳动者186名，生产规模为年产铸件5000吨。")]]
    r = report(rows)
    assert {c.code for c in r.basis} == {"GBZ 159", "GBZ 2.1"} and r.basis_place.ok
    assert r.basics["headcount"].value == 186
    assert [(x.value("amount"), x.value("unit")) for x in r.output] == [(5000.0, "t/a")]


def test_material_items_with_components_in_brackets():
    t = ("聚氨酯漆（36吨/年，含甲苯、二甲苯，苯≤0.3%）、稀释剂（18吨/年，甲苯、二甲苯）、"
         "脲醛树脂胶（年用量25吨，含游离甲醛≤0.3%）、脱硫剂（栲胶）50 t/a")
    items = material_items(t)
    assert [n for n, _ in items] == ["聚氨酯漆", "稀释剂", "脲醛树脂胶", "脱硫剂(栲胶)"]
    assert [parse_amount(a) for _, a in items] == [(36.0, "t/a"), (18.0, "t/a"), (25.0, "t/a"), (50.0, "t/a")]


def test_materials_sentence_under_a_subheading():
    r = report(["1.1 主要原辅材料", [(54, "该单位使用的主要原辅材料有：石英砂（16万吨/年，SiO2 约 98%）、纯碱（年用量4.5")],
                [(54, "万吨，Na2CO3）。")], "二、检测依据"])
    assert [(x.value("name"), x.value("amount")) for x in r.materials] == [("石英砂", 160000.0), ("纯碱", 45000.0)]


def test_materials_label_with_colons_and_a_basics_grid():
    r = report(["1.1 用人单位基本情况", [(50, "劳动者总数"), (200, "112人")], [(50, "生产规模"), (200, "21000 t/a")],
                [(50, "检测期间运行工况"), (200, "正常生产，生产负荷约80%")],
                "1.2 原辅材料及用量", [(54, "主要原辅材料及年用量：聚氨酯漆：36吨/年；稀释剂：18吨/年；固化剂：9 吨/a。")],
                "二、检测依据"])
    assert [(x.value("name"), x.value("amount")) for x in r.materials] == [("聚氨酯漆", 36.0), ("稀释剂", 18.0),
                                                                            ("固化剂", 9.0)]
    assert r.basics["headcount"].value == 112 and "80%" in r.basics["operating"].value
    assert [(x.value("amount"), x.value("unit")) for x in r.output] == [(21000.0, "t/a")]


def test_a_posts_staffing_is_no_headcount():
    r = report([[(54, "喷漆工劳动定员3人，两班制；调漆工岗位定员2人。")]])
    assert "headcount" not in r.basics


def test_list_ends_at_a_heading_with_item_words_and_a_conclusion_is_no_basis():
    rows = ["二、检测依据和评价依据", [(54, "（1）GBZ 159—2004 工作场所空气中有害物质监测的采样规范")],
            [(54, "（2）GBZ/T 300.66—2017")], "三、检测项目、方法与仪器", [(54, "危害因素 方法")],
            "五、结论", [(54, "1. 依据GBZ 2.1-2019、GBZ 2.2-2007判定，11项检测结果均符合要求。")]]
    r = report(rows)
    assert [c.code for c in r.basis] == ["GBZ 159", "GBZ/T 300.66"] and r.basis_place.ok
    assert r.basis[1].text.raw == "（2）GBZ/T 300.66—2017" or "三" not in r.basis[1].text.raw


def test_a_workshop_named_after_raw_materials_is_no_heading():
    r = report([[(50, "原料车间")], [(54, "配料工 3 8 矽尘")], "三、检测结果"])
    assert r.materials_place.state is ValState.ABSENT
    r = report(["1.2 原辅材料及用量情况", [(54, "石英砂1200吨/年。")], "二、检测依据"])
    assert [(x.value("name"), x.value("amount")) for x in r.materials] == [("石英砂", 1200.0)]


def test_material_name_with_a_grade():
    assert material_items("铝锭 ADC12（3000t/a）、脱模剂（12 t/a）") == [("铝锭 ADC12", "3000t/a"), ("脱模剂", "12 t/a")]
