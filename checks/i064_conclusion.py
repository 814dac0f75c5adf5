"""Indicator 64: the report's conclusions agree with its result tables.

Attachment 3, item (64)：“报告结论全面准确。”
检查方法：“查阅检测报告，核实报告结论全面准确性，发现1处错误的扣0.5分。1.5分扣完为止。”

``report.conclusion_wrong``: a statement of the 结论 (or 结论与建议, or a labelled
“检测结论：……”) claims compliance — for every result (“均符合国家职业接触限值要求”,
“全部合格”, “均未超过……限值”, “不符合0项”), or for a named post, workshop, site or factor
(“投料岗位一氧化碳浓度符合……”, “粉尘浓度均符合……”) — while a row of the result tables
that the claim covers is judged over its limit. Claims about the rest (“其余岗位均符合”,
“除……外”), partial ones (“基本符合”) and counts (“符合8项，不符合2项”) say nothing
wrong about a named exceedance and are let be; so are norms (“应符合”, “不得超过”).

A second rule (``i064_conclusion_complete``, same code): an exceeding post that no
statement of the conclusions names — the conclusion is not 全面.

The statements and their claims are read by ``extractors/prose.py`` (entities compared by
key, not as printed). No exceedance in the tables: nothing to contradict, no finding.
"""
from __future__ import annotations

from checks._exceedances import Exceedance, by_post, exceedances, factors_of, prose_headings, quote
from checks.base import Ctx, check
from extractors.prose import factor_key
from extractors.records import Claim

CONCLUSION_PARTS = ("conclusion", "conclusion_recommendation")


def covers(claim: Claim, e: Exceedance) -> bool:
    """Whether a compliance claim speaks for the exceeding row ``e``."""
    if claim.kind == "exceed" and claim.scope == "count" and claim.count == 0:
        return True  # "不符合0项": every result complies
    if claim.kind != "comply":
        return False
    if claim.scope == "all":
        return True
    if claim.scope != "named":
        return False
    places = [m for m in claim.mentions if m.label in ("POST", "SITE", "WORKSHOP")]
    factors = [m for m in claim.mentions if m.label in ("FACTOR", "FACTOR_CLASS")]
    if not places and not factors:
        return False
    if places and not (e.named_place(places) or e.named_workshop(places)):
        return False
    return not factors or e.named_factor(factors, classes=True)


@check("i064_conclusion", indicators=[64], needs=["report"])
def conclusion(ctx: Ctx):
    """A conclusion that claims compliance over a result the tables judge exceeding."""
    rep = ctx.records.report
    exs = exceedances(rep)
    if not exs:
        return
    for s in rep.statements:
        if s.part not in CONCLUSION_PARTS:
            continue
        for claim in s.claims:
            hit = [e for e in exs if covers(claim, e)]
            if not hit:
                continue
            if not ctx.confirmed(*[v for e in hit[:3] for v in e.hinge]):
                continue
            if claim.scope == "named":
                said = "、".join(dict.fromkeys(m.text for m in claim.mentions)) + " 的检测结果符合要求"
            else:
                said = "检测结果全部符合职业接触限值要求"
            rows = "；".join(f"第{e.page}页 {e.where} {e.factor}：{e.detail}" for e in hit[:3])
            more = f"等{len(hit)}项" if len(hit) > 3 else ""
            pages = [s.text.page] + [e.page for e in hit[:3]]
            yield ctx.finding(
                "report.conclusion_wrong", 64,
                f"检测报告第{s.text.page}页结论“{quote(s)}”称{said}，而结果表中 {rows}{more}"
                f"，结论与检测结果不符",
                [s.text] + [e.row for e in hit[:3]] + [e.judgement for e in hit[:3] if e.judgement.ok],
                pages=pages)
            break  # one finding per statement


@check("i064_conclusion_complete", indicators=[64], needs=["report"])
def conclusion_complete(ctx: Ctx):
    """Every exceeding post named in the conclusions (“报告结论全面”).

    ``report.conclusion_wrong`` too: a post the tables judge over its limit is named by
    no statement of the conclusions (its post or work site, or — where it is the only
    post exceeding for that factor — its factor). Absence needs proof: only where a 结论
    heading was seen and its text read; else silence (item 64 has the contradiction
    check above; an unread conclusion is no error of the report)."""
    rep = ctx.records.report
    groups = by_post(exceedances(rep))
    if not groups:
        return
    heads = prose_headings(rep, CONCLUSION_PARTS)
    said = [s for s in rep.statements if s.part in CONCLUSION_PARTS]
    if not heads or not said or any(s.text.conf < 0.6 for s in said):
        return
    posts_by_factor: dict[str, set[str]] = {}
    for key, exs in groups.items():
        for e in exs:
            posts_by_factor.setdefault(factor_key(e.factor), set()).add(key)
    for key, exs in groups.items():
        if any(e.named_place(s.mentions) for s in said for e in exs):
            continue
        if any(e.named_factor(s.mentions) and posts_by_factor.get(factor_key(e.factor)) == {key}
               for s in said for e in exs):
            continue
        if not ctx.confirmed(*[v for e in exs[:2] for v in e.hinge]):
            continue
        e, head = exs[0], heads[0]
        yield ctx.finding(
            "report.conclusion_wrong", 64,
            f"检测报告第{e.page}页结果表中 {e.where} {factors_of(exs)} 超标（{e.detail}），"
            f"而第{head.page}页“{head.value}”（共{len(said)}句）未提及该岗位及其超标，结论不全面",
            [e.row, head] + [s.text for s in said[:1]], pages=[e.page, head.page])
