"""``checklist.xlsx``: attachment 3 laid out as experts know it, with the pre-flags filled in.

Sheet 检查表 is the 96-item table under attachment 3's own column names (指标分类, 检查指标,
检查方法, 分值, 得分, 存在的问题), with part header rows, ★ veto rows and "/" where attachment 3
says not to score, plus the system's pre-flags and their pages beside each item, whether
the system checked the item (系统核查: by which checks, or why not: 需现场核查：…, see
``pipeline/outputs/coverage.py``) and empty columns for the expert's judgement
(符合/不符合 on veto items), score and problems found. Sheet 其他预警 holds the
findings that are no checklist item (late submission, missing sections, blind-copy
leaks, unreadable pages, ...). Sheet 汇总 mirrors attachment 4's counts with blanks for
the expert and says plainly that pre-flags are not scores.

Nothing here scores or judges: a pre-flag only points an expert at something to check.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from checks.checklist import ITEMS, KEY_INDICATORS, META, PARTS, Item, grand_total, totals
from checks.coverage import ItemCoverage, coverage
from pipeline.codes import CANNOT_DECIDE, CODE_NAMES_ZH
from pipeline.outputs.coverage import item_mark, summary_zh
from pipeline.fsio import atomic_path
from pipeline.types import SECTION_NAMES_ZH, Finding

SHEET_MAIN = "检查表"
SHEET_OTHER = "其他预警"
SHEET_SUMMARY = "汇总"

# Findings that are not checklist items (spec §3), named for the expert: pipeline/codes.py.
OTHER_CODE_NAMES = CODE_NAMES_ZH

COLUMNS: tuple[tuple[str, float], ...] = (
    ("序号", 6),
    ("指标分类", 16),
    ("检查指标", 32),
    ("检查方法", 48),
    ("分值", 6),
    ("否决项(★)", 8),
    ("系统预警", 50),
    ("证据页码", 12),
    ("系统核查", 30),
    ("专家判定", 10),
    ("得分", 7),
    ("存在的问题（专家填写）", 24),
)
COL = {name: i + 1 for i, (name, _) in enumerate(COLUMNS)}
NCOLS = len(COLUMNS)
HEADER_ROW = 3

FILL_VETO = PatternFill("solid", fgColor="FFC7CE")  # light red: pre-flag on a veto item
FILL_FLAG = PatternFill("solid", fgColor="FFF2CC")  # light yellow: pre-flag on a scored item
FILL_UNDECIDED = PatternFill("solid", fgColor="DDEBF7")  # light blue: only "could not check"
FILL_NA = PatternFill("solid", fgColor="D9D9D9")  # grey: "/" cells attachment 3 leaves unscored
FILL_HEADER = PatternFill("solid", fgColor="BDD7EE")
FILL_PART = PatternFill("solid", fgColor="E2EFDA")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)

NOT_A_SCORE = ("系统预警是计算机对证据包材料自动预筛出的问题线索，仅提示专家重点核查，"
               "不是评分，也不是否决结论；各项是否符合、扣分与得分均由专家按附件3检查方法判定。"
               "未出现预警不代表该项符合。")


@dataclass(frozen=True)
class _Flag:
    """One finding, whichever shape it came in (``Finding`` or a findings.json dict)."""

    code: str
    indicator: Optional[int]
    message: str
    refs: tuple[tuple[str, int], ...]  # (file, page) in evidence order, unique
    pages: frozenset[int] = frozenset()  # pages of original.pdf the message names (Finding.message_pages)

    @property
    def undecided(self) -> bool:
        return self.code == CANNOT_DECIDE


def _get(obj: Any, key: str, default=None):
    return obj.get(key, default) if isinstance(obj, Mapping) else getattr(obj, key, default)


def _as_flag(f: Finding | Mapping) -> _Flag:
    refs: list[tuple[str, int]] = []
    for ev in _get(f, "evidence", ()) or ():
        page = _get(ev, "page")
        if isinstance(page, int) and not isinstance(page, bool):
            ref = (_get(ev, "file") or "original.pdf", page)
            if ref not in refs:
                refs.append(ref)
    ind = _get(f, "indicator")
    message = str(_get(f, "message", "") or "")
    pages = _get(f, "message_pages") or ()  # none given (or an older findings.json): evidence is cited
    return _Flag(code=str(_get(f, "code", "") or ""),
                 indicator=ind if isinstance(ind, int) and not isinstance(ind, bool) else None,
                 message=message, refs=tuple(refs), pages=frozenset(pages))


def _page_list(pages: Iterable[int]) -> str:
    return "、".join(str(p) for p in sorted(set(pages)))


def _refs_text(refs: Iterable[tuple[str, int]], *, cite: bool = False) -> str:
    """``3、5`` for the original (``第3、5页`` with ``cite``); other files are named."""
    by_file: dict[str, list[int]] = {}
    for file, page in refs:
        by_file.setdefault(file, []).append(page)
    parts = []
    if "original.pdf" in by_file:
        pages = _page_list(by_file.pop("original.pdf"))
        parts.append(f"第{pages}页" if cite else pages)
    parts += [f"{file} 第{_page_list(pages)}页" for file, pages in sorted(by_file.items())]
    return "；".join(parts)


def _flag_line(n: int, f: _Flag) -> str:
    """The message, plus the evidence pages unless the message already names them all."""
    text = f.message.strip() or f.code
    if f.undecided and not text.startswith("【"):
        text = "【无法自动核查】" + text
    orig = {p for file, p in f.refs if file == "original.pdf"}
    if not orig <= f.pages or any(file != "original.pdf" for file, _ in f.refs):
        text += f"（证据：{_refs_text(f.refs, cite=True)}）"
    return f"{n}. {text}"


def _section_text(sections: Optional[Sequence[Any]]) -> str:
    rows = []
    for s in sections or ():
        pages = sorted(_get(s, "pages", ()) or ())
        if not pages:
            continue
        typ = _get(s, "type", "")
        rows.append(f"{SECTION_NAMES_ZH.get(typ, typ)}：第{_ranges(pages)}页")
    return "\n".join(rows)


def _ranges(pages: Sequence[int]) -> str:
    out, start, prev = [], None, None
    for p in pages:
        if start is None:
            start = prev = p
        elif p == prev + 1:
            prev = p
        else:
            out.append(f"{start}-{prev}" if prev != start else str(start))
            start = prev = p
    if start is not None:
        out.append(f"{start}-{prev}" if prev != start else str(start))
    return "、".join(out)


# -------------------------------------------------------------- layout helpers


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines_needed(text: str, width_chars: float) -> int:
    # Excel does not re-measure rows of files it did not write, so rows get explicit
    # heights; a column of width w holds about w Latin or w/2 CJK characters.
    usable = max(width_chars - 1, 1)
    return sum(max(1, math.ceil(_display_width(line) / usable)) for line in str(text).split("\n"))


def _fit_row(ws: Worksheet, row: int, widths: Mapping[int, float], min_lines: int = 1) -> None:
    lines = min_lines
    for col, width in widths.items():
        v = ws.cell(row=row, column=col).value
        if v not in (None, ""):
            lines = max(lines, _lines_needed(v, width))
    ws.row_dimensions[row].height = min(409, 15 * lines + 3)


def _set_widths(ws: Worksheet, widths: Sequence[float]) -> dict[int, float]:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    return {i: w for i, w in enumerate(widths, start=1)}


def _print_setup(ws: Worksheet, title_rows: Optional[str]) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _title(ws: Worksheet, text: str, ncols: int, row: int = 1, size: int = 14) -> None:
    ws.cell(row=row, column=1, value=text).font = Font(bold=True, size=size)
    ws.cell(row=row, column=1).alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    ws.row_dimensions[row].height = 24 if size >= 14 else 30


def _header(ws: Worksheet, row: int, names: Sequence[str]) -> None:
    for c, name in enumerate(names, start=1):
        cell = ws.cell(row=row, column=c, value=name)
        cell.font = Font(bold=True)
        cell.fill = FILL_HEADER
        cell.alignment = CENTER
        cell.border = BORDER


# -------------------------------------------------------------- sheets


def _main_sheet(ws: Worksheet, bundle_id: str, status: str, by_item: dict[int, list[_Flag]],
                checked: Optional[set[int]], cov: dict[int, ItemCoverage]) -> dict[int, int]:
    """Fill 检查表; returns item number → worksheet row."""
    ws.title = SHEET_MAIN
    _title(ws, f"{META.get('title', '职业卫生技术服务机构质量监测检查表')}（附件3，系统预警预填）", NCOLS)
    state = "处理完成" if status == "done" else "处理失败：预警不完整，请专家全面人工审核"
    info = ws.cell(row=2, column=1, value=f"证据包编号：{bundle_id}　　处理状态：{state}\n{NOT_A_SCORE}")
    info.alignment = WRAP_TOP
    info.font = Font(bold=status != "done", color="C00000" if status != "done" else "000000")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=NCOLS)
    ws.row_dimensions[2].height = 36
    _header(ws, HEADER_ROW, [name for name, _ in COLUMNS])
    widths = _set_widths(ws, [w for _, w in COLUMNS])

    judge = DataValidation(type="list", formula1='"符合,不符合"', allow_blank=True, showErrorMessage=True,
                           errorTitle="专家判定", error="否决项请填写“符合”或“不符合”")
    score = {pts: DataValidation(type="decimal", operator="between", formula1="0", formula2=str(pts),
                                 allow_blank=True, showErrorMessage=True, errorTitle="得分", error=f"得分应在0～{pts}分之间")
             for pts in sorted({it.points for it in ITEMS if it.points is not None})}
    for dv in (judge, *score.values()):
        ws.add_data_validation(dv)

    rows: dict[int, int] = {}
    r = HEADER_ROW
    part = None
    for it in ITEMS:
        if it.part != part:
            part = it.part
            r += 1
            cell = ws.cell(row=r, column=1, value=PARTS[part])
            cell.font = Font(bold=True, size=12)
            cell.fill = FILL_PART
            cell.alignment = Alignment(vertical="center")
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=NCOLS)
            ws.row_dimensions[r].height = 20
        r += 1
        rows[it.no] = r
        _item_row(ws, r, it, by_item.get(it.no, []), checked, judge, score, item_mark(cov[it.no], checked, status))
        _fit_row(ws, r, widths, min_lines=2)

    ws.freeze_panes = f"{get_column_letter(COL['检查指标'])}{HEADER_ROW + 1}"
    _print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}")
    return rows


def _item_row(ws: Worksheet, r: int, it: Item, flags: list[_Flag], checked: Optional[set[int]],
              judge: DataValidation, score: dict[float, DataValidation], mark: str) -> None:
    category = it.category + ("\n【重点指标】" if it.key_indicator else "")
    values = {
        "序号": it.no,
        "指标分类": category,
        "检查指标": it.text,
        "检查方法": it.method,
        "分值": "/" if it.veto else it.points,
        "否决项(★)": "★" if it.veto else "",
        "系统预警": "\n".join(_flag_line(i, f) for i, f in enumerate(flags, start=1)),
        "证据页码": _refs_text(ref for f in flags for ref in f.refs),
        "系统核查": mark,
        "专家判定": None if it.veto else "/",
        "得分": "/" if it.veto else None,
        "存在的问题（专家填写）": None,
    }
    if not flags and checked is not None and it.no in checked:
        values["系统预警"] = "系统已自动核查，未发现预警（仍需专家判定）"
    real = [f for f in flags if not f.undecided]
    fill = (FILL_VETO if it.veto else FILL_FLAG) if real else (FILL_UNDECIDED if flags else None)
    for name, col in COL.items():
        cell = ws.cell(row=r, column=col, value=values[name])
        cell.border = BORDER
        cell.alignment = CENTER if name in ("序号", "分值", "否决项(★)", "专家判定", "得分") else WRAP_TOP
        if fill is not None:
            cell.fill = fill
    if not it.veto:
        ws.cell(row=r, column=COL["分值"]).number_format = "0.0"
    if it.veto:
        ws.cell(row=r, column=COL["否决项(★)"]).font = Font(bold=True, color="C00000")
        ws.cell(row=r, column=COL["得分"]).fill = FILL_NA
        judge.add(ws.cell(row=r, column=COL["专家判定"]))
    else:
        ws.cell(row=r, column=COL["专家判定"]).fill = FILL_NA
        score[it.points].add(ws.cell(row=r, column=COL["得分"]))
    if not flags and checked is not None and it.no in checked:
        ws.cell(row=r, column=COL["系统预警"]).font = Font(italic=True, color="808080")
    if it.note:
        ws.cell(row=r, column=COL["分值"]).comment = Comment(f"原表说明：{it.note}", "bundlecheck", width=300, height=120)


def _other_sheet(ws: Worksheet, bundle_id: str, others: list[_Flag]) -> None:
    names = ["序号", "预警类型", "预警代码", "预警内容", "证据页码", "专家备注"]
    widths = _set_widths(ws, [6, 22, 24, 70, 16, 30])
    _title(ws, f"其他预警（不对应附件3检查指标）　证据包编号：{bundle_id}", len(names))
    note = ws.cell(row=2, column=1, value="以下为与附件3具体检查指标无直接对应关系的预警（如提交超时、缺少过程材料、隐名版本问题、"
                                         "页面无法读取等），供专家参考。" + NOT_A_SCORE)
    note.alignment = WRAP_TOP
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(names))
    ws.row_dimensions[2].height = 48
    _header(ws, 3, names)
    if not others:
        ws.cell(row=4, column=1, value="无").alignment = CENTER
        ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=len(names))
    for i, f in enumerate(others, start=1):
        r = 3 + i
        kind = OTHER_CODE_NAMES.get(f.code, "")
        if f.indicator is not None:
            kind = (kind + "；" if kind else "") + f"指标编号{f.indicator}不在附件3中"
        for col, v in enumerate([i, kind or f.code, f.code, f.message, _refs_text(f.refs), None], start=1):
            cell = ws.cell(row=r, column=col, value=v)
            cell.border = BORDER
            cell.alignment = CENTER if col == 1 else WRAP_TOP
        _fit_row(ws, r, widths)
    ws.freeze_panes = "A4"
    _print_setup(ws, "3:3")


def _summary_sheet(ws: Worksheet, bundle_id: str, status: str, by_item: dict[int, list[_Flag]],
                   n_other: int, sections: Optional[Sequence[Any]], cov: tuple[ItemCoverage, ...]) -> None:
    names = ["内容", "否决项（项）", "其中符合（项）", "不符合（项）", "关键项（项）", "关键项总分", "关键项得分",
             "一般项（项）", "一般项总分", "一般项得分", "有预警的指标（项）"]
    ncols = len(names)
    widths = _set_widths(ws, [22, 10, 10, 10, 10, 10, 10, 10, 10, 10, 40])
    _title(ws, "职业卫生技术服务机构质量监测结果（附件4，分项统计）", ncols)
    ws.cell(row=2, column=1, value=f"证据包编号：{bundle_id}　　处理状态：{'处理完成' if status == 'done' else '处理失败，预警不完整'}")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    _header(ws, 3, names)

    def flagged(nos: Iterable[int]) -> str:
        hit = [n for n in nos if any(not f.undecided for f in by_item.get(n, []))]
        return f"{len(hit)}项" + (f"：第{'、'.join(map(str, hit))}项" if hit else "")

    r = 3
    per_part = totals()
    for part, t in [*per_part.items(), (None, grand_total())]:
        r += 1
        nos = [it.no for it in ITEMS if part is None or it.part == part]
        label = PARTS[part] if part is not None else f"合计（计分{t.scored}项，满分{t.max_points:g}分）"
        vals = [label, t.veto, None if t.veto else "/", None if t.veto else "/", t.key, t.key_points, None,
                t.general, t.general_points, None if t.general else "/", flagged(nos)]
        for col, v in enumerate(vals, start=1):
            cell = ws.cell(row=r, column=col, value=v)
            cell.border = BORDER
            cell.alignment = WRAP_TOP if col in (1, ncols) else CENTER
            if v == "/":
                cell.fill = FILL_NA
            if col in (6, 9):
                cell.number_format = "0.0"
            if part is None:
                cell.font = Font(bold=True)
        _fit_row(ws, r, widths, min_lines=2)

    r += 1
    for col, v in enumerate(["总分（专家填写）", None, None, None, None, None, None, None, None, None,
                             "总分=各项检查指标(非否决项)得分的总和"], start=1):
        cell = ws.cell(row=r, column=col, value=v)
        cell.border = BORDER
        cell.font = Font(bold=True) if col == 1 else Font()
        cell.alignment = WRAP_TOP
    ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=ncols - 1)

    key_hits = [n for n in KEY_INDICATORS if any(not f.undecided for f in by_item.get(n, []))]
    undecided = sorted(n for n, fs in by_item.items() if fs and all(f.undecided for f in fs))
    notes = [
        ("重要说明", NOT_A_SCORE),
        ("判定规则（附件4注）", META.get("grading", "")),
        ("附件3注", "\n".join(META.get("remarks", []))),
        ("重点指标", f"第{'、'.join(map(str, KEY_INDICATORS))}项；其中有系统预警的："
                     + (f"第{'、'.join(map(str, key_hits))}项" if key_hits else "无")),
        ("无法自动核查的指标", f"第{'、'.join(map(str, undecided))}项" if undecided else "无"),
        ("系统核查范围", summary_zh(cov)),
        ("其他预警", f"{n_other}条（见“{SHEET_OTHER}”表）"),
        ("颜色说明", "浅红：否决项有预警；浅黄：计分项有预警；浅蓝：仅“无法自动核查”；灰色“/”：附件3规定不打分或不适用"),
    ]
    if sections:
        notes.append(("证据包材料分段", _section_text(sections) or "无"))
    r += 1
    for label, text in notes:
        r += 1
        ws.cell(row=r, column=1, value=label).font = Font(bold=True)
        ws.cell(row=r, column=1).alignment = WRAP_TOP
        cell = ws.cell(row=r, column=2, value=text)
        cell.alignment = WRAP_TOP
        if label == "重要说明":
            cell.font = Font(bold=True, color="C00000")
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=ncols)
        ws.row_dimensions[r].height = min(409, 15 * _lines_needed(text, sum(widths[c] for c in range(2, ncols + 1))) + 3)
    ws.freeze_panes = "A4"
    _print_setup(ws, None)


def write_checklist_xlsx(path: str | Path, bundle_id: str, findings: Iterable[Finding | Mapping], *,
                         sections: Optional[Sequence[Any]] = None, status: str = "done",
                         checked_indicators: Optional[Iterable[int]] = None) -> None:
    """Write attachment 3 pre-filled with ``findings`` to ``path`` (replaced atomically).

    ``findings`` are :class:`pipeline.types.Finding` or dicts shaped like findings.json.
    ``sections`` (Section or dicts) are listed on the summary sheet. ``checked_indicators``,
    when given, are the items the pipeline actually checked: those without findings then
    say so, so that an empty cell is not read as "not looked at" (or as 符合). Column
    系统核查 says for every item whether a check covers it (and ran here) or why not.
    """
    flags = [_as_flag(f) for f in findings]
    known = {it.no for it in ITEMS}
    by_item: dict[int, list[_Flag]] = {}
    others: list[_Flag] = []
    for f in flags:
        if f.indicator in known:
            by_item.setdefault(f.indicator, []).append(f)
        else:
            others.append(f)
    checked = set(checked_indicators) if checked_indicators is not None else None
    cov = coverage()

    wb = Workbook()
    _main_sheet(wb.active, bundle_id, status, by_item, checked, {c.no: c for c in cov})
    _other_sheet(wb.create_sheet(SHEET_OTHER), bundle_id, others)
    _summary_sheet(wb.create_sheet(SHEET_SUMMARY), bundle_id, status, by_item, len(others), sections, cov)

    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
