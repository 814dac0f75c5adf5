"""OCR tolerance: what a scan's OCR is known to misread, and the readings it allows (OCR 容错).

The one home for OCR confusions. Normalization (``pipeline.normalize``), the value
parsers (``extractors.text``), the form extractors (``extractors.forms._common``) and
the checks (``checks._shared_dates``, ``checks._shared_lab`` and the checks using them)
take their tables and the readings derived from them from here. To fix an OCR
misreading, add an entry below with the reason it is there (what was seen).

Layer: as low as ``pipeline.normalize`` (which imports it); only the standard library.

Tables:

- ``DIGIT_CONFUSIONS``: pairs of digits OCR swaps on a scan, each with the reason it is
  there. One table for every use: a date, time or instrument/sample number one swapped
  digit from a value that would be fine is explained as a misreading (``date_variants``,
  ``digit_variants``: checks i017 i025 i028 i075 i080), and a measured value read
  doubtfully may hold one look-alike digit (``digit_swaps``: i073 through
  ``checks._shared_lab``). Before issue 12 the two uses had their own tables that
  differed in 2<->7 and 4<->6 (dates had them, the lab look-alikes not); unified, the
  lab look-alikes gained both pairs, which changed no finding on the generated batch
  b12 (6 born-digital, 3 scanned bundles).
- ``LETTER_DIGITS``: letters OCR reads for a digit (``2O22``, ``1l:30``), fixed only
  inside digit runs (``pipeline.normalize``) and accepted as a separator read as ``1``
  (``extractors.text``).
- ``DAY_LOOKALIKES``: what OCR reads for 日 in a printed label (检测白期).

Readings of a printed number (strings in, strings out; the ``Val`` wrappers are in
``checks._shared_lab``): ``junk_numbers`` (junk inside a number), ``shift_point`` (a lost
or added decimal point), ``digit_swaps`` (one look-alike digit); ``OCR_SCALES`` (what a
lost or added point does to a value), ``DOUBTFUL_CONF`` (when a read is doubtful).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = [
    "Confusion", "DIGIT_CONFUSIONS", "confused_with", "digit_swaps", "digit_variants", "date_variants",
    "LETTER_DIGITS", "letters_for", "DAY_LOOKALIKES", "junk_numbers", "shift_point", "OCR_SCALES",
    "DOUBTFUL_CONF", "SEAL_SUFFIXES", "SEAL_LOOKALIKES", "is_seal_suffix_char",
]

# ------------------------------------------------------------------ digits confused with digits


@dataclass(frozen=True)
class Confusion:
    """Two digits OCR takes one for the other (both ways), and why the pair is here."""

    a: str
    b: str
    why: str


DIGIT_CONFUSIONS: tuple[Confusion, ...] = (
    # Provenance: the old lab table's note was "closed loops and strokes that fade at
    # 150 dpi" with the examples 0.06 <-> 0.05 and 3 <-> 8; the old dates table's was
    # "seen on generated scans: 2022->2072, 06-08->06-06". Where no example was
    # recorded, the reason given is the glyph shape.
    Confusion("0", "8", "closed loops: a faint 0 and an 8 differ only in the waist"),
    Confusion("3", "8", "seen: 3 <-> 8 in lab numbers (a 3 is an 8 with its left strokes faded)"),
    Confusion("6", "8", "seen: 06-08 read 06-06 on generated scans (the 8's upper loop opens)"),
    Confusion("8", "9", "closed loops: a 9 is an 8 with the lower-left stroke faded"),
    Confusion("5", "6", "seen: 0.06 <-> 0.05 in lab numbers (the 6's loop opens into a 5's bowl)"),
    Confusion("1", "7", "strokes that fade: a 7's bar is a serif on a 1"),
    Confusion("0", "6", "closed loops: a 6 whose stem fades is a 0"),
    Confusion("0", "9", "closed loops: a 9 whose tail fades is a 0"),
    Confusion("2", "7", "seen: 2022 read 2072 on generated scans"),
    Confusion("4", "6", "seen: a photo dated 2022-04-14 against a survey on 2022-06-14, a 6 read as 4 "
                        "(fresh scans, commit 2b53a63)"),
)


def confused_with(ch: str) -> str:
    """The digits OCR may have read for ``ch`` (and the other way), ascending."""
    return "".join(sorted({c.b if ch == c.a else c.a for c in DIGIT_CONFUSIONS if ch in (c.a, c.b)}))


def digit_swaps(s: str) -> list[str]:
    """``s`` with one digit replaced by a digit OCR confuses it with, in order of
    position, then of the replacing digit."""
    return [s[:i] + alt + s[i + 1:] for i, ch in enumerate(s) if ch.isdigit() for alt in confused_with(ch)]


def digit_variants(s: str) -> set[str]:
    """``digit_swaps`` as a set."""
    return set(digit_swaps(s))


def date_variants(d: dt.date) -> set[dt.date]:
    """Valid dates one confused digit away from ``d`` (in its YYYYMMDD form)."""
    out = set()
    for t in digit_variants(d.strftime("%Y%m%d")):
        try:
            out.add(dt.date(int(t[:4]), int(t[4:6]), int(t[6:])))
        except ValueError:
            continue
    return out


# ------------------------------------------------------------------ letters read for digits

# Only near-identical glyphs; S/5, B/8, Z/2 are left alone because sample ids and report
# numbers legitimately mix letters and digits (S22061407).
LETTER_DIGITS: dict[str, str] = {
    "O": "0",  # 2O22年, 1O:3O: a round 0 in a Latin font
    "o": "0",  # O6月 in small print
    "l": "1",  # 1l:30, 2022-05-1l: a 1 without serif
    "I": "1",  # 2022I05/23: the separator slash read as a capital I
    "|": "1",  # a 1 (or a table rule touching a digit) read as a bar
}


def letters_for(digits: str = "0123456789") -> str:
    """The letters OCR reads for any of ``digits``, in table order (``letters_for("1")`` → ``lI|``)."""
    return "".join(k for k, v in LETTER_DIGITS.items() if v in digits)


# ------------------------------------------------------------------ characters in labels

# OCR's readings of 日 in a printed label (检测白期, 采样目期)
DAY_LOOKALIKES = "白目曰旦田口"

# ------------------------------------------------------------------ personal name seals (私章)

# A name seal ends its column reading with 印 / 之印 / 章 (史利龙印, 邓文之印).
SEAL_SUFFIXES = ("之印", "之章", "印", "章")

# What OCR reads for the seal words 印 and 章 in a small red seal, each with its reason.
SEAL_LOOKALIKES: dict[str, str] = {
    "卿": "seen: a 2x2 seal 邓斌文印 read 文邓 / 卿斌 (fb27-016): 印 and 卿 share the right part 卩",
    "即": "glyph shape: 即 is 印's right part 卩 with a left part of the same height",
    "卬": "glyph shape: 卬 is 印 with the left stroke thinned (seal-script 印 is drawn so)",
    "仰": "glyph shape: 仰 holds 卬, the seal-script 印",
    "叩": "glyph shape: 口 + 卩, the left part of 印 blurred to a box in red ink",
    "竟": "glyph shape: 章 with the lower part 早 read as 儿 (the 十 fades in red ink)",
}


def is_seal_suffix_char(ch: str) -> bool:
    """``ch`` is a seal word (印, 章, 之) or what OCR reads for one."""
    return ch in "印章之" or ch in SEAL_LOOKALIKES


# ------------------------------------------------------------------ readings of a printed number

# below this OCR confidence a read is doubtful on its own
DOUBTFUL_CONF = 0.9

# a decimal point lost or added by OCR moves a value by a power of ten
OCR_SCALES = (1.0, 10.0, 100.0, 1000.0, 0.1, 0.01, 0.001)

# characters OCR puts inside a number on a scan: a second dot, a dash or colon for the
# decimal point, a speck read as a comma or a middle dot
_JUNK_NUM = re.compile(r"\d(?:[\d.\-:：·,'_~]*\d)?")


def junk_numbers(raw: str, shown: str = "") -> list[str]:
    """Numbers a cell's text ``raw`` may have held when OCR put junk inside one:
    ``3.66.0`` → ``366.0`` or ``3.660``, ``11-0.00`` → ``110.00`` or ``11000`` … Only
    tokens that hold more than a single decimal point (a clean number has no other
    reading) and, when ``shown`` (the number as parsed) is given, contain it."""
    out: list[str] = []
    for tok in _JUNK_NUM.findall(raw.replace("，", ",")):
        junk = [i for i, ch in enumerate(tok) if not ch.isdigit()]
        if len(junk) <= 1 and all(tok[i] == "." for i in junk):
            continue  # a clean number
        if shown and shown.lstrip("-+") not in tok:
            continue
        digits = re.sub(r"\D", "", tok)
        # each junk character may have been the decimal point, or none was
        cuts = sorted({sum(ch.isdigit() for ch in tok[:i]) for i in junk})
        out += [digits.lstrip("0") or "0"] + [(digits[:c].lstrip("0") or "0") + "." + digits[c:]
                                              for c in cuts if 0 < c < len(digits)]
    return list(dict.fromkeys(out))


def shift_point(s: str, delta: int) -> str:
    """``s`` with its decimal point moved ``delta`` places (a point OCR lost, added or
    misplaced): ``0.18`` → ``0.018`` (-1) or ``1.8`` (+1)."""
    digits = s.replace(".", "")
    p = (s.index(".") if "." in s else len(s)) + delta
    if p <= 0:
        digits, p = "0" * (1 - p) + digits, 1
    if p >= len(digits):
        return (digits + "0" * (p - len(digits))).lstrip("0") or "0"
    out = digits[:p].lstrip("0") or "0"
    return out + "." + digits[p:]
