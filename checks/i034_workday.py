"""Indicator 34: the work-day record (工作日写实) gives each post's exposed headcount and
exposure time.

Attachment 3, item (34)：“工作日写实内容中的岗位(工种)及职业病危害因素接触情况等记录能满足检测需求。”
检查方法：“查阅现场调查原始记录，分析工作日写实的岗位(工种)、职业病危害因素接触人数、接触时间等信息是否完整、
准确并能满足检测要求，发现1处缺失或错误的扣0.3分。1.5分扣完为止。”

``survey.workday_incomplete`` names each post row of the work-day table whose headcount
(人数 / 定员 / 接触人数) or exposure-time (接触时间 / 接害时间) cell is blank: the table has
that column, the row was read (its post and at least two other cells), and the cell holds
nothing or only "/" "—" (``Val.state`` EMPTY, set by ``extractors/forms/field_survey``).
A cell that holds something unparsed is not blank. On a scan the blank cell is read
again, closer: anything written there (a lone digit OCR skipped) silences it. Where the
survey has no work-day table the posts table (same columns) is read instead.
"""
from __future__ import annotations

import re

from checks.base import Ctx, check, read_by_ocr
from extractors.records import Row, ValState

CELLS = {"workers": "接触人数", "exposure_hours": "接触时间"}
# rows that total or annotate the table, not posts
_NOT_A_POST = re.compile(r"^(?:合计|小计|总计|备注|注|说明|以下空白)")


def _post_row(r: Row) -> bool:
    post = r.get("post")
    if not post.ok or _NOT_A_POST.match(str(post.value)):
        return False
    others = [k for k, v in r.fields.items() if k not in ("post", "group") and v.ok]
    return len(others) >= 2


def _written_on_second_reading(ctx: Ctx, v) -> bool:
    """A scanned cell read again, closer, holds a digit or a word: not blank."""
    if not read_by_ocr(ctx, v):
        return False
    text = ctx.reread(v) or ""
    return bool(re.search(r"[0-9\u4e00-\u9fff]", re.sub(r"[一]", "", text)))


@check("i034_workday", indicators=[34], needs=["field_survey"])
def workday_complete(ctx: Ctx):
    """Each post of the work-day record has its exposed headcount and exposure time."""
    s = ctx.records.field_survey
    rows = s.workday or s.posts
    blank: list[tuple[Row, list[str], list]] = []
    for r in rows:
        if not _post_row(r):
            continue
        what, vals = [], []
        for key, name in CELLS.items():
            v = r.fields.get(key)
            if v is None or v.state is not ValState.EMPTY or v.page is None:
                continue
            if _written_on_second_reading(ctx, v):
                continue
            what.append(name + (f"（仅填“{v.raw}”）" if v.raw else "（空白）"))
            vals.append(v)
        if what:
            blank.append((r, what, vals))
    if not blank:
        return
    table = "工作日写实" if s.workday else "现场调查岗位"
    items = [f"第{r.page}页岗位“{r.value('post')}”的{'、'.join(what)}" for r, what, _ in blank]
    pages = sorted({r.page for r, _, _ in blank if r.page is not None})
    evidence = [x for r, _, vals in blank for x in [r.get("post")] + vals]
    yield ctx.finding(
        "survey.workday_incomplete", 34,
        f"{table}记录未填写：{'；'.join(items)}，无法据此确定采样对象数量和采样时段",
        evidence, pages=pages)
