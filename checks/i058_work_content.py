"""Indicator 58: the report analyses every post's work content (工作内容 / 作业方式).

Attachment 3, item (58)：“准确分析劳动者的工作内容、工作时间、工作方式等。”
检查方法：“查阅检测报告及现场调查记录，核实劳动者工作内容、工作时间、工作方式分析一致性及完整情况，
发现1处不一致或不完整的扣0.3分，1.5分扣完为止。”

``report.work_content_incomplete``, where the report analyses work content at all (a
post table with a 工作内容 / 作业方式 column, or per-post sentences stating it;
``ReportRecord.post_analysis``):
- a post whose content is printed blank: its table cell holds nothing or only "/" "—"
  "无" (``ValState.EMPTY``), or its sentence prints the label with nothing after it
  ("工作内容：；"), or leaves the content's place in an enumeration empty;
- a post the survey records (工作日写实 / posts table) that the content analysis leaves
  out, while it analyses other posts: no table row and no sentence names it (posts
  matched by name, ``checks/_posts``). A post named in a sentence together with others
  is analysed (its values are not told apart, but it is not missing).
Said only when at least one other post's content was read (the analysis was found and
read), and when the survey's posts were read; else nothing (no analysis printed) or
cannot-decide (survey unreadable).

Not done: whether the content agrees in meaning with the 工作日写实 (free text on both
sides; the hours are item 60's).
"""
from __future__ import annotations

from rapidfuzz import fuzz

from checks._posts import match, norm, pages_text, post_name, survey_posts
from checks.base import Ctx, check


@check("i058_work_content", indicators=[58], needs=["field_survey", "report"])
def work_content(ctx: Ctx):
    """Every post has its work content in the report's post analysis."""
    rep, s = ctx.records.report, ctx.records.field_survey
    pa = rep.post_analysis
    rows = [r for r in list(pa.table) + list(pa.sentences) if post_name(r) and "content" in r.fields]
    named_only = [r for r in pa.sentences if post_name(r) and len(r.fields) == 1]
    if not any(r.get("content").ok for r in rows):
        return
    sposts = survey_posts(s)
    if not sposts:
        yield ctx.cannot_decide(58, "现场调查记录中的岗位（工作日写实）",
                                why="检测报告分析了岗位工作内容，但现场调查记录的岗位表或工作日写实未能读取",
                                pages=list(pa.pages) + list(s.pages[:1]))
        return
    items, evidence, pages = [], [], []
    blank_posts = set()
    for r in rows:
        c = r.get("content")
        if c.empty and c.page is not None:
            name = post_name(r)
            if norm(name) in blank_posts:
                continue
            # the same post's content read elsewhere (its other table or sentence) is not blank
            if any(post_name(o) and norm(post_name(o)) == norm(name) and o.get("content").ok for o in rows):
                continue
            blank_posts.add(norm(name))
            shown = f"仅填“{c.raw}”" if c.raw and c.raw.strip() else "空白"
            items.append(f"岗位“{name}”的工作内容/作业方式未填写（第{c.page}页，{shown}）")
            evidence += [r.get("post"), c]
            pages.append(c.page)
    matched = [(r, match(post_name(r), r.value("workshop"), sposts)) for r in rows + named_only]
    analysed = {id(p) for _, p in matched if p is not None}
    # a report post matched to no survey post may be any of those it resembles
    unsure = [post_name(r) for r, p in matched if p is None]
    missing = [p for p in sposts if id(p) not in analysed and not any(fuzz.partial_ratio(norm(u), norm(p.name)) >= 70 for u in unsure)]
    # only where the analysis covers other survey posts (a table of other posts, or an
    # unmatched naming scheme, is no evidence of a post left out)
    if missing and len(missing) < len(sposts):
        where = sorted({r.page for r in rows if r.page is not None})
        for p in missing:
            ev = p.rows[0].get("post")
            items.append(f"现场调查记录（第{ev.page}页）的岗位“{p.name}”在检测报告的岗位工作内容分析"
                         f"（第{pages_text(where)}页）中未列出")
            evidence.append(ev)
            pages += [ev.page] + where
        if rows:
            evidence.append(rows[0])
    if items:
        yield ctx.finding(
            "report.work_content_incomplete", 58,
            f"检测报告对劳动者工作内容的分析不完整：{'；'.join(items)}",
            evidence, pages=pages)
