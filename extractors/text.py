"""Value parsers for form text (文本值解析): dates, times, numbers, ids, names, labels.

Everything here works on one string (a cell or a line) and never raises: a parser that
cannot read its input returns ``None``. Inputs are expected to have gone through
``pipeline.normalize.normalize_text`` (full-width digits already ASCII), but the date
parser tolerates raw OCR too (``20.22年``, ``2022.05-19``, ``二〇二二年六月十四日`` with
〇 read as O/0/○).

Label matching is fuzzy (rapidfuzz) against synonym tuples, because OCR drops or
swaps one character in short labels and institutions word them differently.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Iterable, Optional, Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from pipeline.normalize import to_halfwidth
from pipeline.ocr_tolerance import letters_for

# ------------------------------------------------------------------ dates

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "O": 0, "o": 0, "0": 0, "Ｏ": 0, "◯": 0,
             "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
             "两": 2}
_CN_NUM = "〇○◯零OoＯ0一二三四五六七八九十两"

# 2022年6月14日, 2022-06-14, 2022.6.14, 2022/06/14, 2022.05-19 (OCR mixes separators),
# "20.22年" (OCR inserts a dot inside the year), "2022 年 6 月 14 日".
# A speck read as a mark inside the year ("20·22年"; a colon only as the one speck after
# the first digit, "2:022年", where no time can be) or right after a separator
# ("2022-03-.23", "2022-.04-21"); a speck after a separator must touch the next digit.
_YS = r"[.\s·・'`]?"
_SEP_SPECK = r"(?:[.·・,'`](?=\d))?"
_DATE_ARABIC = re.compile(
    rf"(?<![0-9])(?<![0-9][.])((?:1{_YS}9|2{_YS}0){_YS}\d{_YS}\d|2:0\d\d)\s*([-/.:年])\s*{_SEP_SPECK}(\d{{1,2}})\s*([-/.月])\s*{_SEP_SPECK}(\d{{1,2}}?)"
    # a time glued to the day ("2022.8.217:30", "2022-06-0917:22"): prefer a 2-digit hour
    r"(?:(?![0-9])|(?=[0-2]\d:[0-5]\d(?!\d))|(?=\d:[0-5]\d(?!\d)))\s*(日|号)?"
)
_DAY_SPECK = re.compile(r"[.,·'](\d)(?![0-9.,])")
# "2022-04-1-4": a speck read as a dash splits the day. Only where the month is
# zero-padded: whoever writes 04 writes the day with two digits too, so a one-digit
# day there is half a day (unpadded "2022-4-1-4" stays unread as 14).
_DAY_DASH = re.compile(r"-(\d)(?![0-9.,\-/:])")
# A separator read as a digit one or a letter like it: "2022105/23" (2022/05/23),
# "2022-05123". Only zero-padded month and two-digit day, the other separator intact,
# and nothing id-like around, so that the reading is the only one the digits allow.
_ONE = "1" + re.escape(letters_for("1"))  # 1 and the letters OCR reads for it (l I |)
_SEP_AS_ONE = (
    re.compile(r"(?<![0-9A-Za-z.\-/])((?:19|20)\d\d)[" + _ONE + r"](0[1-9]|1[0-2])([-/.])(\d\d)(?![0-9A-Za-z\-/])"),
    re.compile(r"(?<![0-9A-Za-z.\-/])((?:19|20)\d\d)([-/.])(0[1-9]|1[0-2])[" + _ONE + r"](\d\d)(?![0-9A-Za-z\-/.])"),
)
_DATE_CN = re.compile(
    rf"([{_CN_NUM}]{{4}})\s*年\s*([{_CN_NUM}]{{1,3}})\s*月\s*([{_CN_NUM}]{{1,4}})\s*[日号]"
)
# Year-less "6月14日" is never used alone for a record date here (too ambiguous).


def _cn_small(s: str) -> Optional[int]:
    """Chinese numeral 1..31: 六, 十, 十四, 二十, 二十一, 三十一 (also 〇六 / 一四 digit style)."""
    s = s.strip()
    if not s:
        return None
    if "十" in s:
        a, _, b = s.partition("十")
        tens = _CN_DIGIT.get(a, None) if a else 1
        ones = _CN_DIGIT.get(b, None) if b else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    val = 0
    for ch in s:
        d = _CN_DIGIT.get(ch)
        if d is None:
            return None
        val = val * 10 + d
    return val


def _mk_date(y: int, m: int, d: int) -> Optional[dt.date]:
    try:
        if not 1990 <= y <= 2099:
            return None
        return dt.date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[dt.date, tuple[int, int]]]:
    """Every date in ``text`` with its character span, in reading order."""
    out: list[tuple[dt.date, tuple[int, int]]] = []
    if not text:
        return out
    text = to_halfwidth(text)  # full-width digits (２０２２年) as ASCII; 1:1 so spans hold
    for m in _DATE_ARABIC.finditer(text):
        y = int(re.sub(r"\D", "", m.group(1)))
        sep1, sep2 = m.group(2), m.group(4)
        if sep1 == ":" and sep2 == "月":
            continue
        day, end = m.group(5), m.end()
        # "2022/06/1.4": a speck read as a dot splits the day; a day holds no decimal point
        speck = _DAY_SPECK.match(text, end)
        if len(day) == 1 and not m.group(6) and not speck and m.group(3).startswith("0"):
            speck = _DAY_DASH.match(text, end)
        if len(day) == 1 and not m.group(6) and speck:
            day, end = day + speck.group(1), speck.end()
        d = _mk_date(y, int(m.group(3)), int(day))
        if d:
            out.append((d, (m.start(), end)))
    taken = [sp for _, sp in out]
    for i, rx in enumerate(_SEP_AS_ONE):
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            mo, da = (m.group(2), m.group(4)) if i == 0 else (m.group(3), m.group(4))
            d = _mk_date(int(m.group(1)), int(mo), int(da))
            if d:
                out.append((d, m.span()))
                taken.append(m.span())
    for m in _DATE_CN.finditer(text):
        ys = m.group(1)
        if not any(c in "〇○◯零一二三四五六七八九两" for c in ys):
            continue  # all ASCII: handled above
        y = 0
        ok = True
        for ch in ys:
            dg = _CN_DIGIT.get(ch)
            if dg is None:
                ok = False
                break
            y = y * 10 + dg
        mo, da = _cn_small(m.group(2)), _cn_small(m.group(3))
        if ok and mo and da:
            d = _mk_date(y, mo, da)
            if d:
                out.append((d, m.span()))
    out.sort(key=lambda t: t[1][0])
    return out


def parse_date(text: str) -> Optional[dt.date]:
    """The first date in ``text`` (any Chinese style), or None."""
    found = find_dates(text or "")
    return found[0][0] if found else None


# A date as printed, with nothing for the parser to guess: one separator style
# throughout (2022-05-19, 2022/5/19, 2022.05.19, 2022年5月19日) or Chinese numerals.
_CLEAN_DATE = re.compile(
    r"(?:19|20)\d\d(?:([-/.])\d{1,2}\1\d{1,2}|\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号]?)"
    r"|[〇○◯零一二三四五六七八九两]{4}\s*年\s*[〇○◯零一二三四五六七八九十两]{1,3}\s*月\s*[〇○◯零一二三四五六七八九十两]{1,4}\s*[日号]"
)


# Right after a date: a mark and a digit (or a letter OCR reads for one) — the day may
# have been cut there ("2022-05-1.l", "2022-4-1-4").
_CUT_DAY = re.compile(r"[.,·'`\-/][0-9" + re.escape(letters_for()) + "]")


def date_is_clean(text: str, span: tuple[int, int]) -> bool:
    """Whether the date found at ``span`` of ``text`` (a ``find_dates`` span) was read as
    printed: no speck, misread separator or split day undone, and nothing right after
    it that could be the rest of its day."""
    t = to_halfwidth(text or "")
    return bool(_CLEAN_DATE.fullmatch(t[span[0]:span[1]].strip())) and not _CUT_DAY.match(t, span[1])


def date_written(text: str) -> bool:
    """Whether ``text`` holds what was written as a date, read or not: a date, four or
    more digits besides times of day, or a 年 among Chinese numerals. An empty slot ("年 月 日" to fill in)
    or a word is no date to read again."""
    t = to_halfwidth(text or "")
    if find_dates(t):
        return True
    t = _TIME.sub("", t)  # times of day (08:41-12:09) are digits but no date
    return len(re.findall(r"\d", t)) >= 4 or ("年" in t and len(re.findall(r"[〇○◯零一二三四五六七八九十两]", t)) >= 3)


# ------------------------------------------------------------------ times

_TIME = re.compile(r"(?<![0-9.])([01]?\d|2[0-3])\s*[:：时点]\s*([0-5]\d)(?![0-9])")
_TIME_RANGE = re.compile(
    r"(?<![0-9.])([01]?\d|2[0-3])[:：]([0-5]\d)\s*[-~～—–－_+至到:：]\s*([01]?\d|2[0-3])[:：]([0-5]\d)(?![0-9])"
)


def parse_time(text: str) -> Optional[str]:
    m = _TIME.search(text or "")
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else None


def parse_time_range(text: str) -> Optional[tuple[str, str]]:
    """``08:16-11:55`` (also ``08:37:08:52`` where OCR read the dash as a colon)."""
    m = _TIME_RANGE.search(text or "")
    if not m:
        return None
    return f"{int(m.group(1)):02d}:{m.group(2)}", f"{int(m.group(3)):02d}:{m.group(4)}"


# ------------------------------------------------------------------ numbers

_NUM = re.compile(r"(?<![0-9A-Za-z])[-+]?\d+(?:,\d{3})*(?:\.\d+)?")
UNITS = ("mg/m³", "μg/m³", "dB(A)", "L/min", "mL/min", "kPa", "℃", "%", "min", "h", "μg", "ug", "mg", "L")


_GARBLED_NUM = re.compile(r"(?<![\d:：])\d{1,4}[:：]\d{1,3}(?![\d:：])|\d\.\d+\.\d")


def parse_number(text: str) -> Optional[float]:
    """The first number in ``text`` (``1,000`` → 1000; ``<0.01`` → 0.01; OCR's trailing dots ignored)."""
    if not text:
        return None
    t = text.replace("O", "0") if re.fullmatch(r"[0-9O.]+", text.strip()) else text
    t = re.sub(r"(?<=\d)\s*\.\s*(?=\d)", ".", t)
    # "2,99": a comma before 1–2 digits is OCR's decimal point, not a thousands separator
    t = re.sub(r"(?<![0-9,])(\d{1,3}),(\d{1,2})(?![0-9,])", r"\1.\2", t)
    # "2:97", "3.66.0": a misread separator inside the number; which digits belong to it
    # is a guess, and a guessed value must not become a finding
    if _GARBLED_NUM.search(t):
        return None
    m = _NUM.search(t)
    if not m:
        return None
    try:
        return float(m.group(0).replace(",", ""))
    except ValueError:
        return None


def parse_quantity(text: str) -> Optional[tuple[float, Optional[str]]]:
    """Number plus the unit right after it: ``29.3℃`` → (29.3, '℃')."""
    if not text:
        return None
    m = _NUM.search(text)
    if not m:
        return None
    rest = text[m.end():].lstrip()
    unit = next((u for u in UNITS if rest.startswith(u)), None)
    return float(m.group(0).replace(",", "")), unit


def numbers(text: str) -> list[float]:
    return [float(m.group(0).replace(",", "")) for m in _NUM.finditer(text or "")]


# ------------------------------------------------------------------ labels

_STRIP_LABEL = re.compile(r"[\s:：()（）\[\]【】/、.·,，*]")


def compact(s: str) -> str:
    return _STRIP_LABEL.sub("", s or "")


@lru_cache(maxsize=20000)
def label_score(text: str, label: str) -> float:
    """How well ``text`` (a header cell or label) matches ``label`` (0..100).

    Exact containment scores 100; otherwise rapidfuzz ratio on the compacted strings,
    so 采样前流量(L/min) matches 采样前流量 and 样品编吗 matches 样品编码.
    """
    a, b = compact(text), compact(label)
    if not a or not b:
        return 0.0
    if b in a:
        # a very short label (编号) inside a longer cell is weak evidence; so is any
        # label inside a long cell (a sentence that mentions it)
        if len(b) <= 2 and len(a) > len(b) + 1:
            return 85.0
        return 100.0 if len(a) <= len(b) + 3 else (95.0 if len(a) <= len(b) + 8 else 90.0)
    fz = 0.0
    if len(b) >= 3 and len(a) >= len(b) - 1:
        fz = float(fuzz.partial_ratio(b, a)) if len(a) > len(b) else float(fuzz.ratio(a, b))
    else:
        fz = float(fuzz.ratio(a, b))
    # same characters in another order (流量(采样前) for 采样前流量)
    if len(b) >= 3 and len(a) <= len(b) + 8 and all(ch in a for ch in b):
        fz = max(fz, 85.0)
    return fz


def best_label(text: str, synonyms: dict[str, Sequence[str]], threshold: float = 80.0) -> tuple[Optional[str], float]:
    """The key whose synonyms best match ``text``; ties go to the longest synonym."""
    best_key, best_score, best_len = None, 0.0, 0
    for key, syns in synonyms.items():
        for s in syns:
            sc = label_score(text, s)
            if sc > best_score or (sc == best_score and len(s) > best_len):
                best_key, best_score, best_len = key, sc, len(s)
    if best_score < threshold:
        return None, best_score
    return best_key, best_score


def find_label(text: str, synonyms: Iterable[str]) -> Optional[tuple[int, int, str]]:
    """Span of the first occurrence of any synonym in ``text`` (exact, longest first)."""
    best = None
    for s in sorted(synonyms, key=len, reverse=True):
        i = text.find(s)
        if i >= 0 and (best is None or i < best[0]):
            best = (i, i + len(s), s)
    return best


# ------------------------------------------------------------------ names

# Common Chinese surnames (百家姓 head), used to split names OCR ran together
# ("冯泽晨方慧") when the staff list does not cover them.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
    # common ones the list above lacked (傅, 洪, 赖 and 阎 are among the hundred most frequent;
    # 萧 stands beside 肖): a name they start was never judged a name (issue 11, seed 4431)
    "傅洪赖萧阎郁燕冀晋裘闻谈蔺屠储芮练荆尉宣杭诸郦滑惠封荀"
)
_NAME_NOISE = re.compile(r"[^\u4e00-\u9fff]")
NOT_NAMES = {"日期", "签字", "签名", "盖章", "年月日", "人员", "以下空白", "空白", "合格", "满足"}
# Role stems of the people who sign or are named on QC forms (采样 in 采样人 / 采样者 /
# 采样人员签名). A stem plus a person suffix or a signing word is a role label; the forms
# map the stems they know to their roles, the others only end the slot before them.
# 交接 (交接人) is deliberately mapped by no form: sender or receiver, it cannot say which.
ROLE_STEMS = ("采样", "测量", "检测", "监测", "陪同", "复核", "校核", "核对", "审核", "审定", "审批", "批准", "签发",
              "编制", "编写", "分析", "检验", "测定", "送样", "送检", "交样", "移交", "交出", "交接", "接收", "收样",
              "接样", "签收", "计算", "换算", "调查", "评审", "记录", "校对", "填表", "制表", "经办", "负责", "联系",
              "代理", "法定代表", "见证", "保管", "领样")
# A "name" containing one of these is a label OCR or an unknown label synonym left behind.
ROLE_WORDS = tuple(dict.fromkeys(
    ("复核", "审核", "校核", "核对", "采样", "分析", "检验", "检测", "陪同", "签字", "签名", "日期", "编制",
     "编写", "批准", "签发", "负责人", "送样", "收样", "接收", "测量", "调查", "评审", "计算", "单位", "车间")
    + tuple(s for s in ROLE_STEMS if s not in ("负责", "代理", "联系", "保管", "见证", "记录"))))


def clean_name_text(s: str) -> str:
    """Keep CJK only (names never contain digits or punctuation here)."""
    return _NAME_NOISE.sub("", s or "")


def split_names(text: str, known: Sequence[str] = (), *, fuzzy: float = 66.0,
                short: bool = False) -> list[tuple[str, float]]:
    """Split a run of names (``冯泽晨方慧``, ``冯泽晨、方慧``, ``冯泽晨 方慧``) into names.

    ``known`` is the registered staff (and any other names the bundle states, such as
    the employer's escort). Each returned name carries a confidence: 1.0 for an exact
    known name, the fuzzy score / 100 for a known name read with one wrong character,
    0.6 for a name split off by the surname heuristic. ``short``: also map 2-character
    readings one edit off a known name (see ``resolve_name``): for slots where
    registered staff sign, not for the employer's people.
    """
    parts = [p for p in re.split(r"[\s、,，;；/]+", text or "") if p]
    joined = clean_name_text("".join(parts))
    cover = _cover(joined, known)
    if cover and len(parts) > 1:
        # OCR put a space inside a name ("龚斌 芳许泽"): the staff list covers the whole run
        parts = cover
    out: list[tuple[str, float]] = []
    for part in parts:
        part = clean_name_text(part)
        if 1 <= len(part) <= 3 and part not in known:
            name, conf = resolve_name(part, known, short=short)
            if name != part or len(part) >= 2:
                out.append((name, conf))
            continue
        out.extend(_split_run(part, known, fuzzy, short))
    seen, uniq = set(), []
    for n, c in out:
        if n and len(n) >= 2 and n not in seen and n not in NOT_NAMES and not any(w in n for w in ROLE_WORDS) \
                and not n.endswith(("者", "员")):
            seen.add(n)
            uniq.append((n, c))
    return uniq


def _cover(run: str, known: Sequence[str]) -> Optional[list[str]]:
    """Split ``run`` exactly into known names (longest first), or None."""
    if not run or not known:
        return None
    kn = sorted(set(k for k in known if k), key=len, reverse=True)

    def go(i: int) -> Optional[list[str]]:
        if i == len(run):
            return []
        for k in kn:
            if run.startswith(k, i):
                rest = go(i + len(k))
                if rest is not None:
                    return [k] + rest
        return None

    return go(0)


def _split_run(run: str, known: Sequence[str], fuzzy: float, short: bool = False) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    i = 0
    kn = sorted(set(k for k in known if k), key=len, reverse=True)

    def sensible(nxt: str) -> bool:
        # what follows a matched name must still split: nothing, a known name, or a surname
        return not nxt or any(nxt.startswith(k) for k in kn) or nxt[0] in SURNAMES

    while i < len(run):
        rest = run[i:]
        hit = next((k for k in kn if rest.startswith(k)), None)
        if hit:
            out.append((hit, 1.0))
            i += len(hit)
            continue
        # fuzzy: a known name of the same length with one character misread
        best, best_sc = None, 0.0
        for k in kn:
            seg = rest[: len(k)]
            if len(seg) == len(k) and len(k) >= 3:
                same = sum(1 for a, b in zip(seg, k) if a == b)
                if same >= len(k) - 1 and seg[0] == k[0]:
                    sc = 100.0 * same / len(k)
                    if sc > best_sc:
                        best, best_sc = k, sc
        if best is not None and best_sc >= fuzzy and sensible(rest[len(best):]):
            out.append((best, best_sc / 100.0))
            i += len(best)
            continue
        # a known name with one character OCR inserted inside it (方琳林凯 for 方琳凯):
        # only when exactly one known name fits and what follows still splits
        ins = {k for k in kn if len(k) >= 2 and len(rest) > len(k) and rest[0] == k[0]
               and _one_inserted(rest[: len(k) + 1], k) and sensible(rest[len(k) + 1:])}
        if len(ins) == 1:
            k = ins.pop()
            out.append((k, 0.8))
            i += len(k) + 1
            continue
        if len(rest) > 2 and any(rest.startswith(k, 1) for k in kn):
            i += 1  # a stray character OCR inserted before a known name
            continue
        # unknown: take 2 or 3 characters, preferring a split where a known name or a surname follows
        take = _guess_len(rest, kn)
        out.append(resolve_name(rest[:take], kn, short=short) if take <= 3 else (rest[:take], 0.6))
        i += take
    return out


def _one_inserted(seg: str, k: str) -> bool:
    """``seg`` is ``k`` with one extra character somewhere after the first."""
    return len(seg) == len(k) + 1 and any(seg[:j] + seg[j + 1:] == k for j in range(1, len(seg)))


def _guess_len(rest: str, known: Sequence[str]) -> int:
    n = len(rest)
    if n <= 3:
        return n
    if n == 4:
        # 2+2 when the third char is a surname (or a known name starts there); else a 4-char name is rare: 2+2
        return 2 if rest[2] in SURNAMES or any(rest[2:].startswith(k) for k in known) else 3
    for take in (3, 2):
        nxt = rest[take:]
        if any(nxt.startswith(k) for k in known):
            return take
    for take in (3, 2):
        if rest[take] in SURNAMES and (n - take) >= 2:
            return take
    return 3


def resolve_name(name: str, known: Sequence[str], threshold: float = 66.0, *, short: bool = False) -> tuple[str, float]:
    """Map an OCR-read name onto the known names (registered staff, escorts).

    - OCR kept only part of a hand-signed name (``梁`` for ``梁雨``) and exactly one
      known name fits: that name (0.5);
    - a reading of 3+ characters with one character misread: the same-length known
      name with the most characters in place;
    - only with ``short`` (a slot where registered staff sign; two-character names of
      different people are often one edit apart, so an employer's signer must never be
      mapped onto the staff list): the only known name at Levenshtein distance 1,
      counting an inserted or dropped character (郭武 → 郭斌, 自晓 → 白晓,
      程丹 → 程明丹, 郭文斌 → 郭斌).
    Otherwise the reading itself (0.6)."""
    if not name or name in known:
        return name, 1.0
    kn = list(dict.fromkeys(k for k in known if k))
    part = [k for k in kn if len(k) > len(name) and (k.startswith(name) or k.endswith(name))]
    if len(part) == 1 and (len(name) >= 2 or len(part[0]) == 2):
        return part[0], 0.5
    if len(name) < 2:
        return name, 0.6
    near = [k for k in kn if len(k) >= 2 and Levenshtein.distance(name, k) == 1]
    same_len = [k for k in near if len(k) == len(name)]
    if len(name) >= 3 and same_len:
        # a misread character: the same-length name with the most characters in place
        best = max(same_len, key=lambda k: sum(1 for a, b in zip(name, k) if a == b))
        sc = 100.0 * sum(1 for a, b in zip(name, best) if a == b) / len(best)
        if sc >= threshold:
            return best, sc / 100.0
    if not short:
        return name, 0.6
    if len(near) == 1:
        k = near[0]
        return k, (0.7 if len(k) == len(name) else 0.75)
    return name, 0.6
