"""Page geometry for extractors (版面): cells, visual lines, label→value lookup, signature blocks.

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
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional, Sequence

from rapidfuzz.distance import Levenshtein

from pipeline.normalize import normalize_text
from pipeline.types import BBox, Page

from .records import Val
from .text import ROLE_STEMS, SURNAMES, find_dates, find_label, label_score, split_names

__all__ = ["Cell", "VLine", "PageGrid", "grid", "union_bbox", "block_text", "SLOT_EMPTY", "LABEL_ABSENT",
           "slot_is_empty", "label_is_absent"]


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


def union_bbox(boxes: Iterable[BBox]) -> BBox:
    bs = list(boxes)
    if not bs:
        return (0.0, 0.0, 0.0, 0.0)
    return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))


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
            # text layers split one cell at spaces; OCR segments are already cells
            if not ocr and gap < 0.6 * h and vover > 0.5 * h:
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
            return Val.missing(f"label {what or synonyms[0]} not found on page {self.page.no}", self.page.no)
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
        return Val.missing(last_reason or f"label {lab} found on page {self.page.no} but no value next to it", self.page.no)

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
    return (b[1], W - b[2], b[3], W - b[0])


def _map_90(b: BBox, W: float, H: float) -> BBox:
    return (H - b[3], b[0], H - b[1], b[2])


def _unmap_270(b: BBox, W: float, H: float) -> BBox:
    return (W - b[3], b[0], W - b[1], b[2])


def _unmap_90(b: BBox, W: float, H: float) -> BBox:
    return (b[1], H - b[2], b[3], H - b[0])


def _map_180(b: BBox, W: float, H: float) -> BBox:  # its own inverse
    return (W - b[2], H - b[3], W - b[0], H - b[1])


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


# ------------------------------------------------------------------ signature blocks

# A signature slot's label names a role: a role *stem* (采样, 复核, 送样 …) turned into a
# person or a signing instruction by a suffix (采样人, 采样人员, 采样者, 检验员, 复核人签名,
# 陪同人(签字), 审核签字). Institutions word these freely, so labels are read by this
# shape and normalised to their stem; each form maps stems to its roles (derived from
# its synonym tuples). Party / document qualifiers in front (用人单位陪同人员, 现场采样人,
# 报告编写人) belong to the label, so they are never left behind as a "name".
_QUALIFIER = re.compile(r"[(（][^)）]{0,12}[)）]|[(（]?(?:技术|质量|项目)负责人[)）]?")
_DATE_LABEL = re.compile(r"(签字)?日\s*期|签名|签字|时间")
_EMPLOYER_LABEL = re.compile(r"陪同|用人单位|企业|委托方|甲方|受检|被检")
# OCR reads 人 as 入
_PERSON_SUFFIXES = ("人员", "入员", "人", "入", "员", "者")
_SIGN_WORD = re.compile(r"\s*[(（]?\s*(?:签字|签名|签章|签署|手签|亲笔签名)(?:确认)?\s*[)）]?")
_ROLE_PREFIXES = ("被检测单位", "用人单位", "受检单位", "被检单位", "委托单位", "企业", "厂方", "现场", "报告", "方案",
                  "样品", "主要", "参加")
_PAREN = re.compile(r"[(（][^)）]{0,14}[)）]")


def role_stem(label: str) -> Optional[str]:
    """The role stem of a signature label: 用人单位陪同人员 → 陪同, 复核人签名 → 复核,
    检验员 → 检验, 审核 → 审核; None when nothing of two characters is left."""
    t = re.sub(r"[\s:：]", "", label or "")
    if t in _PERSON_SUFFIXES:
        return None
    t = re.sub(r"[(（]?(?:签字|签名|签章|签署)(?:确认)?[)）]?$", "", t)
    for p in _ROLE_PREFIXES:
        if t.startswith(p) and len(t) - len(p) >= 2:
            t = t[len(p):]
            break
    for suf in _PERSON_SUFFIXES:
        if t.endswith(suf) and len(t) - len(suf) >= 2:
            t = t[: -len(suf)]
            break
    return t if len(t) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", t) else None


def role_stops(roles: dict[str, Sequence[str]]) -> tuple[str, ...]:
    """Texts that mark a signature line of a form with these roles (to end its tables):
    the synonyms and every stem with a person suffix or a signing word."""
    out = [s for syns in roles.values() for s in syns]
    for st in dict.fromkeys(role_stem(s) for syns in roles.values() for s in syns):
        if st:
            out.extend(st + suf for suf in ("人", "员", "者", "签字", "签名"))
    return tuple(dict.fromkeys(out))


def _lexicon(roles: dict[str, Sequence[str]]) -> tuple[dict[str, set], dict[str, set]]:
    """(explicit labels → roles, stems → roles). Every role stem of QC forms is a stem
    here, mapped to no role when the form has none for it: its label still ends the
    previous slot (采样人: 张三 记录人: 李四 gives no sampler 李四)."""
    labels: dict[str, set] = {}
    stems: dict[str, set] = {s: set() for s in ROLE_STEMS}
    for r, syns in roles.items():
        for s in syns:
            for v in {s, s.replace("人", "入")}:
                labels.setdefault(v, set()).add(r)
            st = role_stem(s)
            if st:
                stems.setdefault(st, set()).add(r)
    return labels, stems


@dataclass
class SignerHit:
    role: str
    names: list[tuple[str, float]]
    date: Optional[object]
    page: int
    bbox: BBox
    raw: str
    source: str = "ocr"
    # 2: label followed by a colon; 1: label ends its cell; 0: label runs into other text
    score: int = 0
    # the page is a text layer whose images (hand signatures) were OCRed too
    image_ocr: bool = False


@dataclass
class _Label:
    start: int  # prefix included
    core: int  # end of stem + person suffix (before a signing word)
    end: int  # end of the whole label
    role: Optional[str]  # None: a role label of no role of this form, or an ambiguous one
    text: str
    fuzzy: bool = False


def signature_block(grids: Sequence[PageGrid], roles: dict[str, Sequence[str]], known: Sequence[str] = (),
                    *, exclude_roles_in_table: bool = True) -> dict[str, SignerHit]:
    """Find ``role label: names [date]`` on the pages; first hit per role wins.

    Works per visual line: the line text is cut at every role label (see
    ``_line_labels``); each segment holds the names (split with the staff list) and
    possibly the signing date. A role whose segment has no name but whose date label
    follows keeps an empty name list (an unsigned slot), which checks read as "not
    signed". Labels of no role of the form (记录人, 联系人) and ambiguous ones only end
    the previous segment: no signer rather than a wrong one.
    """
    labels, stems = _lexicon(roles)
    found: dict[str, SignerHit] = {}
    for g in grids:
        image_ocr = any(ln.origin == "image" for ln in g.page.lines)
        for ln in g.lines:
            text = ln.text
            hits = _line_labels(g, ln, labels, stems)
            for j, lab in enumerate(hits):
                if lab.role is None:
                    continue
                role = lab.role
                seg_end = hits[j + 1].start if j + 1 < len(hits) else len(text)
                seg = text[lab.end:seg_end]
                if role in found and found[role].names:
                    continue
                seg_clean = _QUALIFIER.sub("", seg)
                dates = find_dates(seg_clean)
                name_part = seg_clean
                if dates:
                    name_part = seg_clean[: dates[0][1][0]]
                m = _DATE_LABEL.search(name_part)
                if m:
                    name_part = name_part[: m.start()]
                # a sentence ("...人员共同完成") is not a signature
                if len(re.sub(r"[^\u4e00-\u9fff]", "", name_part)) > 16:
                    continue
                # the employer's people (陪同人, 用人单位…) are not on the staff list: their
                # two-character names are never mapped onto a staff name one edit away
                names = split_names(name_part, known, short=not _EMPLOYER_LABEL.search(lab.text))
                if lab.fuzzy:  # the label itself was a guess
                    names = [(n, round(c * 0.9, 3)) for n, c in names]
                bbox = _segment_bbox(ln, lab.start, seg_end)
                hit = SignerHit(role, names, dates[0][0] if dates else None, ln.page, bbox, (lab.text + seg).strip(),
                                g.page.source, _slot_score(ln, text, lab.end), image_ocr)
                # a read name wins; among empty slots, one laid out as a form slot (label: …)
                # beats an earlier mention elsewhere (a cover note, a table heading)
                old = found.get(role)
                if old is None or (not old.names and (names or hit.score > old.score)):
                    found[role] = hit
        _dates_below(g, found)
    return found


def _line_labels(g: PageGrid, ln: VLine, labels: dict[str, set], stems: dict[str, set]) -> list[_Label]:
    """The role labels of one visual line, in reading order.

    A label is an explicit synonym of the form, or a role stem followed by a person
    suffix and/or a signing word (采样者, 检验员, 复核人签名, 审核签字). Longest first, so
    a longer label is never re-read as a shorter one inside it. Rejected: words in
    prose (由采样人…, 编写人、审核人…签字无效), bare short words that are table cells,
    anything inside brackets (签发人(技术负责人)). On OCR text a label one character
    off a stem (采祥人:) is read when that stem is the only one it can be.
    """
    text = ln.text
    taken = [False] * len(text)
    for m in _PAREN.finditer(text):
        for k in range(m.start() + 1, m.end()):
            taken[k] = True
    out: list[_Label] = []
    cands = sorted(set(labels) | set(stems), key=len, reverse=True)
    for cand in cands:
        explicit = cand in labels
        start = 0
        while True:
            i = text.find(cand, start)
            if i < 0:
                break
            start = i + 1
            if any(taken[i:i + len(cand)]):
                continue
            core = i + len(cand)
            has_suffix = cand.endswith(_PERSON_SUFFIXES)
            if has_suffix and cand.endswith(("人", "入")) and text[core:core + 1] == "员":
                core += 1  # 审核人员 / 采样人员 written out
            elif not has_suffix:
                suf = next((s for s in _PERSON_SUFFIXES if text.startswith(s, core)), None)
                if suf:
                    core += len(suf)
                    has_suffix = True
            m = _SIGN_WORD.match(text, core)
            end = m.end() if m else core
            if not explicit and not has_suffix and not m:
                continue  # 采样日期, 复核记录: the stem in another word
            lab = _accept(ln, text, i, core, end, len(cand) <= 2 and not has_suffix and not m, explicit)
            # a rejected longer label blocks the shorter ones inside it (编写人、 → not 编写)
            for k in range(i, end):
                taken[k] = True
            if lab is None:
                continue
            rs = labels[cand] if explicit else stems.get(cand, set())
            lab.role = next(iter(rs)) if len(rs) == 1 else None
            out.append(lab)
    out.extend(_fuzzy_labels(g, ln, text, taken, stems))
    out.sort(key=lambda lab: lab.start)
    return out


def _accept(ln: VLine, text: str, i: int, core: int, end: int, short: bool, explicit: bool) -> Optional[_Label]:
    """The label text[i:end] as a slot label (with its qualifier prefix), or None when it
    is a word of a sentence or a table cell."""
    s = i
    for p in _ROLE_PREFIXES:
        if text.startswith(p, i - len(p)):
            s = i - len(p)
            break
    after = text[end: end + 1]
    before = text[s - 1: s] if s > 0 else ""
    # must look like a label: followed by ':' / space / a name, not mid-sentence
    ok = (after in ":： (（.·" or after == "" or _is_cjk(after)) and not _mid_sentence(before)
    if ok and _is_cjk(after) and not explicit:
        # a wording not in the form's list runs into a name only when OCR glued the two
        # (采样者张三); 采样人数 / 检验员证 are other words
        ok = after in SURNAMES
    if short and after not in ":：(（":
        # 审核 / 编制 in a table cell is a role, not a label; "编制 张三" at the
        # start of a signature line is one
        ok = after in " " and _starts_cell(ln, i) and not re.fullmatch(r"[\d.\s]+", ln.cells[0].text)
    if ok and _declaration(ln, text, s, core, end):
        ok = False
    return _Label(s, core, end, None, text[s:end]) if ok else None


# A label-shaped text on OCR output: two characters, a person suffix, maybe a signing word, a colon.
_FUZZY_LABEL = re.compile(r"([\u4e00-\u9fff]{2})(人员|入员|人|入|员|者)((?:[(（]?(?:签字|签名)[)）]?)?)(?=\s*[:：])")


def _fuzzy_labels(g: PageGrid, ln: VLine, text: str, taken: list[bool], stems: dict[str, set]) -> list[_Label]:
    """Labels OCR misread by one character of their stem (采祥人:, 复该人签名:): read only
    on OCR text, only when every stem one edit away names the same role of the form."""
    out: list[_Label] = []
    for m in _FUZZY_LABEL.finditer(text):
        i, end = m.start(), m.end()
        if any(taken[i:end]) or not _ocr_text(g, ln, i):
            continue
        word = m.group(1)
        # the word must start the label (劳动定员: is no damaged 测定员)
        if _is_cjk(text[i - 1: i]) and not any(text.startswith(p, i - len(p)) for p in _ROLE_PREFIXES):
            continue
        near = [st for st in stems if len(st) == 2 and Levenshtein.distance(word, st) == 1]
        if not near or word in stems:
            continue
        # 申核人 is one edit from 审核 and from 复核 / 校核: unless they all name the same
        # single role, the label is read as a role label of no role (it only ends a slot)
        first = stems[near[0]]
        role = next(iter(first)) if len(first) == 1 and all(stems[st] == first for st in near) else None
        core = m.start(3) if m.group(3) else m.end(2)
        lab = _accept(ln, text, i, core, end, False, False)
        for k in range(i, end):
            taken[k] = True
        if lab is None:
            continue
        lab.role, lab.fuzzy = role, True
        out.append(lab)
    return out


def _ocr_text(g: PageGrid, ln: VLine, pos: int) -> bool:
    """Whether the text at ``pos`` of the line was read by OCR (an OCR page, or the OCR of
    an image on a text-layer page): only there can a label be misread."""
    if g.page.source == "ocr":
        return True
    c = _cell_at(ln, pos)
    return c is not None and 0 <= c.line < len(g.page.lines) and g.page.lines[c.line].origin == "image"


def _dates_below(g: PageGrid, found: dict[str, "SignerHit"]) -> None:
    """Signing dates written on the line under the names (boxed signature cells)."""
    used: set = set()
    for role, hit in found.items():
        if hit.date is not None or hit.page != g.page.no:
            continue
        best, best_ov = None, 0.0
        for c in g.cells:
            if id(c) in used or not ((hit.bbox[1] + hit.bbox[3]) / 2 + 0.3 * g.hmed < c.yc <= hit.bbox[3] + 1.5 * g.hmed):
                continue
            ds = find_dates(c.text)
            if not ds:
                continue
            ov = min(c.bbox[2], hit.bbox[2]) - max(c.bbox[0], hit.bbox[0])
            if ov > best_ov:
                best, best_ov = (c, ds[0][0]), ov
        if best is not None:
            used.add(id(best[0]))
            hit.date = best[1]


def _starts_cell(ln: VLine, pos: int) -> bool:
    """Whether text position ``pos`` of the line is the start of a cell (ignoring punctuation)."""
    p = 0
    for c in ln.cells:
        lead = len(c.text) - len(c.text.lstrip(" ·.:：*"))
        if p + lead == pos:
            return True
        p += len(c.text) + 1
    return False


# Text right after a role word that makes it part of a statement about signatures
# ("…签发人签字无效", "…签发人签名后生效"), not a slot.
_DECL_AFTER = re.compile(r"^\s*(?:签[字名章发]|盖章|[、/和及与或])")
_DECL_RULE = re.compile(r"无效|生效|方可|不得|须|应")


def _declaration(ln: VLine, text: str, s: int, e: int, end: Optional[int] = None) -> bool:
    """Whether the role word at text[s:e] (``end``: after a signing word such as 签字, if
    any) is a word of a sentence (a report's declaration "本报告无编写人、审核人、签发人签字无效"),
    not the label of a signature slot."""
    end = e if end is None else end
    before = text[s - 1: s] if s > 0 else ""
    # a list of roles ("编写人、审核人") or a negated / required role ("无签发人", "须经审核人")
    if before in ("、", "无", "未", "须", "应", "需", "经") or "、" in (text[e: e + 1], text[end: end + 1]):
        return True
    rest = text[e: e + 12]
    # "签发人签字无效" is a rule; "陪同人签字: 应晓" is a slot (应 is also a surname)
    if _DECL_AFTER.match(rest) and _DECL_RULE.search(rest) and not text[end:].lstrip(" ").startswith((":", "：")):
        return True
    # the cell holding the word reads as prose (long, with sentence punctuation) and the
    # word is not followed by a colon (OCR may glue "编制人:张三，审核人:李四" into one cell)
    cell = _cell_at(ln, s)
    if cell is not None and _slot_score(ln, text, end) < 2:
        cjk = len(re.sub(r"[^\u4e00-\u9fff]", "", cell.text))
        if cjk > 14 and re.search(r"[。；;，,]", cell.text):
            return True
    return False


def _cell_at(ln: VLine, pos: int) -> Optional[Cell]:
    p = 0
    for c in ln.cells:
        if p <= pos < p + len(c.text):
            return c
        p += len(c.text) + 1
    return None


def _slot_score(ln: VLine, text: str, end: int) -> int:
    """How much the label ending at ``end`` looks like a form slot: 2 when a colon follows
    (after an optional qualifier such as "(技术负责人)"), 1 when it ends its cell (a grid
    label with the name cell beside it), 0 when other text runs on."""
    rest = text[end:]
    m = _QUALIFIER.match(rest)
    if m:
        rest = rest[m.end():]
    if rest.lstrip(" ")[:1] in (":", "："):
        return 2
    if rest == "" or rest[:1] == " ":
        return 1
    return 0


def _is_cjk(ch: str) -> bool:
    return bool(ch) and "\u4e00" <= ch <= "\u9fff"


def _mid_sentence(before: str) -> bool:
    # "由采样人" / "的复核人" inside prose
    return before in ("由", "的", "经", "及", "和", "与", "请", "名")


def _segment_bbox(ln: VLine, s: int, e: int) -> BBox:
    """Approximate box of text[s:e] within a visual line (cells joined by spaces)."""
    pos = 0
    boxes = []
    for c in ln.cells:
        cs, ce = pos, pos + len(c.text)
        if ce > s and cs < e:
            boxes.append(c.bbox)
        pos = ce + 1
    return union_bbox(boxes) if boxes else ln.bbox


# Reason markers of a signer ``Val`` that was not read. Checks test these with
# ``slot_is_empty`` / ``label_is_absent`` (or ``SLOT_EMPTY in v.reason``), never by
# other wording: "slot present" is kept in SLOT_EMPTY for checks that test that substring.
SLOT_EMPTY = "slot present, no name"
LABEL_ABSENT = "label not found"


def slot_is_empty(v: Val) -> bool:
    """The role's label was found (the slot is located: page and bbox) but no name was read in it."""
    return not v.ok and v.page is not None and SLOT_EMPTY in (v.reason or "")


def label_is_absent(v: Val) -> bool:
    """No label for the role was found, so nothing is known about the slot."""
    return not v.ok and LABEL_ABSENT in (v.reason or "")


def _no_name_why(hit: SignerHit) -> str:
    # say what was actually tried on the page: the text layer alone, the text layer plus
    # OCR of its images, or OCR of the whole page
    if hit.source == "text" and not hit.image_ocr:
        return ("no name in the text layer and no OCR text from images on this page: "
                "a hand signature is an image, OCR of the page is needed")
    if hit.source == "text":
        return "no name in the text layer nor in the OCR of the page's images (unsigned, or signature not legible)"
    return "no name read by OCR of the page (unsigned, or signature not legible)"


def signer_vals(hit: Optional[SignerHit], role_desc: str, page_hint: Optional[int] = None) -> list[Val]:
    """The names in a multi-name slot (采样人: 张三 李四). When none is read, one missing
    ``Val``: at the slot (page, bbox, reason with SLOT_EMPTY) when the label was found,
    else without a location (reason with LABEL_ABSENT). Checks count ``v.ok`` values."""
    if hit is None:
        return [Val.missing(f"{role_desc}: {LABEL_ABSENT}", page_hint)]
    if not hit.names:
        return [Val(value=None, page=hit.page, bbox=hit.bbox, raw=hit.raw, conf=0.9,
                    reason=f"{role_desc} {SLOT_EMPTY}: {_no_name_why(hit)}")]
    return [Val(value=n, page=hit.page, bbox=hit.bbox, raw=hit.raw, conf=c) for n, c in hit.names]


def signer_val(hit: Optional[SignerHit], role_desc: str, page_hint: Optional[int] = None) -> Val:
    if hit is None:
        return Val.missing(f"{role_desc}: {LABEL_ABSENT}", page_hint)
    if not hit.names:
        return Val(value=None, page=hit.page, bbox=hit.bbox, raw=hit.raw, conf=0.9,
                   reason=f"{role_desc} {SLOT_EMPTY}: {_no_name_why(hit)}")
    n, c = hit.names[0]
    return Val(value=n, page=hit.page, bbox=hit.bbox, raw=hit.raw, conf=c)


def signer_date(hit: Optional[SignerHit], role_desc: str) -> Val:
    if hit is None:
        return Val.missing(f"no {role_desc} label found")
    if hit.date is None:
        return Val(value=None, page=hit.page, bbox=hit.bbox, raw=hit.raw, reason=f"no date next to {role_desc}")
    return Val(value=hit.date, page=hit.page, bbox=hit.bbox, raw=hit.raw, conf=0.95)
