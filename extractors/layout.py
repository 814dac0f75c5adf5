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

from pipeline.normalize import normalize_text
from pipeline.types import BBox, Page

from .records import Val
from .text import find_dates, find_label, label_score, split_names

__all__ = ["Cell", "VLine", "PageGrid", "grid", "union_bbox"]


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
        """Cells that contain one of ``synonyms`` (exact), as (cell, start, end, label)."""
        out = []
        for c in self.cells:
            if region and not (region[0] <= c.yc <= region[1]):
                continue
            hit = find_label(c.text, synonyms)
            if hit:
                out.append((c, hit[0], hit[1], hit[2]))
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

    def line_of(self, cell: Cell) -> Optional[VLine]:
        for ln in self.lines:
            if cell in ln.cells:
                return ln
        return None


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


def upright(page: Page) -> tuple[Page, Optional[Callable[[BBox], BBox]]]:
    """A scan turned by 90°/270° comes with boxes in displayed coordinates, so its text
    lines run vertically. Geometry (rows, columns, label → value) needs the upright
    frame: return the page with boxes mapped upright, and the inverse map for
    provenance (evidence boxes stay in displayed PDF coordinates)."""
    lines = [ln for ln in page.lines if ln.text.strip()]
    if not lines or not page.width or not page.height:
        return page, None
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

# Role → label synonyms. Longest synonyms are tried first, so prefixed forms
# (用人单位陪同人) never leave their prefix behind as a "name".
_QUALIFIER = re.compile(r"[(（][^)）]{0,12}[)）]|[(（]?(?:技术|质量|项目)负责人[)）]?")
_DATE_LABEL = re.compile(r"(签字)?日\s*期|签名|签字|时间")


@dataclass
class SignerHit:
    role: str
    names: list[tuple[str, float]]
    date: Optional[object]
    page: int
    bbox: BBox
    raw: str
    source: str = "ocr"


def signature_block(grids: Sequence[PageGrid], roles: dict[str, Sequence[str]], known: Sequence[str] = (),
                    *, exclude_roles_in_table: bool = True) -> dict[str, SignerHit]:
    """Find ``role label: names [date]`` on the pages; first hit per role wins.

    Works per visual line: the line text is cut at every role label; each segment
    holds the names (split with the staff list) and possibly the signing date. A
    role whose segment has no name but whose date label follows keeps an empty name
    list (an unsigned slot), which checks read as "not signed".
    """
    roles = {r: tuple(syns) + tuple(s.replace("人", "入") for s in syns if "人" in s) for r, syns in roles.items()}
    all_labels = sorted({s for syns in roles.values() for s in syns}, key=len, reverse=True)
    found: dict[str, SignerHit] = {}
    for g in grids:
        for ln in g.lines:
            text = ln.text
            hits = []
            taken = [False] * len(text)
            for lab in all_labels:
                start = 0
                while True:
                    i = text.find(lab, start)
                    if i < 0:
                        break
                    if not any(taken[i:i + len(lab)]):
                        # must look like a label: followed by ':' / space / a name, not mid-sentence
                        after = text[i + len(lab): i + len(lab) + 1]
                        before = text[i - 1: i] if i > 0 else ""
                        ok = (after in ":： (（.·" or after == "" or _is_cjk(after)) and not _mid_sentence(before)
                        if len(lab) <= 2 and after not in ":：(（":
                            # 审核 / 编制 in a table cell is a role, not a label; "编制 张三" at the
                            # start of a signature line is one
                            ok = after in " " and _starts_cell(ln, i) and not re.fullmatch(r"[\d.\s]+", ln.cells[0].text)
                        # a rejected longer label blocks the shorter ones inside it (编写人、 → not 编写)
                        for k in range(i, i + len(lab)):
                            taken[k] = True
                        if ok:
                            role = next(r for r, syns in roles.items() if lab in syns)
                            end = i + len(lab)
                            if text[end:end + 1] == "员":  # 审核人员 / 采样人员 written out
                                end += 1
                                if end - 1 < len(taken):
                                    taken[end - 1] = True
                            hits.append((i, end, role, lab))
                    start = i + 1
            if not hits:
                continue
            hits.sort()
            for j, (s, e, role, lab) in enumerate(hits):
                seg_end = hits[j + 1][0] if j + 1 < len(hits) else len(text)
                seg = text[e:seg_end]
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
                names = split_names(name_part, known)
                bbox = _segment_bbox(ln, s, seg_end)
                hit = SignerHit(role, names, dates[0][0] if dates else None, ln.page, bbox, (lab + seg).strip(),
                                g.page.source)
                if role not in found or (not found[role].names and names):
                    found[role] = hit
        _dates_below(g, found)
    return found


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


def signer_vals(hit: Optional[SignerHit], role_desc: str, page_hint: Optional[int] = None) -> list[Val]:
    if hit is None:
        return []
    return [Val(value=n, page=hit.page, bbox=hit.bbox, raw=hit.raw, conf=c) for n, c in hit.names]


def signer_val(hit: Optional[SignerHit], role_desc: str, page_hint: Optional[int] = None) -> Val:
    if hit is None:
        return Val.missing(f"no {role_desc} label found", page_hint)
    if not hit.names:
        why = ("no name in the text layer: a hand signature is an image there, OCR of the page is needed"
               if hit.source == "text" else "no name read (unsigned, or signature not legible)")
        return Val(value=None, page=hit.page, bbox=hit.bbox, raw=hit.raw, conf=0.9, reason=f"{role_desc} slot present but {why}")
    n, c = hit.names[0]
    return Val(value=n, page=hit.page, bbox=hit.bbox, raw=hit.raw, conf=c)


def signer_date(hit: Optional[SignerHit], role_desc: str) -> Val:
    if hit is None:
        return Val.missing(f"no {role_desc} label found")
    if hit.date is None:
        return Val(value=None, page=hit.page, bbox=hit.bbox, raw=hit.raw, reason=f"no date next to {role_desc}")
    return Val(value=hit.date, page=hit.page, bbox=hit.bbox, raw=hit.raw, conf=0.95)
