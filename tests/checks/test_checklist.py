"""The attachment-3 checklist data and the checklist.xlsx expert sheet."""
from __future__ import annotations

import dataclasses
import json
import re
from importlib import resources

import pytest
from openpyxl import load_workbook

from checks.checklist import ITEMS, KEY_INDICATORS, PARTS, Item, grand_total, item, items_of, totals
from pipeline.outputs.checklist_xlsx import COL, SHEET_MAIN, SHEET_OTHER, SHEET_SUMMARY, write_checklist_xlsx
from pipeline.types import Evidence, Finding, Section
from tests.conftest import SHARED

SEED = SHARED / "seeds" / "002_ad9b1e7362075c0a.txt"

VETO = {1, 2, 17, 18, 19, 20, 21, 22, 75, 76, 77, 78, 79, 80, 88, 89, 93, 94}


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


# ------------------------------------------------------------------ the data


def test_numbers_1_to_96_each_once_in_order():
    assert [it.no for it in ITEMS] == list(range(1, 97))
    assert all(isinstance(it, Item) for it in ITEMS)


def test_attachment4_totals():
    g = grand_total()
    assert (g.veto, g.key, g.key_points, g.general, g.general_points) == (18, 44, 66.0, 34, 34.0)
    assert (g.scored, g.max_points) == (78, 100.0)  # "得分：78项，满分100分"
    t = totals()
    assert set(t) == {1, 2, 3}
    assert [(t[p].veto, t[p].key, t[p].general) for p in (1, 2, 3)] == [(8, 9, 9), (0, 23, 25), (10, 12, 0)]
    assert [(t[p].key_points, t[p].general_points) for p in (1, 2, 3)] == [(13.5, 9.0), (34.5, 25.0), (18.0, 0.0)]
    assert t[1] + t[2] + t[3] == g


def test_veto_items_and_weights():
    assert {it.no for it in ITEMS if it.veto} == VETO
    for it in ITEMS:
        if it.veto:
            assert (it.points, it.weight) == (None, "veto")
        else:
            assert it.weight == {1.5: "key", 1.0: "general"}[it.points]
        assert "★" not in it.text  # the mark is the veto flag, not part of the wording


def test_parts_and_categories():
    assert PARTS == {1: "一、资质条件保持和符合性", 2: "二、服务规范性", 3: "三、服务真实性"}
    assert [it.no for it in items_of(1)] == list(range(1, 27))
    assert [it.no for it in items_of(2)] == list(range(27, 75))
    assert [it.no for it in items_of(3)] == list(range(75, 97))
    for it in ITEMS:
        assert it.part_name == PARTS[it.part]
        assert re.match(r"^\([一二三四五六七八九十]+\)\S+$", it.category), it
    assert item(52).category == "(十四)检测报告内容"  # wrapped in the source table
    assert item(68).category == "(十五)实验室分析"
    assert item(94).category == "(十八)实验开展真实性"
    # categories are contiguous runs, numbered in order (一)…(十八)
    runs = [c for i, c in enumerate(it.category for it in ITEMS) if i == 0 or c != ITEMS[i - 1].category]
    assert len(runs) == len(set(runs)) == 18


def test_item_87_points_discrepancy_is_recorded():
    it = item(87)
    assert it.points == 1.5 and it.weight == "key"
    assert "1.0分扣完为止" in it.method  # the source's own wording, kept
    assert it.note and "1.5" in it.note and "1.0分扣完为止" in it.note


def test_shared_method_of_items_17_to_19():
    assert item(18).method == item(19).method == item(17).method
    assert item(18).note and item(19).note and item(17).note is None


def test_key_indicators():
    assert KEY_INDICATORS == (5, 31, 34, 36, 46, 59, 65, 74)
    assert {it.no for it in ITEMS if it.key_indicator} == set(KEY_INDICATORS)


def test_wording_samples():
    assert item(94).text == "现场采集的样品是否全部进行实验室分析。"
    assert item(94).label == "(94)现场采集的样品是否全部进行实验室分析。★"
    assert item(77).text == "是否存在现场采样、检测和陪同人代替签字情况。"  # line-wrapped in the source
    assert item(37).method.endswith("不符合GBZ 159的，每发现1处扣0.3分。1.5分扣完为止。")
    assert item(96).method.endswith("每发现1处扣0.5分。1.5分扣完为止。")
    assert "釆样时间" in item(45).text  # the source's variant character is kept


def test_item_lookup():
    assert item(1).no == 1 and item(96).no == 96
    for bad in (0, 97, -1, "5", 5.0, True, None):
        with pytest.raises(KeyError):
            item(bad)
    with pytest.raises(dataclasses.FrozenInstanceError):
        item(1).points = 2.0  # type: ignore[misc]


def test_base_veto_of_uses_the_data():
    from checks.base import veto_of

    assert [n for n in range(0, 98) if veto_of(n)] == sorted(VETO)
    assert veto_of(None) is False


def test_data_ships_as_package_data():
    res = resources.files("checks").joinpath("data/checklist.json")
    assert res.is_file()
    doc = json.loads(res.read_text(encoding="utf-8"))
    assert len(doc["items"]) == 96
    for d in doc["items"]:
        assert {"no", "part", "part_name", "category", "text", "method", "points", "veto", "weight",
                "key_indicator", "note", "evidence", "evidence_note"} == set(d)


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seeds not present")
def test_wording_matches_the_seed():
    text = SEED.read_text(encoding="utf-8")
    start = text.index("附件 3")
    end = text.index("附件 4")
    table = _squash(text[start:end])
    for it in ITEMS:
        cited = f"({it.no}){_squash(it.text)}"
        assert cited in table, it.no
        # the ★ follows the wording exactly for veto items, never otherwise
        assert (cited + "★" in table) == it.veto, it.no
        assert _squash(it.method) in table, it.no
        assert _squash(it.category) in table, it.no
    # 重点指标 as the plan lists them
    m = re.search(r"8项重点指标为.*?第([0-9、]+)项", text)
    assert m and tuple(int(x) for x in m.group(1).split("、")) == KEY_INDICATORS


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seeds not present")
def test_totals_match_attachment4_in_the_seed():
    a4 = _squash(SEED.read_text(encoding="utf-8").split("附件 4", 1)[1].split("附件5", 1)[0])
    blocks = re.split(r"资质条件保持和符合性|服务规范性|服务真实性|得分否决项", a4)
    # blocks[1..3] are the three parts, blocks[4] the total row

    def nums(kind: str, block: str) -> list[float]:
        """``关键项：9项，总分13.5分`` → [9, 13.5]; ``否决项：8项，其中…`` → [8]."""
        found = re.findall(kind + r"：(\d+(?:\.\d+)?)项(?:，其中|；|，总分(\d+(?:\.\d+)?)分)?", block)
        assert len(found) == 1, (kind, block)
        return [float(x) for x in found[0] if x]

    t = totals()
    for p, block in zip((1, 2, 3), blocks[1:4]):
        assert nums("否决项", block) == [t[p].veto]
        assert nums("关键项", block) == [t[p].key, t[p].key_points]
        gen = re.findall(r"一般项：(\d+)项，总分(\d+)分", block)
        assert [(int(a), float(b)) for a, b in gen] == ([(t[p].general, t[p].general_points)] if t[p].general else [])
    total = "否决项" + blocks[4]
    g = grand_total()
    assert nums("否决项", total) == [g.veto]
    assert nums("关键项", total) == [g.key, g.key_points]
    assert nums("一般项", total) == [g.general, g.general_points]
    assert re.search(rf"得分：{g.scored}项，满分{g.max_points:g}分", total)


# ------------------------------------------------------------------ checklist.xlsx


def _findings():
    return [
        Finding(code="samples.count_mismatch", indicator=94, veto=True,
                message="现场采样记录共 24 个样品，实验室分析记录仅 22 个：缺 S22061407、S22061408",
                evidence=(Evidence(page=14, bbox=(72.0, 310.5, 520.0, 330.0), text="S22061407"),
                          Evidence(page=21, text="S22061408"))),
        Finding(code="plan.approved_after_sampling", indicator=40,
                message="检测方案审核日期2022-06-15晚于采样日期2022-06-14（第5页、第9页）",
                evidence=(Evidence(page=5), Evidence(page=9))),
        Finding(code="check.cannot_decide", indicator=36,
                message="未能从证据包中读取检测方案，指标36无法自动核查，请专家人工核对",
                evidence=(Evidence(page=5),)),
        Finding(code="submission.late", indicator=None, message="材料于通知后 61 小时提交，超过48小时"),
        Finding(code="bundle.missing_section", indicator=None, message="缺少过程材料：样品交接/流转记录"),
        Finding(code="anonymized.leak", indicator=None, message="隐名版本第2页仍可见机构名称",
                evidence=(Evidence(file="anonymized.pdf", page=2),)),
        Finding(code="check.cannot_decide", indicator=None, message="未能读取提交信息中的资质有效期"),
        Finding(code="odd.indicator", indicator=97, message="不存在的指标编号"),
    ]


def _item_rows(ws):
    return {row[0].value: row for row in ws.iter_rows(min_row=1) if isinstance(row[0].value, int)}


def _fill(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:] if cell.fill and cell.fill.fill_type == "solid" else ""


@pytest.mark.parametrize("as_dicts", [False, True])
def test_checklist_xlsx(tmp_path, as_dicts):
    findings = _findings()
    if as_dicts:  # the shape read back from findings.json
        findings = [f.model_dump(mode="json") for f in findings]
    out = tmp_path / "HN-2023-007" / "checklist.xlsx"
    write_checklist_xlsx(out, "HN-2023-007", findings,
                         sections=[Section(type="contract", pages=(1, 2, 3)), {"type": "report", "pages": [20, 21, 23]}])
    assert [p.name for p in out.parent.iterdir()] == ["checklist.xlsx"]  # no temp file left
    wb = load_workbook(out)
    assert wb.sheetnames == [SHEET_MAIN, SHEET_OTHER, SHEET_SUMMARY]
    ws = wb[SHEET_MAIN]

    rows = _item_rows(ws)
    assert sorted(rows) == list(range(1, 97))
    item_rows = [r for r in ws.iter_rows(min_row=4) if isinstance(r[0].value, int)]
    assert len(item_rows) == 96
    parts = [r[0].value for r in ws.iter_rows(min_row=4) if r[0].value in PARTS.values()]
    assert parts == list(PARTS.values())
    assert ws.cell(row=3, column=COL["系统预警"]).value == "系统预警"

    g = lambda no, col: rows[no][COL[col] - 1]
    for it in ITEMS:
        assert g(it.no, "检查指标").value == it.text
        assert g(it.no, "检查方法").value == it.method
        if it.veto:
            assert g(it.no, "否决项(★)").value == "★"
            assert g(it.no, "分值").value == "/"
            assert g(it.no, "得分").value == "/" and _fill(g(it.no, "得分")) == "D9D9D9"
            assert g(it.no, "专家判定").value is None
        else:
            assert g(it.no, "否决项(★)").value in (None, "")
            assert g(it.no, "分值").value == it.points
            assert g(it.no, "得分").value is None
        assert g(it.no, "存在的问题（专家填写）").value is None
        if it.no not in (36, 40, 94):
            assert g(it.no, "系统预警").value in (None, ""), it.no
            assert _fill(g(it.no, "检查指标")) == "", it.no

    # the findings sit on their items, with pages
    w94 = g(94, "系统预警").value
    assert "实验室分析记录仅 22 个" in w94 and "第14、21页" in w94
    assert g(94, "证据页码").value == "14、21"
    assert _fill(g(94, "检查指标")) == "FFC7CE"  # veto item flagged: light red
    w40 = g(40, "系统预警").value
    assert "晚于采样日期" in w40 and w40.count("第5页") == 1  # pages already in the message: not repeated
    assert g(40, "证据页码").value == "5、9"
    assert _fill(g(40, "检查指标")) == "FFF2CC"  # scored item flagged: light yellow
    assert "无法自动核查" in g(36, "系统预警").value and "第5页" in g(36, "系统预警").value
    assert _fill(g(36, "检查指标")) == "DDEBF7"  # only "could not check": not shown as a defect
    assert "重点指标" in g(36, "指标分类").value and "重点指标" not in g(40, "指标分类").value
    assert g(87, "分值").comment is not None and "1.0分扣完为止" in g(87, "分值").comment.text

    # layout: frozen header, print setup, expert input lists
    assert ws.freeze_panes == "C4"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert g(94, "检查方法").alignment.wrap_text
    assert ws.column_dimensions["D"].width >= 40
    dv = [d for d in ws.data_validations.dataValidation if d.type == "list"]
    assert len(dv) == 1 and '"符合,不符合"' == dv[0].formula1
    judged = {c for rng in dv[0].sqref.ranges for c in _cells(rng)}
    assert judged == {f"{g(n, '专家判定').column_letter}{g(n, '专家判定').row}" for n in VETO}

    # findings that are no checklist item
    other = [r for r in wb[SHEET_OTHER].iter_rows(min_row=4, values_only=True) if r[0] is not None]
    codes = [r[2] for r in other]
    assert codes == ["submission.late", "bundle.missing_section", "anonymized.leak", "check.cannot_decide",
                     "odd.indicator"]
    assert other[2][4] == "anonymized.pdf 第2页"
    assert "97" in other[4][1]
    for no in (36, 40, 94):
        assert not any(str(no) == str(r[0]) and r[2] == "check.cannot_decide" for r in other)

    # attachment 4 mirrored, with the caveat
    summary = [[v for v in r if v is not None] for r in wb[SHEET_SUMMARY].iter_rows(values_only=True)]
    flat = "\n".join(str(v) for r in summary for v in r)
    assert "不是评分" in flat and "由专家" in flat
    by_label = {r[0]: r for r in summary if r}
    assert by_label[PARTS[1]][1:7] == [8, 9, 13.5, 9, 9, "0项"]
    assert by_label[PARTS[3]][1:3] == [10, 12]
    total = next(r for r in summary if r and str(r[0]).startswith("合计"))
    assert total[1:6] == [18, 44, 66, 34, 34] and "第40、94项" in total[6]
    assert "技术服务合同：第1-3页" in flat and "检测报告：第20-21、23页" in flat
    assert "第36项" in by_label["无法自动核查的指标"][1]


def _cells(rng):
    from openpyxl.utils import get_column_letter

    for row in range(rng.min_row, rng.max_row + 1):
        for col in range(rng.min_col, rng.max_col + 1):
            yield f"{get_column_letter(col)}{row}"


def test_checklist_xlsx_clean_bundle(tmp_path):
    out = tmp_path / "checklist.xlsx"
    write_checklist_xlsx(out, "CLEAN-1", [], checked_indicators=[94, 40])
    wb = load_workbook(out)
    rows = _item_rows(wb[SHEET_MAIN])
    flagged = [n for n, r in rows.items() if _fill(r[COL["检查指标"] - 1])]
    assert flagged == []
    assert "未发现预警" in rows[94][COL["系统预警"] - 1].value
    assert rows[95][COL["系统预警"] - 1].value in (None, "")  # not checked: left empty, not "符合"
    other = list(wb[SHEET_OTHER].iter_rows(min_row=4, values_only=True))
    assert other[0][0] == "无"


def test_checklist_xlsx_failed_status(tmp_path):
    out = tmp_path / "checklist.xlsx"
    write_checklist_xlsx(out, "BAD-1", [{"code": "input.unreadable", "indicator": None, "veto": False,
                                         "message": "第3页无法读取", "evidence": [{"page": 3}]}], status="failed")
    wb = load_workbook(out)
    assert "处理失败" in wb[SHEET_MAIN]["A2"].value
    other = [r for r in wb[SHEET_OTHER].iter_rows(min_row=4, values_only=True) if r[0] is not None]
    assert other[0][2] == "input.unreadable" and other[0][3] == "第3页无法读取"
