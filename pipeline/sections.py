"""Page typing and section splitting.

Each page gets a score per section type from its title (lines near the top, fuzzy
matched so OCR noise does not break it) and from form labels anywhere on the page.
A Viterbi pass then smooths the sequence: sections are contiguous runs in archive
order, so staying in a type is free, moving forward costs a little and moving back
costs more. Out-of-order bundles still come out out of order when the page evidence
is strong, which ``bundle.out_of_order`` then reports.

Cue lists are data at the top of the file; they name what such forms are called in
the trade, not how our own generator words them.

Titles never seen before are typed by their key noun: a title is the large or centred
line at the top, and Chinese titles are head-final, so the last key noun in it names
the form (技术服务委托评审单 → 评审, 报告上报及网上公开登记表 → 公开). Only such title lines
are matched fuzzily; a body line that happens to contain a title word counts for little.

A page that continues a form belongs to the run it continues: the same controlled-form
code in its header or footer as the page before (文件编号 JC/JL-01-2019), page k of n
following page k-1 of n, or a 续表 / (续) mark at its top. Changing type across such a
page boundary is made expensive in the smoothing pass.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from pipeline.types import ARCHIVE_ORDER, SECTION_TYPES, Page, Section

# Titles: what the form calls itself. Matched against the top lines of a page.
TITLES: dict[str, tuple[str, ...]] = {
    "contract": ("技术服务合同", "委托检测合同", "检测服务合同", "技术服务协议", "检测技术服务合同", "委托协议书", "合同书"),
    "contract_review": ("合同评审记录", "合同评审表", "合同评审记录表", "合同评审单", "委托评审记录", "合同（协议）评审"),
    "field_survey": ("现场调查记录", "职业卫生现场调查记录", "现场调查表", "工作日写实记录", "工作日写实", "职业病危害因素现场调查", "现场调查原始记录", "原辅材料调查"),
    "detection_plan": ("检测方案", "采样计划", "采样方案", "检测计划", "现场采样计划", "职业病危害因素检测方案", "采样检测方案", "布点图", "采样点布置图"),
    "sampling_record": ("现场采样记录", "采样记录", "现场检测记录", "空气中有害物质采样记录", "粉尘采样记录", "噪声测量记录", "噪声现场测量记录", "现场测量记录", "定点采样记录", "个体采样记录", "流量校准记录", "采样原始记录"),
    "sample_transfer": ("样品交接记录", "样品流转记录", "样品交接单", "样品接收记录", "样品流转单", "送样单", "样品登记表"),
    "lab_analysis": ("实验室分析原始记录", "实验室分析记录", "分析原始记录", "检验原始记录", "检测原始记录", "称量记录", "气相色谱分析记录", "原子吸收分析记录", "标准曲线", "仪器分析记录"),
    "data_calculation": ("数据换算过程记录", "检测结果计算记录", "浓度计算记录", "数据处理记录", "计算过程记录", "结果计算表", "时间加权平均浓度计算"),
    "report": ("职业病危害因素定期检测报告", "定期检测报告", "检测报告", "报告签名页", "声明", "资质证书", "检测结果与评价", "结论与建议", "目录"),
    "disclosure": ("报告报送与公示情况", "报送与公示", "信息公开", "网站公示", "技术服务信息报送", "公示信息", "报送情况"),
    "photos": ("影像资料", "现场照片", "现场影像", "照片记录", "影像记录", "现场采样照片", "厂区门口合影"),
}

# Labels: words that such forms carry in their body. Weaker than titles.
LABELS: dict[str, tuple[str, ...]] = {
    "contract": ("甲方", "乙方", "委托方", "受托方", "合同编号", "违约", "技术服务费", "合同金额", "签订日期", "双方", "法定代表人", "付款"),
    "contract_review": ("评审内容", "评审意见", "评审结论", "评审人", "评审日期", "检测能力", "人员配备", "设备配备", "法律法规", "是否满足"),
    "field_survey": ("调查日期", "调查人", "调查范围", "劳动定员", "工作班制", "原辅材料", "生产工艺", "防护设施", "个体防护", "写实", "接触时间", "游离二氧化硅"),
    "detection_plan": ("编制人", "批准人", "审批", "采样方式", "采样时段", "样品数量", "保存期限", "保存条件", "空气收集器", "检测点", "采样对象", "采样点数"),
    "sampling_record": ("采样日期", "采样时间", "采样流量", "采样前流量", "采样后流量", "气温", "气压", "天气", "采样人", "陪同人", "采样仪器", "采样点", "开始时间", "结束时间", "声级计", "校准"),
    "sample_transfer": ("交样人", "送样人", "收样人", "接收人", "样品状态", "交接日期", "接收日期", "样品数量", "保存条件", "运输"),
    "lab_analysis": ("分析日期", "检测日期", "分析人", "检验人", "仪器型号", "标准曲线", "相关系数", "方法空白", "加标回收", "质控样", "称量", "天平", "色谱", "检出限", "样品质量", "滤膜"),
    "data_calculation": ("换算", "计算公式", "采样体积", "标准采样体积", "浓度计算", "C_TWA", "CTWA", "时间加权", "计算人", "校核人"),
    "report": ("报告编号", "签发", "审核", "编写", "检测结果", "判定", "结论", "建议", "PC-TWA", "PC-STEL", "MAC", "职业接触限值", "检测依据", "评价依据", "合格", "不合格", "资质证书编号", "有效期"),
    "disclosure": ("报送", "公示", "信息系统", "报送日期", "公示日期", "公示内容", "网址", "网站", "公开"),
    "photos": ("照片", "影像", "拍摄", "合影", "摄于", "采样现场照片"),
}

# Key nouns of titles: the last one in a title line names the form (titles are
# head-final). Only words that name one kind of form; qualifiers (检测, 现场, 原始) are not.
KEY_NOUNS: dict[str, tuple[str, ...]] = {
    "contract": ("合同", "协议"),
    "contract_review": ("评审",),
    "field_survey": ("调查", "写实"),
    "detection_plan": ("方案", "计划"),
    "sampling_record": ("采样", "测量"),
    "sample_transfer": ("交接", "流转", "送样", "收样"),
    "lab_analysis": ("分析", "测定", "称量"),
    "data_calculation": ("计算", "换算"),
    "report": ("报告",),
    "disclosure": ("公开", "公示", "报送", "上报"),
    "photos": ("影像", "照片", "图片"),
}
KEY_NOUN_SCORE = 90.0  # a key noun on a title line: a little less than a known title

TITLE_WEIGHT = 4.0
LABEL_WEIGHT = 0.6
OTHER_LABEL_FACTOR = 0.5  # labels of other types on a page whose title names its form exactly
LABEL_CAP = 6  # label hits counted per type; long pages should not win on volume
TITLE_THRESHOLD = 80.0  # one wrong character in a 5-character title still matches
TOP_FRACTION = 0.3  # titles sit in the top part of a page
FORWARD_COST = 1.5  # log-penalty to start a new section later in archive order
BACKWARD_COST = 6.0  # going back in archive order needs strong evidence
OTHER_BASE = 1.0  # score "other" gets on any page; pages with no cues fall here
BODY_TITLE_FACTOR = 0.5  # a known title inside a top line that is not laid out as a title
TALL = 1.2  # a title line is this much taller than the page's median line; where none is,
CENTRED = 0.12  # the first line centred (its middle this close to the page's, as a fraction)
NARROW = 0.65  # and not full width
PROMINENT = 0.8  # title lines are at least this fraction of the largest title line's height
CONTINUE_COST = 12.0  # leaving the type of the form a continuation page continues
MARK_BAND = 0.13  # header / footer band (fraction of the page height) for form marks

_TS_RE = re.compile(r"20\d\d[-/.年]\s?\d{1,2}[-/.月]\s?\d{1,2}日?\s+\d{1,2}[:：]\d{2}")
_SPACE_RE = re.compile(r"\s+")
_PARENS = re.compile(r"[(（][^()（）]*[)）]|《[^《》]*》")  # notes and cited titles
_NOT_TITLE = re.compile(r"[:：，,。；;]")
_DIGITS = re.compile(r"\d")
_CITED = re.compile(r"《[^《》]*》")  # a standard's title cited in a line
# A controlled form's code (JC/JL-01-2019, ZW/JL-08, XXJC/ZJ-04-2020): letters, a slash,
# letters, then a number. Standards (GBZ/T 160.29) have a space or a dot, not a dash.
_FORM_CODE = re.compile(r"(?<![A-Za-z0-9])([A-Z]{1,6}(?:/[A-Z]{1,6})+-\d{1,3}(?:-\d{2,4})?)(?![A-Za-z0-9])")
_PAGE_OF = (
    re.compile(r"第\s*(?P<k>\d{1,3})\s*页\s*[/,，、]?\s*共\s*(?P<n>\d{1,3})\s*页"),
    re.compile(r"共\s*(?P<n>\d{1,3})\s*页\s*[/,，、]?\s*第\s*(?P<k>\d{1,3})\s*页"),
    re.compile(r"^\s*(?P<k>\d{1,3})\s*/\s*(?P<n>\d{1,3})\s*$"),
    re.compile(r"(?i)page\s*(?P<k>\d{1,3})\s*of\s*(?P<n>\d{1,3})"),
)
_CONTINUED = re.compile(r"^续表|^续页|[(（]续[)）]|^\(?续\)?$")


@dataclass(frozen=True)
class PageTyping:
    page: int
    type: str
    scores: dict[str, float]


def _compact(text: str) -> str:
    return _SPACE_RE.sub("", text)


def _top_lines(page: Page) -> list:
    """Non-empty lines in the top part of the page."""
    if not page.lines:
        return []
    limit = page.height * TOP_FRACTION if page.height else float("inf")
    top = [ln for ln in page.lines if ln.bbox[1] <= limit]
    if not top:
        top = list(page.lines[:5])
    return [ln for ln in top if ln.text.strip()]


def _title_lines(page: Page) -> list[str]:
    """Lines in the top part of the page."""
    return [_compact(ln.text) for ln in _top_lines(page)]


def _title_text(ln) -> str | None:
    """The line's text when it could be a title: short, not a label (no colon) nor a
    sentence, no date or number filled in."""
    text = _compact(ln.text)
    core = _compact(_PARENS.sub("", ln.text))
    if not (2 <= len(core) <= 40) or _NOT_TITLE.search(core) or len(_DIGITS.findall(core)) >= 4:
        return None
    return text


def _centred(ln, page: Page) -> bool:
    x0, _, x1, _ = ln.bbox
    if not page.width:
        return False
    mid = (x0 + x1) / 2 / page.width
    return abs(mid - 0.5) <= CENTRED and (x1 - x0) <= NARROW * page.width


def _split_titles(page: Page) -> tuple[list[str], list[str]]:
    """(title lines, other top lines), compacted. A title is set larger than the page's
    usual line, and about as large as the largest such line (a form has one title; the
    smaller headings under it are not); on a page where nothing is larger, the first
    centred short line is the title."""
    heights = sorted(ln.bbox[3] - ln.bbox[1] for ln in page.lines if ln.text.strip())
    hmed = heights[len(heights) // 2] if heights else 0.0
    top = _top_lines(page)
    tall = [ln for ln in top if hmed > 0 and ln.bbox[3] - ln.bbox[1] >= TALL * hmed and _title_text(ln)]
    if tall:
        hmax = max(ln.bbox[3] - ln.bbox[1] for ln in tall)
        tall = [ln for ln in tall if ln.bbox[3] - ln.bbox[1] >= PROMINENT * hmax]
    else:
        tall = [ln for ln in sorted(top, key=lambda l: l.bbox[1]) if _centred(ln, page) and _title_text(ln)][:1]
    ids = {id(ln) for ln in tall}
    return ([_compact(ln.text) for ln in tall],
            [_compact(ln.text) for ln in top if id(ln) not in ids])


def key_noun_type(line: str) -> str | None:
    """The type named by the last key noun of a title line (parenthesised notes aside)."""
    text = _compact(_PARENS.sub("", line))
    best, end = None, -1
    for stype, nouns in KEY_NOUNS.items():
        for noun in nouns:
            i = text.rfind(noun)
            if i >= 0 and i + len(noun) > end:
                best, end = stype, i + len(noun)
    return best


def _title_part(page: Page) -> dict[str, float]:
    """The part of a page's score that comes from its title lines."""
    titles, _ = _split_titles(page)
    return {t: TITLE_WEIGHT * (min(v, 100.0) / 100.0) for t, v in _title_scores(titles).items()
            if v >= TITLE_THRESHOLD}


def score_page(page: Page) -> dict[str, float]:
    """Score every section type for one page (higher = more likely)."""
    scores = {t: 0.0 for t in SECTION_TYPES}
    scores["other"] = OTHER_BASE
    titles, others = _split_titles(page)
    body = _compact(page.text)
    for stype, best in _title_scores(titles).items():
        if best >= TITLE_THRESHOLD:
            scores[stype] += TITLE_WEIGHT * (min(best, 100.0) / 100.0)
    # a known title in a top line not laid out as one (a sentence naming the report)
    for stype, best in _exact_title_scores(others).items():
        scores[stype] += BODY_TITLE_FACTOR * TITLE_WEIGHT * (best / 100.0)
    # A form that names itself in its title is that form: the words of other forms in its
    # body count half (a sampling plan speaks of 采样时段 and 采样点 as much as the
    # sampling record it plans for).
    named = {t for line in titles if len(line) <= 40 for t in _exact_hits(line)}
    for stype, labels in LABELS.items():
        hits = sum(1 for lab in labels if lab in body)
        weight = LABEL_WEIGHT * (OTHER_LABEL_FACTOR if named and stype not in named else 1.0)
        scores[stype] += weight * min(hits, LABEL_CAP)
    # Photo pages carry several timestamp watermarks and little other text.
    stamps = len(_TS_RE.findall(page.text))
    if stamps >= 1 and len(body) < 400:
        scores["photos"] += 1.5 * min(stamps, 4)
    return scores


def _exact_hits(line: str) -> dict[str, float]:
    """Types whose known title stands in the line (100), the longest ones only; of two
    titles in one line the later one is the head (检测报告报送与信息公开情况 is a 公开 form)."""
    exact: dict[str, tuple[int, int]] = {}  # type → (length, end) of its longest title in the line
    line = _CITED.sub("", line)
    for t, names in TITLES.items():
        for n in names:
            i = line.rfind(n)
            if i >= 0 and len(n) > exact.get(t, (0, 0))[0]:
                exact[t] = (len(n), i + len(n))
    if not exact:
        return {}
    longest = max(n for n, _ in exact.values())
    kept = {t: end for t, (n, end) in exact.items() if n >= min(longest, 4)}
    last = max(kept.values())
    return {t: 100.0 for t, end in kept.items() if end == last}


def _exact_title_scores(lines: list[str]) -> dict[str, float]:
    best: dict[str, float] = {}
    for line in lines:
        if len(line) > 40:
            continue
        for t, v in _exact_hits(line).items():
            best[t] = max(best.get(t, 0.0), v)
    return best


def _title_scores(titles: list[str]) -> dict[str, float]:
    """Best title score per type. An exact title on a line beats fuzzy look-alikes on it
    (定期检测报告 must not count as a garbled 检测方案); a key noun of a title not seen
    before comes next; fuzzy matching is for titles OCR garbled."""
    best: dict[str, float] = {}
    for line in titles:
        if len(line) > 40:  # a paragraph, not a title
            continue
        exact = _exact_hits(line)
        if exact:
            for t, v in exact.items():
                best[t] = max(best.get(t, 0.0), v)
            continue
        fuzzy: dict[str, float] = {}
        for t, names in TITLES.items():
            for name in names:
                if len(name) >= 4 and len(line) >= len(name) - 1:
                    fuzzy[t] = max(fuzzy.get(t, 0.0), fuzz.partial_ratio(name, line))
        key = key_noun_type(line)
        if key is not None:
            best[key] = max(best.get(key, 0.0), KEY_NOUN_SCORE)
            # a garbled known title can lose its key noun (合同平审记录 reads as 合同):
            # a close fuzzy match of another type still counts beside it
            for t, v in fuzzy.items():
                if t != key and v >= TITLE_THRESHOLD:
                    best[t] = max(best.get(t, 0.0), min(v, KEY_NOUN_SCORE - 1))
            continue
        for t, v in fuzzy.items():
            best[t] = max(best.get(t, 0.0), v)
    return best


@dataclass(frozen=True)
class FormMarks:
    """What a page prints about the form it belongs to."""

    codes: frozenset = frozenset()  # controlled-form codes in its header or footer
    page_of: tuple[int, int] | None = None  # (k, n): page k of n
    continued: bool = False  # 续表 / (续) at its top


def form_marks(page: Page) -> FormMarks:
    """Form code, page k of n and continuation mark from the page's header and footer."""
    h = page.height or 0.0
    codes, page_of, continued = set(), None, False
    for ln in page.lines:
        y0, y1 = ln.bbox[1], ln.bbox[3]
        band = not h or y1 <= h * MARK_BAND or y0 >= h * (1 - MARK_BAND)
        if band:
            codes.update(m.group(1) for m in _FORM_CODE.finditer(ln.text))
            if page_of is None:
                for rx in _PAGE_OF:
                    m = rx.search(ln.text)
                    if m:
                        page_of = (int(m.group("k")), int(m.group("n")))
                        break
    for ln in _top_lines(page)[:4]:
        if _CONTINUED.search(_compact(ln.text)):
            continued = True
    return FormMarks(codes=frozenset(codes), page_of=page_of, continued=continued)


def continuations(pages: list[Page]) -> list[bool]:
    """Whether each page continues the form of the page before it.

    Same form code (a code on most pages of the bundle is a document number, not a
    form's), page k of n right after page k-1 of n (n smaller than the bundle: a
    numbering over the whole bundle says nothing), or a 续表 mark."""
    marks = [form_marks(p) for p in pages]
    counts: dict[str, int] = {}
    for m in marks:
        for c in m.codes:
            counts[c] = counts.get(c, 0) + 1
    common = {c for c, k in counts.items() if k > max(3, 0.6 * len(pages))}
    out = [False] * len(pages)
    for i in range(1, len(pages)):
        prev, cur = marks[i - 1], marks[i]
        same_code = bool((prev.codes & cur.codes) - common)
        numbered = (prev.page_of is not None and cur.page_of is not None and cur.page_of[1] < len(pages)
                    and cur.page_of[1] == prev.page_of[1] and cur.page_of[0] == prev.page_of[0] + 1)
        first = cur.page_of is not None and cur.page_of[0] == 1
        out[i] = same_code or numbered or (cur.continued and not first)
    return out


def type_pages(pages: list[Page]) -> list[PageTyping]:
    """Type every page, smoothing with a Viterbi pass over archive order; a page that
    continues a form keeps the type of the page before it unless its own evidence is
    overwhelming."""
    if not pages:
        return []
    types = list(SECTION_TYPES)
    emissions = [score_page(p) for p in pages]
    cont = continuations(pages)
    # a form's title holds for all its pages: a continuation page gets the title score of
    # the first page of its run (its own title, if any, stays)
    head = None
    for i, p in enumerate(pages):
        if not cont[i]:
            head = _title_part(p)
        elif head:
            own = _title_part(p)
            for t, v in head.items():
                if v > own.get(t, 0.0):
                    emissions[i] = {**emissions[i], t: emissions[i][t] + v - own.get(t, 0.0)}
    n, k = len(pages), len(types)
    neg = -math.inf
    best = [[neg] * k for _ in range(n)]
    back = [[0] * k for _ in range(n)]
    for j, t in enumerate(types):
        best[0][j] = emissions[0][t]
    for i in range(1, n):
        for j, t in enumerate(types):
            em = emissions[i][t]
            cand, arg = neg, 0
            for jp, tp in enumerate(types):
                v = best[i - 1][jp] - _transition(tp, t) - (CONTINUE_COST if cont[i] and tp != t else 0.0)
                if v > cand:
                    cand, arg = v, jp
            best[i][j] = cand + em
            back[i][j] = arg
    j = max(range(k), key=lambda jj: best[n - 1][jj])
    path = [0] * n
    for i in range(n - 1, -1, -1):
        path[i] = j
        j = back[i][j]
    return [PageTyping(page=p.no, type=types[path[i]], scores=emissions[i]) for i, p in enumerate(pages)]


def _transition(prev: str, cur: str) -> float:
    if prev == cur:
        return 0.0
    if prev == "other" or cur == "other":
        return FORWARD_COST
    if ARCHIVE_ORDER[cur] > ARCHIVE_ORDER[prev]:
        return FORWARD_COST
    return BACKWARD_COST


def split_sections(typed: list[PageTyping]) -> list[Section]:
    """Contiguous runs of one type, in page order."""
    sections: list[Section] = []
    run_type, run_pages = None, []
    for t in typed:
        if t.type != run_type and run_pages:
            sections.append(Section(type=run_type, pages=tuple(run_pages)))
            run_pages = []
        run_type = t.type
        run_pages.append(t.page)
    if run_pages:
        sections.append(Section(type=run_type, pages=tuple(run_pages)))
    return sections
