"""报告报送与公示情况 → ``DisclosureRecord``.

Besides the dates and the address, the record keeps what the sheet says was published:
the items table (公示事项 / 公开内容, each row with its 是否公示 mark, in whatever
numbering and mark style: 是/否, √/×, 已公示/未公示) and the published page's own fields
(联系人：…, 用人单位陪同人：…) where the sheet reproduces it. Item 26 reads both.
"""
from __future__ import annotations

import re
from typing import Optional

from ..layout import Cell, union_bbox, _wlen
from ..records import DisclosureRecord, Row, Val, ValState
from ..registry import Ctx, extractor
from ..text import best_label, parse_date
from ._common import value
from ._survey_parts import is_blank

# ---------------------------------------------------------------- label synonyms (data)

REPORT_NO = ("报告编号",)
REPORT_DATE = ("报告出具日期", "报告日期", "报告签发日期", "出具日期")
SUBMITTED = ("报送日期", "上报日期", "报送时间", "系统报送日期", "信息报送日期")
PUBLIC = ("公示日期", "公开日期", "网站公示日期", "公示时间", "发布日期")
URL = ("公示网址", "网址", "公示网站", "链接")
# a mark saying an item was not published
_YES = r"是|√|✓|✔|☑|已公示|已公开|已发布|已上传|已上网|有"
_NO = r"否|×|✗|✘|☒|☐|□|未公示|未公开|未发布|未上传|未上网|无"
_NO_MARK = re.compile(rf"^({_NO})$")
# the published page's fields, longest label first (用人单位陪同人 before 用人单位)
PUBLISHED = {
    "escort": ("用人单位陪同人", "企业陪同人员", "企业陪同人", "陪同人员", "陪同人"),
    "team": ("项目组人员名单", "项目组成员", "项目组人员", "项目成员", "技术服务人员", "专业技术人员"),
    "survey_date": ("现场调查时间", "现场调查日期", "现场调查", "调查时间", "调查日期"),
    "sampling_date": ("现场采样时间", "现场采样日期", "现场采样", "现场检测时间", "现场检测", "采样时间", "采样日期"),
    "contact": ("联系人", "联 系 人"),
    "address": ("单位地址", "用人单位地址", "地址"),
    "employer": ("用人单位名称", "用人单位", "单位名称"),
}
_LABELS = sorted(((s, k) for k, syns in PUBLISHED.items() for s in syns), key=lambda x: -len(x[0]))
_LABEL_RX = re.compile("(" + "|".join(re.escape(s) for s, _ in _LABELS) + r")\s*[:：]")
_KEY_OF = dict(_LABELS)
_GROUP = {"survey_date": "time", "sampling_date": "time"}


ITEM_COLUMNS = {
    "no": ("序号",),
    "item": ("公示事项", "公开事项", "公示项目", "公开项目", "信息项目", "事项"),
    "mark": ("是否公示", "是否公开", "公示情况", "公开情况", "是否上网", "是否发布", "完成情况"),
    "value": ("公示内容", "公开内容", "公示信息", "公开信息", "网上公开内容", "内容"),
}
ITEM_STOPS = ("说明", "注：", "经办人", "审核", "网站公示截图", "公示截图", "网站截图", "附：")


def _split_cells(ln) -> list[Cell]:
    """The line's cells, a cell holding several columns' words (an OCR line read whole:
    "1 用人单位名称、地址及联系人 是") cut at its spaces, each piece boxed by the width of
    the text before it (full-width characters count double)."""
    out: list[Cell] = []
    for c in ln.cells:
        words = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", c.text)]
        if len(words) <= 1:
            out.append(c)
            continue
        total = max(_wlen(c.text), 1e-6)
        x0, w = c.bbox[0], c.bbox[2] - c.bbox[0]
        for a, word in words:
            l = x0 + w * _wlen(c.text[:a]) / total
            r = x0 + w * _wlen(c.text[:a + len(word)]) / total
            out.append(Cell(text=word, bbox=(l, c.bbox[1], r, c.bbox[3]), page=c.page, conf=c.conf, line=c.line))
    return out


def _title_line(ln) -> Optional[dict[str, tuple[float, float]]]:
    """Column key → x-span of an items table's title line (an item column and a mark or
    value column among its cells), else None."""
    cols: dict[str, tuple[float, float]] = {}
    if len(ln.cells) == 1:  # the titles read as one text: where each title word stands in it
        t = re.sub(r"\s+", "", ln.text)
        for k, syns in ITEM_COLUMNS.items():
            hits = [t.find(x) for x in syns if x in t]
            if hits:
                cols[k] = (float(min(hits)), float(min(hits) + 1))
        return cols if "item" in cols and ({"mark", "value"} & cols.keys()) else None
    for c in _split_cells(ln):
        k, _ = best_label(c.text.strip(), ITEM_COLUMNS, 80.0)
        if k and k not in cols:
            cols[k] = (c.bbox[0], c.bbox[2])
    return cols if "item" in cols and ({"mark", "value"} & cols.keys()) else None


def _column_of(cols: dict[str, tuple[float, float]], x0: float) -> str:
    """The column a cell starting at ``x0`` stands in: the rightmost column whose left
    neighbour's title ends before the cell starts (titles are centred over their column,
    cells are often aligned left in it, so a cell starts between the neighbour's title
    and its own)."""
    order = sorted(cols, key=lambda k: cols[k][0])
    out = order[0]
    for prev, k in zip(order, order[1:]):
        if x0 >= cols[prev][1] - 1.0:
            out = k
    return out


def _by_position(ln, cols: dict[str, tuple[float, float]]) -> dict[str, list[Cell]]:
    by: dict[str, list[Cell]] = {}
    for c in _split_cells(ln):
        by.setdefault(_column_of(cols, c.bbox[0]), []).append(c)
    return by


def _by_tokens(ln, cols: dict[str, tuple[float, float]]) -> dict[str, list[Cell]]:
    """A row read as one text (its words' places say nothing about the columns): the
    number first, a mark last (in a table with a mark column), the item between. With a
    value column the item and its value cannot be told apart without their places: the
    whole stays the item and a value is not read (a mark of "not published" at the end
    still is)."""
    c0 = ln.cells[0]
    t = re.sub(r"\s+", "", ln.text)
    by: dict[str, list[Cell]] = {}

    def cell(text: str) -> Cell:
        return Cell(text=text, bbox=c0.bbox, page=c0.page, conf=c0.conf, line=c0.line)

    m = re.match(r"^[(（]?(\d{1,2})(?!\d)[)）.、．]?", t)
    if m and "no" in cols:
        by["no"], t = [cell(m.group(1))], t[m.end():]
    end = re.search(rf"({_NO}|{_YES})$", t) if "mark" in cols else re.search(rf"({_NO})$", t)
    if end and end.start() > 0:
        by["mark" if "mark" in cols else "value"], t = [cell(end.group(1))], t[:end.start()]
    if t:
        by["item"] = [cell(t)]
    return by


def _items_table(gs) -> tuple[list[Row], Val, list[Val], Optional[tuple[int, int]]]:
    """The items table's rows (item, and its mark and/or published value, EMPTY where the
    cell is blank or only "/" "—"), whether it was read (titles found and rows under them
    to a clear end), the old-style item list, and (page, line index) under the table.

    Read line by line under the title line, each cell put in the column whose title is
    nearest its start (a long item or value is aligned left in its column): a line with
    a number in the 序号 column (or, without one, text in the item column) starts a row,
    a line with cells only in the item / value / mark columns continues it (wrapped
    text), anything else (a note, a label at the left margin) ends the table."""
    rows: list[Row] = []
    old: list[Val] = []
    end_at: Optional[tuple[int, int]] = None
    title_page: Optional[int] = None
    for g in gs:
        cols = None
        merged = False
        cur: Optional[dict] = None
        parts: list[dict] = []
        for i, ln in enumerate(g.lines):
            if cols is None:
                cols = _title_line(ln)
                if cols is not None:
                    title_page = title_page or g.page.no
                    merged = len(ln.cells) == 1  # titles read as one text: so are the rows
                continue
            t = ln.text.strip()
            if any(t.startswith(x) for x in ITEM_STOPS):
                end_at = (g.page.no, i)
                break
            by = _by_tokens(ln, cols) if len(ln.cells) == 1 and merged else _by_position(ln, cols)
            num = "".join(c.text for c in by.get("no", [])).strip()
            starts = bool(re.fullmatch(r"[(（]?\d{1,2}[)）.、]?", num)) if "no" in cols else bool(by.get("item"))
            if "no" in by and not starts:
                end_at = (g.page.no, i)
                break
            if starts:
                cur = {"cells": {}, "lines": [ln], "merged": len(ln.cells) == 1 and merged}
                parts.append(cur)
            elif cur is None:
                continue  # a second title line (units, a sub-title) above the first row
            else:
                cur["lines"].append(ln)
            for k, cs in by.items():
                cur["cells"].setdefault(k, []).extend(cs)
        else:
            if cols is not None and parts:
                end_at = (g.page.no, len(g.lines))
        for p in parts:
            box = union_bbox(ln.bbox for ln in p["lines"])
            fields: dict[str, Val] = {}
            for k in ("item", "mark", "value"):
                if k not in (cols or {}):
                    continue
                cs = p["cells"].get(k, [])
                txt = "".join(c.text for c in cs).strip()
                if not cs and k == "value" and p["merged"]:
                    # read as one text: the value, if any, is inside the item's text
                    fields[k] = Val.missing("row read as one text", g.page.no, ValState.UNKNOWN)
                elif not txt or is_blank(txt):
                    x0, x1 = cols[k]
                    fields[k] = Val(value=None, page=g.page.no, bbox=(min(x0, box[0]) if k == "item" else x0, box[1], x1, box[3]),
                                    raw=txt, reason=f"cell {k} blank", state=ValState.EMPTY)
                else:
                    fields[k] = Val(value=txt, page=g.page.no, bbox=union_bbox(c.bbox for c in cs), raw=txt,
                                    conf=round(min(c.conf for c in cs), 3))
            if not fields.get("item") or not fields["item"].ok:
                continue
            rows.append(Row(fields=fields, page=g.page.no, bbox=box))
            mk = fields.get("mark")
            old.append(Val(value=fields["item"].value, page=g.page.no, bbox=box, raw=fields["item"].raw,
                           conf=0.5 if mk is not None and mk.ok and _NO_MARK.match(str(mk.value)) else 0.9))
        if end_at is not None and rows:
            break
    if title_page is None:
        read = Val.missing("items table not found", None, ValState.ABSENT)
    elif not rows or end_at is None:
        read = Val.missing("items table titles found, rows not read to an end", title_page, ValState.UNKNOWN)
    else:
        read = Val(value=True, page=rows[0].page, bbox=union_bbox(r.bbox for r in rows if r.page == rows[0].page),
                   raw=f"{len(rows)} items", conf=0.9)
    return rows, read, old, end_at


def _published(gs, after: Optional[tuple[int, int]]) -> dict[str, Val]:
    """The published page's fields, after the items table (the sheet's own header names
    the employer too; that is no published content)."""
    out: dict[str, Val] = {}
    for g in gs:
        for i, ln in enumerate(g.lines):
            if after is not None and (g.page.no, i) < after:
                continue
            t = ln.text
            hits = list(_LABEL_RX.finditer(t))
            for j, h in enumerate(hits):
                key = _KEY_OF[h.group(1)]
                if key in out:
                    continue
                end = hits[j + 1].start() if j + 1 < len(hits) else len(t)
                val = t[h.end():end].strip()
                if not val and j + 1 < len(hits) and _GROUP.get(_KEY_OF[hits[j + 1].group(1)]) == _GROUP.get(key, key):
                    continue  # a heading over its parts (现场调查、采样时间：现场调查：…；现场采样：…)
                if val and not re.fullmatch(r"[/／—–\-－_]+", val):
                    out[key] = Val(value=val, page=g.page.no, bbox=ln.bbox, raw=t, conf=0.9)
                else:
                    out[key] = Val(value=None, page=g.page.no, bbox=ln.bbox, raw=t, reason=f"{h.group(1)} blank",
                                   state=ValState.EMPTY)
    return out


@extractor("disclosure")
def extract(ctx: Ctx) -> DisclosureRecord:
    gs = ctx.grids
    rows, read, items, end_at = _items_table(gs)
    return DisclosureRecord(
        report_no=value(gs, REPORT_NO, what="报告编号"),
        report_date=value(gs, REPORT_DATE, parse=parse_date, what="报告出具日期"),
        submitted_date=value(gs, SUBMITTED, parse=parse_date, what="报送日期"),
        public_date=value(gs, PUBLIC, parse=parse_date, what="公示日期"),
        url=value(gs, URL, parse=lambda t: (m.group(0) if (m := re.search(r"(https?://)?[\w.-]+\.[a-z]{2,}[\w./-]*", t)) else None), what="公示网址"),
        items=items, item_rows=rows, items_read=read,
        published=_published(gs, end_at) if end_at is not None else _published(gs, None),
        pages=ctx.pages,
    )
