"""Extractor fixes: labels inside titles, wrapped header cells (equipment ids, pressure,
calibration), plan-table furniture, names with one OCR edit, located empty signer slots.

Pages are built from positioned cells (x, y, text) so that wrapped cells can be laid
out the way forms print them: a label centred beside a value of several lines, ids
broken by the wrap ("YA/" + "YQ-054"), a value unit on the next line.
"""
from __future__ import annotations

import pytest

from extractors import extract_records
from extractors.forms.sampling_record import equipment_ids_in
from extractors.layout import grid
from extractors.signatures import (LABEL_ABSENT, SLOT_EMPTY, SignerHit, label_is_absent, signature_block, signer_val,
                                   signer_vals, slot_is_empty)
from extractors.text import resolve_name, split_names
from tests.synth import cells_page, section_pages


def records(sections: dict[str, list[list]], staff=(), source: str = "text"):
    pages, secs = section_pages(sections, lambda no, cells: cells_page(no, cells, source=source, height=12.0))
    return extract_records(pages, secs, staff=list(staff))


STAFF = ["康宁玉", "韩秀飞", "张晓雨", "郭斌", "白晓", "方琳凯", "姚昊", "程明丹", "董梓文", "萧宁海", "顾凤秀"]

TABLE = [
    (60, 230, "样品编号"), (150, 230, "工作地点"), (250, 230, "采样方式"), (330, 230, "采样时段"), (450, 230, "采样器编号"),
    (60, 250, "S22040801"), (150, 250, "铸焊机工位"), (250, 250, "个体"), (330, 250, "08:21-11:46"), (450, 250, "CX-XC236"),
    (60, 270, "S22040802"), (150, 270, "铸焊机工位"), (250, 270, "个体"), (330, 270, "13:06-16:23"), (450, 270, "CX-XC365"),
    (60, 290, "S22040815"), (150, 290, "铸焊机工位"), (250, 290, "空白"), (330, 290, "08:19-08:19"),
    (258, 320, "采样人:"), (300, 320, "康宁玉"), (350, 320, "韩秀飞"),
    (258, 340, "陪同人:"), (300, 340, "谢勇晓"),
    (258, 360, "复核人:"), (300, 360, "张晓雨"), (360, 360, "日期:"), (400, 360, "2022.4.8"),
]

# inline header (label:value), the equipment value wrapping onto a second line at the label's left
INLINE_SHEET = [
    (510, 45, "ZW/JL-13"),
    (147, 58, "职业病危害因素现场采样记录(化学因素)", 21),
    (60, 91, "委托编号:CX-XM-220351"), (305, 91, "委托单位:大地能源科技股份有限公司"),
    (60, 107, "采样日期:2022.4.8"), (305, 107, "检测项目:铅烟"),
    (60, 124, "气象条件:晴气温12.4℃ 气压101.1kPa 相对湿度69%"),
    (60, 140, "采样仪器及设备编号:双气路大气采样器 TWA-300(CX-XC334、CX-XC365、CX-XC236);电子皂膜流量计 Gilibrator-2"),
    (60, 157, "(CX-XC040);空盒气压表 DYM3(CX-XC375)"),
    (60, 173, "流量校准:采样前已校准，采样后未校准"),
] + TABLE

# grid header: labels in a left column, centred beside values of several wrapped lines
GRID_SHEET = [
    (52, 45, "表格编号:JL-013 A/1"),
    (172, 58, "工作场所空气中有害物质采样记录", 21),
    (56, 91, "项目编号"), (176, 90, "JX-XM-220718"), (301, 91, "用人单位"), (421, 90, "恒通化工有限公司"),
    (56, 110, "采样日期"), (176, 110, "2022-07-28"), (301, 110, "检测项目"), (421, 110, "氨"),
    (176, 129, "阴气温30.6℃ 气压10"), (421, 129, "GBZ 159-2004"),
    (56, 135, "天气情况"), (301, 135, "采样依据"),
    (176, 141, "1.4kPa 相对湿度68%"),
    (176, 160, "双气路大气采样器 TWA-300(YA/"), (421, 160, "采样前已校准，采样后已校"),
    (176, 172, "YQ-054、JC/YQ-327、KR/"), (421, 172, "准"),
    (176, 184, "YQ-360);电子皂膜流量"),
    (56, 191, "采样仪器及设备唯一性编号"), (301, 191, "流量校准"),
    (176, 197, "计 DCal-500(HA/YQ-200);"),
    (176, 209, "数字温湿度计 TH-101(TH-XC076)"),
] + TABLE


# ------------------------------------------------------------------ 1. labels inside a title


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_factor_label_in_title_is_not_a_label(source):
    rec = records({"sampling_record": [INLINE_SHEET]}, STAFF, source)
    sh = rec.sampling_records[0]
    assert sh.factors.value == ["铅烟"]
    assert {r.value("factor") for r in sh.rows} == {"铅烟"}


def test_title_alone_gives_no_factor():
    # a noise form: its title holds 危害因素, but it has no 检测项目 label
    cells = [c for c in INLINE_SHEET if not str(c[2]).startswith("检测项目")]
    g = grid(cells_page(1, cells, height=12.0))
    assert g.find(("检测项目", "危害因素")) == []
    assert not g.value(("检测项目", "危害因素")).ok


def test_label_glued_to_previous_cell_still_found():
    # OCR merged two header cells and dropped the colon: a body-size hit is kept as a fallback
    g = grid(cells_page(1, [(60, 100, "委托单位:某某建材有限公司检测项目铅尘"), (60, 130, "其他")], height=12.0))
    hits = g.find(("检测项目",))
    assert len(hits) == 1 and hits[0][3] == "检测项目"


# ------------------------------------------------------------------ 2–4. wrapped header cells


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_grid_header_equipment_pressure_calibration(source):
    rec = records({"sampling_record": [GRID_SHEET]}, STAFF, source)
    sh = rec.sampling_records[0]
    ids = [v.value for v in sh.equipment_ids]
    # ids broken by the wrap are joined; models (TWA-300, DCal-500, TH-101) and the project no. are not ids
    assert ids == ["YA/YQ-054", "JC/YQ-327", "KR/YQ-360", "HA/YQ-200", "TH-XC076"]
    assert all(v.page == 1 and v.bbox for v in sh.equipment_ids)
    assert sh.pressure_kpa.value == 101.4  # "气压10" / "1.4kPa"
    assert sh.temperature_c.value == 30.6 and sh.humidity_pct.value == 68.0
    assert sh.calibration_before.value is True and sh.calibration_after.value is True  # "已校" / "准"


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_inline_header_equipment_continues_on_next_line(source):
    rec = records({"sampling_record": [INLINE_SHEET]}, STAFF, source)
    sh = rec.sampling_records[0]
    assert [v.value for v in sh.equipment_ids] == ["CX-XC334", "CX-XC365", "CX-XC236", "CX-XC040", "CX-XC375"]
    assert sh.calibration_before.value is True and sh.calibration_after.value is False
    assert sh.pressure_kpa.value == 101.1


def test_equipment_ids_in_text():
    assert equipment_ids_in("CX-XC182") == ["CX-XC182"]  # a noise form: one id, no parentheses
    assert equipment_ids_in("大气采样器 QC-2B(YQ-19-306、YQ-19-138);空盒气压表 DYM3(YQ-21-347)") == \
        ["YQ-19-306", "YQ-19-138", "YQ-21-347"]
    # a sample id of the bundle's pattern and a date are never equipment ids
    assert equipment_ids_in("采样器(22-JX-072801、JX-XC172、2022-07-28)", lambda t: t == "22-JX-072801") == ["JX-XC172"]
    assert equipment_ids_in("流量计 Gilibrator-2、温湿度计 TH-101") == []  # models after the instrument names
    assert equipment_ids_in("设备编号 CX-XC182、CX-XC183") == ["CX-XC182", "CX-XC183"]
    assert equipment_ids_in("流量计(流量计CX-XC040)") == ["CX-XC040"]
    assert equipment_ids_in("采样泵(20190345、YQ0012)") == ["YQ0012"]  # bare digits: not an id shape


@pytest.mark.parametrize("weather,expected", [
    ("晴 气温20.1℃ 气压101.5\nkPa", 101.5),   # unit wrapped onto the next line
    ("晴 气压: 100.8 相对湿度50%", 100.8),     # no unit at all: plausible kPa
    ("晴 气压1013hPa", 101.3),                 # hPa labelled: converted
    ("晴 气压760mmHg", 101.32),
    ("晴 气压10 相对湿度50%", None),            # a broken number is not a pressure
])
def test_pressure_parsing(weather, expected):
    rows = weather.split("\n")
    cells = [(60, 100, "采样日期:2022-05-19"), (60, 120, "气象条件:" + rows[0])]
    cells += [(60, 132 + 12 * i, r) for i, r in enumerate(rows[1:])]
    cells += [(60, 200, "样品编号"), (200, 200, "采样时段"), (60, 220, "S2205190001"), (200, 220, "08:00-08:15")]
    sh = records({"sampling_record": [cells]}).sampling_records[0]
    assert sh.pressure_kpa.value == expected
    if expected is None:
        assert sh.pressure_kpa.reason


def test_calibration_split_by_spaces():
    cells = [(60, 100, "采样日期:2022-05-19"), (60, 120, "流量校准:采样前 已校准, 采样后 未 校 准"),
             (60, 200, "样品编号"), (200, 200, "采样时段"), (60, 220, "S2205190001"), (200, 220, "08:00-08:15")]
    sh = records({"sampling_record": [cells]}).sampling_records[0]
    assert sh.calibration_before.value is True and sh.calibration_after.value is False


# ------------------------------------------------------------------ 5. plan table furniture

PLAN_HEAD = [
    (52, 45, "表格编号:JL-008"),
    (205, 58, "职业病危害因素检测方案", 21),
    (56, 91, "方案编号"), (123, 91, "DR-FA-220794"), (301, 144, "计划采样日期"), (369, 144, "2022/07/19"),
    (64, 333, "岗位/工种"), (134, 333, "采样点"), (191, 333, "检测因素"), (245, 333, "采样方式"), (300, 333, "样品数/天"),
    (456, 333, "收集器"), (500, 333, "采样时段"),
]


def _plan_row(y, post, site, factor, mode, n, coll_period):
    return [(70, y, post), (121, y, site), (199, y, factor), (245, y, mode), (310, y, n), (452, y, coll_period)]


def test_plan_rows_stop_at_signatures_and_skip_furniture():
    p1 = PLAN_HEAD + _plan_row(362, "和膏工", "和膏机操作位", "铅尘", "个体", "2", "微孔滤膜08:00-12:00，13:00-17:00") \
        + _plan_row(390, "涂板工", "涂板机旁", "噪声", "定点", "3", "积分声级计") \
        + [(52, 815, "某某职业卫生技术服务有限公司"), (263, 815, "第1页共2页"), (507, 815, "JL-008 A/1")]
    # continuation page: form number and "(续)" title, one more row (header not repeated), then signatures
    p2 = [(52, 45, "表格编号:JL-008"), (181, 58, "职业病危害因素检测方案(续)", 21)] \
        + _plan_row(100, "焊接工", "铸焊机工位", "铅烟", "个体", "2", "滤膜") \
        + [(58, 140, "编制"), (147, 140, "董梓文"), (427, 140, "日期:"), (458, 140, "2022年7月15日"),
           (58, 164, "审核"), (148, 164, "萧宁海"), (427, 164, "日期:"), (457, 164, "2022年7月15日"),
           (58, 188, "批准人(技术负责人)"), (185, 188, "顾凤秀"), (427, 188, "日期:"), (457, 188, "2022年7月16日"),
           (52, 815, "某某职业卫生技术服务有限公司"), (263, 815, "第2页共2页"), (507, 815, "JL-008 A/1")]
    plan = records({"detection_plan": [p1, p2]}, STAFF).detection_plan
    got = [(r.value("post"), r.value("factor"), r.value("collector"), r.value("period")) for r in plan.rows]
    assert got == [("和膏工", "铅尘", "微孔滤膜", "08:00-12:00，13:00-17:00"),
                   ("涂板工", "噪声", "积分声级计", None),
                   ("焊接工", "铅烟", "滤膜", None)]
    assert (plan.author.value, plan.reviewer.value, plan.approver.value) == ("董梓文", "萧宁海", "顾凤秀")


# ------------------------------------------------------------------ 6. names one edit off


@pytest.mark.parametrize("text,short,expected", [
    ("方琳林凯 姚昊", False, ["方琳凯", "姚昊"]),        # a character inserted inside a known name
    ("方琳林凯姚昊", False, ["方琳凯", "姚昊"]),
    ("马怡永 郭武 龚芳婷", True, ["马怡永", "郭斌", "龚芳婷"]),  # 2-char misread, unique
    ("自晓 顾俊", True, ["白晓", "顾俊"]),
    ("程丹", True, ["程明丹"]),                          # a dropped middle character
    ("郭武", False, ["郭武"]),                            # not a staff slot: never mapped
    ("冯泽晨方慧", False, ["冯泽晨", "方慧"]),
])
def test_split_names_one_edit(text, short, expected):
    known = STAFF + ["马怡永", "龚芳婷", "冯泽晨", "方慧"]
    assert [n for n, _ in split_names(text, known, short=short)] == expected


def test_resolve_name_needs_a_unique_match():
    assert resolve_name("郭武", ["郭斌", "郭文"], short=True)[0] == "郭武"  # two names one edit away
    assert resolve_name("方凯", ["方琳凯", "方慧"], short=True)[0] == "方凯"
    assert resolve_name("郭文斌", ["郭斌"], short=True) == ("郭斌", 0.75)
    assert resolve_name("郭文斌", ["郭斌"])[0] == "郭文斌"
    assert resolve_name("注亮雪", ["汪亮雪"])[0] == "汪亮雪"  # same-length misread of 3+ characters: always
    assert resolve_name("王芳", ["李明"], short=True)[0] == "王芳"


def test_escort_is_not_mapped_onto_staff():
    g = grid(cells_page(1, [(60, 100, "采样人: 郭武 白晓"), (60, 120, "陪同人: 郭文")], height=12.0))
    sig = signature_block([g], {"sampler": ("采样人",), "escort": ("陪同人",)}, ["郭斌", "白晓"])
    assert [n for n, _ in sig["sampler"].names] == ["郭斌", "白晓"]
    assert [n for n, _ in sig["escort"].names] == ["郭文"]


# ------------------------------------------------------------------ 7. located empty slots


def test_signer_vals_empty_slot_vs_absent_label():
    hit = SignerHit("sampler", [], None, 3, (10.0, 20.0, 200.0, 32.0), "采样人: 日期:", source="ocr")
    [v] = signer_vals(hit, "采样人")
    assert not v.ok and v.page == 3 and v.bbox == (10.0, 20.0, 200.0, 32.0)
    assert slot_is_empty(v) and not label_is_absent(v) and SLOT_EMPTY in v.reason
    assert "slot present" in v.reason  # the wording existing checks test
    [a] = signer_vals(None, "采样人", 3)
    assert not a.ok and label_is_absent(a) and not slot_is_empty(a) and LABEL_ABSENT in a.reason
    one = signer_val(hit, "陪同人")
    assert slot_is_empty(one) and one.bbox == hit.bbox
    assert [v.value for v in signer_vals(SignerHit("sampler", [("郭斌", 1.0)], None, 3, (0, 0, 1, 1), "x"), "采样人")] \
        == ["郭斌"]


def test_sampling_sheet_locates_empty_sampler_slot():
    cells = [c for c in INLINE_SHEET if c[2] not in ("康宁玉", "韩秀飞")]
    sh = records({"sampling_record": [cells]}, STAFF).sampling_records[0]
    [v] = sh.samplers
    assert slot_is_empty(v) and v.page == 1 and v.bbox is not None
    assert sh.escort.value == "谢勇晓" and sh.checker.value == "张晓雨"


def test_label_block_longer_label_and_glued_value():
    # 采样仪器 matches the start of the longer label 采样仪器及仪器编号: the value is the cell to its right
    g = grid(cells_page(1, [(56, 100, "采样仪器及仪器编号"), (176, 100, "采样器 QC-2B(PA-CY-067)")], height=12.0))
    (cell, _, e, _), = g.find(("采样仪器",))
    assert g.label_block(cell, e)[0] == "采样器 QC-2B(PA-CY-067)"
    # OCR dropped the colon and nothing is to the right: the rest of the cell is the value
    g = grid(cells_page(1, [(56, 100, "气象条件晴"), (56, 130, "其他")], height=12.0))
    (cell, _, e, _), = g.find(("气象条件",))
    assert g.label_block(cell, e)[0] == "晴"
