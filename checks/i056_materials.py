"""Indicator 56: the report's raw-material description agrees with the field survey.

Attachment 3, item (56)：“原辅物料信息描述能够满足危害识别需求。”
检查方法：“查阅检测报告及现场调查记录，根据原辅物料信息描述不完整，或与现场调查记录不一致的，每发现1处，扣0.3分。
1.5分扣完为止。”

``report.materials_mismatch``: against the survey's raw-material table
(``SurveyRecord.raw_materials``), the report's description (``ReportRecord.materials``, a
table or a sentence, read by ``extractors/forms/_report_basics.py``)

- omits a material the survey lists, or
- gives a material another amount (1200 t/a against 800 t/a).

Materials are matched by name, not as printed: brackets, spacing and punctuation aside,
then by similarity (rapidfuzz, one name containing the other, or a ratio of 85 and over).
Amounts are compared by value with units normalised (``parse_amount``: 吨/年 = t/a,
万t = 10 000 t); an amount that is no quantity on either side ("副产", "/") is not compared.

"Missing" needs the report's description read: its place found (``materials_place``
READ or EMPTY) and, when it lists materials, most of the survey's found in it (else the
description was probably not read as printed: ``cannot_decide``); a name the reader did
not split out but that the description's printed text holds is not missing. A report with
no description found says nothing: a wording the reader does not know is no proof.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from checks.base import Ctx, check
from extractors.forms._report_basics import parse_amount, same_amount
from extractors.records import Row, ValState


def name_key(name) -> str:
    s = str(name or "").replace("（", "(").replace("）", ")")
    return re.sub(r"[\s()\[\]【】·,，、:：/]", "", s)


def _bare(name) -> str:
    return re.sub(r"[(（][^)）]*[)）]", "", str(name or "")).strip()


def same_material(a, b) -> bool:
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return False
    if ka == kb or name_key(_bare(a)) == name_key(_bare(b)) and len(name_key(_bare(a))) >= 2:
        return True
    if min(len(ka), len(kb)) >= 2 and (ka in kb or kb in ka):
        return True
    return fuzz.ratio(ka, kb) >= 85


def _amount_of(row: Row):
    v = row.get("amount")
    if row.get("unit").ok and v.ok:
        return float(v.value), str(row.value("unit"))
    return None


def _shown(a) -> str:
    x, u = a
    base, _, per = u.partition("/")
    num = f"{x / 1e4:g}万" if x >= 1e4 and not x % 1e3 else f"{x:g}"
    return f"{num}{base}" + ({"a": "/年", "month": "/月"}.get(per, f"/{per}" if per else ""))


@check("i056_materials", indicators=[56], needs=["report", "field_survey"])
def materials(ctx: Ctx):
    """A survey material the report omits, or states with another amount."""
    rep, sur = ctx.records.report, ctx.records.field_survey
    smats = [r for r in sur.raw_materials if r.get("name").ok and re.search(r"[\u4e00-\u9fffA-Za-z]", str(r.value("name")))]
    place = rep.materials_place
    if not smats or place.state in (ValState.ABSENT, ValState.UNKNOWN):
        return
    names = "、".join(str(r.value("name")) for r in smats)
    if place.state is ValState.EMPTY:
        yield ctx.finding(
            "report.materials_mismatch", 56,
            f"检测报告第{place.page}页“{place.raw}”下未列出原辅材料，而第{smats[0].page}页现场调查记录列有{names}，"
            f"原辅物料信息描述不完整",
            [place, smats[0]], pages=[place.page, smats[0].page])
        return
    rmats = [r for r in rep.materials if r.get("name").ok]
    pairs = [(s, next((r for r in rmats if same_material(s.value("name"), r.value("name"))), None)) for s in smats]
    found = [p for p in pairs if p[1] is not None]
    if not rmats or len(found) < max(1, len(smats) / 2):
        yield ctx.cannot_decide(56, "检测报告中的原辅材料名称", why=f"报告第{place.page}页的原辅材料描述中"
                                f"只读到{len(found)}种与现场调查记录（{names}）对应", evidence=[place], pages=[place.page])
        return
    printed = name_key("".join(str(r.get("name").raw or "") + str(r.get("amount").raw or "") for r in rmats))
    for s, r in pairs:
        sname = str(s.value("name"))
        if r is None:
            if any(k and k in printed for k in (name_key(sname), name_key(_bare(sname)))) or \
                    fuzz.partial_ratio(name_key(_bare(sname)), printed) >= 90:
                continue  # the description prints it; the reader did not split it out
            if not ctx.confirmed(s.get("name")):
                continue
            listed = "、".join(str(x.value("name")) for x in rmats)
            yield ctx.finding(
                "report.materials_mismatch", 56,
                f"第{s.page}页现场调查记录列有原辅材料“{sname}”（用量{s.get('amount').raw or '未填'}），"
                f"而检测报告第{place.page}页原辅材料描述（{listed}）中没有该物料，原辅物料信息描述不完整",
                [s, place] + rmats[:3], pages=[s.page, place.page])
            continue
        sa_raw = s.get("amount").raw or ""
        sa, ra = parse_amount(sa_raw), _amount_of(r)
        if sa is None or ra is None or same_amount(sa, ra) is not False:
            continue
        if not ctx.confirmed(s.get("amount"), r.get("amount"), same=lambda val, text: parse_amount(text) is not None):
            continue
        yield ctx.finding(
            "report.materials_mismatch", 56,
            f"检测报告第{r.page}页原辅材料“{r.value('name')}”用量为{_shown(ra)}（{r.get('amount').raw}），"
            f"而第{s.page}页现场调查记录“{sname}”用量为{_shown(sa)}（{sa_raw}），与现场调查记录不一致",
            [r.get("amount"), s.get("amount"), r, s], pages=[r.page, s.page])
