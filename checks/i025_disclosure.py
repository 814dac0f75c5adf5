"""Report submitted to the national information system in time (报送时限), item 25.

Attachment 3, 一、资质条件保持和符合性 / (九)报告管理:

  (25)在出具职业卫生技术报告后十五个工作日内完成报送。
  现场抽取5份报告，通过职业卫生技术服务机构信息管理系统核实，未在规定时间通过职业卫生技术服务
  机构信息管理系统，向技术服务所在地卫生健康主管部门报送职业卫生技术服务相关信息的，每发现1份
  技术服务报告扣0.3分。

Counting: "出具……后十五个工作日内" — working days *after* the issue date, so the issue day
itself is not counted (domain README §7; the usual reading, unsourced for this rule). The
deadline is the 15th Chinese working day after issue; statutory holidays are skipped and
adjusted weekend workdays (调休) count, per the ``chinese_calendar`` data. A year that
library does not cover is "cannot decide", never a guess.

The rule is about 报送 (the national system). The website 公示 date is item 26, which
sets no day limit, so it is only named here, never judged.
"""
from __future__ import annotations

from checks._shared_dates import (CalendarUnknown, at_page, corroborated, latest_possible,
                                  nth_working_day_after, read_by_ocr, working_days_after)
from checks.base import Ctx, check, fmt_date
from pipeline.ocr_tolerance import date_variants

LIMIT = 15  # working days (item 25)
# A date read this unsure (OCR) does not raise the pre-flag on its own.
_MIN_CONF = 0.7


def _misread_explains(ctx: Ctx, issue, sub) -> bool:
    """On a scan, one commonly confused digit in either date would make it on time."""
    cands: list[tuple] = []
    if read_by_ocr(ctx, sub) and not corroborated(ctx, sub):
        # an on-time reading lies between the issue date and the late date read
        cands += [(issue.value, x) for x in date_variants(sub.value) if issue.value < x < sub.value]
    if read_by_ocr(ctx, issue) and not _issue_read_twice(ctx, issue):
        cands += [(x, sub.value) for x in date_variants(issue.value) if issue.value < x < sub.value]
    for a, b in cands:
        try:
            if working_days_after(a, b) <= LIMIT:
                return True
        except CalendarUnknown:
            continue
    return False


def _issue_read_twice(ctx: Ctx, issue) -> bool:
    """The issue date as the report prints it and as the disclosure sheet repeats it."""
    rep, d = ctx.records.report, ctx.records.disclosure
    vals = [v for v in (rep.issue_date if rep is not None else None, d.report_date if d is not None else None)
            if v is not None and v.ok]
    if len(vals) == 2 and vals[0].value == vals[1].value and vals[0].page != vals[1].page:
        return True
    return corroborated(ctx, issue, ctx.section_pages("report"))


@check("i025_disclosure_in_time", indicators=[25], needs=["disclosure"])
def disclosure_in_time(ctx: Ctx):
    """Submission to the national system within 15 working days after the report issue date."""
    d = ctx.records.disclosure
    rep = ctx.records.report
    issue = rep.issue_date if rep is not None and rep.issue_date.ok else None
    if issue is None and d.report_date.ok:
        issue = d.report_date
    if issue is None:
        yield ctx.cannot_decide(25, "报告出具日期", pages=ctx.section_pages("report") + list(d.pages))
        return
    sub = d.submitted_date
    if not sub.ok:
        yield ctx.cannot_decide(25, "报告报送日期", pages=list(d.pages),
                                why=f"报送与公示情况中未读到报送日期：{sub.reason}" if sub.reason else "")
        return
    if sub.value <= issue.value:
        return  # submitted on or before the issue date: nothing late (date order is another matter)
    try:
        n = working_days_after(issue.value, sub.value)
        deadline = nth_working_day_after(issue.value, LIMIT)
    except CalendarUnknown as e:
        yield ctx.cannot_decide(25, "报送期间的法定节假日安排", pages=list(d.pages),
                                why=f"工作日日历没有{issue.value.year}–{sub.value.year}年的数据（{e}），无法计算工作日")
        return
    if n <= LIMIT or min(sub.conf, issue.conf) < _MIN_CONF:
        return
    latest = latest_possible(ctx)
    if latest is not None and sub.value > latest:
        return  # "submitted" after the bundle itself was received: a misreading or typo
    if _misread_explains(ctx, issue, sub) or not ctx.confirmed(sub, issue):
        return
    other = ""
    pages = [issue.page, sub.page]  # the pages at_page names in the message
    if d.report_date.ok and d.report_date.value != issue.value:
        other = f"（报送与公示情况表所填报告日期为{fmt_date(d.report_date.value)}{at_page(d.report_date)}）"
        pages.append(d.report_date.page)
    pub = ""
    if d.public_date.ok:
        pub = f"；网站公示日期{fmt_date(d.public_date.value)}{at_page(d.public_date)}"
        pages.append(d.public_date.page)
    msg = (f"报告出具日期{fmt_date(issue.value)}{at_page(issue)}{other}，报送日期{fmt_date(sub.value)}{at_page(sub)}，"
           f"出具后第{n}个工作日才报送（不计出具当日，已扣除法定节假日并计入调休工作日），"
           f"超过15个工作日的时限（截止日{fmt_date(deadline)}）{pub}")
    yield ctx.finding("disclosure.late", 25, msg, [sub, issue], pages=pages)
