"""The sampling record read as one record across its pages (extractors/forms/sampling_record.py).

Shapes of forms neither generated family prints, so that the tests hold the mechanism:
blanks named in a remark cell or a separate QC table, flows before/after under one
grouped title or in a calibration table on another page, a table continued on a page
that repeats its titles but not the header block, form notes under the table.
"""
from __future__ import annotations

from extractors import extract_records
from tests.synth import cells_page, section_pages

HEAD = [(50, 60, "有害物质现场采样记录单"), (50, 85, "任务编号 ZX-2022-031"), (300, 85, "采样日期 2022年6月11日"),
        (50, 105, "环境条件 晴 气温 26.0℃ 气压 100.9kPa")]


def _sheets(*pages_cells):
    pages, secs = section_pages({"sampling_record": list(pages_cells)}, lambda no, cells: cells_page(no, cells))
    return extract_records(pages, secs).sampling_records


def _by_id(sheet):
    return {(r.value("sample_id") or r.get("sample_id").raw): r for r in sheet.rows}


def test_blank_named_in_a_remark_cell_is_a_blank_record_of_its_own():
    cells = HEAD + [(50, 140, "样品编号"), (150, 140, "检测项目"), (250, 140, "采样时段"), (360, 140, "附注"),
                    (50, 160, "ZX22061101"), (150, 160, "苯"), (250, 160, "08:10-08:25"), (360, 160, "全程序空白ZX22061109"),
                    (50, 180, "ZX22061102"), (150, 180, "苯"), (250, 180, "09:10-09:25"),
                    (50, 220, "采样人: 石磊 陆川")]
    sh = _sheets(cells)[0]
    rows = _by_id(sh)
    assert rows["ZX22061101"].value("is_blank") is False and rows["ZX22061102"].value("is_blank") is False
    assert rows["ZX22061109"].value("is_blank") is True and rows["ZX22061109"].value("factor") == "苯"


def test_blank_word_in_an_unnamed_column_marks_the_row():
    cells = HEAD + [(50, 140, "样品编号"), (150, 140, "检测项目"), (250, 140, "采样时段"), (360, 140, "样品性质"),
                    (50, 160, "ZX22061101"), (150, 160, "苯"), (250, 160, "08:10-08:25"), (360, 160, "样品"),
                    (50, 180, "ZX22061108"), (150, 180, "苯"), (250, 180, "—"), (360, 180, "运输空白")]
    rows = _by_id(_sheets(cells)[0])
    assert [rows[k].value("is_blank") for k in ("ZX22061101", "ZX22061108")] == [False, True]


def test_a_form_note_under_the_table_is_no_cell_of_the_last_row():
    cells = HEAD + [(50, 140, "样品编号"), (150, 140, "检测项目"), (250, 140, "采样时段"),
                    (50, 160, "ZX22061101"), (150, 160, "苯"), (250, 160, "08:10-08:25"),
                    (50, 175, "注：空白样与样品同批运输、保存")]
    rows = _by_id(_sheets(cells)[0])
    assert rows["ZX22061101"].value("is_blank") is False


def test_separate_blank_table_under_a_title_line():
    cells = HEAD + [(50, 140, "样品编号"), (150, 140, "检测项目"), (250, 140, "采样时段"),
                    (50, 160, "ZX22061101"), (150, 160, "甲苯"), (250, 160, "08:10-08:25"),
                    (50, 200, "空白对照记录"),
                    (50, 220, "样品编号"), (150, 220, "检测项目"), (250, 220, "放置时间"),
                    (50, 240, "ZX22061107"), (150, 240, "甲苯"), (250, 240, "08:00")]
    rows = _by_id(_sheets(cells)[0])
    assert rows["ZX22061101"].value("is_blank") is False and rows["ZX22061107"].value("is_blank") is True


def test_flow_before_after_under_one_grouped_title():
    cells = HEAD + [(300, 130, "流量(L/min)"),
                    (50, 145, "样品编号"), (150, 145, "检测项目"), (220, 145, "采样时段"), (300, 145, "前"), (350, 145, "后"),
                    (50, 165, "ZX22061101"), (150, 165, "苯"), (220, 165, "08:10-08:25"), (300, 165, "0.20"), (350, 165, "0.19")]
    r = _by_id(_sheets(cells)[0])["ZX22061101"]
    assert (r.value("flow_before"), r.value("flow_after")) == (0.2, 0.19)


def test_calibration_table_on_the_next_page_gives_each_sample_its_flows():
    p1 = HEAD + [(50, 140, "样品编号"), (150, 140, "检测项目"), (250, 140, "采样时段"), (400, 140, "采样器编号"),
                 (50, 160, "ZX22061101"), (150, 160, "苯"), (250, 160, "08:10-08:25"), (400, 160, "CY-118"),
                 (50, 180, "ZX22061102"), (150, 180, "苯"), (250, 180, "09:10-09:25"), (400, 180, "CY-118"),
                 (420, 800, "第1页 共2页")]
    # the calibration columns in the other order (after, then before) and titled 校准
    p2 = [(50, 60, "采样器编号"), (150, 60, "样品编号"), (250, 60, "校准后流量"), (350, 60, "校准前流量"),
          (50, 80, "CY-118"), (150, 80, "ZX22061101"), (250, 80, "0.49"), (350, 80, "0.50"),
          (50, 100, "CY-118"), (150, 100, "ZX22061102"), (250, 100, "0.50"), (350, 100, "0.51"),
          (50, 140, "采样人: 石磊 陆川"), (420, 800, "第2页 共2页")]
    sheets = _sheets(p1, p2)
    assert len(sheets) == 1 and sheets[0].pages == (1, 2)
    rows = _by_id(sheets[0])
    assert set(rows) == {"ZX22061101", "ZX22061102"}
    assert (rows["ZX22061101"].value("flow_before"), rows["ZX22061101"].value("flow_after")) == (0.5, 0.49)
    assert (rows["ZX22061102"].value("flow_before"), rows["ZX22061102"].value("flow_after")) == (0.51, 0.5)


def test_table_continued_with_repeated_titles_keeps_the_form_and_its_date():
    p1 = HEAD + [(50, 140, "样品编号"), (150, 140, "检测项目"), (250, 140, "采样时段"),
                 (50, 160, "ZX22061101"), (150, 160, "苯"), (250, 160, "08:10-08:25"),
                 (420, 800, "第1页 共2页")]
    p2 = [(50, 60, "样品编号"), (150, 60, "检测项目"), (250, 60, "采样时段"),
          (50, 80, "ZX22061102"), (150, 80, "苯"), (250, 80, "09:10-09:25"),
          (50, 100, "ZX22061109"), (150, 100, "苯"), (250, 100, "现场空白"),
          (420, 800, "第2页 共2页")]
    sheets = _sheets(p1, p2)
    assert len(sheets) == 1 and sheets[0].date.ok and sheets[0].pages == (1, 2)
    assert sheets[0].temperature_c.value == 26.0
    rows = _by_id(sheets[0])
    assert rows["ZX22061109"].value("is_blank") is True and rows["ZX22061102"].value("is_blank") is False


def test_blank_id_with_a_suffix_outside_the_pattern_is_kept_as_text():
    cells = HEAD + [(50, 140, "样品编号"), (150, 140, "检测项目"), (250, 140, "采样时段"),
                    (50, 160, "ZX22061101"), (150, 160, "苯"), (250, 160, "08:10-08:25"),
                    (50, 180, "ZX22061102"), (150, 180, "苯"), (250, 180, "09:10-09:25"),
                    (50, 200, "ZX22061103QC"), (150, 200, "苯"), (250, 200, "空白")]
    sh = _sheets(cells)[0]
    blank = [r for r in sh.rows if r.value("is_blank")]
    assert len(blank) == 1 and blank[0].value("sample_id") is None and blank[0].get("sample_id").raw == "ZX22061103QC"


def test_grouped_flow_with_an_empty_after_cell():
    """The after-sampling flow left blank under its sub-title: an empty cell, not a single flow."""
    cells = HEAD + [(300, 130, "流量(L/min)"),
                    (50, 145, "样品编号"), (150, 145, "检测项目"), (220, 145, "采样时段"), (300, 145, "前"), (350, 145, "后"),
                    (50, 165, "ZX22061101"), (150, 165, "苯"), (220, 165, "08:10-12:25"), (300, 165, "0.20")]
    r = _by_id(_sheets(cells)[0])["ZX22061101"]
    assert r.value("flow_before") == 0.2 and not r.get("flow_after").ok and r.get("flow_after").empty


def test_rows_continued_without_titles_above_a_table_of_the_page_own():
    """A page break inside the sample table, its titles not repeated, and a calibration
    table of the next page under the continued rows: the rows stay samples of the form."""
    p1 = HEAD + [(50, 140, "样品编号"), (150, 140, "检测项目"), (250, 140, "采样时段"),
                 (50, 160, "ZX22061101"), (150, 160, "苯"), (250, 160, "08:10-08:25"),
                 (50, 180, "ZX22061102"), (150, 180, "苯"), (250, 180, "09:10-09:25"),
                 (420, 800, "第1页 共2页")]
    p2 = [(50, 60, "ZX22061103"), (150, 60, "苯"), (250, 60, "10:10-10:25"),
          (50, 80, "ZX22061104"), (150, 80, "苯"), (250, 80, "13:10-13:25"),
          (50, 120, "流量校准"), (50, 140, "对应样品"), (150, 140, "校准前流量"), (250, 140, "校准后流量"),
          (50, 160, "ZX22061103"), (150, 160, "0.50"), (250, 160, "0.49"),
          (50, 200, "采样人: 石磊 陆川"), (420, 800, "第2页 共2页")]
    sheets = _sheets(p1, p2)
    assert len(sheets) == 1 and sheets[0].pages == (1, 2)
    rows = _by_id(sheets[0])
    assert {"ZX22061101", "ZX22061102", "ZX22061103", "ZX22061104"} <= set(rows)
    assert rows["ZX22061104"].value("factor") == "苯" and rows["ZX22061104"].page == 2
    assert (rows["ZX22061103"].value("flow_before"), rows["ZX22061103"].value("flow_after")) == (0.5, 0.49)


def test_a_last_page_with_only_the_signature_strip_signs_the_form():
    """No rows, no date, no page count: the signers it holds are the form's."""
    p1 = HEAD + [(50, 140, "样品编号"), (150, 140, "检测项目"), (250, 140, "采样时段"),
                 (50, 160, "ZX22061101"), (150, 160, "苯"), (250, 160, "08:10-08:25")]
    p2 = [(50, 60, "备注：无"), (50, 100, "采样人：石磊 陆川"), (250, 100, "陪同人：周平")]
    sheets = _sheets(p1, p2)
    assert len(sheets) == 1 and sheets[0].pages == (1, 2)
    assert [v.value for v in sheets[0].samplers] == ["石磊", "陆川"] and sheets[0].escort.value == "周平"
