"""Indicator 32: the survey's raw-material information is complete.

Attachment 3, item (32)：“原辅材料信息完整、准确。”
检查方法：“查阅现场调查原始记录。原辅材料成分、用量和安全健康信息等不全或缺失的，有害组分信息和实际检测
不对应的，每发现1处扣0.2分。1.0分扣完为止。”

``survey.materials_incomplete``: a row of the survey's raw-material table (名称 / 用量 /
主要成分 or 有害组分, in whatever wording and column order) whose material is named and
whose 用量 or 成分 cell is provably blank: the table and its column were read, the cell
holds nothing or only a blank mark ("/", "—"); the extractor marks such a cell EMPTY
(``field_survey._blank_cells``). A column the form does not have, or a cell that did not
parse, is no evidence and says nothing. On a scan the cell is read again, closer, and
content there means OCR missed it the first time.

Not here: whether the harmful components match what was tested (the second half of the
item; the survey-to-plan comparison is item 33's ``survey.component_analysis``).
"""
from __future__ import annotations

import re

from checks.base import Ctx, check, read_by_ocr
from extractors.records import Row, ValState

# what a material table's row may hold instead of a material: totals and notes
_NOT_MATERIAL = re.compile(r"^(合计|小计|总计|备注|注|说明|以下空白|空白)")
# punctuation and blank marks: no content
_MARKS = re.compile(r"[\s/／\\—–\-－_~～、.。·:：()（）]")
_COLUMNS = {"amount": "用量", "components": "主要成分/有害组分"}


def _written_on_second_reading(ctx: Ctx, v) -> bool:
    """On a scan, the blank cell read again: two characters of content there mean OCR
    missed them. A text layer is exact."""
    if not read_by_ocr(ctx, v):
        return False
    text = ctx.reread(v)
    return bool(text) and len(_MARKS.sub("", text)) >= 2


def _blank_cells(ctx: Ctx, r: Row) -> list[tuple[str, object]]:
    out = []
    for key, label in _COLUMNS.items():
        v = r.fields.get(key)
        if v is None or v.state is not ValState.EMPTY or v.page is None:
            continue
        if _written_on_second_reading(ctx, v):
            continue
        out.append((label, v))
    return out


@check("i032_materials_complete", indicators=[32], needs=["field_survey"])
def materials_complete(ctx: Ctx):
    """Each raw material the survey names has its amount and its components filled in."""
    s = ctx.records.field_survey
    for r in s.raw_materials:
        name = r.get("name")
        if not name.ok or not str(name.value).strip() or _NOT_MATERIAL.match(str(name.value).strip()):
            continue
        blank = _blank_cells(ctx, r)
        if not blank:
            continue
        what = "、".join(f"{label}栏{('仅填“' + v.raw.strip() + '”') if (v.raw or '').strip() else '为空'}"
                        for label, v in blank)
        filled = [f"{label}“{r.get(k).raw or r.get(k).value}”" for k, label in _COLUMNS.items()
                  if r.get(k).ok]
        page = name.page
        yield ctx.finding(
            "survey.materials_incomplete", 32,
            f"现场调查记录第{page}页原辅材料“{name.value}”：{what}"
            + (f"（同行已填{'、'.join(filled)}）" if filled else "")
            + "，原辅材料成分或用量信息不全",
            [name] + [v for _, v in blank], pages=[page] + [v.page for _, v in blank])
