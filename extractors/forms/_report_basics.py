"""The report's 检测依据 / 评价依据 list (item 53), its statement of the employer's basics
(headcount, production scale, running conditions: item 54) and its raw materials (item 56),
and the survey's headcount and output to compare them with. Not an extractor itself:
``report`` and ``field_survey`` call it.

Institutions print these facts in many shapes (``shared/spec/form-variety.md``): a basis
list numbered 1．/（1）/ 1、 under "二、检测依据", "2.1 检测依据" and "2.2 评价依据", or one
line "检测依据：GBZ 159—2004、GBZ/T 300.x"; a standard cited as "GBZ 159-2004《…》",
"《…》（GBZ 159-2004）", "GBZ 159—2004 …" or by its title alone; the basics in a sentence
("劳动定员320人，年产水泥8万吨") or a label grid ("在册职工 | 320人"); the materials in a
table (名称 | 年用量 | 主要成分) or a sentence ("主要原辅材料为石英砂（1200t/a）、膨润土…").
Everything here is read from the lines of the pages (their text runs together where a
sentence wraps), never from one layout.

Amounts are read as numbers with their unit normalised (``parse_amount``: 吨 = t, 万吨 =
10 000 t, kg = 0.001 t, 吨/年 = t/a), so "1200t/a" and "1200 吨/年" are one amount.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Optional, Sequence

from rapidfuzz import fuzz

from ..layout import PageGrid, VLine
from ..records import CitedStandard, Row, Val, ValState
from ..table import TableSpec, find_tables, row_vals

# ---------------------------------------------------------------- standards (data)

# Titles of the standards a check may require, compacted (no spaces or punctuation): a
# basis item printing only the title cites the standard. Titles as GBZ 159-2004,
# GBZ 2.1-2019 and GBZ 2.2-2007 are published (shared/domain/README.md §1, §2).
TITLES: dict[str, str] = {
    "工作场所空气中有害物质监测的采样规范": "GBZ 159",
    "工作场所有害因素职业接触限值第1部分化学有害因素": "GBZ 2.1",
    "工作场所有害因素职业接触限值第2部分物理因素": "GBZ 2.2",
}
# a standard number: prefix (OCR reads G as C/6, B as 8, Z as 2), /T, number, year
_CODE = re.compile(
    r"(?<![A-Za-z])(?P<p>[GC6][B8][Z2z]?|WS|AQ|HJ|JJG|JJF)\s*(?P<t>[/／]\s*[Tt])?\s*"
    r"(?P<n>[\dlIO|](?:[\dlIO|]|\s*[.．。·]\s*(?=[\dlIO|]))*)"
    r"(?:\s*[-—–－‐‑~～一]+\s*(?P<y>(?:19|20)[\dlIO|]{2})(?!\d))?")
_DIGIT_LOOKALIKE = str.maketrans({"l": "1", "I": "1", "|": "1", "O": "0", "。": ".", "．": ".", "·": "."})

BASIS_HEAD = re.compile(
    r"^\s*(?:第[一二三四五六七八九十\d]+[章节部分]\s*|[一二三四五六七八九十]+\s*[、.．]\s*|[(（][一二三四五六七八九十\d]{1,3}[)）]\s*"
    r"|\d{1,2}(?:\s*[.．]\s*\d{1,2}){0,2}\s*[、.．]?\s*)?(?P<t>[^\s。，；,;:：]{1,14}依\s*据|[^\s。，；,;:：]{0,14}(?:引用文件|依据标准|标准依据))\s*[:：]?\s*(?P<rest>.*)$")
# a numbered heading (第三章, 三、, （三）, 3.2, "3 检测范围"): where a list ends
_HEAD = re.compile(r"^\s*(?:第[一二三四五六七八九十\d]+[章节部分]|[一二三四五六七八九十]+\s*[、.．]|[(（][一二三四五六七八九十][)）]"
                   r"|\d{1,2}\s*[.．]\s*\d{1,2}(?:\s*[.．]\s*\d{1,2})?(?!\d)|\d{1,2}\s+(?=[\u4e00-\u9fff])|\d{1,2}(?=[\u4e00-\u9fff]{2,10}\s*$))")
# a heading no list item looks like (三、 第三章 （三） 3.2): ends a list unless it cites
_TOP_HEAD = re.compile(r"^\s*(?:第[一二三四五六七八九十\d]+[章节部分]|[一二三四五六七八九十]+\s*[、.．]|[(（][一二三四五六七八九十][)）]"
                       r"|\d{1,2}\s*[.．]\s*\d{1,2}(?!\d))")
# words a basis item holds (a law, a regulation, a standard), unlike a heading
_ITEM_WORDS = re.compile(r"《|法|规定|条例|办法|标准|规范|通知|导则|方法|限值|测定|测量|名词|术语|技术|要求|准则|指南|细则")
_END = re.compile(r"以下空白|以下无正文|报告结束")


def _nfkc(t: str) -> str:
    return unicodedata.normalize("NFKC", t or "")


def _compact(t: str) -> str:
    return re.sub(r"[\s《》〈〉<>()（）\[\]【】:：、,，.．;；—\-－\"“”]", "", _nfkc(t))


def standard_codes(text: str) -> list[tuple[str, Optional[int]]]:
    """(code, year) of every standard number printed in ``text`` ("GBZ 159—2004",
    "GBZ/T 300.37-2017", "ＧＢＺ　２．１－２０１９", "GB2 l59-2004")."""
    out = []
    for m in _CODE.finditer(_nfkc(text)):
        num = re.sub(r"\s+", "", m.group("n")).translate(_DIGIT_LOOKALIKE).strip(".")
        if not re.search(r"\d", m.group("n")) or not re.fullmatch(r"\d+(?:\.\d+)*", num):
            continue
        p = m.group("p").upper().replace("C", "G").replace("6", "G").replace("8", "B")
        if len(p) == 3 and p[:2] == "GB":
            p = "GBZ"
        if p == "GB" and not m.group("t") and m.group("y") is None:
            continue  # "GB 2": too short a reading to be a citation
        code = f"{p}{'/T' if m.group('t') else ''} {num}"
        y = m.group("y")
        out.append((code, int(y.translate(_DIGIT_LOOKALIKE)) if y else None))
    return out


def title_code(text: str) -> Optional[str]:
    """The code of a known title (``TITLES``) the text prints, read fuzzily (OCR noise,
    punctuation and spacing aside)."""
    t = _compact(text)
    if len(t) < 8:
        return None
    for title, code in TITLES.items():
        if title in t or (len(t) >= 0.6 * len(title) and fuzz.partial_ratio(title, t) >= 88):
            return code
    return None


def _title_of(text: str) -> str:
    m = re.search(r"《([^》]{2,60})》", text)
    return m.group(1) if m else ""


def _is_item(t: str) -> bool:
    return bool(standard_codes(t) or _ITEM_WORDS.search(t))


def _lines(gs: Sequence[PageGrid], furniture: set[str]) -> list[tuple[PageGrid, VLine]]:
    """The report's lines in reading order, running heads and feet left out."""
    out = []
    for g in gs:
        for ln in g.lines:
            k = re.sub(r"\s+", "", ln.text)
            if k and k not in furniture and not re.fullmatch(r"第\d+页(?:[,，]?共\d+页)?|共\d+页第\d+页|\d+/\d+|-\d+-", k):
                out.append((g, ln))
    return out


def _val(g: PageGrid, ln: VLine, value=None) -> Val:
    text = ln.text.strip()
    return Val(value=text if value is None else value, page=g.page.no, bbox=ln.bbox, raw=text,
               conf=min((c.conf for c in ln.cells), default=0.0))


def basis_list(gs: Sequence[PageGrid], furniture: set[str] = frozenset()) -> tuple[list[CitedStandard], Val]:
    """The standards the 检测依据 / 评价依据 list(s) cite, and the list's place: the first
    heading's line, READ when every list was read to its end (a numbered heading without a
    citation, a table, 以下空白), UNKNOWN when a list ran to the end of the report, ABSENT
    when no heading naming 依据 was found."""
    lines = _lines(gs, furniture)
    cited: list[CitedStandard] = []
    place: Optional[Val] = None
    closed = True
    i = 0
    while i < len(lines):
        g, ln = lines[i]
        m = BASIS_HEAD.match(ln.text.strip())
        if not m or re.search(r"[。，]", m.group("t")) or (m.group("rest") and not _is_item(m.group("rest"))):
            i += 1
            continue
        if place is None:
            place = _val(g, ln, value=m.group("t"))
        items: list[tuple[PageGrid, list[VLine]]] = []
        if m.group("rest").strip():
            items.append((g, [ln]))
        j = i + 1
        closed = False
        while j < len(lines):
            g2, l2 = lines[j]
            t = l2.text.strip()
            if _END.search(t) or BASIS_HEAD.match(t) and not _is_item(BASIS_HEAD.match(t).group("rest") or "-"):
                closed = not BASIS_HEAD.match(t) or _END.search(t) is not None
                break
            if not items and len(l2.cells) >= 2 and re.search(r"名称|编号|标准号|序号", t) and not standard_codes(t):
                j += 1  # the title row of a basis printed as a table (序号 | 标准名称 | 标准编号)
                continue
            heading = (_TOP_HEAD.match(t) and not standard_codes(t) and "《" not in t) or (_HEAD.match(t) and not _is_item(t))
            if heading or (len(l2.cells) >= 3 and not standard_codes(t)):
                closed = True  # the next heading, or a table's title row
                break
            numbered = re.match(r"^\s*(?:[(（]?\d{1,2}[)）]|\d{1,2}\s*[.．、])", t)
            if items and not numbered and not standard_codes(t) and "《" not in t and items[-1][0] is g2:
                items[-1][1].append(l2)  # a wrapped title
            elif _is_item(t):
                items.append((g2, [l2]))
            else:
                closed = True  # prose after the list
                break
            j += 1
        for gi, lns in items:
            text = "".join(x.text.strip() for x in lns)
            box = (min(x.bbox[0] for x in lns), min(x.bbox[1] for x in lns),
                   max(x.bbox[2] for x in lns), max(x.bbox[3] for x in lns))
            v = Val(value=text, page=gi.page.no, bbox=box, raw=text,
                    conf=min((c.conf for x in lns for c in x.cells), default=0.0))
            codes = standard_codes(text)
            tc = title_code(_title_of(text) or text)
            for code, year in codes:
                cited.append(CitedStandard(code=code, year=year, title=_title_of(text), text=v))
            if tc and tc not in {c for c, _ in codes}:
                cited.append(CitedStandard(code=tc, year=None, title=_title_of(text) or text, text=v))
        i = j
    if place is None:
        return [], Val.missing("no heading naming 依据 (检测依据 / 评价依据) on the report's pages", None, ValState.ABSENT)
    if not closed:
        return cited, place.model_copy(update={"value": None, "state": ValState.UNKNOWN,
                                               "reason": "the basis list runs to the end of the report"})
    return cited, place


# ---------------------------------------------------------------- amounts

_MULT = {"万": 1e4, "千": 1e3, "亿": 1e8, "百": 1e2}
# unit as printed → (base unit, factor)
_UNITS: tuple[tuple[str, str, float], ...] = (
    ("kt", "t", 1e3), ("kg", "t", 1e-3), ("千克", "t", 1e-3), ("公斤", "t", 1e-3), ("吨", "t", 1.0), ("t", "t", 1.0),
    ("T", "t", 1.0), ("克", "t", 1e-6), ("g", "t", 1e-6),
    ("m³", "m³", 1.0), ("m3", "m³", 1.0), ("立方米", "m³", 1.0), ("方", "m³", 1.0), ("L", "m³", 1e-3),
    ("升", "m³", 1e-3), ("l", "m³", 1e-3),
    ("件", "件", 1.0), ("台", "台", 1.0), ("套", "套", 1.0), ("个", "个", 1.0), ("只", "只", 1.0), ("辆", "辆", 1.0),
    ("片", "片", 1.0), ("块", "块", 1.0), ("桶", "桶", 1.0), ("支", "支", 1.0), ("张", "张", 1.0), ("双", "双", 1.0),
    ("箱", "箱", 1.0), ("卷", "卷", 1.0), ("米", "m", 1.0), ("m", "m", 1.0), ("KVA", "kVA", 1.0), ("kVA", "kVA", 1.0),
)
_UNIT_RX = "|".join(re.escape(u) for u, _, _ in sorted(_UNITS, key=lambda x: -len(x[0])))
_PER = {"a": "a", "年": "a", "月": "month", "d": "d", "天": "d", "日": "d", "h": "h", "班": "shift"}
_AMOUNT = re.compile(r"(?P<n>\d+(?:[.,]\d+)*)\s*(?P<m>[万千亿百])?\s*(?P<u>" + _UNIT_RX + r")(?![A-Za-z])"
                     r"(?:\s*(?:[/／]|每)\s*(?P<per>a|年|月|d|天|日|h|班))?")


def parse_amount(text: str, per_year: bool = False) -> Optional[tuple[float, str]]:
    """(amount in the base unit, unit) of the first amount ``text`` prints: "1200t/a" and
    "1200 吨/年" → (1200.0, "t/a"); "18 万t/a" → (180000.0, "t/a"); "500kg/月" →
    (0.5, "t/month"); "副产" → None. ``per_year``: the amount is per year where no period
    is printed (a 年用量 column, "年产…")."""
    t = _nfkc(text).replace("吨/年", "t/a")
    m = _AMOUNT.search(t)
    if not m:
        return None
    try:
        n = float(m.group("n").replace(",", ""))
    except ValueError:
        return None
    base, f = next((b, f) for u, b, f in _UNITS if u == m.group("u"))
    n *= f * _MULT.get(m.group("m") or "", 1.0)
    per = _PER.get(m.group("per") or "") or ("a" if per_year or re.search(r"年|每年", t[:m.start()]) else None)
    return round(n, 9), base + (f"/{per}" if per else "")


def same_amount(a: tuple[float, str], b: tuple[float, str], rel: float = 0.01) -> Optional[bool]:
    """Whether two amounts agree (within ``rel``, printing rounds); None when their units
    cannot be compared (t against 件, t/a against t/month is compared as 12 months)."""
    (x, ux), (y, uy) = a, b
    bx, _, px = ux.partition("/")
    by, _, py = uy.partition("/")
    if bx != by:
        return None
    if px != py:
        if {px, py} == {"a", "month"}:
            x, y = (x * 12, y) if px == "month" else (x, y * 12)
        elif px and py:
            return None  # per day against per year: working days unknown
    return abs(x - y) <= rel * max(abs(x), abs(y), 1e-9)


# ---------------------------------------------------------------- the basics

HEADCOUNT_LABELS = ("劳动者总数", "劳动定员", "职工总数", "职工人数", "员工总数", "员工人数", "在册职工", "在岗职工",
                    "在岗人数", "从业人员", "从业人数", "全厂职工", "全厂员工", "现有职工", "现有员工", "共有职工",
                    "共有员工", "劳动者", "职工", "员工", "总人数", "定员")
_HEADCOUNT = re.compile(r"(?:" + "|".join(HEADCOUNT_LABELS) + r")\s*(?:人数|总数)?\s*[(（]?\s*(?:人)?\s*[)）]?"
                        r"\s*(?:[:：]|为|是|有|共|约|共计|合计|总计)*\s*(?P<n>\d{1,6})\s*(?:人|名)")
# a subset of the workforce, not its size (接触粉尘的劳动者45人, 体检人数)
_NOT_HEADCOUNT = re.compile(r"接触|接害|暴露|岗位|体检|培训|班组|每班")
_SIZE = re.compile(r"(?:企业规模|单位规模|规\s*模|属于?)\s*[:：为]?\s*(?P<s>微型|小型|中型|大型|特大型)|(?P<s2>微型|小型|中型|大型)企业")
_OUTPUT_LABEL = re.compile(r"年产(?:量|能)?|产能|产量|生产规模|设计规模|生产能力|设计能力|年生产|年加工|年处理")
_OPERATING = re.compile(r"工况|负荷|满负荷|正常运行|运行正常|正常生产|生产正常|运转正常|开工率|停产|停机|检修|试生产|试运行")
BASICS_HEAD = re.compile(r"基本情况|概况|单位简介|企业简介|用人单位情况")


def _runs(lines: Sequence[tuple[PageGrid, VLine]]) -> list[tuple[PageGrid, str, list[tuple[int, int, VLine]]]]:
    """Per page, its lines run together (a sentence wraps), with each line's span."""
    out = []
    by_page: dict[int, list] = {}
    for g, ln in lines:
        by_page.setdefault(g.page.no, [g, []])[1].append(ln)
    for g, lns in by_page.values():
        text, spans = "", []
        for ln in lns:
            t = ln.text.strip()
            if text and not (re.search(r"[\u4e00-\u9fff，、（(]$", text) and re.match(r"[\u4e00-\u9fff，。、）)]", t)):
                text += " "
            spans.append((len(text), len(text) + len(t), ln))
            text += t + ("。" if _HEAD.match(t) and len(t) <= 24 and not re.search(r"[。；;]$", t) else "")
        out.append((g, text, spans))
    return out


def _at(g: PageGrid, spans, start: int, end: int, value, raw: str, conf: float = 0.9) -> Val:
    lns = [ln for a, b, ln in spans if a < end and b > start] or [spans[0][2]]
    box = (min(x.bbox[0] for x in lns), min(x.bbox[1] for x in lns), max(x.bbox[2] for x in lns), max(x.bbox[3] for x in lns))
    c = min((c.conf for x in lns for c in x.cells), default=0.0)
    return Val(value=value, page=g.page.no, bbox=box, raw=raw, conf=min(conf, c) if c else conf)


def _sentence(text: str, pos: int) -> tuple[int, int]:
    a = max(text.rfind(ch, 0, pos) for ch in "。；;") + 1
    ends = [i for i in (text.find(ch, pos) for ch in "。；;") if i >= 0]
    return a, (min(ends) + 1 if ends else len(text))


def _basics(runs, with_operating: bool) -> tuple[dict[str, Val], list[Row]]:
    out: dict[str, Val] = {}
    output: list[Row] = []
    for g, text, spans in runs:
        for m in _HEADCOUNT.finditer(text):
            before = re.split(r"[，,。；;]", text[max(0, m.start() - 12):m.start()])[-1]
            if _NOT_HEADCOUNT.search(before + m.group(0)[:-len(m.group("n"))]) or "headcount" in out:
                continue
            if re.search(r"(?:工|岗|工种|班组|车间)\s*(?:的|共|有)?\s*$", before):
                continue  # one post's staffing (喷漆工劳动定员3人), item 57's, not the employer's
                continue
            out["headcount"] = _at(g, spans, m.start(), m.end(), int(m.group("n")), m.group(0).strip())
        for m in _SIZE.finditer(text):
            if "size" not in out:
                s = m.group("s") or m.group("s2")
                out["size"] = _at(g, spans, m.start(), m.end(), s, m.group(0).strip())
        taken = -1
        for m in _OUTPUT_LABEL.finditer(text):
            if m.start() < taken:
                continue  # "生产规模为年产5万吨": one figure, two labels
            a, b = _sentence(text, m.start())
            # the figure after the label, within its clause (年产水泥8万吨, 产能：5万t/a)
            tail = re.split(r"[，,；;。]", text[m.end():b], maxsplit=1)[0][:30]
            amt = parse_amount(tail, per_year=True)
            head = text[max(a, m.start() - 30):m.start()].rstrip("，, ")
            if amt is None:
                continue
            am = _AMOUNT.search(_nfkc(tail).replace("吨/年", "t/a"))
            tail = tail[:am.end()] if am is not None and am.end() <= len(tail) else tail  # not the next label
            k = text.find(tail, m.end())
            product = re.sub(r"^.*?(?:主要产品|产品)(?:为|是|[:：])?", "", head.split("，")[-1].split(",")[-1]).strip(" 为：:，,")
            product = product or re.sub(r"[\d.,\s约为：:].*$", "", tail).strip()
            raw = text[m.start():k + len(tail)].strip()
            taken = k + len(tail)
            if any(r.value("raw") == raw for r in output):
                continue
            v = _at(g, spans, m.start(), k + len(tail), amt[0], raw)
            output.append(Row(fields={"amount": v, "unit": v.model_copy(update={"value": amt[1]}),
                                      "product": v.model_copy(update={"value": product or None}),
                                      "raw": v.model_copy(update={"value": raw})}, page=v.page, bbox=v.bbox))
        if with_operating and "operating" not in out:
            m = _OPERATING.search(text)
            while m is not None:
                a, b = _sentence(text, m.start())
                s = text[a:b].strip()
                # not a norm (应保证正常生产) nor the statement page's disclaimer (仅对……工况负责)
                if not re.search(r"应|建议|要求|确保|保证", s[:max(1, m.start() - a)]) and not re.search(
                        r"负责|无效|异议|仅对", s):
                    out["operating"] = _at(g, spans, a, b, s, s)
                    break
                m = _OPERATING.search(text, b)
    return out, output


def report_basics(gs: Sequence[PageGrid], furniture: set[str] = frozenset()) -> tuple[dict[str, Val], list[Row]]:
    """The employer's basics as the report states them (``ReportRecord.basics`` /
    ``output``). Only text outside the result and post tables matters: numbers in those
    have no label of their own, so the labelled patterns do not match them."""
    lines = _lines(gs, furniture)
    out, output = _basics(_runs(lines), with_operating=True)
    for g, ln in lines:
        t = ln.text.strip()
        if len(t) <= 24 and BASICS_HEAD.search(t) and not re.search(r"[。，]", t):
            out["place"] = _val(g, ln)
            break
    return out, output


def survey_basics(gs: Sequence[PageGrid]) -> tuple[dict[str, Val], list[Row]]:
    """Headcount, size and output as the field survey prints them (``SurveyRecord.basics``
    / ``output``)."""
    return _basics(_runs(_lines(gs, set())), with_operating=False)


# ---------------------------------------------------------------- raw materials

MATERIAL_WORDS = ("原辅材料", "原辅料", "原辅物料", "原材料", "原料", "辅料", "辅助材料", "物料")
_MAT_HEAD = re.compile(r"^\s*(?:第[一二三四五六七八九十\d]+[章节]\s*|[一二三四五六七八九十]+\s*[、.．]\s*|[(（][一二三四五六七八九十\d]{1,3}[)）]\s*"
                       r"|\d{1,2}(?:\s*[.．]\s*\d{1,2}){0,2}\s*[、.．]?\s*)?(?P<t>[^\s。，；,;:：]{0,10}(?:"
                       + "|".join(MATERIAL_WORDS) + r")(?:(?:及其?|和|、)?(?:产品|辅料|年?用量|年?消耗量?|使用量?)|使用|消耗|基本)?"
                       r"(?:情况|信息|一览表?|清单|及用量)?)\s*(?:[:：]|为|有|包括|主要有|主要为)?\s*(?P<rest>.*)$")
# (the title ends with what it is about: "原料车间", a workshop, is no materials heading)
MATERIAL_COLUMNS = {
    "name": ("名称", "原辅材料名称", "物料名称", "材料名称", "原料名称", "原辅料名称", "原辅材料"),
    "amount": ("年用量", "用量", "消耗量", "年消耗量", "年耗量", "使用量", "年使用量"),
    "components": ("主要成分", "成分", "有害成分", "主要有害成分", "化学成分"),
}
_PROSE_MAT = re.compile(r"(?:主要)?(?:" + "|".join(MATERIAL_WORDS) + r")(?:及其?年?(?:用量|消耗量|使用量|耗量)|使用情况)?\s*(?:主要)?"
                        r"\s*(?:[:：]|为|有|包括|是|如下)+\s*")
_AMOUNT_WORDS = re.compile(r"^\s*(?:年用量|年消耗量|年耗量|用量|消耗量|使用量|约|为|[:：])")


def _cjk(t: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", t or ""))


def material_items(text: str) -> list[tuple[str, str]]:
    """(name, amount text) of each material a sentence lists: "石英砂（1200t/a）、膨润土80吨/年",
    "石英砂，年用量1200t；膨润土，年用量80t"."""
    t = _nfkc(text).strip().rstrip("。")
    parts = [p for p in _split_top(t) if p.strip()]
    out: list[tuple[str, str]] = []
    for p in parts:
        p = p.strip(" ，,:：")
        if out and _AMOUNT_WORDS.match(p) or (out and re.match(r"^\s*\d", p) and not out[-1][1]):
            out[-1] = (out[-1][0], (out[-1][1] + p).strip())
            continue
        # a name may end in a grade (铝锭ADC12, Q235钢): digits glued to Latin letters
        m = re.match(r"^(?P<name>[^\d(,:]+(?:(?<=[A-Za-z])\d+[^\d(,:]*)*(?:\([^)\d]*\))?)\s*[(,:]?\s*(?P<rest>.*)$", p)
        if not m:
            continue
        name = re.sub(r"^(?:等|及|和|以及)", "", m.group("name")).strip()
        name = re.sub(r"(?:年用量|年消耗量|用量|约)$", "", name).strip()
        if not _cjk(name) and not re.match(r"[A-Za-z]{2,}", name):
            continue
        out.append((name, m.group("rest").strip(" ）)")))
    return out


def _split_top(t: str) -> list[str]:
    """``t`` cut at 、；。 and at a comma before a name, outside brackets only (a material's
    bracket holds its amount and components: "聚氨酯漆（36吨/年，含甲苯、二甲苯）")."""
    out, cur, depth = [], "", 0
    for i, ch in enumerate(t):
        depth += (ch in "([") - (ch in ")]")
        depth = max(depth, 0)
        if depth == 0 and (ch in "、；;。" or ch == "," and re.match(
                r"\s*[\u4e00-\u9fffA-Za-z]", t[i + 1:]) and not re.match(r"\s*(?:年用量|年消耗|用量|消耗量|使用量|约)", t[i + 1:])):
            out.append(cur)
            cur = ""
            continue
        cur += ch
    return out + [cur]


def report_materials(gs: Sequence[PageGrid], furniture: set[str] = frozenset(), stops: Sequence[str] = ()) -> tuple[list[Row], Val]:
    """The raw materials the report describes: the rows of a table with a name and an
    amount or components column, else the items of the sentence or list under a heading
    or label naming them ("二、主要原辅材料", "主要原辅材料为……"). The place is READ when
    found and read to its end, ABSENT when no table, heading or label names them."""
    spec = TableSpec("materials", MATERIAL_COLUMNS, "name", _cjk, min_columns=2, stops=tuple(stops))
    rows: list[Row] = []
    place: Optional[Val] = None
    for t in find_tables(gs, spec, continue_pages=True):
        if not ({"amount", "components"} & t.keys) or "name" not in t.keys:
            continue
        yr = any(c.key == "amount" and "年" in c.text for c in t.columns)
        unit_title = next((c.text for c in t.columns if c.key == "amount"), "")
        for r in t.rows:
            row = row_vals(t, r)
            nm = row.get("name")
            if not nm.ok or re.fullmatch(r"[\d\s.]+|合计|小计|/|—", str(nm.value)):
                continue
            mr = _material_row(nm, row.get("amount"), row.get("components"), yr, unit_title)
            if not (mr.get("amount").ok or mr.get("components").ok or str(mr.get("amount").raw or "").strip()):
                continue  # no amount and no components: a running head or the next table run on
            rows.append(mr)
        if place is None and t.header_bbox != (0, 0, 0, 0):
            place = Val(value="原辅材料表", page=t.page, bbox=t.header_bbox, raw="原辅材料表", conf=0.9)
    if rows:
        return rows, place or Val(value="原辅材料表", page=rows[0].page, bbox=rows[0].bbox, raw="", conf=0.9)
    lines = _lines(gs, furniture)
    for i, (g, ln) in enumerate(lines):
        t = ln.text.strip()
        m = _MAT_HEAD.match(t)
        inline = _PROSE_MAT.search(t)
        if m and not re.search(r"[。，]", m.group("t")) and (m.group("rest") == "" or m.group("rest") is None):
            body: list[tuple[PageGrid, VLine]] = []
            for g2, l2 in lines[i + 1:]:
                t2 = l2.text.strip()
                if _END.search(t2) or (_HEAD.match(t2) and len(t2) <= 24) or (len(l2.cells) >= 3 and body):
                    break
                body.append((g2, l2))
            if not body:
                return [], _val(g, ln).model_copy(update={
                    "value": None, "state": ValState.EMPTY, "reason": "materials heading with nothing under it"})
            text = "".join(x.text.strip() for _, x in body)
            start = _PROSE_MAT.search(text)
            rows = _prose_rows(text[start.end():] if start else text, body)
            return rows, _val(g, ln, value=m.group("t"))
        if inline:
            a, b = _sentence(t, inline.end())
            body = [(g, ln)]
            text = t[inline.end():]
            k = i + 1
            while "。" not in text and k < len(lines) and lines[k][0] is g and not _HEAD.match(lines[k][1].text):
                body.append(lines[k])
                text += lines[k][1].text.strip()
                k += 1
            text = text.split("。")[0]
            return _prose_rows(text, body), _val(g, ln, value=inline.group(0).strip())
    return [], Val.missing("no table, heading or label naming the raw materials in the report", None, ValState.ABSENT)


def _prose_rows(text: str, body: Sequence[tuple[PageGrid, VLine]]) -> list[Row]:
    out = []
    for name, rest in material_items(text):
        # the line printing the name (its page and box)
        g, ln = next(((g, ln) for g, ln in body if name[:2] in ln.text), body[0])
        nm = _val(g, ln, value=name).model_copy(update={"raw": ln.text.strip()})
        amt = parse_amount(rest)
        av = (nm.model_copy(update={"value": amt[0], "raw": rest}) if amt else
              Val(value=None, page=nm.page, bbox=nm.bbox, raw=rest, reason="no amount printed with the material",
                  state=ValState.EMPTY if not rest else ValState.UNKNOWN))
        uv = nm.model_copy(update={"value": amt[1]}) if amt else Val()
        out.append(Row(fields={"name": nm, "amount": av, "unit": uv}, page=nm.page, bbox=nm.bbox))
    return out


def _material_row(nm: Val, amount: Val, comp: Val, per_year: bool, title: str) -> Row:
    fields = {"name": nm}
    raw = amount.raw or ""
    amt = parse_amount(raw + ("" if re.search(_UNIT_RX, raw) else _title_unit(title)), per_year=per_year) if raw else None
    if amt is not None:
        fields["amount"] = amount.model_copy(update={"value": amt[0]})
        fields["unit"] = amount.model_copy(update={"value": amt[1]})
    else:
        fields["amount"] = amount.model_copy(update={"value": None, "reason": f"amount {raw!r} not a quantity",
                                                     "state": ValState.EMPTY if not raw.strip() else ValState.UNKNOWN})
    if comp.ok or comp.raw:
        fields["components"] = comp
    return Row(fields=fields, page=nm.page, bbox=nm.bbox)


def _title_unit(title: str) -> str:
    m = re.search(r"[(（]\s*(" + _UNIT_RX + r")(?:\s*/\s*(?:a|年))?\s*[)）]", _nfkc(title))
    return (" " + m.group(0).strip("()（）")) if m else ""
