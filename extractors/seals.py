"""Personal name seals (私章/名章) read back into names, before any form is read.

A square name seal holds the name and a seal word in two columns read from the right,
top to bottom: 谢建之印 stands as 谢|之 over 建|印 (printed 之谢 / 印建 as rows), and
曾琪峰印 as 峰|曾 over 印|琪. OCR reads it row by row, left to right, so the signature
slot would hold "之谢" and a stray "印建" on the line below. Here two stacked mark lines
(``Line.is_mark``) of two characters over the same span become one line holding the
name, when the column reading ends in a seal word (之印, 印, 章 or an OCR look-alike of
one, ``pipeline.ocr_tolerance.is_seal_suffix_char``). Nothing else is changed: a seal
read only in part (its top row) stays as it was read, for the checks to treat as
doubtful.
"""
from __future__ import annotations

import re
from typing import Optional

from pipeline.geometry import union_bbox
from pipeline.ocr_tolerance import is_seal_suffix_char
from pipeline.types import Line, Page

__all__ = ["join_seals", "seal_name"]

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _cjk(text: str) -> str:
    return "".join(_CJK.findall(text or ""))


def seal_name(reading: str) -> Optional[str]:
    """The name in a 4-character column reading of a seal, or None when the reading does
    not end in a seal word (谢建之印 → 谢建, 曾琪峰印 → 曾琪峰)."""
    if len(reading) != 4:
        return None
    last = is_seal_suffix_char(reading[3]) and reading[3] != "之"  # a seal ends in 印 / 章
    if last and is_seal_suffix_char(reading[2]):
        return reading[:2]  # 之印
    if last:
        return reading[:3]
    return None


def _two_chars(ln: Line) -> bool:
    c = _cjk(ln.text)
    # two characters and at most one stray mark beside them (a dot of seal texture)
    return len(c) == 2 and len(re.sub(r"[\s|/\\]", "", ln.text)) <= 3


def _one_line_seal(ln: Line) -> Optional[str]:
    """The name of a seal OCR read whole as one line of four characters: in column order
    (姜超林印), column by column from the left (林印姜超: the left column 林|印, then the
    right 姜|超), row by row (林姜印超) or backwards, each column from the bottom (印雨亮陈
    for 陈亮雨印). Only a square mark box: a handwritten
    four-character line is wide."""
    if not ln.is_mark:
        return None
    c = _cjk(ln.text)
    w, h = ln.bbox[2] - ln.bbox[0], ln.bbox[3] - ln.bbox[1]
    if len(c) != 4 or not (0.5 * h <= w <= 1.8 * h):
        return None
    for reading in (c, c[2:] + c[:2], c[1] + c[3] + c[0] + c[2], c[::-1]):
        name = seal_name(reading)
        if name:
            return name
    return None


def join_seals(page: Page) -> Page:
    """``page`` with each fully read two-row name seal as one line holding the name."""
    if page.rotation % 360:
        return page  # displayed boxes of a turned scan: rows are not rows
    used: set[int] = set()
    joined: dict[int, Line] = {}
    for i, ln in enumerate(page.lines):
        name = _one_line_seal(ln)
        if name:
            joined[i] = ln.model_copy(update={"text": name, "raw": ln.raw or ln.text, "words": ()})
    marks = [i for i, ln in enumerate(page.lines) if ln.is_mark and _two_chars(ln) and i not in joined]
    for i in sorted(marks, key=lambda k: page.lines[k].bbox[1]):
        if i in used:
            continue
        top = page.lines[i]
        h = max(1.0, top.bbox[3] - top.bbox[1])
        w = top.bbox[2] - top.bbox[0]
        below = []
        for j in marks:
            if j == i or j in used:
                continue
            b = page.lines[j]
            overlap = min(top.bbox[2], b.bbox[2]) - max(top.bbox[0], b.bbox[0])
            dy = b.bbox[1] - top.bbox[1]
            if overlap >= 0.6 * min(w, b.bbox[2] - b.bbox[0]) and 0.3 * h <= dy <= 1.4 * h:
                below.append((dy, j))
        if not below:
            continue
        j = min(below)[1]
        bot = page.lines[j]
        r0, r1 = _cjk(top.text), _cjk(bot.text)
        name = seal_name(r0[1] + r1[1] + r0[0] + r1[0])
        if name is None:
            continue
        used |= {i, j}
        joined[i] = top.model_copy(update={
            "text": name, "raw": f"{top.raw} / {bot.raw}", "bbox": union_bbox([top.bbox, bot.bbox]),
            "conf": min(top.conf, bot.conf), "words": ()})
    if not joined:
        return page
    lines = tuple(joined.get(k, ln) for k, ln in enumerate(page.lines) if k in joined or k not in used)
    return page.model_copy(update={"lines": lines})
