"""Indicator 31: the field survey covers the company basics, process, equipment,
protective facilities and personal protective equipment.

Attachment 3, item (31)：“企业基本情况、工艺和设备、防护设施、个体防护用品等信息完整、准确。”
检查方法：“查阅现场调查原始记录。企业基本情况、生产工艺描述、设备、防护设施、个体防护用品等信息调查不全或缺失的，
每发现1处扣0.1分。1.0分扣完为止。”

``survey.incomplete`` names each part of the survey whose label or heading was found and
whose content is blank (nothing written, or only "/" "—"): ``SurveyRecord.parts`` with
state EMPTY (``extractors/forms/_survey_parts.py``). A part whose heading was not found
(ABSENT: institutions word and arrange their forms differently) or whose content could
not be delimited (UNKNOWN) is not called missing, and says nothing: the other parts of
a record that was read show the form, and a part we could not place is no evidence.
"""
from __future__ import annotations

import re

from checks.base import Ctx, check, read_by_ocr
from extractors.records import SURVEY_PARTS, ValState


# punctuation and blank marks: no content
_MARKS = re.compile(r"[\s/／\\—–\-－_~～、.。·:：()（）]")


def _written_on_second_reading(ctx: Ctx, v) -> bool:
    """On a scan, the place read again, closer (the label or heading and the blank space
    beside or under it): more than the label there means OCR missed the content the
    first time. A text layer is exact; no second reading leaves the first one standing."""
    if not read_by_ocr(ctx, v):
        return False
    text = ctx.reread(v)
    if not text:
        return False
    rest = _MARKS.sub("", text)
    for word in re.split(r"\s+", v.raw or ""):
        word = _MARKS.sub("", word)
        if word:
            rest = rest.replace(word, "", 1)
    # the heading's number or a stray mark is not content
    rest = re.sub(r"^[一二三四五六七八九十\d]{1,3}", "", rest)
    return len(rest) >= 2


@check("i031_survey_complete", indicators=[31], needs=["field_survey"])
def survey_complete(ctx: Ctx):
    """Every part of the survey whose label was found has its content filled in."""
    s = ctx.records.field_survey
    blank: list[tuple[str, object]] = []
    for key, name in SURVEY_PARTS.items():
        v = s.parts.get(key)
        if v is None or v.state is not ValState.EMPTY or v.page is None:
            continue
        if _written_on_second_reading(ctx, v):
            continue
        blank.append((name, v))
    if not blank:
        return
    # one heading standing for two parts (防护设施及个体防护用品) is one blank place
    groups: dict[tuple, list] = {}
    for name, v in blank:
        groups.setdefault((v.page, v.bbox), [v]).append(name)
    parts, evidence = [], []
    for (page, _), (v, *names) in groups.items():
        toks = (v.raw or "").split()
        k = len(toks)
        while k > 1 and _MARKS.sub("", toks[k - 1]) == "":  # the blank marks written after the label
            k -= 1
        label, mark = " ".join(toks[:k]), " ".join(toks[k:])
        shown = f"“{label}”" if label else ""
        content = f"仅填“{mark.strip()}”" if mark.strip() else "内容为空"
        parts.append(f"{'、'.join(names)}（第{page}页{shown}处{content}）")
        evidence.append(v)
    pages = sorted({v.page for _, v in blank})
    yield ctx.finding(
        "survey.incomplete", 31,
        f"现场调查记录（第{'、'.join(map(str, pages))}页）以下内容只有标题或栏目、未填写：{'；'.join(parts)}",
        evidence, pages=pages)
