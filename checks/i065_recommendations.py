"""Indicator 65 (key indicator): targeted recommendations where results exceed.

Attachment 3, item (65)：“用人单位存在的问题及对策和建议情况。”
检查方法：“查阅检测报告，核实是否明确用人单位存在的问题，对策、建议是否有针对性、
可行性，每发现1处错误扣0.5分。1.5分扣完为止。未提出有针对性的对策和建议不得分。”

``report.no_targeted_recommendation``: a post has a result the tables judge over its
limit, and no recommendation of the report names that post, its work site or workshop,
or the exceeding factor: the 建议 give only generic advice (“加强个体防护”,
“定期体检”). A recommendation is a statement of the 建议 passage (not a cause stated
there), or any statement marked 建议 / 应 …; a sentence naming nothing takes the names
of the sentence before it in its paragraph (“……超标原因……；建议采取隔声措施”).
A factor class (“粉尘”) is generic: it does not name the exceeding factor.

Absence needs proof: only when a 建议 (or 结论与建议) heading was seen is a missing
recommendation claimed; with exceedances and no such heading, ``check.cannot_decide``.
No exceedance: no finding.
"""
from __future__ import annotations

from checks._exceedances import by_post, exceedances, factors_of, prose_headings, quote
from checks.base import Ctx, check

REC_PARTS = ("recommendation", "conclusion_recommendation")
MIN_CONF = 0.6  # a recommendation read this unsure may name the post in a misread word


@check("i065_recommendations", indicators=[65], needs=["report"])
def recommendations(ctx: Ctx):
    """Each exceeding post named by some recommendation."""
    rep = ctx.records.report
    groups = by_post(exceedances(rep))
    if not groups:
        return
    heads = prose_headings(rep, REC_PARTS)
    if not heads:
        first = next(iter(groups.values()))[0]
        yield ctx.cannot_decide(65, "检测报告的“建议”部分", why=f"未找到建议（对策）标题，而结果表第{first.page}页"
                                f"{first.where} {first.factor} 超标", evidence=[first.row], pages=[first.page])
        return
    recs = [s for s in rep.statements if s.recommends]
    for key, exs in groups.items():
        if any(e.named_place(s.mentions) or e.named_workshop(s.mentions) or e.named_factor(s.mentions)
               for s in recs for e in exs):
            continue
        if any(s.text.conf < MIN_CONF for s in recs) or not ctx.confirmed(*[v for e in exs[:2] for v in e.hinge]):
            yield ctx.cannot_decide(65, f"检测报告建议部分对{exs[0].post}的建议", why="建议文字识别置信度低",
                                    evidence=[h for h in heads[:1]], pages=[h.page for h in heads[:1]])
            continue
        e = exs[0]
        head = heads[0]
        gen = [s for s in recs if s.part in REC_PARTS]
        said = f"所列{len(gen)}条建议如“{quote(gen[0], 40)}”均未提及该岗位或{factors_of(exs)}" if gen else "该部分无建议内容"
        yield ctx.finding(
            "report.no_targeted_recommendation", 65,
            f"检测报告第{e.page}页结果表中 {e.where} {factors_of(exs)} 超标（{e.detail}），"
            f"而第{head.page}页“{head.value}”部分未针对该岗位或该危害因素提出对策和建议：{said}",
            [e.row, head] + [s.text for s in gen[:2]], pages=[e.page, head.page])
