"""Lab sheet, calculation record and report extractors on wrapped cells, units and free silica.

Pages are built from strings with explicit boxes, so a cell can wrap onto a second
line the way form cells do (``保存期限30`` / ``天``), both as a text layer (one Line
per cell) and as OCR output (one Line per visual row, a Word per cell).
"""
from __future__ import annotations

import datetime as dt

import pytest

from extractors import extract_records
from extractors.forms.lab_analysis import split_instrument, storage_period
from extractors.forms.report import unit_in
from pipeline.normalize import normalize_text
from tests.synth import cells_page, section_pages


def records(sections: dict[str, list[list]], source: str = "text"):
    pages, secs = section_pages(sections, lambda no, cells: cells_page(no, cells, source=source))
    return extract_records(pages, secs)


# ------------------------------------------------------------------ lab sheet: boxed grid with wrapped cells

# Label column at x=56 / x=290, value columns at x=140 / x=430. Labels are centred on
# their row; a value of two lines sits half above, half below the label's centre.
LAB_GRID = [
    (200, 40, "粉尘浓度测定原始记录", 20.0),
    (56, 90, "项目编号"), (140, 90, "XM-2204-07"), (290, 90, "危害因素"), (430, 90, "铝尘(总尘)"),
    (140, 110, "GBZ/T 192.1-2007"), (430, 110, "电子天平(十万分之一) MS105DU("),
    (56, 116, "检测方法"), (290, 116, "仪器名称及设备唯一性编号"),
    (430, 122, "SB-19-290)"),
    (56, 142, "收样日期"), (140, 142, "2022年4月11日"), (290, 142, "分析日期"), (430, 142, "2022年4月13日"),
    (140, 164, "温度24℃ 湿度55%"), (430, 164, "滤膜置于干燥器内保存，保存期限30"),
    (56, 170, "环境条件"), (290, 170, "保存条件"),
    (430, 176, "天"),
    # next row 3 pt below the wrapped storage cell: the row boundary is the label's
    (140, 190, "y = 1.8870x + 0.0054，r ="), (430, 190, "未检出"),
    (56, 196, "标准曲线"), (290, 196, "方法空白"),
    (140, 202, "0.9995"),
    (56, 222, "质量控制"), (140, 222, "标准砝码100.00 mg 称量核查合格"),
    (56, 250, "序号"), (100, 250, "样品编号"), (200, 250, "采样日期"), (300, 250, "样品含量(μg)"), (400, 250, "浓度(mg/m³)"),
    (60, 270, "1"), (100, 270, "QY-2204-004"), (200, 270, "2022-04-11"), (300, 270, "430.0"), (400, 270, "0.67"),
    (60, 290, "2"), (100, 290, "QY-2204-005"), (200, 290, "2022-04-11"), (300, 290, "1150.0"), (400, 290, "1.73"),
    (52, 320, "分析人:尹丹桂 2022年4月13日"), (300, 320, "核对人:万林 2022年4月13日"),
]


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_lab_grid_wrapped_cells(source):
    sh = records({"lab_analysis": [LAB_GRID]}, source).lab_sheets[0]
    assert sh.factor.value == "铝尘(总尘)"
    assert sh.method.value == "GBZ/T 192.1-2007"  # not "…及设备唯一性编号"
    assert sh.instrument.value == "电子天平(十万分之一) MS105DU"
    assert sh.instrument_id.value == "SB-19-290"
    assert sh.storage_days.value == 30
    assert sh.storage.value == "滤膜置于干燥器内保存"
    assert "未检出" not in sh.storage.raw  # the next row's value is not part of the wrapped cell
    assert sh.curve_r.value == 0.9995
    assert sh.method_blank.value == "未检出"
    assert sh.receipt_date.value.isoformat() == "2022-04-11"
    assert sh.analysis_date.value.isoformat() == "2022-04-13"
    assert [r.value("sample_id") for r in sh.rows] == ["QY-2204-004", "QY-2204-005"]
    # provenance covers both lines of the wrapped cell
    assert sh.storage_days.page == 1 and sh.storage_days.bbox[1] <= 164 and sh.storage_days.bbox[3] >= 187


# Several label/value pairs per line, rows 6 pt apart: a value never takes the value of
# the label under it, nor the title above it.
LAB_ROWS = [
    (230, 58, "硫化氢测定原始记录", 22.0),
    (52, 87, "项目编号:"), (99, 87, "JX-XM-220704"), (178, 87, "检测项目:"), (225, 87, "硫化氢"),
    (291, 87, "检测方法:"), (338, 87, "GBZ/T 160.33-2004"),
    (52, 105, "仪器名称及编号:"), (135, 105, "紫外可见分光光度计（编号：YQ-0214）"), (347, 105, "收样日期:"),
    (394, 105, "2022年7月20日"),
    (52, 124, "分析日期:"), (99, 124, "2022年7月21日"), (184, 124, "贮存条件:"), (231, 124, "密封，避光冷藏，保存时间 24 h"),
    (59, 166, "序号"), (109, 166, "样品编号"), (186, 166, "采样日期"), (311, 166, "样品含量(μg)"), (430, 166, "浓度(mg/m³)"),
    (65, 184, "1"), (102, 184, "22-JX-072010"), (182, 184, "2022-07-20"), (324, 184, "121.4"), (445, 184, "16.2"),
]


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_lab_several_pairs_per_line(source):
    sh = records({"lab_analysis": [LAB_ROWS]}, source).lab_sheets[0]
    assert sh.factor.value == "硫化氢"
    assert sh.method.value == "GBZ/T 160.33-2004"
    assert sh.instrument.value == "紫外可见分光光度计"
    assert sh.instrument_id.value == "YQ-0214"
    assert sh.storage_days.value == pytest.approx(1.0)  # 24 h
    assert "24 h" in sh.storage_days.raw or "24h" in sh.storage_days.raw
    assert sh.receipt_date.value.isoformat() == "2022-07-20"


# Inline "label: value" cells whose value wraps under the label; the period is split
# inside its keyword ("保存期" / "限14天").
LAB_INLINE = [
    (180, 40, "实验室分析原始记录"),
    (60, 90, "检测项目:苯"), (306, 90, "检测方法:GBZ/T 300.66-2017"),
    (60, 106, "仪器名称及仪器编号:气相色谱仪 GC9790Ⅱ(JC/SB-232)"),
    (60, 122, "收样日期:2022-08-17"), (306, 122, "测定日期:2022-08-18"),
    (60, 138, "环境条件:温度20℃ 湿度60%"), (306, 138, "保存条件:两端密封，4℃冷藏保存，保存期"),
    (306, 150, "限14天"),
    (60, 166, "标准曲线:y = 1.4843x + -0.0019，r = 0.9996"), (306, 166, "方法空白:未检出"),
    (59, 200, "序号"), (110, 200, "样品编号"), (187, 200, "采样日期"), (369, 200, "样品含量(μg)"), (491, 200, "浓度(mg/m³)"),
    (65, 218, "1"), (100, 218, "PA220817-001"), (182, 218, "2022-08-17"), (381, 218, "21.03"), (505, 218, "2.19"),
]


def test_lab_inline_value_wraps_under_label():
    sh = records({"lab_analysis": [LAB_INLINE]}).lab_sheets[0]
    assert sh.instrument.value == "气相色谱仪 GC9790Ⅱ"
    assert sh.instrument_id.value == "JC/SB-232"
    assert sh.storage_days.value == 14
    assert sh.storage.value == "两端密封，4℃冷藏保存"
    assert sh.curve_r.value == 0.9996
    assert sh.method_blank.value == "未检出"


@pytest.mark.parametrize("text,days", [
    ("滤膜置于干燥器内保存，保存期限30天", 30),
    ("密封，4℃冷藏保存，保存期限 7 d", 7),
    ("密封，常温保存，保存时间≤24小时", 1.0),
    ("4℃冷藏保存7天", 7),
    ("密封，12h内分析", 0.5),
    ("保存期限: 14 日", 14),
])
def test_storage_period_units(text, days):
    got = storage_period(text)
    assert got is not None and got[0] == pytest.approx(days)


@pytest.mark.parametrize("text", ["密封，4℃冷藏保存", "活性炭管 7天；硅胶管 14天", "分析日期2022年4月11日"])
def test_storage_period_absent_or_ambiguous(text):
    assert storage_period(text) is None


@pytest.mark.parametrize("text,name,ident", [
    ("原子吸收分光光度计 AA-7000(DR-SY142)", "原子吸收分光光度计 AA-7000", "DR-SY142"),
    ("电子天平(十万分之一) MS105DU(SB-19-290)", "电子天平(十万分之一) MS105DU", "SB-19-290"),
    ("可见分光光度计722N(HA/SB-387)", "可见分光光度计722N", "HA/SB-387"),
    ("原子吸收分光光度计（编号：YQ-001）", "原子吸收分光光度计", "YQ-001"),
    ("离子色谱仪 ICS-1100 设备编号: SB-20-297", "离子色谱仪 ICS-1100", "SB-20-297"),
    ("电子天平(十万分之一)", "电子天平(十万分之一)", None),
])
def test_split_instrument(text, name, ident):
    n, i, _ = split_instrument(text)
    assert (n, i) == (name, ident)


# ------------------------------------------------------------------ calculation record: wrapped C_TWA


CALC_P1 = [
    (231, 58, "数据换算过程记录", 20.0),
    (52, 100, "C_TWA = (C1T1 + C2T2 + … + CnTn) / 8(Ti:各浓度对应的接触时间 h)"),
    (52, 130, "检测因素:氨"),
    (80, 150, "样品编号"), (190, 150, "岗位/地点"), (320, 150, "t(min)"), (440, 150, "m(μg)"), (495, 150, "C(mg/m³)"),
    (77, 168, "S2207001"), (167, 168, "装车工/液氨装车鹤位"), (342, 168, "15"), (442, 168, "29.24"), (507, 168, "3.9"),
    (77, 185, "S2207002"), (167, 185, "装车工/液氨装车鹤位"), (342, 185, "15"), (442, 185, "25.32"), (507, 185, "3.4"),
    (77, 202, "S2207003"), (167, 202, "装车工/液氨装车鹤位"), (342, 202, "15"), (442, 202, "26.91"), (507, 202, "3.6"),
    # one statement over two lines
    (62, 219, "2022-07-28装车工(液氨装车鹤位):C_TWA = (3.9×3 + 3.4×2.5 +"),
    (62, 231, "3.6×2.5) / 8 = 3.6 mg/m³"),
    (52, 260, "检测因素:硫化氢"),
    (80, 280, "样品编号"), (190, 280, "岗位/地点"), (320, 280, "t(min)"), (440, 280, "m(μg)"), (495, 280, "C(mg/m³)"),
    (77, 298, "S2207007"), (172, 298, "脱硫工/脱硫塔巡检位"), (342, 298, "15"), (442, 298, "11.10"), (505, 298, "1.48"),
    # post and site on the line above, the result on the line below
    (62, 315, "2022-07-28脱硫工(脱硫塔巡检位):"),
    (62, 327, "C_TWA = (1.48×3 + 1.17×2.5 + 1.14×2.5) / 8 ="),
    (62, 339, "1.28 mg/m³"),
]
CALC_P2 = [
    (62, 100, "2022-07-29脱硫工(脱硫塔巡检位):C_TWA = (1.5×3 + 1.2×2.5 + 1.1×2.5) / 8 = 1.3 mg/m³"),
    (52, 130, "计算人:苏林永 2022-07-31"), (298, 130, "复核人:万辉红 2022-07-31"),
]


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_calc_wrapped_twa(source):
    calc = records({"data_calculation": [CALC_P1, CALC_P2]}, source).data_calculation
    got = [(r.value("date").isoformat(), r.value("post"), r.value("site"), r.value("value"), r.value("factor"),
            [tuple(t) for t in r.value("formula")]) for r in calc.twa]
    assert got == [
        ("2022-07-28", "装车工", "液氨装车鹤位", 3.6, "氨", [(3.9, 3.0), (3.4, 2.5), (3.6, 2.5)]),
        ("2022-07-28", "脱硫工", "脱硫塔巡检位", 1.28, "硫化氢", [(1.48, 3.0), (1.17, 2.5), (1.14, 2.5)]),
        # no heading on page 2: the last heading before it
        ("2022-07-29", "脱硫工", "脱硫塔巡检位", 1.3, "硫化氢", [(1.5, 3.0), (1.2, 2.5), (1.1, 2.5)]),
    ]
    # the value's raw text is the whole statement, so the formula can be re-evaluated
    assert "3.6×2.5)/8=3.6" in calc.twa[0].get("value").raw.replace(" ", "")
    assert calc.twa[0].get("value").bbox[3] >= 242  # both lines


def test_calc_post_with_qualifier_keeps_it():
    page = [
        (52, 100, "检测项目:矽尘(总尘)"),
        (62, 120, "2022-06-07投料工(1#线)(1#窑头投料口):C_TWA = (0.14×4 + 0.17×3.5) / 8 = 0.14 mg/m³"),
    ]
    r = records({"data_calculation": [page]}).data_calculation.twa[0]
    assert (r.value("post"), r.value("site"), r.value("factor")) == ("投料工(1#线)", "1#窑头投料口", "矽尘(总尘)")


def test_calc_incomplete_statement_is_not_a_row():
    page = [
        (52, 100, "检测因素:氨"),
        (62, 120, "2022-07-28装车工(液氨装车鹤位):C_TWA = (3.9×3 + 3.4×2.5 +"),
        (62, 160, "以下空白"),
    ]
    assert records({"data_calculation": [page]}).data_calculation.twa == []


# ------------------------------------------------------------------ report: units and free silica

REPORT_P1 = [
    (52, 90, "4.1工作场所空气中粉尘检测结果"),
    (200, 110, "表4-1 粉尘检测结果"),
    (50, 130, "岗位(工种)"), (130, 130, "工作地点"), (210, 130, "检测因素"), (290, 130, "C_TWA(mg/m³)"),
    (380, 130, "PC-TWA(mg/m³)"), (480, 130, "判定"),
    (50, 150, "配料工"), (130, 150, "配料皮带"), (210, 150, "矽尘(总尘)"), (300, 150, "0.07"), (390, 150, "0.7"),
    (480, 150, "合格"),
    (52, 180, "游离SiO2含量按GBZ/T 192.4测定，限值按10%≤游离SiO2含量≤50%取值。"),
    (52, 200, "经测定，该单位粉尘中游离二氧化硅含量为40.3%。"),
    (200, 760, "表4-2 化学有害因素检测结果（单位：mg/m³）"),
    (264, 805, "第1页共2页"),
]
REPORT_P2 = [
    (449, 60, "报告编号:QY-JC2022-307"),
    (50, 100, "岗位(工种)"), (130, 100, "工作地点"), (210, 100, "检测因素"), (290, 100, "C_TWA"), (380, 100, "PC-TWA"),
    (480, 100, "判定"),
    (50, 120, "熔化工"), (130, 120, "熔化炉旁"), (210, 120, "一氧化碳"), (300, 120, "8.4"), (390, 120, "20"), (480, 120, "合格"),
    (250, 160, "表4-3 噪声检测结果"),
    (50, 180, "岗位(工种)"), (130, 180, "测量地点"), (210, 180, "L_Aeq[dB(A)]"), (290, 180, "接触时间(h)"),
    (370, 180, "L_EX,8h[dB(A)]"), (450, 180, "限值"), (500, 180, "判定"),
    (50, 200, "熔化工"), (130, 200, "熔化炉旁"), (220, 200, "86.0"), (300, 200, "8"), (380, 200, "86.0"), (450, 200, "85"),
    (500, 200, "不符合"),
    (200, 225, "表4-4 粉尘中游离二氧化硅含量"),
    (50, 240, "岗位"), (130, 240, "工作地点"), (220, 240, "游离二氧化硅含量(%)"),
    (50, 260, "配料工"), (130, 260, "配料皮带"), (240, 260, "75.8"),
]


def test_report_units_and_free_silica():
    rep = records({"report": [REPORT_P1, REPORT_P2]}).report
    units = [(r.value("post"), r.value("unit"), r.get("unit").page) for r in rep.results]
    # from the column header; from the caption that closed the previous page
    assert units == [("配料工", "mg/m³", 1), ("熔化工", "mg/m³", 1)]
    assert "C_TWA" in rep.results[0].get("unit").raw
    assert "单位" in rep.results[1].get("unit").raw
    assert [(r.value("post"), r.value("unit")) for r in rep.noise] == [("熔化工", "dB(A)")]
    sio2 = sorted((r.value("value"), r.value("post"), r.value("site")) for r in rep.sio2_pct)
    # the band "10%≤游离SiO2含量≤50%" is not a measured content
    assert sio2 == [(40.3, None, None), (75.8, "配料工", "配料皮带")]


def test_report_without_unit_says_so():
    page = [
        (200, 110, "表4-1 粉尘检测结果"),
        (50, 130, "岗位(工种)"), (130, 130, "工作地点"), (210, 130, "检测因素"), (290, 130, "C_TWA"), (380, 130, "PC-TWA"),
        (480, 130, "判定"),
        (50, 150, "配料工"), (130, 150, "配料皮带"), (210, 150, "矽尘(总尘)"), (300, 150, "0.07"), (390, 150, "0.7"),
        (480, 150, "合格"),
    ]
    rep = records({"report": [page]}).report
    u = rep.results[0].get("unit")
    assert not u.ok and "unit" in u.reason


@pytest.mark.parametrize("text,unit", [
    ("C_TWA(mg/m³)", "mg/m³"), ("表4-1 检测结果(单位：mg/m3)", "mg/m³"), ("L_Aeq[dB(A)]", "dB(A)"),
    ("石棉纤维浓度(f/ml)", "f/ml"), ("0.5 mg/m³", "mg/m³"), ("C_TWA", None), ("接触时间(h)", None),
])
def test_unit_in(text, unit):
    assert unit_in(normalize_text(text)) == unit


# ------------------------------------------------------------------ OCR-tolerant extraction


def test_lab_dates_read_through_scan_specks():
    from extractors.forms.lab_analysis import parse_date_ocr
    assert parse_date_ocr("2022-.04-21") == dt.date(2022, 4, 21)
    assert parse_date_ocr("样品接收日期:∵.2022年6月8日") == dt.date(2022, 6, 8)
    assert parse_date_ocr("2Q22年6月9日") == dt.date(2022, 6, 9)
    assert parse_date_ocr("保存期限2天") is None


@pytest.mark.parametrize("line,value", [
    ("2022-03-21涂板工(涂板机旁):G_TWA=(0.080×3+0.081×3)/8=0.060mg/m³", 0.060),
    ("2022-08-23和膏工(和膏机操作位):C_TWA=(0.003×3+0.003×3)/8=0.002mg/m³3", 0.002),
    ("2022-09-07涂板工(涂板机旁):C_TWA=(0.011×3.5+0.016×3.5)/8=.0.012mg/m³", 0.012),
    ("2022-06-08喷漆工(喷漆房):C_TWA=(36.8×3.5+30.5×3.5)/8=29.4.mg/m³", 29.4),
    ("2022-03-23抛光工(抛光工位):C_TWA=(2.21×3+2.00×3)/8=1:58 mg/m³", 1.58),
])
def test_twa_line_results_read_through_scan_noise(line, value):
    from extractors.forms.data_calculation import _TWA, _TWA_KEY
    m = _TWA.search(_TWA_KEY.sub("C_TWA", line).replace(" ", ""))
    assert m and float(m.group(1).replace(":", ".")) == value
    assert not _TWA_KEY.search("PC-TWA 0.05")


# ------------------------------------------------------------------ quantities known by their units, formulas in cells

CALC_BY_UNITS = [
    (52, 80, "分析项目：硫酸雾（修约至2位小数）"),
    (60, 100, "样品号"), (150, 100, "抽气速率 L/min"), (250, 100, "历时 min"), (330, 100, "体积 L"),
    (400, 100, "待测物量 μg"), (480, 100, "空气浓度 mg/m³"),
    (60, 118, "JX-33011"), (160, 118, "1.0"), (260, 118, "15"), (340, 118, "15.0"), (410, 118, "12.30"), (490, 118, "0.82"),
    (60, 136, "JX-33012"), (160, 136, "1.0"), (260, 136, "15"), (340, 136, "15.0"), (410, 136, "9.60"), (490, 136, "0.64"),
    (52, 170, "按时间加权"),
    (60, 190, "接触岗位"), (150, 190, "采样日期"), (240, 190, "样品号"), (360, 190, "C_TWA计算式"),
    (60, 208, "酸洗工"), (150, 208, "2023.5.9"), (240, 208, "JX-33011、JX-33012"), (360, 208, "(0.82×4 + 0.64×4) / 8 = 0.73"),
    (60, 226, "镀锌工"), (150, 226, "2023.5.9"), (240, 226, "JX-33013"), (360, 226, "一"),
]


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_calc_quantities_by_unit_and_formula_cells(source):
    calc = records({"data_calculation": [CALC_BY_UNITS]}, source).data_calculation
    r = calc.rows[0]
    assert (r.value("sample_id"), r.value("flow"), r.value("minutes"), r.value("volume"), r.value("mass"),
            r.value("conc")) == ("JX-33011", 1.0, 15.0, 15.0, 12.3, 0.82)
    # the rounding note in brackets is no part of the factor's name
    assert r.value("factor") == "硫酸雾"
    # the formula cell is a C_TWA line; a dash in it (no C_TWA for that post) is none
    (twa,) = calc.twa
    assert (twa.value("post"), twa.value("value"), twa.value("sample_ids"), [tuple(t) for t in twa.value("formula")]) == (
        "酸洗工", 0.73, ["JX-33011", "JX-33012"], [(0.82, 4.0), (0.64, 4.0)])


def test_report_combined_limit_column():
    page = [
        (52, 100, "表3 有害物质检测结果"),
        (50, 120, "岗位"), (130, 120, "检测项目"), (220, 120, "C_TWA"), (300, 120, "PC-TWA/PC-STEL"), (420, 120, "判定"),
        (50, 140, "酸洗工"), (130, 140, "硫酸"), (220, 140, "0.4"), (300, 140, "1 / 2"), (420, 140, "合格"),
        (50, 160, "喷砂工"), (130, 160, "其他粉尘"), (220, 160, "2.1"), (300, 160, "8 / —"), (420, 160, "合格"),
    ]
    rep = records({"report": [page]}).report
    got = [(r.value("post"), r.value("limit_twa"), r.value("limit_stel")) for r in rep.results]
    assert got == [("酸洗工", 1.0, 2.0), ("喷砂工", 8.0, None)]
    assert rep.results[1].get("limit_stel").state.value == "empty"


def test_lab_signature_images_that_gave_no_text_are_signatures():
    from tests.synth import line, page as mkpage
    from extractors import extract_records
    from pipeline.types import Section
    lines = [line("检测项目：苯", (52, 80, 150, 92)), line("检测方法：气相色谱法", (300, 80, 420, 92)),
             line("分析日期：2023.5.10", (52, 100, 170, 112)),
             line("样品号", (60, 130, 90, 142)), line("JX-33011", (60, 150, 100, 162)),
             line("检测人", (52, 300, 82, 312)), line("审核人", (300, 300, 330, 312)),
             # the reviewer's signature read; the analyst's image and both dates gave: one date only
             line("罗敏", (340, 298, 362, 310), origin="image"), line("2023.5.10", (90, 316, 140, 326), origin="image")]
    # four images: two signatures, two dates; one signature and one date gave no text
    two_unread = mkpage(1, lines, image_regions=4, image_lines=2)
    sh = extract_records([two_unread], [Section(type="lab_analysis", pages=(1,))]).lab_sheets[0]
    assert sh.analyst.state.value == "unknown"
    # every image gave its text: the analyst's slot is empty
    all_read = mkpage(1, lines, image_regions=2, image_lines=2)
    sh = extract_records([all_read], [Section(type="lab_analysis", pages=(1,))]).lab_sheets[0]
    assert sh.analyst.state.value == "empty"


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_calc_twa_table_gives_no_sample_rows(source):
    # the C_TWA table's titles (岗位, 样品编号, "C_TWA 计算式 mg/m³") would pass for a sample
    # table with a concentration by its unit: its rows are C_TWA lines, not samples
    cells = list(CALC_BY_UNITS)
    cells[cells.index((360, 190, "C_TWA计算式"))] = (360, 190, "C_TWA 计算式 mg/m³")
    cells[cells.index((60, 190, "接触岗位"))] = (60, 190, "岗位")
    calc = records({"data_calculation": [cells]}, source).data_calculation
    assert [r.value("sample_id") for r in calc.rows] == ["JX-33011", "JX-33012"]
    assert [t.value("post") for t in calc.twa] == ["酸洗工"]
