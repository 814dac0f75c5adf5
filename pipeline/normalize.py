"""Text normalization for OCR and text-layer lines (文本规范化).

``normalize_text`` makes text regex-friendly for extractors while ``Line.raw``
keeps what the engine produced. Rules are ordered tables so a test can walk them.

Choices (per character class):

- Full-width ASCII (U+FF01..FF5E) becomes ASCII: digits, Latin letters and most
  punctuation (``：→:``, ``（）→()``, ``；→;``, ``％→%``, ``／→/``, ``．→.``).
  ``，`` (U+FF0C) stays Chinese except between digits (``1，000`` → ``1,000``):
  in Chinese prose it separates list items and a half-width comma would merge
  with numeric thousands separators.  ``、。《》【】“”`` stay as they are.
- Ideographic space and runs of whitespace collapse to one space; spaces between
  two CJK characters or between CJK and a digit/Latin letter are removed (OCR
  and many PDF producers insert them: ``2022 年6 月`` → ``2022年6月``).
- OCR confusions (``O/o→0``, ``l/I/|→1``, ``S→5`` is *not* done: sample ids start
  with S) are fixed only inside digit runs, i.e. when the letter sits between
  digits or between a digit and a date unit.
- Units: ``mg/m²``, ``mg/m3``, ``mg/m^3``, ``mg/ m³`` → ``mg/m³``; ``dB（A）`` →
  ``dB(A)``; ``L/mim`` → ``L/min``; ``°C``, ``ºC``, ``゜C`` → ``℃``.

``ocr=True`` adds fixes that are only safe on OCR output, where the recognizer
inserts spaces inside ids (``AZJC-2 0 2 2-DJ-0 315``): a space between two digit
groups is removed when one of them is a single digit. Text layers can carry real
single-digit columns (``2021 3 31``, comb fields), so it is off by default.
"""
from __future__ import annotations

import re

from .ocr_tolerance import LETTER_DIGITS

__all__ = ["normalize_text", "to_halfwidth"]

# Full-width forms kept as Chinese punctuation (handled contextually or kept).
_KEEP_FULLWIDTH = {"，"}

_HALFWIDTH_TABLE = {
    cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if chr(cp) not in _KEEP_FULLWIDTH
}
_HALFWIDTH_TABLE.update(
    {
        0x3000: 0x20,  # ideographic space
        0x00A0: 0x20,  # no-break space
        0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x200A: 0x20,
        0x200B: None, 0xFEFF: None,  # zero-width space, BOM
        0x2212: ord("-"),  # minus sign
        0x2010: ord("-"), 0x2011: ord("-"),  # hyphens
        0xFF5E: ord("~"),
        0x301C: ord("~"),  # wave dash used in ranges: 8～17 / 8〜17
        0x2236: ord(":"),  # ratio sign, OCR reads colons as it
        0xFE55: ord(":"),  # small colon
        0xFE50: ord(","),
        0x2024: ord("."),
    }
)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3001\u3002\u300a-\u3011\uff0c"  # 、。《》「」『』【】，
_CJK_CLASS = f"[{_CJK}{_CJK_PUNCT}]"
_ALNUM = r"[0-9A-Za-z]"

# (pattern, replacement) applied in order after the per-char table.
_UNIT_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # cubic metre: OCR reads ³ as ², 3, ^3 or splits it off with a space
    (re.compile(r"(mg|μg|ug|g|f|个|粒|CFU|cfu)\s*/\s*[mM]\s*(?:\^?\s*3|³|²|\^?\s*2)(?![0-9])"), r"\1/m³"),
    (re.compile(r"(?<![A-Za-z])m\s*(?:\^3|³)"), "m³"),
    # A lone "mg/m" is never a concentration unit: the superscript was lost.
    (re.compile(r"(mg|μg|ug)/m(?![³²0-9A-Za-z])"), r"\1/m³"),
    (re.compile(r"dB\s*[\(（]\s*([AaCc])\s*[\)）]"), lambda m: f"dB({m.group(1).upper()})"),
    (re.compile(r"\bdB\s+A\b"), "dB(A)"),
    (re.compile(r"L\s*/\s*m\s*[il1]\s*[mn]\b"), "L/min"),
    (re.compile(r"m[lL]\s*/\s*m[il1]n\b"), "mL/min"),
    (re.compile(r"(?<=\d)\s*(?:[°º˚゜]\s*[CcС]|°C|摄氏度)"), "℃"),
    (re.compile(r"[°º˚゜]\s*C(?![A-Za-z])"), "℃"),
    (re.compile(r"(?<=\d)\s*(?:kPa|KPa|kpa)\b"), "kPa"),
)

# Letters OCR confuses with digits (the table and its reasons: pipeline.ocr_tolerance),
# fixed only when wedged between digits or before a date unit (2O22年, 1l:30, O6月).
_CONFUSABLE = LETTER_DIGITS
_CONF_CLASS = "[" + re.escape("".join(_CONFUSABLE)) + "]"
# Between two digits: 2O22, 1l:30 ... but not "10 lines" (needs digit on both sides).
_CONF_BETWEEN = re.compile(rf"(?<=\d)({_CONF_CLASS}+)(?=\d)")
# Digit-run followed by a date/time unit: 2O22年 / 1O月 / 3l日
_CONF_BEFORE_UNIT = re.compile(rf"(?<=\d)({_CONF_CLASS})(?=[年月日时点分秒号])")
_CONF_AFTER_UNIT = re.compile(rf"(?<=[年月])({_CONF_CLASS})(?=\d?[月日号])")
# Clock times: 1O:3O, O8:l5 (a digit must be present so words never match).
_CONF_TIME = re.compile(r"(?<![0-9A-Za-z])(?=[0-9Ool|]{1,2}:[0-9Ool|]{2}(?![0-9A-Za-z]))(?=[^:]*\d|\S*:\S*\d)([0-9Ool|]{1,2}:[0-9Ool|]{2})")

_SPACE_RUN = re.compile(r"\s+")
_SPACE_CJK_CJK = re.compile(rf"(?<={_CJK_CLASS}) (?={_CJK_CLASS})")
_SPACE_CJK_ALNUM = re.compile(rf"(?<={_CJK_CLASS}) (?=[0-9])|(?<=[0-9]) (?={_CJK_CLASS})")
_SPACE_AROUND_PUNCT = re.compile(r"(?<=[:(/]) | (?=[:)/,])")
_COMMA_BETWEEN_DIGITS = re.compile(r"(?<=\d)，(?=\d{3}\b)")
# OCR: id fragments "AZJC- 2022", "2022 -DJ" (no space on the other side of the dash)
_SPACE_IN_ID = re.compile(r"(?<=[0-9A-Za-z][-_]) (?=[0-9A-Za-z])|(?<=[0-9A-Za-z]) (?=[-_][0-9A-Za-z])")
# Sample ids: "S 22061401" (prefix letter split from a long digit run).
_LETTER_BEFORE_ID = re.compile(r"(?<![A-Za-z])([A-Z]) (?=\d{4,})")
_SPACE_IN_DECIMAL = re.compile(r"(?<=\d) ?\. (?=\d)|(?<=\d) \.(?=\d)")
_DIGIT_SPLIT = re.compile(r"(?<![0-9])([0-9]) (?=[0-9])|(?<=[0-9]) ([0-9])(?![0-9])")


def to_halfwidth(raw: str) -> str:
    """Map full-width ASCII forms and odd spaces to ASCII (keeps ``，``)."""
    return raw.translate(_HALFWIDTH_TABLE)


def _fix_confusions(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        return "".join(_CONFUSABLE[c] for c in m.group(1))

    text = _CONF_BETWEEN.sub(repl, text)
    text = _CONF_BEFORE_UNIT.sub(repl, text)
    text = _CONF_AFTER_UNIT.sub(repl, text)
    return _CONF_TIME.sub(lambda m: "".join(_CONFUSABLE.get(c, c) for c in m.group(1)), text)


def _merge_split_digits(text: str) -> str:
    # Repeat: "2 0 2 2" needs several passes because matches overlap.
    for _ in range(8):
        new = _DIGIT_SPLIT.sub(lambda m: m.group(1) or m.group(2), text)
        if new == text:
            break
        text = new
    return text


def normalize_text(raw: str, *, ocr: bool = False) -> str:
    """Normalize one line of text; see the module docstring for the rules."""
    text = to_halfwidth(raw)
    text = _COMMA_BETWEEN_DIGITS.sub(",", text)
    text = _SPACE_RUN.sub(" ", text).strip()
    if ocr:
        text = _SPACE_IN_ID.sub("", text)
        text = _SPACE_IN_DECIMAL.sub(".", text)
        text = _merge_split_digits(text)
        text = _LETTER_BEFORE_ID.sub(r"\1", text)
        text = _merge_split_digits(text)
    text = _SPACE_CJK_CJK.sub("", text)
    text = _SPACE_CJK_ALNUM.sub("", text)
    text = _SPACE_AROUND_PUNCT.sub("", text) if ocr else text
    text = _fix_confusions(text)
    for pattern, repl in _UNIT_RULES:
        text = pattern.sub(repl, text)
    return text


# Organisation names: the company suffix and the region or city prefix an institution's
# name may be printed without (the blind copy hides every form; item 21 compares them).
COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司")
# Provinces and the larger cities that lead institution names.
REGION_RE = re.compile(
    r"^(北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|"
    r"贵州|云南|陕西|甘肃|青海|内蒙古|广西|西藏|宁夏|新疆)(省|市|自治区)?"
)
CITY_RE = re.compile(r"^[\u4e00-\u9fff]{2,3}市")


def name_variants(name: str) -> list[str]:
    """The name, without its company suffix, without its region prefix, and both."""
    out = [name]
    core = name
    for suf in COMPANY_SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 4:
            core = name[: -len(suf)]
            out.append(core)
            break
    for base in list(out):
        m = REGION_RE.match(base) or CITY_RE.match(base)
        if m and len(base) - m.end() >= 4:
            rest = base[m.end():]
            out.append(rest)
            m2 = CITY_RE.match(rest)
            if m2 and len(rest) - m2.end() >= 4:
                out.append(rest[m2.end():])
    seen, uniq = set(), []
    for v in out:
        if v not in seen:
            seen.add(v)
            uniq.append(v)
    return uniq
