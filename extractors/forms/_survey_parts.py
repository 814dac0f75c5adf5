"""The parts of a field survey (现场调查记录) item 31 asks for, and the hazard items it names
(item 59), read from the grid. Not an extractor itself: ``field_survey`` calls it.

Institutions word and lay out the same parts differently (``shared/spec/form-variety.md``):
a numbered heading with a paragraph under it ("二、生产工艺流程" / "2 生产工艺流程简述"), a
label and its text on one line ("主要设备：…"), a grid row (label cell | content cell), one
heading for two parts ("职业病防护设施及个体防护用品配备情况"). What counts is the typed
outcome per part (``Val.state``):

- READ: something is written in the part's place;
- EMPTY: the heading or label was found and its place holds nothing, or only a blank
  mark ("/", "—"): the next thing under a heading is a recognised stop (another part's
  heading, a numbered section heading, a table's title row, a signature line);
- ABSENT: no heading or label of the part on the form's pages;
- UNKNOWN: found, but where its content would end could not be told (the heading is
  the last thing on its page, followed by nothing recognisable).
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

from ..layout import Cell, PageGrid, VLine, union_bbox
from ..records import Row, SurveyFactor, Val, ValState
from ..text import compact, label_score

# ---------------------------------------------------------------- wordings (data)

# Headings of the descriptive parts. A heading naming two parts ("职业病防护设施及个体防护
# 用品配备情况") stands for both.
PART_HEADINGS: dict[str, tuple[str, ...]] = {
    "process": ("生产工艺流程", "生产工艺", "工艺流程", "工艺过程", "生产过程", "工艺简介", "工艺概况", "工艺描述"),
    "equipment": ("主要生产设备", "主要设备", "生产设备", "设备名称及数量", "设备情况", "设备设施", "主要设施设备",
                  "设备清单", "设备一览", "设备及布局"),
    "facilities": ("职业病防护设施", "防护设施", "防尘防毒设施", "通风除尘设施", "职业病危害防护设施", "防尘设施",
                   "防毒设施", "工程防护"),
    "ppe": ("个体防护用品", "个人防护用品", "个体防护", "个人防护", "劳动防护用品", "防护用品"),
}

# Labels of the company basics (label → value pairs of the form's header block).
BASIC_LABELS: dict[str, tuple[str, ...]] = {
    "employer_name": ("用人单位名称", "用人单位", "单位名称", "企业名称", "被调查单位", "被检测单位", "被检单位", "受检单位",
                      "委托单位"),
    "address": ("单位地址", "企业地址", "注册地址", "生产地址", "工作场所地址", "详细地址", "地址"),
    "scale": ("企业规模", "单位规模", "规模"),
    "headcount": ("劳动定员", "职工总数", "职工人数", "员工总数", "员工人数", "在岗人数", "劳动者总数", "从业人数",
                  "从业人员数", "在册职工数", "在册职工", "总人数"),
}

# Other labels a survey header carries: a cell holding one of them is no value.
OTHER_LABELS: tuple[str, ...] = (
    "项目编号", "项目名称", "委托编号", "任务编号", "调查日期", "调查时间", "写实日期", "联系人", "联系电话", "电话",
    "行业类别", "所属行业", "行业分类", "行业", "主要产品", "产品", "联系方式", "调查范围", "检测范围", "邮政编码", "邮编", "法定代表人",
    "经济类型", "成立时间", "建设地点", "工作制度", "班制", "生产班制", "年工作日", "占地面积",
)

# Words after a basics label that make it another field (用人单位陪同人, 用人单位(盖章)).
_NOT_BASIC = re.compile(r"^\s*[(（]?\s*(?:陪同|盖章|签字|签名|负责人|联系人|代表|意见|确认|公章)")

# Words a numbered section heading of a survey holds (so "（1）混砂机2台" under a heading is
# content, not the next heading).
_SECTION_WORDS = re.compile(r"情况|概况|简述|简介|流程|工艺|设备|设施|用品|材料|原料|辅料|原辅|含量|测定|写实|分布|岗位设置|"
                            r"布局|布置|管理|调查|基本|信息|产品|危害因素|辨识|识别|防护|定员|制度|清单|其他|备注")
_NUMBER = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*[、.．]|"
                     r"\d{1,2}(?:\.\d{1,2})*\s*[、.．]?)\s*")
# What a blank part holds: nothing, or a mark standing for "not filled".
_BLANK = re.compile(r"^[\s/／\\—–\-－_＿~～一、.。·:：]*$")
# Signature / sign-off words: the form's end.
_SIGN = re.compile(r"(?:调查|陪同|记录|审核|复核|校核|填表)(?:人|人员|者)\s*[:：(（]?|签字|签名")
_TITLE = re.compile(r"(?:调查表|记录表|记录|登记表|一览表)\s*$")
_FOOTER = re.compile(r"第\s*\d+\s*页|共\s*\d+\s*页|受控|表格编号|文件编号|版本")


def is_blank(text: Optional[str]) -> bool:
    """Nothing, or only a mark for "not filled" ("/", "—", "-")."""
    return bool(_BLANK.match(text or ""))


def _heading_text(t: str) -> str:
    return _NUMBER.sub("", t or "", count=1).strip()


def heading_parts(text: str) -> tuple[list[str], str]:
    """The parts a heading line names and the text inline after its colon ("生产工艺：…").
    A line names parts only when it is heading-sized: short, no digits before the colon."""
    t = _heading_text(compact_keep_colon(text))
    head, _, inline = _split_colon(t)
    head = head.strip()
    # a heading is short and no list or sentence ("设脉冲除尘器、配发防护用品" is content)
    if not head or len(head) > 24 or re.search(r"[\d、，,;；。]", head):
        return [], ""
    parts = [k for k, syns in PART_HEADINGS.items() if any(s in head for s in syns)]
    if not parts and 3 <= len(head) <= 12:
        # a heading OCR misread by a character (生产工芝流程)
        for k, syns in PART_HEADINGS.items():
            if any(len(s) >= 4 and label_score(head, s) >= 85 for s in syns):
                parts.append(k)
    return parts, inline.strip()


def _split_colon(t: str) -> tuple[str, str, str]:
    m = re.search(r"[:：]", t)
    if not m:
        return t, "", ""
    return t[:m.start()], t[m.start()], t[m.end():]


def compact_keep_colon(t: str) -> str:
    return re.sub(r"\s+", "", t or "")


# ---------------------------------------------------------------- headings and their content


def _is_header_row(ln: VLine) -> bool:
    """A table's title row: three cells or more, nearly all short labels."""
    if len(ln.cells) < 3:
        return False
    labels = sum(1 for c in ln.cells if re.fullmatch(r"[\u4e00-\u9fff()（）/、]{1,14}\s*[:：]?", compact(c.text) or "-")
                 or re.fullmatch(r"[\u4e00-\u9fff()（）/]{1,12}[(（]?[a-zA-Z/%³]+[)）]?", compact(c.text)))
    return labels >= 0.8 * len(ln.cells)


def _is_stop(ln: VLine) -> bool:
    """A line that ends a part's content: another part's heading, a numbered section
    heading, a table's title row, a signature line."""
    t = compact_keep_colon(ln.text)
    if heading_parts(ln.cells[0].text)[0]:
        return True
    m = _NUMBER.match(ln.cells[0].text)
    if m and m.end() > 0 and len(ln.cells) <= 2:
        rest = _heading_text(ln.cells[0].text)
        if rest and len(rest) <= 24 and _SECTION_WORDS.search(rest) and not re.search(r"\d", rest.replace("SiO2", "")):
            return True
    if _is_header_row(ln):
        return True
    return bool(_SIGN.search(t[:12]))


def _footer(ln: VLine, g: PageGrid) -> bool:
    return bool(_FOOTER.search(ln.text)) or ln.bbox[1] > 0.92 * (g.page.height or 842.0)


def _right_cells(g: PageGrid, cell: Cell, cells: Optional[Sequence[Cell]] = None) -> list[Cell]:
    """Cells (of ``cells``, else the page's) to the right of ``cell`` in its row, left to
    right: level with it, or a value wrapped over two lines centred on the label (its
    first line a little higher)."""
    def level(c: Cell) -> bool:
        over = min(c.bbox[3], cell.bbox[3]) - max(c.bbox[1], cell.bbox[1])
        return over >= 0.3 * min(c.h, cell.h) or abs(c.yc - cell.yc) <= 0.5 * g.hmed
    return sorted((c for c in (g.cells if cells is None else cells)
                   if c is not cell and c.bbox[0] >= cell.bbox[2] - 2 and level(c)), key=lambda c: c.bbox[0])


def _part_at(g: PageGrid, i: int, parts: list[str], inline: str, cell: Cell) -> Val:
    """The content of the heading on line ``i`` (``cell`` its cell)."""
    ln = g.lines[i]
    page = g.page.no
    if inline:
        if is_blank(inline):
            return Val(value=None, page=page, bbox=cell.bbox, raw=cell.text, conf=cell.conf,
                       reason="heading found, only a blank mark after it", state=ValState.EMPTY)
        return Val(value=inline, page=page, bbox=cell.bbox, raw=cell.text, conf=cell.conf)
    right = [c for c in _right_cells(g, cell) if not heading_parts(c.text)[0]]
    if right:
        text = " ".join(c.text for c in right)
        bb = union_bbox([cell.bbox] + [c.bbox for c in right])
        if is_blank(text):
            return Val(value=None, page=page, bbox=bb, raw=f"{cell.text} {text}", conf=cell.conf,
                       reason="heading found, only a blank mark beside it", state=ValState.EMPTY)
        return Val(value=text, page=page, bbox=union_bbox(c.bbox for c in right), raw=text,
                   conf=min(c.conf for c in right))
    body: list[VLine] = []
    for nxt in g.lines[i + 1:]:
        if _footer(nxt, g):
            continue
        if _is_stop(nxt):
            text = "".join(c.text for b in body for c in b.cells)
            if body and not is_blank(text):
                break
            if not body and _is_header_row(nxt) and not heading_parts(nxt.cells[0].text)[0]:
                # a table under the heading (设备名称 | 数量 | 型号): its rows are the content
                k = g.lines.index(nxt)
                after = [x for x in g.lines[k + 1:] if not _footer(x, g)]
                if not after:
                    break  # the table's rows may stand on the next page: not known empty
                if not _is_stop(after[0]) and not is_blank(after[0].text):
                    body = [nxt] + after[:1]
                    break
            # the heading and the blank space under it, down to what comes next
            gap = (cell.bbox[0], cell.bbox[3], max(cell.bbox[2], (g.page.width or 595.0) - cell.bbox[0]),
                   max(cell.bbox[3], nxt.bbox[1] - 1))
            bb = union_bbox([cell.bbox, gap] + [c.bbox for b in body for c in b.cells])
            return Val(value=None, page=page, bbox=bb, raw=" ".join([cell.text] + [b.text for b in body]),
                       conf=cell.conf, reason=f"heading found, next comes {nxt.text[:20]!r}", state=ValState.EMPTY)
        body.append(nxt)
    text = " ".join(b.text for b in body)
    if body and not is_blank(text):
        return Val(value=text, page=page, bbox=union_bbox(c.bbox for b in body for c in b.cells), raw=text,
                   conf=min(c.conf for b in body for c in b.cells))
    # the heading ends its page (or what follows is blank up to the page's end): the
    # content may stand on the next page
    return Val(value=None, page=page, bbox=cell.bbox, raw=cell.text, conf=cell.conf,
               reason="heading found at the end of its page", state=ValState.UNKNOWN)


def read_parts(grids: Sequence[PageGrid]) -> dict[str, Val]:
    """Every part of ``PART_HEADINGS`` and ``BASIC_LABELS`` as a Val (module docstring)."""
    found: dict[str, list[Val]] = {k: [] for k in PART_HEADINGS}
    for g in grids:
        for i, ln in enumerate(g.lines):
            for cell in ln.cells[:1]:  # a heading opens its line
                parts, inline = heading_parts(cell.text)
                if not parts:
                    continue
                v = _part_at(g, i, parts, inline, cell)
                for k in parts:
                    found[k].append(v)
    out: dict[str, Val] = {}
    for k, vs in found.items():
        out[k] = _best(vs, f"heading of {k} not found")
    out.update(read_basics(grids))
    return out


def _best(vs: list[Val], absent: str) -> Val:
    """READ anywhere wins; else the first EMPTY; else the first UNKNOWN; else ABSENT."""
    for st in (ValState.READ, ValState.EMPTY, ValState.UNKNOWN):
        for v in vs:
            if v.state is st:
                return v
    return Val.missing(absent, None, ValState.ABSENT)


# ---------------------------------------------------------------- company basics

_ALL_LABELS = tuple(dict.fromkeys([s for syns in BASIC_LABELS.values() for s in syns] + list(OTHER_LABELS)))


def _is_label(text: str) -> bool:
    t = compact_keep_colon(text)
    return any(t.startswith(s) for s in _ALL_LABELS) or bool(re.fullmatch(r"[\u4e00-\u9fff()（）/]{2,10}[:：]", t))


def _label_hit(cell: Cell, syns: Sequence[str]) -> Optional[int]:
    """Where the value starts when ``cell`` opens with one of ``syns`` (a label), else None."""
    t = cell.text.lstrip()
    lead = len(cell.text) - len(t)
    for s in sorted(syns, key=len, reverse=True):
        if t.startswith(s):
            rest = t[len(s):]
            if _NOT_BASIC.match(rest):
                return None
            # the rest of a longer label up to its colon ("单位地址及邮编：")
            m = re.match(r"^[\u4e00-\u9fff()（）/]{0,8}\s*[:：]", rest)
            return lead + len(s) + (m.end() if m else 0)
    return None


def _labelled(g: PageGrid, cells: Sequence[Cell], value: Cell) -> bool:
    """``value`` stands right after a label on its own line: it is that label's value."""
    left = [c for c in cells if c is not value and c.bbox[2] <= value.bbox[0] + 2
            and min(c.bbox[3], value.bbox[3]) - max(c.bbox[1], value.bbox[1]) >= 0.3 * min(c.h, value.h)]
    return bool(left) and _is_label(max(left, key=lambda c: c.bbox[2]).text)


def _basic_at(g: PageGrid, cells: Sequence[Cell], cell: Cell, end: int) -> Val:
    page = g.page.no
    inline = cell.text[end:].strip(" :：")
    # cut at the next label on the same cell ("单位地址 …  联系人：…")
    for s in _ALL_LABELS:
        j = inline.find(s)
        if j > 0 and not re.match(r"[\u4e00-\u9fff]", inline[j - 1]):
            inline = inline[:j].strip()
    if inline and not is_blank(inline):
        if _is_label(inline):
            inline = ""
        else:
            return Val(value=inline, page=page, bbox=cell.bbox, raw=cell.text, conf=cell.conf)
    right = _right_cells(g, cell, cells)
    if right:
        r = right[0]
        if not _is_label(r.text):
            if is_blank(r.text):
                return Val(value=None, page=page, bbox=union_bbox((cell.bbox, r.bbox)), raw=f"{cell.text} {r.text}",
                           conf=cell.conf, reason="label found, only a blank mark beside it", state=ValState.EMPTY)
            return Val(value=r.text, page=page, bbox=r.bbox, raw=r.text, conf=r.conf)
    if not right:
        b = g.below(cell)
        if b is not None and not _is_label(b.text) and not is_blank(b.text) and not _labelled(g, cells, b):
            return Val(value=b.text, page=page, bbox=b.bbox, raw=b.text, conf=b.conf)
    # the label and the blank space to its right, up to the next label
    x1 = right[0].bbox[0] - 1 if right else cell.bbox[2] + 8 * g.hmed
    bb = union_bbox((cell.bbox, (cell.bbox[2], cell.bbox[1], max(cell.bbox[2], x1), cell.bbox[3])))
    return Val(value=None, page=page, bbox=bb, raw=cell.text, conf=cell.conf,
               reason="label found, nothing beside it", state=ValState.EMPTY)


_SPACED = re.compile(r"^[\u4e00-\u9fff](?:\s+[\u4e00-\u9fff]){1,4}\s*[:：]?$")


def label_cells(g: PageGrid) -> list[Cell]:
    """The page's cells with labels spaced out to a width ("地    址", "规    模") joined
    into one cell: a text layer splits them into one cell per character, OCR keeps the
    spaces inside one."""
    out: list[Cell] = []
    for ln in g.lines:
        cs = sorted(ln.cells, key=lambda c: c.bbox[0])
        i = 0
        while i < len(cs):
            c = cs[i]
            if _SPACED.match(c.text.strip()):
                out.append(Cell(re.sub(r"\s+", "", c.text), c.bbox, c.page, c.conf, c.line))
                i += 1
                continue
            run = [c]
            while re.fullmatch(r"[\u4e00-\u9fff]", run[-1].text.strip()) and i + len(run) < len(cs):
                nxt = cs[i + len(run)]
                if nxt.bbox[0] - run[-1].bbox[2] > 4 * g.hmed:
                    break
                if re.fullmatch(r"[\u4e00-\u9fff][:：]?", nxt.text.strip()):
                    run.append(nxt)
                    continue
                # the label's last character glued to its value ("址洛阳市…", "模—")
                joined = "".join(x.text.strip() for x in run) + nxt.text.strip()
                if any(joined.startswith(lab) for lab in _ALL_LABELS if len(lab) > len(run)):
                    run.append(nxt)
                break
            if len(run) >= 2:
                out.append(Cell("".join(x.text.strip() for x in run), union_bbox(x.bbox for x in run), c.page,
                                min(x.conf for x in run), c.line))
            else:
                out.append(c)
            i += len(run)
    return out


def read_basics(grids: Sequence[PageGrid]) -> dict[str, Val]:
    """Each basics label's value where the label first stands (a survey prints its header
    block first; a table's column title found instead has a title or a value beside or
    under it, so it never reads as blank)."""
    out: dict[str, Val] = {}
    for key, syns in BASIC_LABELS.items():
        v: Optional[Val] = None
        for g in grids:
            cells = label_cells(g)
            for cell in cells:
                if _TITLE.search(cell.text) or (cell.h > 1.3 * g.hmed and len(cell.text) <= 20):
                    continue  # a form's title (用人单位职业卫生现场调查表) is no label
                end = _label_hit(cell, syns)
                if end is None:
                    continue
                v = _basic_at(g, cells, cell, end)
                break
            if v is not None:
                break
        out[key] = v if v is not None else Val.missing(f"label of {key} not found", None, ValState.ABSENT)
    return out


# ---------------------------------------------------------------- hazard items (item 59)

_SPLIT = re.compile(r"[、，,；;/]")


def split_items(text: str) -> list[tuple[str, int, int]]:
    """Items of a list cell ("矽尘(总尘)、矽尘(呼尘)、噪声"), split at list marks outside
    brackets, as (item, start, end)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text + "、"):
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            depth = max(0, depth - 1)
        elif depth == 0 and (_SPLIT.match(ch) or i == len(text)):
            item = text[start:i].strip()
            if item:
                lead = len(text[start:i]) - len(text[start:i].lstrip())
                out.append((item, start + lead, start + lead + len(item)))
            start = i + 1
    return out


def _sub_box(v: Val, start: int, end: int) -> Optional[tuple]:
    """The part of ``v``'s box where characters ``start:end`` of its raw text stand
    (proportional to the printed width; one line)."""
    if v.bbox is None or not v.raw:
        return v.bbox
    x0, y0, x1, y1 = v.bbox
    w = lambda s: sum(1.0 if ord(ch) > 0x2E80 else 0.5 for ch in s)  # noqa: E731
    total = w(v.raw) or 1.0
    a = x0 + (x1 - x0) * w(v.raw[:start]) / total
    b = x0 + (x1 - x0) * w(v.raw[:end]) / total
    if y1 - y0 > 2.5 * 12:  # wrapped over lines: the proportion says nothing about x
        return v.bbox
    return (round(a, 2), y0, round(b, 2), y1)


def hazard_items(posts: Sequence[Row], materials: Sequence[Row]) -> list[SurveyFactor]:
    """The factors of the posts' factor column and the items of the materials' components."""
    out: list[SurveyFactor] = []
    for rows, col, who, source in ((posts, "factors", "post", "post"), (materials, "components", "name", "material")):
        for r in rows:
            v = r.fields.get(col)
            if v is None or not v.ok:
                continue
            raw = v.raw or str(v.value)
            for item, a, b in split_items(raw):
                if is_blank(item):
                    continue
                out.append(SurveyFactor(
                    name=Val(value=item, page=v.page, bbox=_sub_box(v, a, b), raw=raw, conf=v.conf),
                    source=source, where=r.get(who)))
    return out
