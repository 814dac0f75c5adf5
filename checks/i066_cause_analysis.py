"""Indicator 66: a cause analysis for every exceeding post.

Attachment 3, item (66)：“超标的岗位原因分析客观准确。”
检查方法：“查阅检测报告，检测结果超标的岗位原因未分析不得分，分析不准确或不客观的，
发现1处扣0.5分。1.0分扣完为止。”

``report.no_cause_analysis``: a post has a result the tables judge over its limit, and
no statement anywhere in the report analyses its cause: none in a 超标原因分析 passage,
and none marked 原因 / 由于 / 导致 / 所致 … (not a recommendation to analyse it) that
names the post or its work site — or the exceeding factor, where no other post exceeds
for it. A sentence naming nothing takes the names of the one before it in its paragraph
(“配料工噪声超标。其原因为……”). Whether the analysis is objective and accurate is left
to the expert.

Absence needs proof: the report's prose must have been found (a 结论, 建议 or 原因分析
heading seen, its text read); else ``check.cannot_decide``. No exceedance: no finding.
"""
from __future__ import annotations

from checks._exceedances import PROSE_PARTS, by_post, exceedances, factors_of, prose_headings
from checks.base import Ctx, check
from extractors.prose import factor_key

MIN_CONF = 0.6


@check("i066_cause_analysis", indicators=[66], needs=["report"])
def cause_analysis(ctx: Ctx):
    """Each exceeding post named by some cause statement."""
    rep = ctx.records.report
    groups = by_post(exceedances(rep))
    if not groups:
        return
    heads = prose_headings(rep, PROSE_PARTS)
    read = [s for s in rep.statements if s.part in PROSE_PARTS]
    if not heads or not read:
        first = next(iter(groups.values()))[0]
        yield ctx.cannot_decide(66, "检测报告的结论、建议或超标原因分析部分",
                                why=f"未找到这些部分的标题或正文，而结果表第{first.page}页{first.where} {first.factor} 超标",
                                evidence=[first.row], pages=[first.page])
        return
    causes = [s for s in rep.statements if s.cause]
    # posts exceeding per factor: a cause naming only the factor speaks for its one post
    posts_by_factor: dict[str, set[str]] = {}
    for key, exs in groups.items():
        for e in exs:
            posts_by_factor.setdefault(factor_key(e.factor), set()).add(key)
    for key, exs in groups.items():
        if any(e.named_place(s.mentions) for s in causes for e in exs):
            continue
        if any(e.named_factor(s.mentions) and posts_by_factor.get(factor_key(e.factor)) == {key}
               and not any(m.label in ("POST", "SITE") for m in s.mentions)
               for s in causes for e in exs):
            continue
        if any(s.text.conf < MIN_CONF for s in read) or not ctx.confirmed(*[v for e in exs[:2] for v in e.hinge]):
            yield ctx.cannot_decide(66, f"检测报告对{exs[0].post}超标原因的分析", why="报告文字识别置信度低",
                                    evidence=heads[:1], pages=[h.page for h in heads[:1]])
            continue
        e = exs[0]
        where = "、".join(f"第{h.page}页“{h.value}”" for h in heads[:3])
        yield ctx.finding(
            "report.no_cause_analysis", 66,
            f"检测报告第{e.page}页结果表中 {e.where} {factors_of(exs)} 超标（{e.detail}），"
            f"报告中未见对该岗位超标原因的分析（已读取{where}等部分，共{len(read)}句，"
            f"无一分析该岗位的超标原因）",
            [e.row, *heads[:2]], pages=[e.page] + [h.page for h in heads[:3]])
