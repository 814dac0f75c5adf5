"""Indicator 57: the report states each post's shift system and headcount as the survey
recorded them.

Attachment 3, item (57)：“明确岗位的工作班制和劳动定员。”
检查方法：“查阅检测报告及现场调查记录，岗位劳动定员和工作班制描述不完整，或与现场调查记录不一致的，
每发现1处扣0.2分。1.0分扣完为止。”

``report.shift_mismatch``: a post of the report's post analysis (a table with 劳动定员 /
工作班制 columns, or the post's sentences; ``ReportRecord.post_analysis``) whose headcount
or shift system differs from every value the field survey records for that post (its
工作日写实 and its posts table). Posts are matched by name (``checks/_posts``); a report
post the survey does not name, or names twice as well, is not compared. Headcounts are
compared by value; shift systems by meaning (``_posts.parse_shift``: 两班制 = 两班倒 =
2班制 = 二班两运转, two crews on two shifts; 三班两运转 is three crews on two shifts, so it
differs from 两班制; a bare "三班" says neither and is not compared): only a number both
texts state (crews, shifts a day, hours a shift) and state differently makes a mismatch. A value read from a
scan must read the same a second time.

When the report prints a post analysis and the survey's posts cannot be read (no
workday or posts table, or no headcount / shift read in it), the item cannot be
decided. A report that prints no post analysis at all says nothing to compare: silent
(absence is not proven by what the readers did not find).

Not done: "描述不完整" (a blank 工作班制 cell): institutions merge one shift cell over
several rows, which reads as blank rows; not flagged.
"""
from __future__ import annotations

from checks._posts import analysis_rows, match, pages_text, post_name, shifts_differ, survey_posts
from checks.base import Ctx, check


def _num(x: float) -> str:
    return f"{x:g}"


@check("i057_shift_headcount", indicators=[57], needs=["field_survey", "report"])
def shift_headcount(ctx: Ctx):
    """Each analysed post's 劳动定员 and 工作班制 agree with the survey."""
    rep, s = ctx.records.report, ctx.records.field_survey
    rows = [r for r in analysis_rows(rep) if r.get("workers").ok or r.get("shift").ok]
    if not rows:
        return
    sposts = survey_posts(s)
    if not any(p.vals("workers") or p.vals("shift") for p in sposts):
        yield ctx.cannot_decide(57, "现场调查记录中各岗位的劳动定员和工作班制",
                                why="检测报告列有岗位定员/班制，但现场调查记录的岗位表或工作日写实未能读取",
                                pages=list(rep.post_analysis.pages) + list(s.pages[:1]))
        return
    items, evidence, pages = [], [], []
    seen = set()
    for r in rows:
        name = post_name(r)
        sp = match(name, r.value("workshop"), sposts)
        if sp is None:
            continue
        rw = r.get("workers")
        sw = sp.vals("workers")
        if rw.ok and sw and all(abs(float(v.value) - float(rw.value)) > 0.01 for v in sw) \
                and ctx.confirmed(rw, sw[0]):
            key = (sp.name, "workers", float(rw.value))
            if key not in seen:
                seen.add(key)
                items.append(f"岗位“{name}”的劳动定员，报告（第{rw.page}页）为{_num(rw.value)}人，"
                             f"现场调查记录（第{sw[0].page}页）为{_num(sw[0].value)}人")
                evidence += [rw, sw[0]]
                pages += [rw.page, sw[0].page]
        rs = r.get("shift")
        ss = sp.vals("shift")
        if rs.ok and ss and all(shifts_differ(rs.value, v.value) for v in ss) and ctx.confirmed(rs, ss[0]):
            key = (sp.name, "shift", str(rs.value))
            if key not in seen:
                seen.add(key)
                items.append(f"岗位“{name}”的工作班制，报告（第{rs.page}页）为“{rs.value}”，"
                             f"现场调查记录（第{ss[0].page}页）为“{ss[0].value}”")
                evidence += [rs, ss[0]]
                pages += [rs.page, ss[0].page]
    if items:
        yield ctx.finding(
            "report.shift_mismatch", 57,
            f"检测报告的岗位劳动定员/工作班制与现场调查记录不一致：{'；'.join(items)}"
            f"（共{len(items)}处，第{pages_text(pages)}页）",
            evidence, pages=pages)
