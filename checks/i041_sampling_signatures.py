"""Indicator 41: at least two technicians sampled, and the employer's escort signed.

Attachment 3, item (41)：“至少2名专业技术人员开展现场采样、测量，并有相关人员签字。”
检查方法：“查阅现场采样/测量原始记录及影像资料。查阅现场调查记录和影像资料，调查记录签字或影像资料专业技术人员
人数不足2人的，每发现1处扣0.3分；无用人单位陪同人的，发现1处扣0.2分。1.5分扣完为止。”

Per sampling / measurement form (grouped by sampling day in the messages):

- ``signatures.too_few_technicians``: exactly one sampler (采样人/测量人) signed and
  nothing else is written in the slot;
- ``signatures.no_escort``: the escort (陪同人) slot is printed and positively empty
  (page images read, nothing in the slot, the samplers' signatures legible).
Illegible or unlocated signatures are ``check.cannot_decide``, never a pass.
"""
from __future__ import annotations

from collections import defaultdict

from checks._shared_people import escort_names, fmt_pages, slot_state
from checks.base import Ctx, check, fmt_date
from checks.i029_survey_signatures import technician_state


def _day(sh) -> str:
    return fmt_date(sh.date.value) if sh.date.ok else "采样日期未识别"


@check("sampling_signatures", indicators=[41], needs=["sampling_records"])
def sampling_signatures(ctx: Ctx):
    """Two samplers and the escort signed every sampling form."""
    escorts_all = escort_names(ctx.records)
    one: dict[str, list] = defaultdict(list)
    no_escort: dict[str, list] = defaultdict(list)
    undecided_tech, undecided_escort = [], []
    for sh in ctx.records.sampling_records:
        escorts = set(escorts_all)
        state, names = technician_state(ctx, sh.samplers, escorts)
        if state == "one":
            one[_day(sh)].append((sh, names[0]))
        elif state != "ok":
            undecided_tech.append(sh)
        others = any(v.ok for v in sh.samplers) or sh.checker.ok
        st = slot_state(ctx, sh.escort, others_read=others)
        if st == "empty":
            no_escort[_day(sh)].append(sh)
        elif st != "signed":
            undecided_escort.append(sh)
    for day, items in one.items():
        pages = [p for sh, _ in items for p in sh.pages]
        who = "、".join(dict.fromkeys(n for _, n in items))
        kinds = "测量" if all(sh.kind == "noise" for sh, _ in items) else "采样"
        yield ctx.finding(
            "signatures.too_few_technicians", 41,
            f"{day}现场{kinds}记录（第{fmt_pages(pages)}页）{kinds}人处仅有1人签字（{who}），"
            f"未达到至少2名专业技术人员开展现场采样、测量的要求",
            [v for sh, _ in items for v in sh.samplers if v.ok][:6])
    for day, sheets in no_escort.items():
        pages = [p for sh in sheets for p in sh.pages]
        yield ctx.finding(
            "signatures.no_escort", 41,
            f"{day}现场采样/检测记录（第{fmt_pages(pages)}页）陪同人处无签字（同页采样人签字可识别），"
            f"缺少用人单位陪同人签字",
            [sh.escort for sh in sheets][:6])
    if undecided_tech:
        pages = [p for sh in undecided_tech for p in sh.pages]
        yield ctx.cannot_decide(41, "现场采样/检测记录的采样人签名", pages=pages,
                                why="签名为手写图像且未能完整识别，无法确认签字人数")
    if undecided_escort:
        pages = [p for sh in undecided_escort for p in sh.pages]
        yield ctx.cannot_decide(41, "现场采样/检测记录的用人单位陪同人签字", pages=pages,
                                why="陪同人签字栏未找到或签字为手写图像且未能识别，无法判断是否已签字")
