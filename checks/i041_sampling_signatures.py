"""Indicator 41: at least two technicians sampled, and the employer's escort signed.

Attachment 3, item (41)：“至少2名专业技术人员开展现场采样、测量，并有相关人员签字。”
检查方法：“查阅现场采样/测量原始记录及影像资料。查阅现场调查记录和影像资料，调查记录签字或影像资料专业技术人员
人数不足2人的，每发现1处扣0.3分；无用人单位陪同人的，发现1处扣0.2分。1.5分扣完为止。”

Every sampling / measurement form's sampler (采样人/测量人) and escort (陪同人) slots are
read from the page lines of the form (``extractors/slots.read_slots``, on ``SamplingSheet.signatures``; see i029 for what
OCR does to hand signatures). Forms are judged per sampling day, because one team signs
all forms of a day and OCR drops a faint name on one form and reads it on the next:

- ``signatures.too_few_technicians``: every form of the day whose slot could be read holds
  one and the same single name, and no other name was read on any form of that day;
- ``signatures.no_escort``: every escort slot of the day's forms is blank while the
  samplers' signatures on those forms were read.
A day whose slots cannot be read (no slot found, unexplained scrawl, low confidence) is
``check.cannot_decide``, never a pass.
"""
from __future__ import annotations

from collections import defaultdict

from checks._people import (escort_names, escort_signed, fmt_pages, names_on, slots_of, staff_names,
                            technicians_signed)
from checks.base import Ctx, check, fmt_date


_UNDATED = "采样日期未识别"


def _day(sh) -> str:
    return fmt_date(sh.date.value) if sh.date.ok else _UNDATED


def _escort_slots(sheets) -> list:
    """The escort slots of every page of the sampling forms, each page once, in page order
    of the forms (a page two forms share is read from the first)."""
    out, seen = [], set()
    for sh in sheets:
        for no in sh.pages:
            if no not in seen:
                seen.add(no)
                out += slots_of(sh.signatures, "escort", [no])
    return out


@check("i041_sampling_signatures", indicators=[41], needs=["sampling_records"])
def sampling_signatures(ctx: Ctx):
    """Two samplers and the escort signed every sampling form."""
    staff = set(staff_names(ctx))
    sheets = ctx.records.sampling_records
    escorts = {n for n in escort_names(ctx.records) if n not in staff}
    escorts |= set(names_on(ctx, _escort_slots(sheets)))
    days: dict[str, list] = defaultdict(list)
    for sh in sheets:
        t = technicians_signed(ctx, slots_of(sh.signatures, "sampler", sh.pages), sh.samplers, escorts)
        e = escort_signed(ctx, slots_of(sh.signatures, "escort", sh.pages), sh.escort, t.names)
        days[_day(sh)].append((sh, t, e))
    undecided_tech, undecided_escort = [], []
    lone: list[list] = []  # [day, ones, people]: one finding each, undated forms merged below
    for day, items in days.items():
        people = {n for _, t, _ in items for n in t.names}
        states = {t.state for _, t, _ in items}
        if "ok" in states or len(people) >= 2:
            pass
        elif "one" in states and states <= {"one", "none"}:
            lone.append([day, [(sh, t) for sh, t, _ in items if t.state == "one"], people])
        else:
            undecided_tech += [sh for sh, t, _ in items if t.state != "ok"]
        est = {e.state for _, _, e in items}  # escort, per day
        if "signed" in est:
            continue
        if est == {"empty"}:
            pages = [p for sh, _, _ in items for p in sh.pages]
            yield ctx.finding(
                "signatures.no_escort", 41,
                f"{day}现场采样/检测记录（第{fmt_pages(pages)}页）陪同人处无签字（同页采样人签字可识别），"
                f"缺少用人单位陪同人签字",
                [(sl.page, sl.box, sl.text) for _, _, e in items for sl in e.slots][:6], pages=pages)
        else:
            undecided_escort += [sh for sh, _, e in items if e.state != "empty"]
    # a form whose date was not read, signed by the same one person as a dated day's
    # forms, is that same pre-flag (one finding, not two)
    undated = [x for x in lone if x[0] == _UNDATED]
    for x in undated:
        twin = next((y for y in lone if y[0] != _UNDATED and y[2] == x[2]), None)
        if twin is not None:
            twin[1] += x[1]
            lone.remove(x)
    for day, ones, people in lone:
        pages = sorted({p for sh, _ in ones for p in sh.pages})
        kinds = "测量" if all(sh.kind == "noise" for sh, _ in ones) else "采样"
        ev = [(sl.page, sl.box, sl.text) for _, t in ones for sl in t.slots]
        yield ctx.finding(
            "signatures.too_few_technicians", 41,
            f"{day}现场{kinds}记录（第{fmt_pages(pages)}页）{kinds}人处仅有1人签字（{'、'.join(sorted(people))}），"
            f"未达到至少2名专业技术人员开展现场采样、测量的要求",
            ev[:6], pages=pages)
    if undecided_tech:
        pages = [p for sh in undecided_tech for p in sh.pages]
        yield ctx.cannot_decide(41, "现场采样/检测记录的采样人签名", pages=pages,
                                why="签名为手写图像且未能完整识别，无法确认签字人数")
    if undecided_escort:
        pages = [p for sh in undecided_escort for p in sh.pages]
        yield ctx.cannot_decide(41, "现场采样/检测记录的用人单位陪同人签字", pages=pages,
                                why="陪同人签字栏未找到或签字为手写图像且未能识别，无法判断是否已签字")
