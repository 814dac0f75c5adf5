"""Indicator 53: the report's 检测依据 / 评价依据 cite the standards the work rests on.

Attachment 3, item (53)：“检测依据、检测范围、评价依据等内容完整准确。”
检查方法：“查阅检测报告等，检测依据、检测范围、评价依据等内容不完整、缺失或不准确的，每发现1处错误或缺失扣0.2分。
1.0分扣完为止。”

``report.basis_incomplete``: the basis list (``ReportRecord.basis``, read by
``extractors/forms/_report_basics.py``: numbers such as "GBZ 159—2004", "GBZ/T 300.37-2017"
with or without titles, or a known title alone) omits a standard the bundle itself needs.
Which standards are needed comes only from the domain files (``shared/domain/README.md``
§1, §2), never from a list of method standards:

- GBZ 159 (air sampling) when any air sample was taken (a non-blank row of an air sampling
  sheet, or a report result with sample numbers);
- GBZ 2.1 (chemical and dust limits) when an air factor is judged in the report;
- GBZ 2.2 (physical limits) when noise is judged in the report.

Method standards (GBZ/T 160, GBZ/T 300, GBZ/T 189.8 …) are not required here: the domain
files give no rule tying a factor to one method standard.

"Missing" needs the list read: its heading found and the list read to its end
(``basis_place`` READ) and every item read (on a scan, an item printing a number of the
required code that did not parse is not read); otherwise ``cannot_decide``. A report
whose heading was not found at all says cannot-decide too.

A second rule (``i053_basis_edition``, same code): the list cites GBZ 2.1 in its 2007
edition while the sampling took place on or after 2020-04-01, when GBZ 2.1-2019 came
into force replacing it (domain README §2).
"""
from __future__ import annotations

import datetime as dt
import re

from checks.base import Ctx, check, fmt_date
from extractors.records import ValState

# code → (its title, what in the bundle needs it)
NEEDED = {
    "GBZ 159": "工作场所空气中有害物质监测的采样规范",
    "GBZ 2.1": "工作场所有害因素职业接触限值 第1部分：化学有害因素",
    "GBZ 2.2": "工作场所有害因素职业接触限值 第2部分：物理因素",
}
GBZ21_2019_FROM = dt.date(2020, 4, 1)  # domain README §2, source S14


def _noise(name) -> bool:
    return "噪声" in str(name or "")


def needed(records) -> dict[str, tuple[str, object]]:
    """code → (why, the Val or Row that shows it) for each standard the bundle needs."""
    out: dict[str, tuple[str, object]] = {}
    rep = records.report
    for sh in records.sampling_records:
        if sh.kind != "air":
            continue
        for r in sh.rows:
            if r.value("is_blank") is True or not r.get("sample_id").ok or _noise(r.value("factor")):
                continue
            out.setdefault("GBZ 159", (f"第{r.page}页现场采样记录有空气样品{r.value('sample_id')}", r))
            break
    for r in rep.results:
        if _noise(r.value("factor")):
            if r.get("judgement").ok or r.get("limit_twa").ok:
                out.setdefault("GBZ 2.2", (f"第{r.page}页结果表判定了噪声", r))
            continue
        if not r.get("factor").ok:
            continue
        if r.get("sample_ids").ok:
            out.setdefault("GBZ 159", (f"第{r.page}页结果表列有{r.value('factor')}的空气样品", r))
        if r.get("judgement").ok or r.get("limit_twa").ok or r.get("limit_stel").ok:
            out.setdefault("GBZ 2.1", (f"第{r.page}页结果表判定了{r.value('factor')}", r))
    for r in rep.noise:
        if r.get("judgement").ok or r.get("limit").ok:
            out.setdefault("GBZ 2.2", (f"第{r.page}页噪声结果表判定了噪声", r))
            break
    return out


def _number_printed(code: str, text: str) -> bool:
    """Whether ``text`` prints the number of ``code`` in some form (OCR may have broken the
    prefix): then the item is not read for that code, absence is not proven."""
    num = code.split(" ", 1)[1]
    t = re.sub(r"\s+", "", text or "").replace("．", ".").replace("。", ".")
    return bool(re.search(r"(?<![\d.])" + re.escape(num) + r"(?![\d])(?!\.\d)", t))


@check("i053_basis", indicators=[53], needs=["report"])
def basis(ctx: Ctx):
    """A standard the bundle needs that the report's basis list does not cite."""
    rep = ctx.records.report
    need = needed(ctx.records)
    if not need:
        return
    place = rep.basis_place
    if place.state is ValState.ABSENT:
        yield ctx.cannot_decide(53, "检测报告的检测依据/评价依据", why="报告中未找到“检测依据”或“评价依据”标题",
                                pages=list(rep.pages[:1]))
        return
    if not place.ok:
        yield ctx.cannot_decide(53, "检测报告的检测依据/评价依据列表（未能确定其结束位置）",
                                evidence=[place], pages=[place.page] if place.page else [])
        return
    if not rep.basis:
        yield ctx.cannot_decide(53, "检测报告检测依据/评价依据中所列的标准", evidence=[place], pages=[place.page])
        return
    cited = {c.code for c in rep.basis}
    items = list({id(c.text): c.text for c in rep.basis}.values())
    listed = "、".join(dict.fromkeys(c.code + (f"-{c.year}" if c.year else "") for c in rep.basis))
    for code, (why, shown) in need.items():
        if code in cited:
            continue
        if any(_number_printed(code, c.text.raw) for c in rep.basis):
            continue  # the number stands in an item whose code read otherwise: not proven absent
        if any(_number_printed(code, ctx.reread(v) or "") for v in items if v.ok):
            continue  # a scanned item read again, closer, prints the number
        yield ctx.finding(
            "report.basis_incomplete", 53,
            f"检测报告第{place.page}页“{place.value}”所列依据（{listed}）未包含{code}《{NEEDED[code]}》，"
            f"而{why}，检测/评价依据不完整",
            [place, shown] + items[:3], pages=[place.page, shown.page])


@check("i053_basis_edition", indicators=[53], needs=["report"])
def basis_edition(ctx: Ctx):
    """GBZ 2.1 cited in its 2007 edition for sampling after GBZ 2.1-2019 came into force."""
    rep = ctx.records.report
    old = [c for c in rep.basis if c.code == "GBZ 2.1" and c.year == 2007]
    if not old:
        return
    dates = [sh.date for sh in ctx.records.sampling_records if sh.date.ok and isinstance(sh.date.value, dt.date)]
    if not dates or min(d.value for d in dates) < GBZ21_2019_FROM:
        return
    if not ctx.confirmed(old[0].text, same=lambda val, text: "2007" in text):
        return
    d = min(dates, key=lambda v: v.value)
    c = old[0]
    yield ctx.finding(
        "report.basis_incomplete", 53,
        f"检测报告第{c.text.page}页检测依据引用GBZ 2.1-2007，而第{d.page}页采样日期为{fmt_date(d.value)}，"
        f"其时GBZ 2.1-2019已于2020年4月1日实施并代替2007版，评价依据不准确",
        [c.text, d], pages=[c.text.page, d.page])
