"""Indicators 29 and 30: who signed the field survey record.

Attachment 3, item (29)：“至少2名专业技术人员开展现场调查。”
检查方法：“查阅现场调查记录和影像资料，调查记录签字或影像资料专业技术人员人数不足2人的，每发现1处扣0.3分，
1.5分扣完为止。”

Item (30)：“原始记录按要求书写、记录、填写规范。”
检查方法：“查阅现场调查原始记录和人员签字。调查记录中项目名称、编号、调查范围和调查时间等基本信息填写不全的，
发现1处扣0.2分；无用人单位陪同人签字的，发现1处扣0.2分。1.5分扣完为止。”

- ``signatures.too_few_technicians`` (29): exactly one technician's signature is on the
  survey record and nothing else is written in the slot (so a second, illegible
  signature is not mistaken for none). No name read at all is ``check.cannot_decide``:
  the extractor gives no slot position to prove emptiness.
- ``signatures.no_escort`` (30): the escort (陪同人) slot is printed and positively
  empty (see ``_shared_people.slot_state``); an unreadable slot is ``check.cannot_decide``.
The escort is employer staff: never counted as a technician.
"""
from __future__ import annotations

from checks._shared_people import dist, escort_names, images_read, slot_content, slot_state, unexplained
from checks.base import Ctx, check


def technician_state(ctx: Ctx, vals, escorts: set[str]) -> tuple[str, list[str]]:
    """(``ok`` | ``one`` | ``unreadable`` | ``none``, names) for a slot of technicians."""
    names: list[str] = []
    for v in vals:
        if not v.ok:
            continue
        n = str(v.value)
        if any(dist(n, e) <= 1 for e in escorts if len(e) >= 2):
            continue  # the escort is not one of the institution's technicians
        if n not in names:
            names.append(n)
    if len(names) >= 2:
        return "ok", names
    if not names:
        return "none", names
    first = next(v for v in vals if v.ok)
    if not images_read(ctx.pages.get(first.page)):
        return "unreadable", names
    content = slot_content(ctx, first)
    if content is None:
        return "unreadable", names
    raw_names = [str(v.value) for v in vals if v.ok]
    if unexplained(content, raw_names):
        return "unreadable", names
    return "one", names


@check("survey_technicians", indicators=[29], needs=["field_survey"])
def survey_technicians(ctx: Ctx):
    """At least two technicians signed the field survey record."""
    s = ctx.records.field_survey
    state, names = technician_state(ctx, s.technicians, escort_names(ctx.records))
    if state == "ok":
        return
    if state == "one":
        v = next(v for v in s.technicians if v.ok)
        yield ctx.finding(
            "signatures.too_few_technicians", 29,
            f"现场调查记录第{v.page}页调查人员处仅有1人签字（{names[0]}），未达到至少2名专业技术人员开展现场调查的要求",
            [v])
        return
    pages = [v.page for v in s.technicians if v.page] or list(s.pages)
    yield ctx.cannot_decide(29, "现场调查记录的调查人员签名", pages=pages, evidence=[v for v in s.technicians if v.ok],
                            why="签名为手写图像且未能完整识别，无法确认签字人数" if state != "none" else "未识别到调查人员签名")


@check("survey_escort", indicators=[30], needs=["field_survey"])
def survey_escort(ctx: Ctx):
    """The employer's escort signed the field survey record."""
    s = ctx.records.field_survey
    e = s.escort
    others = any(v.ok for v in s.technicians)
    st = slot_state(ctx, e, others_read=others)
    if st == "signed":
        return
    if st == "empty":
        who = "、".join(str(v.value) for v in s.technicians if v.ok)
        yield ctx.finding(
            "signatures.no_escort", 30,
            f"现场调查记录第{e.page}页陪同人处无签字（同页调查人员{who}的签字可识别），缺少用人单位陪同人签字",
            [e])
        return
    why = "未找到陪同人签字栏" if st == "absent" else "陪同人签字为手写图像且未能识别，无法判断是否已签字"
    yield ctx.cannot_decide(30, "现场调查记录的用人单位陪同人签字", pages=[e.page] if e.page else list(s.pages),
                            evidence=[e] if e.page else [], why=why)
