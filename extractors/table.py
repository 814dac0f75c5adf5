"""Table reconstruction from cell boxes (表格重建).

1. **Header**: every visual line is scored against the table's column synonyms
   (fuzzy, ``text.label_score``); a line matching at least ``min_columns`` distinct
   columns (including the anchor) is a header. On text-layer pages the header cells
   stacked above/below the main header line (``采样前流`` / ``量(L/`` / ``min)``) are
   pulled in; OCR engines already group them into the header line.
2. **Columns**: header cells that overlap horizontally are one column (their texts
   joined top to bottom); each column gets the key its text matches best. Column
   spans extend half-way to their neighbours.
3. **Rows**: below the header, a visual line whose anchor-column cell passes the
   anchor test (e.g. a sample id) starts a row; lines without one (a wrapped cell,
   ids of a merged cell stacked above and below the row's middle) join the nearest
   row within about one line height.
4. **Pages**: a table continued on the next page with its header repeated is found
   again; with the header missing, the previous page's columns are reused.

Nothing depends on column order, fixed coordinates or exact header wording.

Over 600 lines: the four steps share the column and row types and their tolerances
(a cell assigned in step 3 uses the spans of step 2, split where a span runs over a
column line); split apart, each half would import the other's internals.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from pipeline.geometry import union_bbox, v_gap
from pipeline.types import BBox

from .layout import Cell, PageGrid, VLine
from .records import Row, Val, ValState
from .text import best_label, compact, find_dates, label_score


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: dict[str, tuple[str, ...]]  # key → header synonyms
    anchor: str  # the key whose cell starts a row
    anchor_ok: Callable[[str], bool] = lambda t: bool(t.strip())
    min_columns: int = 2
    stops: tuple[str, ...] = ()  # labels that end the table (signature lines, notes)
    threshold: float = 75.0
    # key → the units its title may state (``title_unit`` spellings). A column whose title
    # states another unit does not hold that quantity (测得浓度 µg/mL is not an air
    # concentration in mg/m³); a column no synonym matched is given the one key whose
    # unit its title states (含量 m µg → mass). Empty: titles' units are not looked at.
    units: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class Column:
    key: Optional[str]
    x0: float
    x1: float
    text: str
    score: float
    lo: float = 0.0  # extended span
    hi: float = 0.0


@dataclass
class TableRow:
    cells: dict[str, list[Cell]] = field(default_factory=dict)
    lines: list[VLine] = field(default_factory=list)
    # a line spanning the table above this row that groups the rows under it
    # ("采样日期：2022年4月8日"): it belongs to no cell of any row
    group: Optional[Cell] = None

    @property
    def bbox(self) -> BBox:
        return union_bbox(c.bbox for cs in self.cells.values() for c in cs)

    @property
    def yc(self) -> float:
        ys = [ln.yc for ln in self.lines]
        return sum(ys) / len(ys)

    def text(self, key: str, sep: str = "") -> str:
        cs = sorted(self.cells.get(key, []), key=lambda c: (round(c.yc / 6), c.bbox[0]))
        return sep.join(c.text for c in cs).strip()


@dataclass
class Table:
    spec: TableSpec
    page: int
    columns: list[Column]
    header_bbox: BBox
    rows: list[TableRow] = field(default_factory=list)

    @property
    def keys(self) -> set[str]:
        return {c.key for c in self.columns if c.key}

    @property
    def ordered_keys(self) -> tuple[str, ...]:
        """The keys left to right: a row's fields (and the evidence text joined from them)
        come out in the same order in every run, whatever the interpreter's hash seed."""
        return tuple(dict.fromkeys(c.key for c in self.columns if c.key))


# ------------------------------------------------------------------ header

# Units as column titles print them: in brackets, after the title, on a row of their own.
# Checked in this order, so "L/min" is a flow and never a volume or a time.
_UNITS: tuple[tuple[str, re.Pattern], ...] = (
    ("mg/m3", re.compile(r"mg\s*/\s*m\s*[³3]")),
    ("ug/m3", re.compile(r"[μµu]g\s*/\s*m\s*[³3]")),
    ("f/ml", re.compile(r"f\s*/\s*(?:m[lL]|cm\s*[³3])")),
    ("ug/ml", re.compile(r"[μµu]g\s*/\s*m[lL]")),
    ("mg/l", re.compile(r"mg\s*/\s*[lL](?![a-zA-Z])")),
    ("l/min", re.compile(r"(?<![a-zA-Z])[lL]\s*/\s*min")),
    ("ml/min", re.compile(r"m[lL]\s*/\s*min")),
    ("db", re.compile(r"dB", re.I)),
    ("ug", re.compile(r"(?<![a-zA-Z])[μµu]g(?![a-zA-Z/])")),
    ("mg", re.compile(r"(?<![a-zA-Z])mg(?![a-zA-Z/])")),
    ("ml", re.compile(r"(?<![a-zA-Z])m[lL](?![a-zA-Z/])")),
    ("min", re.compile(r"(?<![a-zA-Z])min(?![a-zA-Z])")),
    ("l", re.compile(r"(?<![a-zA-Z])[lL](?![a-zA-Z/])")),
    ("h", re.compile(r"(?<![a-zA-Z])h(?![a-zA-Z])")),
)


def title_unit(text: str) -> Optional[str]:
    """The unit a column title states (``浓度 C mg/m³`` → ``mg/m3``, ``平均流量 L/min`` →
    ``l/min``, ``含量 m µg`` → ``ug``), or None when it states none."""
    for name, rx in _UNITS:
        if rx.search(text or ""):
            return name
    return None


def _by_unit(cols: Sequence[Column], spec: TableSpec) -> None:
    """Keys checked and given by the units titles state (``TableSpec.units``)."""
    if not spec.units:
        return
    for c in cols:
        u = title_unit(c.text)
        if c.key and u and c.key in spec.units and u not in spec.units[c.key]:
            c.key = None
    taken = {c.key for c in cols if c.key}
    for c in cols:
        u = title_unit(c.text)
        if c.key or not u:
            continue
        cands = [k for k, us in spec.units.items() if u in us and k not in taken]
        if len(cands) == 1 and sum(1 for o in cols if not o.key and title_unit(o.text) == u) == 1:
            c.key, c.score = cands[0], spec.threshold
            taken.add(c.key)


def _match_cells(cells: Sequence[Cell], spec: TableSpec) -> dict[str, float]:
    got: dict[str, float] = {}
    by_unit: list[str] = []
    for c in cells:
        k, sc = best_label(c.text, spec.columns, spec.threshold)
        if k and sc > got.get(k, 0):
            got[k] = sc
        elif k is None and spec.units:
            # a title naming only its unit still names a quantity (TableSpec.units)
            u = title_unit(c.text)
            cands = [key for key, us in spec.units.items() if u and u in us]
            if len(cands) == 1:
                by_unit.append(cands[0])
    for k in by_unit:
        got.setdefault(k, spec.threshold)
    return got


def _header_lines(g: PageGrid, spec: TableSpec) -> list[int]:
    out = []
    for i, ln in enumerate(g.lines):
        got = _match_cells(ln.cells, spec)
        if len(got) >= spec.min_columns and spec.anchor in got:
            out.append(i)
    return out


def _first_row(g: PageGrid, j: int, main: VLine, spec: Optional[TableSpec]) -> bool:
    """Line ``j`` (under the header line ``main``) is the table's first row, not a
    second row of titles: a cell under the anchor's title passes the anchor test
    and matches no column title."""
    if spec is None:
        return False
    heads = [c for c in main.cells if best_label(c.text, spec.columns, spec.threshold)[0] == spec.anchor]
    if not heads:
        return False
    a = heads[0]
    for c in g.lines[j].cells:
        if min(c.bbox[2], a.bbox[2]) - max(c.bbox[0], a.bbox[0]) > 0 and spec.anchor_ok(c.text) \
                and best_label(c.text, spec.columns, spec.threshold)[0] is None:
            return True
    return False


def _header_cells(g: PageGrid, idx: int, spec: Optional[TableSpec] = None) -> list[Cell]:
    main = g.lines[idx]
    cells = list(main.cells)
    if g.page.source != "ocr":
        b = main.bbox
        h = max(c.h for c in main.cells)
        lo, hi = b[1] - 1.0 * h, b[3] + 1.0 * h
        for j in (idx - 2, idx - 1, idx + 1, idx + 2):
            if j > idx and 0 <= j < len(g.lines) and _first_row(g, j, main, spec):
                break
            # the top line of a first row whose cells wrap (落砂机旁 over (落砂工), beside
            # its id a little lower) belongs to that row, not to the titles
            if j > idx and j + 1 < len(g.lines) and _first_row(g, j + 1, main, spec) \
                    and g.lines[j + 1].bbox[1] < g.lines[j].bbox[3]:
                break
            if 0 <= j < len(g.lines):
                for c in g.lines[j].cells:
                    # digits mark a data cell; not those of a level's name (L_EX,8h over dB(A))
                    if lo <= c.yc <= hi and not re.search(r"\d", re.sub(r"\([^)]*\)?|[A-Za-z]\d|EX\s*[,，]?\s*8\s*h", "", c.text)):
                        if not re.fullmatch(r"[\d.\s:-]+", c.text):
                            cells.append(c)
    return cells


def _columns(cells: Sequence[Cell], spec: TableSpec) -> list[Column]:
    groups: list[list[Cell]] = []
    for c in sorted(cells, key=lambda c: c.bbox[0]):
        placed = False
        for gr in groups:
            gx0, gx1 = min(x.bbox[0] for x in gr), max(x.bbox[2] for x in gr)
            over = min(gx1, c.bbox[2]) - max(gx0, c.bbox[0])
            if over > 0.35 * min(gx1 - gx0, c.bbox[2] - c.bbox[0]):
                # stacked fragments of one header cell (different heights)
                if all(abs(x.yc - c.yc) > 0.5 * min(x.h, c.h) for x in gr):
                    gr.append(c)
                    placed = True
                    break
        if not placed:
            groups.append([c])
    cols: list[Column] = []
    for gr in groups:
        gr.sort(key=lambda c: c.yc)
        text = "".join(c.text for c in gr)
        k, sc = best_label(text, spec.columns, spec.threshold)
        if k is None:
            # a group of two OCR fragments in the wrong order ("长(min)采样时")
            for perm in (gr[::-1],):
                k2, sc2 = best_label("".join(c.text for c in perm), spec.columns, spec.threshold)
                if k2:
                    k, sc = k2, sc2
        cols.append(Column(k, min(c.bbox[0] for c in gr), max(c.bbox[2] for c in gr), text, sc))
    cols.sort(key=lambda c: c.x0)
    _by_unit(cols, spec)
    # one key per table: keep the best-scoring column for a duplicated key
    best: dict[str, Column] = {}
    for c in cols:
        if c.key and (c.key not in best or c.score > best[c.key].score):
            best[c.key] = c
    for c in cols:
        if c.key and best[c.key] is not c:
            c.key = None
    for i, c in enumerate(cols):
        c.lo = (cols[i - 1].x1 + c.x0) / 2 if i > 0 else -1e9
        c.hi = (c.x1 + cols[i + 1].x0) / 2 if i + 1 < len(cols) else 1e9
    return cols


# ------------------------------------------------------------------ rows


def _assign(cell: Cell, cols: Sequence[Column]) -> list[tuple[Column, Cell]]:
    """Column(s) of a cell; a cell spanning several columns with spaces inside is split."""
    x0, x1 = cell.bbox[0], cell.bbox[2]
    overlaps = [(min(x1, c.hi) - max(x0, c.lo), c) for c in cols]
    spanned = [c for ov, c in overlaps if ov > 0.25 * (c.x1 - c.x0) and ov > 4]
    toks = cell.text.split()
    if len(spanned) >= 2 and len(toks) >= 2:
        # proportional split of tokens across the cell's width
        total = sum(len(t) for t in toks) + len(toks) - 1
        out, pos = [], 0
        for t in toks:
            tx0 = x0 + (x1 - x0) * pos / total
            tx1 = x0 + (x1 - x0) * (pos + len(t)) / total
            pos += len(t) + 1
            sub = Cell(t, (tx0, cell.bbox[1], tx1, cell.bbox[3]), cell.page, cell.conf, cell.line)
            col = max(cols, key=lambda c: min(tx1, c.hi) - max(tx0, c.lo))
            out.append((col, sub))
        return out
    if len(spanned) >= 2:
        glued = _split_glued(cell, spanned)
        if glued:
            return [(max(cols, key=lambda c: min(g.bbox[2], c.hi) - max(g.bbox[0], c.lo)), g) for g in glued]
    ov, col = max(overlaps, key=lambda t: t[0])
    if ov <= 0:
        col = min(cols, key=lambda c: abs((c.x0 + c.x1) / 2 - cell.xc))
    return [(col, cell)]


def _advance(ch: str) -> float:
    """A glyph's advance in ems: CJK and full-width forms are square, the rest about half."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.5


def _split_glued(cell: Cell, spanned: Sequence[Column]) -> list[Cell]:
    """A cell with no space inside that runs over a column line: a text layer joins two
    cells into one span when the first overflows its column (a sample id such as
    "2022-0721-11KB" printed into the site column: "2022-0721-11KB和膏机操作位"). Split it
    where the script changes (Latin/digits to CJK or back) at the estimated x of a line
    between two spanned columns (within one em); [] when no change of script sits there."""
    text = cell.text
    if len(text) < 2 or any(ch.isspace() for ch in text):
        return []
    adv = [_advance(ch) for ch in text]
    total = sum(adv)
    x0, x1 = cell.bbox[0], cell.bbox[2]
    em = (x1 - x0) / total
    lines_x = [c.lo for c in sorted(spanned, key=lambda c: c.x0)[1:]]
    cuts, pos = [], 0.0
    for i in range(1, len(text)):
        pos += adv[i - 1]
        a, b = text[i - 1], text[i]
        if (adv[i - 1] == 1.0) == (adv[i] == 1.0) or not (a.isalnum() and b.isalnum()):
            continue
        x = x0 + pos * em
        if any(abs(x - lx) <= em for lx in lines_x):
            cuts.append((i, x))
    if not cuts:
        return []
    out, start, sx = [], 0, x0
    for i, x in cuts + [(len(text), x1)]:
        out.append(Cell(text[start:i], (sx, cell.bbox[1], x, cell.bbox[3]), cell.page, cell.conf, cell.line))
        start, sx = i, x
    return out


def _resolve_crowded(assigned: list[tuple[Column, Cell]], cols: Sequence[Column]) -> list[tuple[Column, Cell]]:
    """Cells aligned left under a title centred over a wide column fall into the span of
    the column before it: when one line puts two cells into a column, one under its
    title and one clear of it, and the neighbouring column on that side got nothing on
    the line, the cell clear of the title belongs to that neighbour."""
    by_col: dict[int, list[int]] = {}
    for i, (col, _cell) in enumerate(assigned):
        by_col.setdefault(id(col), []).append(i)
    order = sorted(cols, key=lambda c: c.x0)
    out = list(assigned)
    for k, col in enumerate(order):
        idx = by_col.get(id(col), [])
        if len(idx) != 2:
            continue
        under = [i for i in idx if min(out[i][1].bbox[2], col.x1) - max(out[i][1].bbox[0], col.x0) > 0]
        clear = [i for i in idx if i not in under]
        if len(under) != 1 or len(clear) != 1:
            continue
        cell = out[clear[0]][1]
        side = k + 1 if cell.xc > (col.x0 + col.x1) / 2 else k - 1
        if 0 <= side < len(order) and not by_col.get(id(order[side])):
            out[clear[0]] = (order[side], cell)
            by_col.setdefault(id(order[side]), []).append(clear[0])
    return out


# a remark under a table: a label and colon opening a line of prose (质控措施：…)
_PROSE_LABEL = re.compile(r"^\s*[\u4e00-\u9fff][^:：\s]{1,18}\s*[:：]")


def _prose_line(ln: VLine, cols: Sequence[Column]) -> bool:
    """A line of prose under the table (its remarks, QC notes): one cell, opening with a
    label and a colon, running across the titles of two columns or more. A date line
    grouping the rows (``_group_line``) is not prose."""
    if len(ln.cells) != 1 or _group_line(ln, cols):
        return False
    c = ln.cells[0]
    if not _PROSE_LABEL.match(c.text):
        return False
    spans = sum(1 for k in cols if min(c.bbox[2], k.x1) - max(c.bbox[0], k.x0) > 0)
    return spans >= 2


def _drop_heading(body: list[VLine], prose: VLine, hmed: float) -> None:
    """A short heading line standing apart above the prose (质量控制) is no row's cell."""
    while body:
        last = body[-1]
        t = last.text.strip()
        gap_above = last.bbox[1] - (body[-2].bbox[3] if len(body) > 1 else last.bbox[1] - hmed)
        if len(last.cells) == 1 and not re.search(r"\d", t) and len(t) <= 10 and gap_above > 0.5 * hmed \
                and prose.bbox[1] - last.bbox[3] < 1.5 * hmed:
            body.pop()
            prose = last
        else:
            break


# A heading ends any table: "4.3 工作场所噪声检测结果", "表4-3 …", "五、结论".
_HEADING = re.compile(r"^\s*(?:\d+\.\d+[\u4e00-\u9fff]{4,}|表\s*\d+[-.]\d+|表\s*\d+\s*[\u4e00-\u9fff]{4,}|[一二三四五六七八九十]+、)")


# The title of the next form or table on the page ("现场空白样品记录", "采样流量校准记录（校准器：…）"):
# a line of its own, words only, ending in a form noun.
_FORM_TITLE = re.compile(r"^[\u4e00-\u9fff]{2,16}(?:记录|记录表|记录单|登记表|一览表|汇总表)\s*(?:[（(].*[)）])?$")


def _is_stop(ln: VLine, spec: TableSpec) -> bool:
    t = compact(ln.text)
    heading = len(ln.cells) <= 2 and bool(_HEADING.match(ln.text))
    title = len(ln.cells) == 1 and bool(_FORM_TITLE.match(t))
    return any(s in t for s in spec.stops) or heading or title


# a group line: one cell holding a date, bare or after a label ("采样日期：2022年4月8日")
_GROUP_LABEL = re.compile(r"^\s*[\u4e00-\u9fff/（）()]{2,10}\s*[:：]\s*")


def _group_line(ln: VLine, cols: Sequence[Column]) -> bool:
    """A line that spans the table to group the rows under it: a single cell that is a
    date with a label, or a bare date standing in a first column that holds no dates."""
    if len(ln.cells) != 1 or not cols:
        return False
    c = ln.cells[0]
    t = c.text.strip()
    ds = find_dates(t)
    if len(ds) != 1:
        return False
    _, (a, b) = ds[0]
    rest = (t[:a] + t[b:]).strip()
    if not rest:
        first = min(cols, key=lambda k: k.x0)
        return c.bbox[0] <= first.hi and not (first.key and "date" in first.key)
    return bool(_GROUP_LABEL.match(t[:a])) and not t[b:].strip()


def _rows(lines: Sequence[VLine], cols: Sequence[Column], spec: TableSpec, hmed: float,
          above_first: bool = True) -> list[TableRow]:
    """Rows from the body lines. ``above_first=False`` (a continuation page without a
    header) drops lines above the first row: they are the page's title, not a cell.
    A group line (``_group_line``) is no part of a row: it is the ``group`` of the rows
    under it."""
    rows: list[TableRow] = []
    loose: list[tuple[VLine, list[tuple[Column, Cell]]]] = []
    groups: list[Cell] = []
    for ln in lines:
        if _group_line(ln, cols):
            groups.append(ln.cells[0])
            continue
        assigned = _resolve_crowded([p for c in ln.cells for p in _assign(c, cols)], cols)
        anchor_cells = [cell for col, cell in assigned if col.key == spec.anchor]
        anchor_text = "".join(c.text for c in anchor_cells)
        if anchor_cells and spec.anchor_ok(anchor_text):
            r = TableRow(lines=[ln])
            for col, cell in assigned:
                r.cells.setdefault(col.key or f"_{int(col.x0)}", []).append(cell)
            rows.append(r)
        else:
            loose.append((ln, assigned))
    first_top = min((l.bbox[1] for r in rows for l in r.lines), default=0.0)
    for ln, assigned in loose:
        if not rows:
            continue
        if not above_first and ln.bbox[3] <= first_top:
            continue
        near = min(rows, key=lambda r: _vdist(ln, r))
        if _vdist(ln, near) <= 1.1 * hmed:
            for col, cell in assigned:
                key = _wrapped_key(near, cell, hmed) or col.key or f"_{int(col.x0)}"
                near.cells.setdefault(key, []).append(cell)
            near.lines.append(ln)
    for r in rows:
        above = [g for g in groups if g.bbox[3] <= min(l.bbox[1] for l in r.lines) + 1]
        if above:
            r.group = max(above, key=lambda g: g.bbox[1])
    _by_left_edges(rows)
    return rows


def _by_left_edges(rows: list[TableRow], tol: float = 1.5) -> None:
    """A left-aligned column wider than its centred title starts its cells nearer the
    title before it; when that neighbour's own cell is missing in a row (left blank), the
    lone cell falls into the neighbour. A cell that starts at the left edge the other
    rows' cells of another column start at, where its own column's cells never start,
    and whose row has nothing in that other column, belongs to that other column."""
    if len(rows) < 3:
        return
    edges: dict[str, list[float]] = {}
    for r in rows:
        for k, cs in r.cells.items():
            edges.setdefault(k, []).extend(c.bbox[0] for c in cs)
    for r in rows:
        for k, cs in list(r.cells.items()):
            if len(cs) != 1:
                continue
            x0 = cs[0].bbox[0]
            own = sum(1 for x in edges.get(k, []) if abs(x - x0) <= tol)
            if own > 1:  # its own column's cells start there too (the cell itself counts once)
                continue
            for k2, xs in edges.items():
                if k2 == k or r.cells.get(k2):
                    continue
                if sum(1 for x in xs if abs(x - x0) <= tol) >= 2:
                    r.cells[k2] = r.cells.pop(k)
                    break


def _wrapped_key(row: TableRow, cell: Cell, hmed: float) -> Optional[str]:
    """The column of the cell ``cell`` wraps from: a cell of the row with the same left
    edge ending just above it. A left-aligned column wider than its centred title puts
    the wrapped line ("噪" / "声") nearer the neighbouring title than its own."""
    for key, cs in row.cells.items():
        for c in cs:
            if abs(c.bbox[0] - cell.bbox[0]) <= 1.5 and -0.3 * hmed <= cell.bbox[1] - c.bbox[3] <= 0.5 * hmed \
                    and c.bbox[2] - c.bbox[0] > 2 * (cell.bbox[2] - cell.bbox[0]):
                return key
    return None


def _vdist(ln: VLine, row: TableRow) -> float:
    return v_gap(ln.bbox, union_bbox(l.bbox for l in row.lines))


def _blocks(main: VLine, hcells: Sequence[Cell], spec: TableSpec) -> list[tuple[float, float]]:
    """x-ranges of the side-by-side copies of a table: a list printed in two (or more)
    column blocks repeats its titles on one header line (序号 样品编号 检测项目 | 序号
    样品编号 检测项目). One range covering everything when the anchor's title is not
    repeated."""
    cs = sorted(main.cells, key=lambda c: c.bbox[0])
    at = [i for i, c in enumerate(cs) if best_label(c.text, spec.columns, spec.threshold)[0] == spec.anchor]
    if len(at) < 2:
        return [(-1e9, 1e9)]
    lead = at[0]
    starts = [cs[i - lead].bbox[0] for i in at if i - lead >= 0]
    if len(starts) != len(at) or any(b <= a for a, b in zip(starts, starts[1:])):
        return [(-1e9, 1e9)]
    # each block must carry the same titles (keys) as the first
    def keys(lo: float, hi: float) -> list:
        return sorted(str(best_label(c.text, spec.columns, spec.threshold)[0]) for c in cs if lo <= c.xc < hi)
    edges = [-1e9] + starts[1:] + [1e9]
    ranges = list(zip(edges, edges[1:]))
    if any(keys(*r) != keys(*ranges[0]) for r in ranges[1:]):
        return [(-1e9, 1e9)]
    return ranges


def find_tables(grids: Sequence[PageGrid], spec: TableSpec, *, continue_pages: bool = True) -> list[Table]:
    """All tables matching ``spec`` on the given pages (in page order). A table printed
    in side-by-side blocks (``_blocks``) gives one table per block."""
    tables: list[Table] = []
    prev: Optional[list[tuple[float, float, list[Column]]]] = None
    for g in grids:
        heads = _header_lines(g, spec)
        if not heads and continue_pages and prev is not None:
            # header not repeated: reuse the previous page's columns for the whole page
            stop_i = next((i for i, ln in enumerate(g.lines) if _is_stop(ln, spec)), len(g.lines))
            for lo, hi_x, prev_cols in prev:
                body = _within(g.lines[:stop_i], lo, hi_x)
                t = Table(spec, g.page.no, prev_cols, (0, 0, 0, 0), _rows(body, prev_cols, spec, g.hmed, above_first=False))
                if t.rows:
                    tables.append(t)
            continue
        if heads and continue_pages and prev is not None and heads[0] > 0:
            # the previous page's table runs on above this page's first own table (a
            # page break inside it, titles not repeated, another table under it)
            above = g.lines[:heads[0]]
            stop_i = next((i for i, ln in enumerate(above) if _is_stop(ln, spec)), len(above))
            for lo, hi_x, prev_cols in prev:
                body = _within(above[:stop_i], lo, hi_x)
                t = Table(spec, g.page.no, prev_cols, (0, 0, 0, 0), _rows(body, prev_cols, spec, g.hmed, above_first=False))
                if t.rows:
                    tables.append(t)
        for n, hi in enumerate(heads):
            all_h = _header_cells(g, hi, spec)
            end = heads[n + 1] if n + 1 < len(heads) else len(g.lines)
            blocks = _blocks(g.lines[hi], all_h, spec)
            prev = []
            for lo, hi_x in blocks:
                hcells = [c for c in all_h if lo <= c.xc < hi_x]
                cols = _columns(hcells, spec)
                hb = union_bbox(c.bbox for c in hcells)
                body = []
                for ln in g.lines[hi + 1:end]:
                    if ln.bbox[1] < hb[3] - 0.3 * g.hmed and any(c in all_h for c in ln.cells):
                        continue
                    if _is_stop(ln, spec):
                        break
                    if _prose_line(ln, cols):
                        _drop_heading(body, ln, g.hmed)
                        break
                    cs = [c for c in ln.cells if c not in all_h and lo <= c.xc < hi_x]
                    if cs:
                        body.append(VLine(cs))
                t = Table(spec, g.page.no, cols, hb, _rows(body, cols, spec, g.hmed))
                tables.append(t)
                prev.append((lo, hi_x, cols))
    return tables


def _within(lines: Sequence[VLine], lo: float, hi: float) -> list[VLine]:
    if lo <= -1e9 and hi >= 1e9:
        return list(lines)
    out = []
    for ln in lines:
        cs = [c for c in ln.cells if lo <= c.xc < hi]
        if cs:
            out.append(VLine(cs))
    return out


def row_vals(t: Table, r: TableRow, parsers: dict[str, Callable[[str], object]] | None = None) -> Row:
    """A ``Row`` of ``Val``s (text by default, parsed where a parser is given)."""
    parsers = parsers or {}
    fields: dict[str, Val] = {}
    for key in t.ordered_keys:
        cells = r.cells.get(key, [])
        raw = r.text(key, sep=" " if key in parsers and key.startswith("sample_ids") else "")
        if key in ("sample_ids",):
            raw = " ".join(c.text for c in sorted(cells, key=lambda c: c.yc))
        raw = raw.strip(" .,·。，:：;；*")
        if not cells or not raw:
            fields[key] = Val(value=None, page=t.page, bbox=r.bbox, reason=f"cell {key} empty", state=ValState.EMPTY)
            continue
        p = parsers.get(key)
        v = p(raw) if p else raw
        conf = min(c.conf for c in cells)
        bb = union_bbox(c.bbox for c in cells)
        if v is None:
            fields[key] = Val(value=None, page=t.page, bbox=bb, raw=raw, conf=0.0, reason=f"cannot parse {key} from {raw!r}")
        else:
            fields[key] = Val(value=v, page=t.page, bbox=bb, raw=raw, conf=round(conf, 3))
    if r.group is not None:
        g = r.group
        fields["group"] = Val(value=g.text.strip(), page=t.page, bbox=g.bbox, raw=g.text, conf=round(g.conf, 3))
    return Row(fields=fields, page=t.page, bbox=r.bbox)
