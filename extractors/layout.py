"""Page geometry for extractors (版面): cells, visual lines, label→value lookup.

Signature blocks are read in ``extractors/signatures.py`` (labels → signer values) and
``extractors/slots.py`` (what each signature slot holds, typed, for the checks).

A *cell* is the smallest positioned piece of text we trust to belong to one form
cell: an OCR segment (``Line.words``) or a text-layer word run; adjacent words with a
small gap are merged back (a text layer splits ``GBZ 159-2004`` at the space).
A *visual line* is cells at one height: for OCR pages the engine's own line
grouping; for text layers, cells clustered by vertical centre.

Label/value pairs are read in the layouts forms use: ``label：value`` inline,
``label value`` in the next cell to the right (grid), or the value in the cell
below (boxed). Nothing here knows any particular form's coordinates.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from pipeline import geometry
from pipeline.geometry import union_bbox  # re-exported: extractors import it from here
from pipeline.normalize import normalize_text
from pipeline.types import BBox, Page

from .records import Val, ValState
from .text import find_label, label_score

__all__ = ["Cell", "VLine", "PageGrid", "grid", "union_bbox", "block_text", "upright"]


@dataclass(frozen=True)
class Cell:
    text: str
    bbox: BBox
    page: int
    conf: float = 1.0
    line: int = -1  # index of the source Line

    @property
    def xc(self) -> float:
        return (self.bbox[0] + self.bbox[2]) / 2

    @property
    def yc(self) -> float:
        return (self.bbox[1] + self.bbox[3]) / 2

    @property
    def h(self) -> float:
        return max(1.0, self.bbox[3] - self.bbox[1])


@dataclass
class VLine:
    cells: list[Cell]

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)

    @property
    def bbox(self) -> BBox:
        return union_bbox(c.bbox for c in self.cells)

    @property
    def yc(self) -> float:
        b = self.bbox
        return (b[1] + b[3]) / 2

    @property
    def page(self) -> int:
        return self.cells[0].page


def _page_cells(page: Page) -> list[Cell]:
    ocr = page.source == "ocr"
    cells: list[Cell] = []
    for li, ln in enumerate(page.lines):
        words = [w for w in ln.words if w.text.strip()] or None
        if not words:
            cells.append(Cell(ln.text, tuple(ln.bbox), page.no, ln.conf, li))
            continue
        words = sorted(words, key=lambda w: w.bbox[0])
        run: list = [words[0]]
        for w in words[1:]:
            prev = run[-1]
            h = max(1.0, min(prev.bbox[3] - prev.bbox[1], w.bbox[3] - w.bbox[1]))
            gap = w.bbox[0] - prev.bbox[2]
            vover = min(prev.bbox[3], w.bbox[3]) - max(prev.bbox[1], w.bbox[1])
            # text layers split one cell at spaces; OCR segments are already cells. Words of
            # one cell share a baseline: half a line lower is the next title of a stacked
            # header ("流量 / L/min" beside "采样器编号")
            if not ocr and gap < 0.6 * h and vover > 0.75 * h:
                run.append(w)
            else:
                cells.append(_mk(run, page.no, ln.conf, li, ocr))
                run = [w]
        cells.append(_mk(run, page.no, ln.conf, li, ocr))
    return [c for c in cells if c.text.strip()]


def _mk(run: list, page: int, conf: float, li: int, ocr: bool) -> Cell:
    text = " ".join(w.text for w in run)
    return Cell(normalize_text(text, ocr=ocr), union_bbox(w.bbox for w in run), page, conf, li)


def _visual_lines(page: Page, cells: list[Cell]) -> list[VLine]:
    if not cells:
        return []
    if page.source == "ocr":
        by: dict[int, list[Cell]] = {}
        for c in cells:
            by.setdefault(c.line, []).append(c)
        lines = [VLine(sorted(cs, key=lambda c: c.bbox[0])) for cs in by.values()]
        lines.sort(key=lambda l: l.yc)
        return lines
    hs = statistics.median(c.h for c in cells)
    lines: list[list[Cell]] = []
    for c in sorted(cells, key=lambda c: c.yc):
        if lines:
            cur = lines[-1]
            yc = statistics.mean(x.yc for x in cur)
            if abs(c.yc - yc) <= 0.45 * hs:
                cur.append(c)
                continue
        lines.append([c])
    return [VLine(sorted(cs, key=lambda c: c.bbox[0])) for cs in lines]


@dataclass
class PageGrid:
    """One page as cells and visual lines, with lookups."""

    page: Page
    cells: list[Cell]
    lines: list[VLine]
    hmed: float = 12.0
    # maps a box of this (upright) grid back to displayed PDF coordinates; None = identity
    to_pdf: Optional[Callable[[BBox], BBox]] = None

    # ---------------------------------------------------------- label → value

    def find(self, synonyms: Sequence[str], *, region: Optional[tuple[float, float]] = None) -> list[tuple[Cell, int, int, str]]:
        """Cells that contain one of ``synonyms`` (exact), as (cell, start, end, label).

        A synonym inside a longer run of CJK text (危害因素 in the title
        职业病危害因素现场采样记录) is a word of that text, not a label: such hits are
        used only when no other hit exists, and never in title-sized text.
        """
        out, embedded = [], []
        for c in self.cells:
            if region and not (region[0] <= c.yc <= region[1]):
                continue
            hit = _find_label_hit(c.text, synonyms)
            if hit:
                out.append((c, hit[0], hit[1], hit[2]))
            else:
                hit = find_label(c.text, synonyms)
                # OCR glues neighbouring cells without the colon ("某公司检测项目铅尘"):
                # keep those in body-sized text as a fallback
                if hit and c.h <= 1.3 * self.hmed:
                    embedded.append((c, hit[0], hit[1], hit[2]))
        if not out:
            out = embedded
        if not out:  # fuzzy: a short cell that *is* the label, misread by one character
            for c in self.cells:
                if region and not (region[0] <= c.yc <= region[1]):
                    continue
                t = c.text.rstrip(":：")
                if 2 <= len(t) <= 12:
                    for s in synonyms:
                        if len(s) >= 3 and abs(len(t) - len(s)) <= 1 and label_score(t, s) >= 80:
                            out.append((c, 0, len(c.text), s))
                            break
        return out

    def value(self, synonyms: Sequence[str], *, stops: Sequence[str] = (), parse: Optional[Callable[[str], object]] = None,
              region: Optional[tuple[float, float]] = None, below: bool = True, what: str = "") -> Val:
        """The value of the first label found: inline after it, else the next cell right, else below."""
        hits = self.find(synonyms, region=region)
        if not hits:
            return Val.missing(f"label {what or synonyms[0]} not found on page {self.page.no}", self.page.no,
                               ValState.ABSENT)
        last_reason = ""
        for cell, s, e, lab in hits:
            for text, src in self._candidates(cell, e, stops, below):
                text = _strip_value(text)
                if not text:
                    continue
                v = parse(text) if parse else text
                if v is None or v == "" or v == []:
                    last_reason = f"{lab}: cannot read value from {text!r}"
                    continue
                conf = src.conf * (0.95 if src is not cell else 1.0)
                return Val(value=v, page=src.page, bbox=src.bbox, raw=text, conf=round(conf, 3))
        if last_reason:  # something stands there that does not parse
            return Val.missing(last_reason, self.page.no)
        return Val.missing(f"label {lab} found on page {self.page.no} but no value next to it", self.page.no, ValState.EMPTY)

    def _candidates(self, cell: Cell, end: int, stops: Sequence[str], below: bool):
        rest = cell.text[end:]
        rest = _cut_at_stops(rest, stops)
        yield rest, cell
        right = self.right_of(cell)
        if right is not None:
            yield _cut_at_stops(right.text, stops), right
        if below:
            b = self.below(cell)
            if b is not None:
                yield _cut_at_stops(b.text, stops), b

    def right_of(self, cell: Cell) -> Optional[Cell]:
        best, bd = None, 1e9
        for c in self.cells:
            # OCR segments of adjacent cells overlap a little
            if c is cell or c.bbox[0] < cell.bbox[2] - max(2.0, 0.3 * (cell.bbox[2] - cell.bbox[0])) or c.xc <= cell.bbox[2]:
                continue
            vover = min(c.bbox[3], cell.bbox[3]) - max(c.bbox[1], cell.bbox[1])
            if vover < 0.4 * min(c.h, cell.h):
                continue
            d = c.bbox[0] - cell.bbox[2]
            if d < bd and d < 12 * self.hmed:
                best, bd = c, d
        return best

    def below(self, cell: Cell) -> Optional[Cell]:
        best, bd = None, 1e9
        for c in self.cells:
            if c is cell or c.bbox[1] < cell.bbox[3] - 2:
                continue
            hover = min(c.bbox[2], cell.bbox[2]) - max(c.bbox[0], cell.bbox[0])
            if hover <= 0:
                continue
            d = c.bbox[1] - cell.bbox[3]
            if d < bd and d < 1.5 * self.hmed:
                best, bd = c, d
        return best

    # ---------------------------------------------------------- wrapped cells

    def label_block(self, cell: Cell, end: int) -> tuple[str, list[Cell]]:
        """The whole value of the label ending at ``end`` in ``cell``, wrapped lines included.

        Inline (``label:value`` with the value wrapping under it): the label cell and
        the lines that continue it. Grid (label cell alone, value cell to its right):
        the value column beside the label, extended up and down over the lines of the
        same wrapped cell (a label is often centred on a value of several lines).
        Returns (text without the label, cells)."""
        # the rest of a longer label ("采样仪器" + "及仪器编号:") is not value text
        m = _LABEL_REST.match(cell.text[end:])
        if m:
            end += m.end()
        # a cell that is all label ("采样仪器及仪器编号", matched by 采样仪器) with a cell to
        # its right is a grid label; "气象条件晴" alone on its line is label + value
        label_only = bool(_LABEL_ONLY.match(cell.text)) and self.right_of(cell) is not None
        if _strip_value(cell.text[end:]) and not label_only:
            cells = self._inline_block(cell, end)
            text = cell.text[end:] + block_text(cells[1:], self.hmed) if len(cells) > 1 else cell.text[end:]
            return _strip_value(text), cells
        cells = self._grid_block(cell)
        return _strip_value(block_text(cells, self.hmed)), cells

    def _inline_block(self, cell: Cell, end: int) -> list[Cell]:
        h = self.hmed
        x0, x1 = cell.bbox[0], cell.bbox[2]
        # where the value starts inside the label cell: wrapped lines align there or at the cell's left
        vx = x0 + (x1 - x0) * _wlen(cell.text[:end]) / _wlen(cell.text)
        block, bottom = [cell], cell.bbox[3]
        for ln in self.lines:
            if ln.yc <= cell.yc + 0.5 * h:
                continue
            below = [c for c in ln.cells if c.bbox[1] >= bottom - 0.3 * h]
            firsts = [c for c in below if x0 - h <= c.bbox[0] <= vx + 2 * h]
            if not firsts:
                break
            first = min(firsts, key=lambda c: c.bbox[0])
            if first.bbox[1] - bottom > 1.0 * h or _LABEL_START.match(first.text):
                break
            if any(c.bbox[2] > x0 - 2 and c.bbox[0] < first.bbox[0] - 2 for c in ln.cells if c is not first):
                break  # something in the label column to its left: a new row of the form
            part = [c for c in below if first.bbox[0] <= c.bbox[0] < x1 - h and not _LABEL_START.match(c.text)]
            block.extend(part)
            bottom = max(c.bbox[3] for c in part)
        return block

    def _grid_block(self, cell: Cell) -> list[Cell]:
        h = self.hmed
        r = self.right_of(cell)
        if r is None:
            return []

        def vover(a: Cell, b: Cell) -> float:
            return min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])

        # the next label to the right on the label's row bounds the value column
        bound = min((c.bbox[0] for c in self.cells
                     if c.bbox[0] > r.bbox[0] + h and vover(c, cell) >= 0.4 * min(c.h, cell.h)
                     and _LABEL_ONLY.match(c.text)), default=float("inf"))
        col = [c for c in self.cells if c is not cell and cell.bbox[2] - 0.5 * h <= c.bbox[0] < bound]
        # cells of the label column (other labels): a value line level with one belongs to that label
        others = [c for c in self.cells if c is not cell and c not in col
                  and min(c.bbox[2], cell.bbox[2]) - max(c.bbox[0], cell.bbox[0]) > 0]
        seeds = [c for c in col if vover(c, cell) >= 0.4 * min(c.h, cell.h)] or [r]
        block = list(seeds)
        top, bot = min(c.bbox[1] for c in seeds), max(c.bbox[3] for c in seeds)

        def taken_by_other(c: Cell) -> bool:
            return any(vover(c, o) > 0.3 * min(c.h, o.h) for o in others)

        for c in sorted((c for c in col if c not in block and c.yc > cell.yc), key=lambda c: c.bbox[1]):
            if c.bbox[1] - bot > 0.45 * h or taken_by_other(c):
                break
            block.append(c)
            bot = max(bot, c.bbox[3])
        for c in sorted((c for c in col if c not in block and c.yc < cell.yc), key=lambda c: -c.bbox[3]):
            if top - c.bbox[3] > 0.45 * h or taken_by_other(c):
                break
            block.append(c)
            top = min(top, c.bbox[1])
        return sorted(block, key=lambda c: (c.yc, c.bbox[0]))

    def wrapped_texts(self) -> list[tuple[str, list[Cell]]]:
        """Every cell joined with the lines it wraps onto (same left edge, no gap below),
        so a value broken as "采样后已校" / "准" reads as one text."""
        h = self.hmed
        used: set[int] = set()
        out = []
        order = sorted(self.cells, key=lambda c: (c.bbox[1], c.bbox[0]))
        for c in order:
            if id(c) in used:
                continue
            chain = [c]
            used.add(id(c))
            cur = c
            while True:
                nxt = next((d for d in order if id(d) not in used and abs(d.bbox[0] - cur.bbox[0]) <= 0.6 * h
                            and -0.3 * h <= d.bbox[1] - cur.bbox[3] <= 0.45 * h), None)
                if nxt is None:
                    break
                chain.append(nxt)
                used.add(id(nxt))
                cur = nxt
            out.append(("".join(x.text for x in chain), chain))
        return out

    def line_of(self, cell: Cell) -> Optional[VLine]:
        for ln in self.lines:
            if cell in ln.cells:
                return ln
        return None


def _find_label_hit(text: str, synonyms: Sequence[str]) -> Optional[tuple[int, int, str]]:
    """Like ``find_label``, skipping occurrences with CJK text on both sides (a word of a
    longer phrase or title, not a label)."""
    best = None
    for s in sorted(synonyms, key=len, reverse=True):
        i = text.find(s)
        while i >= 0:
            before = text[i - 1] if i > 0 else ""
            after = text[i + len(s)] if i + len(s) < len(text) else ""
            if not (_is_cjk(before) and _is_cjk(after)):
                if best is None or i < best[0]:
                    best = (i, i + len(s), s)
                break
            i = text.find(s, i + 1)
    return best


# A cell that starts with a label and its colon ("流量校准:", "采样依据：…").
_LABEL_START = re.compile(r"^\s*[\u4e00-\u9fff][\u4e00-\u9fff()（）/]{1,15}\s*[:：]")
# A cell that is only a label ("流量校准", "采样依据:"): short CJK text, no digits.
_LABEL_ONLY = re.compile(r"^\s*[\u4e00-\u9fff][\u4e00-\u9fff()（）/]{1,13}\s*[:：]?\s*$")


# What is left of a label after a shorter synonym matched: CJK up to the colon, or the whole rest
# of a label-only cell.
_LABEL_REST = re.compile(r"^[\u4e00-\u9fff()（）/]{1,12}\s*[:：]")


def _wlen(t: str) -> float:
    """Printed width of ``t`` in CJK-character units (Latin characters are about half)."""
    return sum(1.0 if ord(ch) > 0x2E80 else 0.5 for ch in t) or 1.0


def block_text(cells: Sequence[Cell], hmed: float) -> str:
    """Text of a wrapped cell: pieces on one visual line joined by a space, the lines
    joined with nothing (a wrap can fall inside a word or an id: "YA/" + "YQ-054")."""
    lines: list[list[Cell]] = []
    for c in sorted(cells, key=lambda c: (c.yc, c.bbox[0])):
        if lines and abs(c.yc - statistics.mean(x.yc for x in lines[-1])) <= 0.45 * hmed:
            lines[-1].append(c)
        else:
            lines.append([c])
    return "".join(" ".join(x.text for x in sorted(ln, key=lambda c: c.bbox[0])) for ln in lines)


def _cut_at_stops(text: str, stops: Sequence[str]) -> str:
    """Cut ``text`` at the next label on the same line (``采样日期 2022-05-19 检测项目 …``)."""
    cut = len(text)
    lead = len(text) - len(text.lstrip(" :：.·"))
    for s in stops:
        i = text.find(s)
        if i >= 0:
            cut = min(cut, i if i > lead else lead)
    return text[:cut]


def _strip_value(text: str) -> str:
    t = text.strip()
    t = re.sub(r"^[\s:：.·,，;；]+", "", t)
    t = re.sub(r"[\s:：;；.。·,，]+$", "", t)
    return t.strip()


# ------------------------------------------------------------------ turned pages

def _map_270(b: BBox, W: float, H: float) -> BBox:  # displayed → upright for content turned 270°
    return geometry.turn_box(b, 3, W, H)


def _map_90(b: BBox, W: float, H: float) -> BBox:
    return geometry.turn_box(b, 1, W, H)


def _unmap_270(b: BBox, W: float, H: float) -> BBox:
    return geometry.unturn_box(b, 3, W, H)


def _unmap_90(b: BBox, W: float, H: float) -> BBox:
    return geometry.unturn_box(b, 1, W, H)


def _map_180(b: BBox, W: float, H: float) -> BBox:  # its own inverse
    return geometry.turn_box(b, 2, W, H)


def upright(page: Page) -> tuple[Page, Optional[Callable[[BBox], BBox]]]:
    """A scan turned by 90°/270° (or 180°, per ``page.rotation``) comes with boxes in displayed coordinates, so its text
    lines run vertically. Geometry (rows, columns, label → value) needs the upright
    frame: return the page with boxes mapped upright, and the inverse map for
    provenance (evidence boxes stay in displayed PDF coordinates)."""
    lines = [ln for ln in page.lines if ln.text.strip()]
    if not lines or not page.width or not page.height:
        return page, None
    if page.rotation % 360 == 180:
        # OCR turned the raster upside down to read it; boxes are still displayed
        # coordinates, so lines would be read bottom-up and right-to-left
        W, H = page.width, page.height
        new_lines = tuple(
            ln.model_copy(update={"bbox": _map_180(ln.bbox, W, H),
                                  "words": tuple(w.model_copy(update={"bbox": _map_180(w.bbox, W, H)}) for w in ln.words)})
            for ln in page.lines)
        return page.model_copy(update={"lines": new_lines}), (lambda b: _map_180(b, W, H))
    vertical = sum(1 for ln in lines if (ln.bbox[3] - ln.bbox[1]) > 1.5 * (ln.bbox[2] - ln.bbox[0]) and len(ln.text) > 2)
    long = sum(1 for ln in lines if len(ln.text) > 2)
    if not long or vertical < 0.6 * long:
        return page, None
    W, H = page.width, page.height
    # which way? the tallest (title) text must land near the top of the upright page
    title = max(lines, key=lambda ln: min(ln.bbox[2] - ln.bbox[0], ln.bbox[3] - ln.bbox[1]) * (len(ln.text) < 30))
    cands = []
    for fwd, inv in ((_map_270, _unmap_270), (_map_90, _unmap_90)):
        tb = fwd(title.bbox, W, H)
        cands.append(((tb[1] + tb[3]) / 2, fwd, inv))
    cands.sort(key=lambda t: t[0])
    _, fwd, inv = cands[0]
    new_lines = tuple(
        ln.model_copy(update={"bbox": fwd(ln.bbox, W, H),
                              "words": tuple(w.model_copy(update={"bbox": fwd(w.bbox, W, H)}) for w in ln.words)})
        for ln in page.lines)
    up = page.model_copy(update={"lines": new_lines, "width": H, "height": W})
    return up, (lambda b: inv(b, W, H))


def grid(page: Page) -> PageGrid:
    page, inverse = upright(page)
    cells = _page_cells(page)
    lines = _visual_lines(page, cells)
    hmed = statistics.median(c.h for c in cells) if cells else 12.0
    g = PageGrid(page, cells, lines, hmed)
    g.to_pdf = inverse
    return g


def _is_cjk(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"
