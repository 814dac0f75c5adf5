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
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from pipeline.geometry import union_bbox, v_gap
from pipeline.types import BBox

from .layout import Cell, PageGrid, VLine
from .records import Row, Val, ValState
from .text import best_label, compact, label_score


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: dict[str, tuple[str, ...]]  # key → header synonyms
    anchor: str  # the key whose cell starts a row
    anchor_ok: Callable[[str], bool] = lambda t: bool(t.strip())
    min_columns: int = 2
    stops: tuple[str, ...] = ()  # labels that end the table (signature lines, notes)
    threshold: float = 75.0


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


def _match_cells(cells: Sequence[Cell], spec: TableSpec) -> dict[str, float]:
    got: dict[str, float] = {}
    for c in cells:
        k, sc = best_label(c.text, spec.columns, spec.threshold)
        if k and sc > got.get(k, 0):
            got[k] = sc
    return got


def _header_lines(g: PageGrid, spec: TableSpec) -> list[int]:
    out = []
    for i, ln in enumerate(g.lines):
        got = _match_cells(ln.cells, spec)
        if len(got) >= spec.min_columns and spec.anchor in got:
            out.append(i)
    return out


def _header_cells(g: PageGrid, idx: int) -> list[Cell]:
    main = g.lines[idx]
    cells = list(main.cells)
    if g.page.source != "ocr":
        b = main.bbox
        h = max(c.h for c in main.cells)
        lo, hi = b[1] - 1.0 * h, b[3] + 1.0 * h
        for j in (idx - 2, idx - 1, idx + 1, idx + 2):
            if 0 <= j < len(g.lines):
                for c in g.lines[j].cells:
                    if lo <= c.yc <= hi and not re.search(r"\d", re.sub(r"\([^)]*\)?|[A-Za-z]\d", "", c.text)):
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
    ov, col = max(overlaps, key=lambda t: t[0])
    if ov <= 0:
        col = min(cols, key=lambda c: abs((c.x0 + c.x1) / 2 - cell.xc))
    return [(col, cell)]


# A heading ends any table: "4.3 工作场所噪声检测结果", "表4-3 …", "五、结论".
_HEADING = re.compile(r"^\s*(?:\d+\.\d+[\u4e00-\u9fff]{4,}|表\s*\d+[-.]\d+|[一二三四五六七八九十]+、)")


def _is_stop(ln: VLine, spec: TableSpec) -> bool:
    t = compact(ln.text)
    heading = len(ln.cells) <= 2 and bool(_HEADING.match(ln.text))
    return any(s in t for s in spec.stops) or heading


def _rows(lines: Sequence[VLine], cols: Sequence[Column], spec: TableSpec, hmed: float,
          above_first: bool = True) -> list[TableRow]:
    """Rows from the body lines. ``above_first=False`` (a continuation page without a
    header) drops lines above the first row: they are the page's title, not a cell."""
    rows: list[TableRow] = []
    loose: list[tuple[VLine, list[tuple[Column, Cell]]]] = []
    for ln in lines:
        assigned = [p for c in ln.cells for p in _assign(c, cols)]
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
                near.cells.setdefault(col.key or f"_{int(col.x0)}", []).append(cell)
            near.lines.append(ln)
    return rows


def _vdist(ln: VLine, row: TableRow) -> float:
    return v_gap(ln.bbox, union_bbox(l.bbox for l in row.lines))


def find_tables(grids: Sequence[PageGrid], spec: TableSpec, *, continue_pages: bool = True) -> list[Table]:
    """All tables matching ``spec`` on the given pages (in page order)."""
    tables: list[Table] = []
    prev_cols: Optional[list[Column]] = None
    for g in grids:
        heads = _header_lines(g, spec)
        if not heads and continue_pages and prev_cols is not None:
            # header not repeated: reuse the previous page's columns for the whole page
            stop_i = next((i for i, ln in enumerate(g.lines) if _is_stop(ln, spec)), len(g.lines))
            body = g.lines[:stop_i]
            t = Table(spec, g.page.no, prev_cols, (0, 0, 0, 0), _rows(body, prev_cols, spec, g.hmed, above_first=False))
            if t.rows:
                tables.append(t)
            continue
        for n, hi in enumerate(heads):
            hcells = _header_cells(g, hi)
            cols = _columns(hcells, spec)
            hb = union_bbox(c.bbox for c in hcells)
            end = heads[n + 1] if n + 1 < len(heads) else len(g.lines)
            body = []
            for ln in g.lines[hi + 1:end]:
                if ln.bbox[1] < hb[3] - 0.3 * g.hmed and any(c in hcells for c in ln.cells):
                    continue
                if _is_stop(ln, spec):
                    break
                cs = [c for c in ln.cells if c not in hcells]
                if cs:
                    body.append(VLine(cs))
            t = Table(spec, g.page.no, cols, hb, _rows(body, cols, spec, g.hmed))
            tables.append(t)
            prev_cols = cols
    return tables


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
    return Row(fields=fields, page=t.page, bbox=r.bbox)
