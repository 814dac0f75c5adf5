"""Table shapes other institutions print (form-variety.md "Tables"): titles that state a
unit instead of a known wording, lists printed in side-by-side blocks, date lines
grouping the rows, remarks under the table, cells aligned left under centred titles,
and sample ids of several letter schemes. The layouts here are made up for the tests;
no form family uses them as they are."""
from __future__ import annotations

import pytest

from extractors.ids import learn_pattern
from extractors.layout import grid
from extractors.table import TableSpec, find_tables, row_vals, title_unit
from pipeline.types import Line
from tests.synth import cells_page, grid_page


@pytest.mark.parametrize("text,unit", [
    ("空气浓度 mg/m³", "mg/m3"), ("吸收液浓度(μg/mL)", "ug/ml"), ("待测物量 µg", "ug"),
    ("抽气速率 L/min", "l/min"), ("历时 min", "min"), ("体积 L", "l"), ("样品号", None),
    ("LAeq dB(A)", "db"),
])
def test_title_unit(text, unit):
    assert title_unit(text) == unit


def _unit_spec():
    return TableSpec("u", {"sample_id": ("样品号",), "mass": ("样品含量",), "conc": ("浓度",)}, "sample_id",
                     lambda t: t.startswith("Z"), units={"mass": ("ug",), "conc": ("mg/m3",)})


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_columns_by_unit(source):
    # the solution's concentration (µg/mL) is not the air concentration; the amount
    # titled only by its unit (µg) is the mass
    rows = [
        [(40, "样品号"), (120, "吸收液浓度(μg/mL)"), (260, "待测物量 μg"), (380, "空气浓度 mg/m³")],
        [(40, "Z-0301"), (120, "1.25"), (260, "12.5"), (380, "0.83")],
        [(40, "Z-0302"), (120, "2.50"), (260, "25.0"), (380, "1.67")],
    ]
    (t,) = find_tables([grid(grid_page(1, rows, source=source))], _unit_spec())
    got = [(row_vals(t, r).value("mass"), row_vals(t, r).value("conc")) for r in t.rows]
    assert got == [("12.5", "0.83"), ("25.0", "1.67")]


def test_without_units_in_spec_titles_are_not_looked_at():
    spec = TableSpec("u", {"sample_id": ("样品号",), "conc": ("浓度",)}, "sample_id", lambda t: t.startswith("Z"))
    rows = [[(40, "样品号"), (160, "吸收液浓度(μg/mL)")], [(40, "Z-0301"), (160, "1.25")]]
    (t,) = find_tables([grid(grid_page(1, rows))], spec)
    assert row_vals(t, t.rows[0]).value("conc") == "1.25"


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_side_by_side_blocks(source):
    spec = TableSpec("b", {"sample_id": ("样品号",), "factor": ("分析项目",)}, "sample_id", lambda t: t.startswith("Q"))
    rows = [[(40, "No."), (80, "样品号"), (170, "分析项目"), (300, "No."), (340, "样品号"), (430, "分析项目")]]
    for i in range(3):
        rows.append([(40, str(i + 1)), (80, f"Q7-10{i}"), (170, "苯"), (300, str(i + 4)), (340, f"Q7-20{i}"),
                     (430, "甲苯")])
    tables = find_tables([grid(grid_page(1, rows, source=source))], spec)
    got = {row_vals(t, r).value("sample_id"): row_vals(t, r).value("factor") for t in tables for r in t.rows}
    assert got == {"Q7-100": "苯", "Q7-101": "苯", "Q7-102": "苯", "Q7-200": "甲苯", "Q7-201": "甲苯", "Q7-202": "甲苯"}


def test_date_line_groups_rows_and_is_no_cell():
    spec = TableSpec("g", {"post": ("工种",), "value": ("结果",)}, "post", lambda t: t in ("司炉", "锻工", "铆工"))
    rows = [
        [(60, "工种"), (200, "结果")],
        [(50, "测定日：2023.3.2")],
        [(60, "司炉"), (200, "1.1")],
        [(60, "锻工"), (200, "2.2")],
        [(50, "测定日：2023.3.3")],
        [(60, "铆工"), (200, "3.3")],
    ]
    (t,) = find_tables([grid(grid_page(1, rows, pitch=14))], spec)
    got = [(row_vals(t, r).value("post"), row_vals(t, r).value("group")) for r in t.rows]
    assert got == [("司炉", "测定日:2023.3.2"), ("锻工", "测定日:2023.3.2"), ("铆工", "测定日:2023.3.3")]  # text normalized


def test_remarks_under_table_end_it():
    # a heading standing apart and a "label: prose" line under the last row are no cells of it
    spec = TableSpec("p", {"sample_id": ("样品号",), "mass": ("称量值",), "note": ("附注",)}, "sample_id",
                     lambda t: t.startswith("W"))
    cells = [(50, 100, "样品号"), (150, 100, "称量值"), (300, 100, "附注"),
             (50, 120, "W-11"), (150, 120, "0.31"),
             (50, 135, "W-12"), (150, 135, "0.00"), (300, 135, "全程序空白"),
             (40, 160, "质控"),
             (40, 174, "平行双样W-11：相对偏差3%，称量核查合格")]
    (t,) = find_tables([grid(cells_page(1, cells))], spec)
    assert [row_vals(t, r).value("sample_id") for r in t.rows] == ["W-11", "W-12"]
    assert row_vals(t, t.rows[-1]).value("sample_id") == "W-12"


def test_left_aligned_cells_under_centred_title():
    # the role title is centred over a wide column; its cells start far left of it
    spec = TableSpec("m", {"name": ("姓名",), "role": ("职责",), "unit": ("科室",)}, "name",
                     lambda t: 2 <= len(t) <= 3 and t not in ("姓名", "职责", "科室"))
    cells = [(100, 100, "姓名"), (260, 100, "职责"), (420, 100, "科室"),
             (98, 118, "汤一凡"), (170, 118, "现场检测"), (420, 118, "检测部"),
             (98, 134, "欧阳"), (170, 134, "质量控制、审核"), (420, 134, "质控部")]
    (t,) = find_tables([grid(cells_page(1, cells))], spec)
    got = [(row_vals(t, r).value("name"), row_vals(t, r).value("role")) for r in t.rows]
    assert got == [("汤一凡", "现场检测"), ("欧阳", "质量控制、审核")]


def test_id_schemes_with_several_letter_heads():
    ids = [f"PM0412-{i:02d}" for i in range(1, 9)] + ["VO0412-09", "VO0412-10"]
    pat = learn_pattern(ids)
    assert pat.find("VO0412-10") and pat.find("PM0412-03")
    # a number of the same shape with letters no sample id uses is not a sample id
    assert pat.find("项目号 RT-041299") == []


@pytest.mark.parametrize("source", ["text", "ocr"])
def test_title_of_the_next_form_ends_the_table(source):
    # a scanned sampling record: right under the last row stands the next form's title
    # ("现场空白样品记录"), close enough to read as a wrapped line of the last row's id cell
    spec = TableSpec("s", {"sample_id": ("样品编号",), "post": ("采样岗位",)}, "sample_id",
                     lambda t: t.startswith("KB") or t.startswith("HN"))
    cells = [(50, 100, "样品编号"), (160, 100, "采样岗位"),
             (50, 116, "HN-0412-01"), (160, 116, "焊工"),
             (50, 132, "HN-0412-02"), (160, 132, "打磨工"),
             (52, 146, "现场空白样品记录"),
             (50, 166, "样品编号"), (160, 166, "空白类型"),
             (50, 182, "KB-0412-01"), (160, 182, "现场空白")]
    tables = find_tables([grid(cells_page(1, cells, source=source))], spec)
    ids = [[row_vals(t, r).value("sample_id") for r in t.rows] for t in tables]
    assert ids[0] == ["HN-0412-01", "HN-0412-02"]


def _stacked_header_page():
    """A sampling sheet whose titles stand on three baselines (采样对 / 象, 流量 / L/min)
    and whose first row wraps: the site's and the remark's top lines stand a little above
    the row's id. The text layer puts "L/min" (lower) and "采样器编号" on one line."""
    from pipeline.types import Word
    cells = [(64, 232, "样品编号"), (112, 232, "采样地点(岗位)"), (185, 232, "检测项目"),
             (393, 227, "流量"),
             (507, 232, "备注"),
             (110, 252, "落砂机旁"), (499, 252, "现场空白"),
             (57, 257, "DJ220601-01"), (393, 257, "20.0"), (422, 257, "JX-XC347"), (183, 257, "矽尘(总尘)"),
             (110, 262, "(落砂工)"), (489, 262, "DJ220601-15-K"),
             (57, 282, "DJ220601-02"), (110, 282, "落砂机旁(落砂工)"), (183, 282, "矽尘(总尘)"), (393, 282, "20.0"),
             (422, 282, "JX-XC347")]
    p = cells_page(1, cells, height=10.43)
    both = Line(text="L/min 采样器编号", raw="L/min 采样器编号", bbox=(390.52, 232.01, 457.43, 247.42),
                words=(Word(text="L/min", bbox=(390.52, 236.99, 411.33, 247.42)),
                       Word(text="采样器编号", bbox=(417.53, 232.01, 457.43, 242.44))))
    return p.model_copy(update={"lines": p.lines + (both,)})


def test_stacked_header_titles_on_two_baselines_are_two_columns():
    spec = TableSpec("s", {"sample_id": ("样品编号",), "site": ("采样地点",), "factor": ("检测项目",),
                           "flow": ("流量",), "pump_id": ("采样器编号",)}, "sample_id",
                     lambda t: t.startswith("DJ"))
    (t,) = find_tables([grid(_stacked_header_page())], spec)
    assert [(row_vals(t, r).value("flow"), row_vals(t, r).value("pump_id")) for r in t.rows] == \
        [("20.0", "JX-XC347"), ("20.0", "JX-XC347")]


def test_the_top_line_of_a_wrapped_first_row_is_no_title():
    spec = TableSpec("s", {"sample_id": ("样品编号",), "site": ("采样地点",), "factor": ("检测项目",),
                           "pump_id": ("采样器编号",), "note": ("备注",)}, "sample_id",
                     lambda t: t.startswith("DJ"))
    (t,) = find_tables([grid(_stacked_header_page())], spec)
    first = t.rows[0]
    assert row_vals(t, first).value("site") == "落砂机旁(落砂工)"
    assert "现场空白" in row_vals(t, first).value("note")


def test_wrapped_line_of_a_left_aligned_cell_stays_in_its_column():
    """A left-aligned list column wider than its centred title wraps its last item
    ("噪" / "声") under the neighbouring title's half: the wrapped line continues its cell."""
    spec = TableSpec("posts", {"post": ("岗位",), "hours": ("接触时间",), "factors": ("职业病危害因素",)}, "post",
                     lambda t: bool(t.strip()))
    page = cells_page(1, [
        (60, 100, "岗位"), (200, 100, "接触时间"), (330, 100, "职业病危害因素"),
        (270, 125, "矽尘(总尘)、矽尘(呼尘)、噪"),
        (60, 130, "配料工"), (215, 130, "8"),
        (270, 136, "声"),
        (60, 160, "混合工"), (215, 160, "6"), (270, 160, "噪声"),
    ])
    (t,) = find_tables([grid(page)], spec)
    rows = [row_vals(t, r) for r in t.rows]
    assert [(r.value("post"), r.value("hours"), r.value("factors")) for r in rows] == [
        ("配料工", "8", "矽尘(总尘)、矽尘(呼尘)、噪声"), ("混合工", "6", "噪声")]


def test_lone_cell_at_another_columns_left_edge_moves_there():
    """A left-aligned text column starts its cells under the previous title's half; in a
    row whose previous cell is blank, its lone cell belongs to its own column still."""
    spec = TableSpec("w", {"post": ("岗位",), "hours": ("接触时间",), "content": ("工作内容",)}, "post",
                     lambda t: t in ("涂板工", "制粉工", "和膏工"))
    page = cells_page(1, [
        (60, 100, "岗位"), (200, 100, "接触时间"), (330, 100, "工作内容"),
        (60, 120, "涂板工"), (250, 120, "涂板、收板"),
        (60, 140, "制粉工"), (205, 140, "6.5"), (250, 140, "投料、巡检球磨机"),
        (60, 160, "和膏工"), (208, 160, "8"), (250, 160, "投料、和膏"),
    ])
    (t,) = find_tables([grid(page)], spec)
    rows = [row_vals(t, r) for r in t.rows]
    assert [(r.value("post"), r.value("hours"), r.value("content")) for r in rows] == [
        ("涂板工", None, "涂板、收板"), ("制粉工", "6.5", "投料、巡检球磨机"), ("和膏工", "8", "投料、和膏")]


def test_a_cell_run_over_a_column_line_is_split_where_the_script_changes():
    # A text layer joins a sample id printed past its column with the site cell beside it
    # into one span ("Z-0303-07KB和膏机操作位"): split where Latin turns CJK at the column
    # line, the row keeps its own id and site instead of joining the row above.
    spec = TableSpec("g", {"sample_id": ("样品编号",), "site": ("采样地点",), "factor": ("检测项目",)}, "sample_id",
                     lambda t: t.startswith("Z"))
    rows = [[(40, "样品编号"), (112, "采样地点"), (230, "检测项目")],
            [(40, "Z-0303-05"), (112, "铸焊机工位"), (230, "铅烟")],
            [(40, "Z-0303-06"), (112, "和膏机操作位"), (230, "铅尘")],
            [(40, "Z-0303-07KB和膏机操作位"), (230, "铅尘")]]
    (t,) = find_tables([grid(grid_page(1, rows))], spec)
    got = [(r.text("sample_id"), r.text("site"), r.text("factor")) for r in t.rows]
    assert got == [("Z-0303-05", "铸焊机工位", "铅烟"), ("Z-0303-06", "和膏机操作位", "铅尘"),
                   ("Z-0303-07KB", "和膏机操作位", "铅尘")]
    # a change of script far from any column line stays one cell, as printed
    rows[3] = [(40, "Z-0303-07"), (112, "和膏机操作位ABC"), (230, "铅尘")]
    (t,) = find_tables([grid(grid_page(1, rows))], spec)
    assert t.rows[2].text("site") == "和膏机操作位ABC"
