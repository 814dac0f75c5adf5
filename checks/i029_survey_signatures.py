"""Indicators 29 and 30: who signed the field survey record.

Attachment 3, item (29)：“至少2名专业技术人员开展现场调查。”
检查方法：“查阅现场调查记录和影像资料，调查记录签字或影像资料专业技术人员人数不足2人的，每发现1处扣0.3分，
1.5分扣完为止。”

Item (30)：“原始记录按要求书写、记录、填写规范。”
检查方法：“查阅现场调查原始记录和人员签字。调查记录中项目名称、编号、调查范围和调查时间等基本信息填写不全的，
发现1处扣0.2分；无用人单位陪同人签字的，发现1处扣0.2分。1.5分扣完为止。”

Signatures are hand-written. On a scan (or a born-digital page whose signature images
were OCR'd) OCR merges neighbouring names into one run (``赖波建蔡平庆``), glues the
date to the last name, misreads a character, adds a stray stroke as a character, or
drops a faint name altogether. So every technician / escort slot of the record (the
survey page and the work-day page both carry one) is read from the page lines in its
row (``extractors/slots.read_slots``, on ``SurveyRecord.signatures``), runs of names are split with the registered staff
list, and:

- ``signatures.too_few_technicians`` (29): every located technician slot holds the same
  single name and nothing else (two different names over the slots are two people:
  OCR dropped one on the other page). A slot with unexplained characters, a low-
  confidence line or no slot at all is ``check.cannot_decide``.
- ``signatures.no_escort`` (30): every located escort (陪同人) slot is blank (a date
  alone is not a signature) while the technicians' names on the record were read.
The escort is employer staff: never counted as a technician; a registered staff name
is never taken for the escort (OCR putting a technician's name into the escort slot).
"""
from __future__ import annotations

from checks._people import (escort_names, escort_signed, fmt_pages, names_on, slots_of, staff_names,
                            technicians_signed)
from checks.base import Ctx, check


def survey_escorts(ctx: Ctx) -> set[str]:
    """Names of the employer's people: escort slots of the survey and the extractor's values."""
    s = ctx.records.field_survey
    staff = set(staff_names(ctx))
    out = {n for n in escort_names(ctx.records) if n not in staff}
    out |= set(names_on(ctx, slots_of(s.signatures, "escort", s.pages)))
    return out


@check("i029_survey_technicians", indicators=[29], needs=["field_survey"])
def survey_technicians(ctx: Ctx):
    """At least two technicians signed the field survey record."""
    s = ctx.records.field_survey
    pages = list(dict.fromkeys([v.page for v in s.technicians if v.page] + list(s.pages)))
    t = technicians_signed(ctx, slots_of(s.signatures, "technician", pages), s.technicians, survey_escorts(ctx))
    if t.state == "ok":
        return
    if t.state == "one":
        slot_pages = [sl.page for sl in t.slots]
        ev = [(sl.page, sl.box, sl.text) for sl in t.slots] + [v for v in s.technicians if v.ok]
        yield ctx.finding(
            "signatures.too_few_technicians", 29,
            f"现场调查记录第{fmt_pages(slot_pages)}页调查人员处仅有1人签字（{t.names[0]}），"
            f"未达到至少2名专业技术人员开展现场调查的要求",
            ev[:6], pages=slot_pages)
        return
    pages_cd = [sl.page for sl in t.slots] or [v.page for v in s.technicians if v.page] or list(s.pages)
    why = {"none": "调查人员签字栏内未识别到任何签名",
           "unclear": "签名为手写图像且未能完整识别，无法确认签字人数"}[t.state]
    yield ctx.cannot_decide(29, "现场调查记录的调查人员签名", pages=pages_cd,
                            evidence=[v for v in s.technicians if v.ok], why=why)


@check("i030_survey_escort", indicators=[30], needs=["field_survey"])
def survey_escort(ctx: Ctx):
    """The employer's escort signed the field survey record."""
    s = ctx.records.field_survey
    t = technicians_signed(ctx, slots_of(s.signatures, "technician", s.pages), s.technicians, survey_escorts(ctx))
    e = escort_signed(ctx, slots_of(s.signatures, "escort", s.pages), s.escort, t.names)
    if e.state == "signed":
        return
    if e.state == "empty":
        who = "、".join(t.names)
        slot_pages = [sl.page for sl in e.slots]
        yield ctx.finding(
            "signatures.no_escort", 30,
            f"现场调查记录第{fmt_pages(slot_pages)}页陪同人处无签字（同页调查人员{who}的签字可识别），"
            f"缺少用人单位陪同人签字",
            [(sl.page, sl.box, sl.text) for sl in e.slots][:4], pages=slot_pages)
        return
    why = "未找到陪同人签字栏" if e.state == "absent" else "陪同人签字为手写图像且未能识别，无法判断是否已签字"
    pages = [sl.page for sl in e.slots] or ([s.escort.page] if s.escort.page else list(s.pages))
    yield ctx.cannot_decide(30, "现场调查记录的用人单位陪同人签字", pages=pages, why=why)
