"""The field survey's parts (item 31), blank work-day cells (item 34) and hazard items
(item 59), read from synthetic pages in several institutions' wordings and layouts, as a
text layer and as OCR output."""
from __future__ import annotations

import pytest

from extractors import extract_records
from extractors.forms._survey_parts import split_items
from extractors.records import ValState
from pipeline.types import Section
from tests.synth import grid_page

SIGN = [(50, "调查人员:"), (300, "陪同人:")]


def survey(rows, source="text", pages=None):
    pgs = pages or [grid_page(3, rows, source=source)]
    recs = extract_records(pgs, [Section(type="field_survey", pages=tuple(p.no for p in pgs))])
    return recs.field_survey


HEADER = [
    "职业卫生现场调查记录",
    [(50, "用人单位"), (120, "汇丰机械铸造有限公司"), (300, "调查日期"), (370, "2022年8月10日")],
    [(50, "单位地址"), (120, "平顶山市湛河区工业园区86号"), (300, "联系人"), (370, "曾琪旭")],
    [(50, "企业规模"), (120, "小型"), (300, "劳动定员"), (370, "62人")],
]


def numbered(process="废钢→熔炼→浇注→落砂→清理", equipment="中频炉2台、混砂机2台",
             protect="混砂、落砂设布袋除尘器；配发防尘口罩、耳塞"):
    rows = list(HEADER)
    for head, body in (("二、生产工艺流程", process), ("三、主要生产设备", equipment),
                       ("四、职业病防护设施及个体防护用品配备情况", protect)):
        rows.append(head)
        if body is not None:
            rows.append([(54, body)])
    rows += ["五、岗位设置及职业病危害因素分布", SIGN]
    return rows


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_all_parts_read_when_filled(source):
    s = survey(numbered(), source)
    assert {k: v.state for k, v in s.parts.items()} == {k: ValState.READ for k in s.parts}
    assert s.parts["equipment"].value == "中频炉2台、混砂机2台"
    assert s.parts["headcount"].value == "62人" and s.parts["employer_name"].value == "汇丰机械铸造有限公司"


@pytest.mark.parametrize("source", ["text", "ocr"])
@pytest.mark.parametrize("blank", [None, "/", "—", "——"])
def test_blank_part_under_its_heading_is_empty(source, blank):
    s = survey(numbered(equipment=blank), source)
    v = s.parts["equipment"]
    assert v.state is ValState.EMPTY and v.page == 3 and v.bbox is not None
    assert v.raw.startswith("三、主要生产设备")
    assert s.parts["process"].state is ValState.READ and s.parts["ppe"].state is ValState.READ


def test_one_heading_for_two_parts_blank_makes_both_empty():
    s = survey(numbered(protect="/"))
    assert s.parts["facilities"].state is ValState.EMPTY and s.parts["ppe"].state is ValState.EMPTY
    assert s.parts["facilities"] == s.parts["ppe"]


def test_other_wordings_and_grid_layout():
    """Another institution: a grid of label cell | content cell, headings worded
    differently, PPE apart from the facilities."""
    rows = [
        "用人单位职业卫生现场调查表",
        [(50, "单位名称"), (120, "金盛家具有限公司"), (300, "职工总数"), (370, "45 人")],
        [(50, "企业地址"), (120, "郑州市中原区建设路8号"), (300, "单位规模"), (370, "中型")],
        [(50, "工艺流程简介"), (140, "开料→封边→喷漆→晾干→组装")],
        [(50, "主要设备"), (140, "/")],
        [(50, "防尘防毒设施"), (140, "喷漆房水帘+活性炭吸附")],
        [(50, "个人防护用品"), (140, "防毒面具、防护手套")],
        SIGN,
    ]
    s = survey(rows)
    assert s.parts["process"].state is ValState.READ
    assert s.parts["equipment"].state is ValState.EMPTY
    assert s.parts["facilities"].value == "喷漆房水帘+活性炭吸附"
    assert s.parts["ppe"].value == "防毒面具、防护手套"
    # the title (用人单位职业卫生现场调查表) is no 用人单位 label
    assert s.parts["employer_name"].value == "金盛家具有限公司"
    assert s.parts["headcount"].value == "45人" and s.parts["scale"].value == "中型"


def test_inline_heading_and_colon():
    rows = HEADER + ["1. 生产工艺：开料→喷漆→组装", "2. 主要生产设备：", "3. 职业病防护设施：水帘喷漆房",
                     "4. 个体防护用品：/", SIGN]
    s = survey(rows)
    assert s.parts["process"].value == "开料→喷漆→组装"
    assert s.parts["equipment"].state is ValState.EMPTY
    assert s.parts["facilities"].state is ValState.READ
    assert s.parts["ppe"].state is ValState.EMPTY


def test_blank_basics_label():
    rows = [HEADER[0], HEADER[1], [(50, "单位地址"), (300, "联系人"), (370, "曾琪旭")],
            [(50, "企业规模"), (120, "/"), (300, "劳动定员"), (370, "62人")], "二、生产工艺流程", [(54, "熔炼→浇注")], SIGN]
    s = survey(rows)
    assert s.parts["address"].state is ValState.EMPTY and s.parts["address"].raw == "单位地址"
    assert s.parts["scale"].state is ValState.EMPTY
    assert s.parts["headcount"].value == "62人"


def test_heading_ending_its_page_is_unknown_not_empty():
    """The content may run on the next page: not known blank."""
    rows = HEADER + ["二、生产工艺流程", [(54, "熔炼→浇注")], "三、主要生产设备"]
    s = survey(rows)
    assert s.parts["equipment"].state is ValState.UNKNOWN


def test_parts_not_on_the_form_are_absent():
    s = survey(HEADER + [SIGN])
    assert s.parts["process"].state is ValState.ABSENT and s.parts["ppe"].state is ValState.ABSENT


def test_content_that_mentions_a_heading_word_is_content():
    """A content line naming 防护用品 in a list is no heading: the part above it is filled."""
    rows = HEADER + ["四、职业病防护设施", [(54, "设布袋除尘器、配发个体防护用品")], "五、岗位设置", SIGN]
    s = survey(rows)
    assert s.parts["facilities"].state is ValState.READ


def test_equipment_given_as_a_table_under_its_heading():
    rows = HEADER + ["三、主要生产设备", [(54, "设备名称"), (200, "数量"), (300, "型号")],
                     [(54, "中频炉"), (200, "2台"), (300, "GW-1.5")], "四、职业病防护设施", [(54, "布袋除尘器")], SIGN]
    s = survey(rows)
    assert s.parts["equipment"].state is ValState.READ


WORKDAY = [
    "工作日写实记录",
    [(50, "序号"), (90, "岗位(工种)"), (170, "人数"), (210, "工作班制"), (290, "接触时间(h)"), (370, "工作内容及时间分配(写实)")],
    [(55, "1"), (90, "抛丸工"), (175, "2"), (210, "两班制"), (300, "8"), (370, "上下料、操作抛丸机")],
    [(55, "2"), (90, "落砂工"), (175, "{n}"), (210, "常白班"), (300, "{h}"), (370, "落砂、清理浇冒口")],
    SIGN,
]


def workday(n="8", h="6", source="text", head=None):
    rows = [r if isinstance(r, str) else [(x, t.format(n=n, h=h)) for x, t in r] for r in WORKDAY]
    if head:
        rows[1] = head
    return survey(rows, source).workday


@pytest.mark.parametrize("source", ["text", "ocr"])
@pytest.mark.parametrize("mark", ["", "/", "—"])
def test_blank_workday_cells_are_empty_with_the_cell_box(source, mark):
    w = workday(n=mark, source=source)
    assert [r.value("post") for r in w] == ["抛丸工", "落砂工"]
    v = w[1].get("workers")
    assert v.state is ValState.EMPTY and v.page == 3
    # the box is the cell's, under its column title, on the row's line
    assert v.bbox[0] < 185 and v.bbox[2] > 170 and v.bbox[1] >= w[1].bbox[1] - 1
    assert w[1].get("exposure_hours").value == 6.0 and w[0].get("workers").value == 2.0
    w = workday(h=mark, source=source)
    assert w[1].get("exposure_hours").state is ValState.EMPTY and w[1].get("workers").value == 8.0


def test_workday_other_titles():
    head = [(50, "序号"), (90, "岗位(工种)"), (170, "接触人数"), (210, "班制"), (290, "接害时间h/班"), (370, "作业内容及接触方式")]
    w = workday(n="/", head=head)
    assert w[1].get("workers").state is ValState.EMPTY and w[0].get("exposure_hours").value == 8.0


def test_unparsed_cell_is_not_blank():
    w = workday(n="约")
    assert w[1].get("workers").state is ValState.UNKNOWN


def test_hazard_items_of_posts_and_materials():
    rows = [
        "现场调查记录",
        "一、主要原辅材料及用量",
        [(50, "序号"), (90, "名称"), (170, "年用量"), (250, "主要成分")],
        [(55, "1"), (90, "稀释剂"), (170, "18 t/a"), (250, "甲苯、二甲苯、乙酸丁酯")],
        [(55, "2"), (90, "焊丝"), (170, "2 t/a"), (250, "含锰(Mn)约1.5%")],
        "三、主要生产设备",
        [(54, "喷漆房3间")],
        [(50, "车间"), (120, "岗位(工种)"), (200, "工作地点"), (290, "劳动定员"), (360, "接触时间(h/班)"), (440, "职业病危害因素")],
        [(50, "涂装车间"), (120, "喷漆工"), (200, "喷漆房"), (290, "4"), (360, "8"), (440, "苯、甲苯、二甲苯")],
        SIGN,
    ]
    s = survey(rows)
    got = [(f.source, f.where.value, f.name.value) for f in s.factors]
    assert got == [("post", "喷漆工", "苯"), ("post", "喷漆工", "甲苯"), ("post", "喷漆工", "二甲苯"),
                   ("material", "稀释剂", "甲苯"), ("material", "稀释剂", "二甲苯"), ("material", "稀释剂", "乙酸丁酯"),
                   ("material", "焊丝", "含锰(Mn)约1.5%")]
    assert all(f.name.page == 3 and f.name.bbox is not None for f in s.factors)
    # each item boxed where it stands in its cell
    xs = [f.name.bbox[0] for f in s.factors if f.source == "post"]
    assert xs == sorted(xs) and len(set(xs)) == 3
    # the material table ends at the next part's heading
    assert [r.value("name") for r in s.raw_materials] == ["稀释剂", "焊丝"]


def test_split_items_keeps_brackets():
    assert [t for t, _, _ in split_items("矽尘(总尘)、矽尘(呼尘)、噪声")] == ["矽尘(总尘)", "矽尘(呼尘)", "噪声"]
    assert [t for t, _, _ in split_items("苯系物（苯、甲苯）；噪声")] == ["苯系物（苯、甲苯）", "噪声"]


def test_labels_spaced_to_width_and_numbered_b_headings():
    """Family-B-like: labels spaced out ("地    址"), headings "N  title" with other
    wordings; the next heading (游离SiO2测定, 原料、辅料) ends a blank part."""
    rows = [
        "用人单位职业卫生现场调查表",
        "1  用人单位概况",
        [(50, "单位名称"), (110, "某某电源有限公司"), (300, "行业类别"), (370, "铅酸蓄电池制造")],
        [(50, "地"), (90, "址"), (300, "联系人/电话"), (370, "李四 0371-1234567")],
        [(50, "在册职工"), (110, "120人"), (200, "规"), (240, "模"), (300, "产品及产能"), (370, "蓄电池")],
        "2  工艺流程",
        "3  原料、辅料",
        [(50, "名称"), (150, "年用量"), (250, "主要成分（含量）/ 有害组分")],
        [(50, "电解铅"), (150, "9000 t/a"), (250, "Pb≥99.99%")],
        "4  设备清单",
        [(54, "铅粉机3台、铸板机6台")],
        "5  防护设施",
        [(54, "局部排风+高效过滤")],
        "6  劳动防护用品发放情况",
        [(54, "—")],
        "7  游离SiO2测定",
        [(54, "本次未测定")],
        SIGN,
    ]
    s = survey(rows)
    assert s.parts["address"].state is ValState.EMPTY and s.parts["address"].raw == "地址"
    assert s.parts["scale"].state is ValState.EMPTY
    assert s.parts["headcount"].value == "120人"
    assert s.parts["process"].state is ValState.EMPTY
    assert s.parts["equipment"].value == "铅粉机3台、铸板机6台"
    assert s.parts["ppe"].state is ValState.EMPTY and s.parts["facilities"].state is ValState.READ
    assert [r.value("name") for r in s.raw_materials] == ["电解铅"]


def test_labels_glued_to_their_values_on_a_text_layer():
    """A text layer runs a spaced label's last character into its value ("地" "址洛阳市…",
    "规" "模—") and a label into its value ("在册职工61人")."""
    rows = [
        "用人单位职业卫生现场调查表",
        [(50, "单位名称某某木业有限公司")],
        [(50, "地"), (70, "址洛阳市老城区建设路63号"), (300, "联系人/电话李四0379-80477371")],
        [(50, "在册职工61人"), (190, "规"), (210, "模—"), (320, "产品及产能实木家具")],
        "2  工艺流程", [(54, "开料→封边→喷漆")], SIGN,
    ]
    s = survey(rows)
    assert s.parts["address"].value == "洛阳市老城区建设路63号"
    assert s.parts["scale"].state is ValState.EMPTY
    assert s.parts["headcount"].value == "61人" and s.parts["employer_name"].value == "某某木业有限公司"
