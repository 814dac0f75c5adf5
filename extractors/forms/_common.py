"""Helpers shared by the form extractors (not an extractor itself)."""
from __future__ import annotations

import re
from typing import Callable, Optional, Sequence

from rapidfuzz.distance import Levenshtein

from pipeline.ocr_tolerance import DAY_LOOKALIKES

from ..ids import generic_id
from ..layout import PageGrid
from ..records import Val, ValState
from ..text import NOT_NAMES, ROLE_WORDS, clean_name_text, date_is_clean, date_written, find_dates, parse_date

# Sample-id column headers (样品编号 and what institutions call it).
SAMPLE_ID_LABELS: tuple[str, ...] = (
    "样品编号", "样品编码", "样品唯一性编码", "样品唯一性编号", "样品唯一性标识", "样品号", "样品标识号", "样品标识",
    "样品代码", "采样编号", "样品编码号", "编号",
)

# Labels that commonly share a line with another label/value pair in form headers;
# an inline value is cut where the next one starts.
HEADER_STOPS: tuple[str, ...] = (
    "项目编号", "委托编号", "方案编号", "合同编号", "报告编号", "用人单位", "委托单位", "受检单位", "被检测单位",
    "采样日期", "测量日期", "检测日期", "检测项目", "检测因素", "检测类别", "环境条件", "气象条件", "天气情况",
    "采样依据", "测量依据", "检测依据", "检测方法", "分析方法", "仪器名称", "接收日期", "收样日期", "分析日期",
    "贮存条件", "保存条件", "样品保存条件", "样品状态", "样品数量", "交接日期", "方法空白", "质量控制", "标准曲线",
    "评审日期", "评审方式", "调查日期", "联系人", "联系电话", "行业类别", "企业规模", "劳动定员", "主要产品",
    "计划采样日期", "单位地址", "报送日期", "公示日期", "报告出具日期", "报送系统", "公示网址", "签订地点",
    "流量校准", "相对湿度", "气温", "气压", "采样仪器", "测量仪器", "声校准", "写实日期", "日期",
)


def value(grids: Sequence[PageGrid], synonyms: Sequence[str], *, parse: Optional[Callable] = None,
          stops: Sequence[str] = HEADER_STOPS, what: str = "", below: bool = True,
          region: Optional[tuple[float, float]] = None) -> Val:
    """First readable value of a label over the pages."""
    misses: list[Val] = []
    for g in grids:
        st = [s for s in stops if s not in synonyms and not any(s in x for x in synonyms)]
        v = g.value(synonyms, stops=st, parse=parse, what=what, below=below, region=region)
        if v.ok:
            return v
        misses.append(v)
    pages = ",".join(str(g.page.no) for g in grids)
    # prefer "label found but value unreadable" over "label not found"
    found_but = next((v for v in misses if not v.absent), None)
    if found_but is None:
        return Val.missing(f"{what or synonyms[0]}: label not found on pages {pages}", None, ValState.ABSENT)
    return Val.missing(f"{what or synonyms[0]}: " + (found_but.reason or ""), None, found_but.state)


def date_value(grids: Sequence[PageGrid], synonyms: Sequence[str], what: str = "") -> Val:
    return value(grids, synonyms, parse=parse_date, what=what)


def all_dates(v: Val) -> list:
    return [d for d, _ in find_dates(v.raw)] if v.raw else []


def id_ok(ctx) -> Callable[[str], bool]:
    """Anchor test for an id column: the learned pattern if known, else any id-like text."""
    pat = ctx.id_pattern
    if pat is not None:
        return lambda t: bool(pat.find(t)) or generic_id(t) is not None
    return lambda t: generic_id(t) is not None


def parse_id(ctx) -> Callable[[str], Optional[str]]:
    pat = ctx.id_pattern

    def p(t: str) -> Optional[str]:
        if pat is not None:
            f = pat.find(t)
            if f:
                return f[0][0]
        return generic_id(t.split()[0] if t.split() else t) or generic_id(t)

    return p


def parse_ids(ctx) -> Callable[[str], Optional[list]]:
    pat = ctx.id_pattern

    def p(t: str) -> Optional[list]:
        if pat is not None:
            f = [x for x, _ in pat.find(t)]
        else:
            f = [x for x in (generic_id(tok) for tok in re.split(r"[\s、,，;；]+", t)) if x]
        return f or None

    return p


def cjk_text(t: str) -> Optional[str]:
    t = (t or "").strip().strip(".·")
    return t or None


def is_blank_row(*texts: str) -> bool:
    return any("空白" in (t or "") for t in texts)


# ------------------------------------------------------------------ what a sample is for

# The exposure-limit type a sample serves, as forms write it in a mode / type / remarks
# cell: short-term (短时间, STEL, C_STE), long-time (长时间, TWA, C_TWA) or ceiling (MAC,
# 最高, C_ME / C_MAC). Several at once ("TWA/STEL") are all kept.
_PURPOSES = (
    ("TWA", re.compile(r"长\s*时|T\s*W\s*A", re.I)),
    ("STEL", re.compile(r"短\s*时|S\s*T\s*E\s*L|C\s*[_\-]?\s*STE(?![A-Za-z])", re.I)),
    ("MAC", re.compile(r"MAC|最\s*高|C\s*[_\-]\s*M(?:E|AC)?(?![A-Za-z])|(?<![A-Za-z])CME(?![A-Za-z])")),
)


def sampling_purpose(text: str) -> Optional[str]:
    """The purposes a cell's text names: ``TWA``, ``STEL``, ``MAC``, joined by "/" when it
    names several; None when it names none (个体, 定点 say how a sample is taken, not what for)."""
    got = [k for k, rx in _PURPOSES if rx.search(text or "")]
    return "/".join(got) or None


# ------------------------------------------------------------------ people named on forms

# Words that make a short CJK text an organisation, place or form word rather than a name.
NOT_A_NAME = re.compile(r"公司|有限|责任|集团|专用|合同|单位|名称|地址|电话|日期|年月|检测|技术|科技|工业|中心|"
                        r"[省市区县镇乡村路街号厂院所局部处室]$")
# A contact label of somebody other than the employer's people (the institution's own
# contact, the person who filed the report): its value is no employer name.
_OTHER_CONTACT = re.compile(r"机构|检测|服务|报送|填报|本单位|乙方|受托")
_CONTACT_AFTER = re.compile(r"^\s*(?:姓名)?\s*[:：]?\s*")


def name_like(text: str) -> Optional[str]:
    """``text`` as a 2–4 character person name (CJK only), or None when it cannot be one
    (an organisation, a place, a label word)."""
    t = clean_name_text(text)
    if not 2 <= len(t) <= 4 or t in NOT_NAMES or any(w in t for w in ROLE_WORDS) or NOT_A_NAME.search(t):
        return None
    return t


def contact_names(grids: Sequence[PageGrid]) -> list[str]:
    """Names given as the employer's contact person (联系人: 张三, or 联系人 | 张三 in a
    form grid). Field-survey and disclosure records name the employer's contact; a
    contact label qualified as somebody else's (检测机构联系人, 报送联系人) is skipped,
    and so is a heading that lists the word (用人单位名称、地址及联系人)."""
    out: list[str] = []
    for g in grids:
        for ln in g.lines:
            for k, c in enumerate(ln.cells):
                i = c.text.find("联系人")
                if i < 0:
                    continue
                before = re.sub(r"[^\u4e00-\u9fff]", "", c.text[:i])[-6:]
                if _OTHER_CONTACT.search(before) or before[-1:] in ("及", "和", "与", "、"):
                    continue
                rest = c.text[i + 3:]
                m = _CONTACT_AFTER.match(rest)
                rest = rest[m.end():] if m else rest
                if rest.strip():
                    cand = re.split(r"\s+|联系|电话|手机", rest.strip())[0]
                elif k + 1 < len(ln.cells):
                    nxt = ln.cells[k + 1].text.strip()
                    # the next cell is the value only when it is not itself a label
                    cand = "" if re.search(r"[:：]$", nxt) else nxt
                else:
                    cand = ""
                n = name_like(cand) if cand else None
                if n and n not in out:
                    out.append(n)
    return out


def complete_name(reading: str, known: Sequence[str], *, short: bool = False) -> tuple[str, float]:
    """A reading mapped onto the one known name it clearly stands for, else kept as read.

    Stricter than ``text.resolve_name`` (never a best of several): the reading becomes a
    known name only when exactly one known name
    - extends it (OCR kept 曾新 of 曾新子, 国涵 of 余国涵: the seal hid the rest), for a
      reading of two or more characters;
    - is the reading minus one stray character (顾春海目: a stroke read as a character),
      for known names of three or more characters;
    - is the reading with two characters in a row taken as one (束负刚新 of 赖刚新: OCR
      split a wide handwritten character into its halves), for known names of three or
      more characters;
    - differs from a reading of three or more characters in one character (孔华山 → 孔华峰);
    - with ``short`` only, differs from a two-character reading in one character
      (two-character names of different people are often one edit apart, so only for
      a slot where the known names are the people expected to sign).
    Each kind is tried in that order and must be unique on its own.
    Returns (name, confidence): 1.0 exact, 0.5–0.7 completed, 0.6 kept as read.
    """
    kn = list(dict.fromkeys(k for k in known if k))
    if not reading or reading in kn:
        return reading, 1.0
    if len(reading) >= 2:
        ext = [k for k in kn if len(k) > len(reading) and (k.startswith(reading) or k.endswith(reading))]
        if len(ext) == 1:
            return ext[0], 0.5
        if ext:
            return reading, 0.6
    inner = [k for k in kn if len(k) >= 3 and len(reading) == len(k) + 1 and (reading.startswith(k) or reading.endswith(k))]
    if len(inner) == 1:
        return inner[0], 0.7
    split = [k for k in kn if len(k) >= 3 and len(reading) == len(k) + 1
             and any(reading[:i] == k[:i] and reading[i + 2:] == k[i + 1:] for i in range(len(k)))]
    if len(split) == 1:
        return split[0], 0.6
    same = [k for k in kn if len(k) == len(reading) and Levenshtein.distance(reading, k) == 1]
    if len(same) == 1 and (len(reading) >= 3 or short):
        return same[0], round((len(reading) - 1) / len(reading), 3) if len(reading) >= 3 else 0.7
    return reading, 0.6


# ---------------------------------------------------------------- reading a box again


def reread_box(ctx, g: PageGrid, bbox, **kw) -> Optional[str]:
    """The text of ``bbox`` (in ``g``'s upright coordinates) read a second time, closer,
    through the extraction context's re-reader (``pipeline.reread.Rereader``). None on a
    text layer (exact already), without a re-reader, or when nothing could be read;
    ``kw`` goes to the re-reader (``red=``, ``dpi=``)."""
    rr = getattr(ctx, "rereader", None)
    if rr is None or bbox is None or g.page.source != "ocr":
        return None
    return rr(g.page.no, g.to_pdf(bbox) if g.to_pdf else bbox, **kw) or None


# ---------------------------------------------------------------- dates read again


def reread_dates(ctx, g, bbox, text: str, *,
                 plausible: Optional[Callable] = None) -> tuple[list, str, bool]:
    """The dates of a value box (``bbox`` in ``g``'s coordinates, ``text`` its first
    reading), read a second time, closer, when that reading is doubtful: a date was
    written but none parses, the parser had to undo a speck, a split day or a misread
    separator to get one, or ``plausible`` rejects one. The second reading wins when
    all its dates parse as printed (nothing guessed) and it has no fewer of them, or
    when the first reading had none. Scanned pages only (a text layer is exact).
    Returns (dates, the text they came from, whether it is the second reading)."""
    found = find_dates(text or "")
    first = [d for d, _ in found]
    doubtful = date_written(text) and (not found or not all(date_is_clean(text, sp) for _, sp in found)
                                       or (plausible is not None and not all(plausible(d) for d in first)))
    if not doubtful:
        return first, text, False
    again = reread_box(ctx, g, bbox)
    if again is None:
        return first, text, False
    f2 = find_dates(again)
    if f2 and (not found or (len(f2) >= len(found) and all(date_is_clean(again, sp) for _, sp in f2))):
        return [d for d, _ in f2], again, True
    return first, text, False


def reread_date(ctx, g, bbox, text: str, *,
                plausible: Optional[Callable] = None) -> tuple[Optional[object], str, bool]:
    """``reread_dates`` for a single date: (first date or None, its text, second reading?)."""
    ds, raw, again = reread_dates(ctx, g, bbox, text, plausible=plausible)
    return (ds[0] if ds else None), raw, again



def misread_date_labels(ctx, g, synonyms) -> list[tuple]:
    """Cells whose leading label is one of the date labels ``synonyms`` with one
    character misread (检测白期 for 检测日期) and a date beside them, as
    ``PageGrid.find`` hits. Accepted when the misread character stands for 日 and reads
    like it, or when the label cell read again, closer, holds the label. Labels of four
    characters or more only: shorter ones are one edit from too many other words."""
    out = []
    for c in g.cells:
        m = re.match(r"\s*([\u4e00-\u9fff]{4,8})\s*[:：]?", c.text)
        if not m:
            continue
        lab = m.group(1)
        for s in synonyms:
            if len(s) != len(lab) or Levenshtein.distance(lab, s) != 1:
                continue
            if not any(find_dates(t) for t, _ in value_texts(g, c, m.end(), synonyms)):
                break
            i = next(k for k in range(len(s)) if s[k] != lab[k])
            ok = s[i] == "日" and lab[i] in DAY_LOOKALIKES
            if not ok:
                ok = s in re.sub(r"\s", "", reread_box(ctx, g, c.bbox) or "")
            if ok:
                out.append((c, m.start(1), m.end(), s))
                break
    return out


def _cut_at_label(text: str, synonyms) -> str:
    """``text`` up to the next header label that is not one of ``synonyms``."""
    cut = len(text)
    for s in HEADER_STOPS:
        if s in synonyms or any(s in x for x in synonyms):
            continue
        i = text.find(s)
        if 0 < i < cut:
            cut = i
    return text[:cut]


def value_texts(g, cell, end: int, synonyms):
    """Where a label's value may stand, in the order ``PageGrid.value`` tries: the rest of
    the label's cell, the cell to its right, the cell below. Yields (text, cell)."""
    yield _cut_at_label(cell.text[end:], synonyms), cell
    for nb in (g.right_of(cell), g.below(cell)):
        if nb is not None:
            yield _cut_at_label(nb.text, synonyms), nb
