"""Contract review record (合同评审记录), item 28.

Attachment 3, 二、服务规范性 / (十)合同:

  (28)规范开展了合同评审记录。
  查阅技术服务合同评审记录。评审内容包括对是否明确开展用人单位提出的技术服务的法律、法规和
  标准规范；以及本机构检测能力、人员、设备是否能够承担该工作进行评审。缺1项扣0.5分，1.0分扣完
  为止。无合同评审记录不得分。

- ``contract_review.missing``: the bundle has no contract review section ("无合同评审记录不得分").
  The structure stage also reports ``bundle.missing_section``; this finding ties it to item
  28. The check therefore does not list the section in ``needs`` (which would skip it).
- ``contract_review.incomplete``: a review point (legal/standard basis, capability, staff,
  equipment) appears neither as a review item nor in the conclusion.
- ``contract_review.after_sampling``: the review is dated after sampling began (a review
  is made before the work is accepted).
"""
from __future__ import annotations

import datetime as dt
import re

from checks._shared_dates import at_page, earliest, read_by_ocr, sampling_date_vals
from checks.base import ORIGINAL, Ctx, check, fmt_date
from pipeline.ocr_tolerance import date_variants
from pipeline.types import Evidence

POINT_ZH = {
    "legal_basis": "法律、法规和标准规范",
    "capability": "检测能力",
    "staff": "人员",
    "equipment": "设备",
}
# the same points written in the review conclusion (依据的法律法规及标准现行有效，本机构具备相应的检测能力、人员和设备)
_IN_TEXT = {
    "legal_basis": re.compile(r"法律|法规|标准|规范"),
    "capability": re.compile(r"能力|资质|认可范围|检测方法"),
    "staff": re.compile(r"人员|技术人员"),
    "equipment": re.compile(r"设备|仪器"),
}
_MIN_DATE_CONF = 0.75


@check("i028_contract_review_present", indicators=[28])
def contract_review_present(ctx: Ctx):
    """A contract review record exists and covers basis, capability, staff and equipment."""
    if not ctx.sections:
        return  # nothing was split at all: the bundle-level error already says so
    if not ctx.present("contract_review"):
        cpages = ctx.section_pages("contract")
        ev = [Evidence(file=ORIGINAL, page=cpages[-1], bbox=None, text="")] if cpages else []
        named = range(cpages[0], cpages[-1] + 1) if cpages else ()  # the span the message names
        after = f"（技术服务合同在第{cpages[0]}–{cpages[-1]}页）" if cpages else ""
        yield ctx.finding("contract_review.missing", 28,
                          f"证据包中未见合同评审记录{after}；按指标28，无合同评审记录不得分", ev, pages=named)
        return
    rv = ctx.records.contract_review
    pages = ctx.section_pages("contract_review")
    if rv is None:
        yield ctx.cannot_decide(28, "合同评审记录的内容", pages=pages, why="该部分存在但未能识别出表单结构")
        return
    concl = str(rv.conclusion.value) if rv.conclusion.ok else ""
    # a review item often names two points at once (技术人员数量、专业及能力), and the extractor
    # files each line under one point only: look for every point in all item lines read
    texts = [concl] + [v.raw or str(v.value) for v in rv.points.values() if v is not None and v.ok]
    covered, unread = {}, []
    for key in POINT_ZH:
        v = rv.points.get(key)
        covered[key] = bool(v is not None and v.ok) or any(_IN_TEXT[key].search(t) for t in texts)
        if v is None or not v.ok:
            unread.append(key)
    missing = [k for k, ok in covered.items() if not ok]
    if missing:
        if len(unread) == len(POINT_ZH) and not concl:
            # neither items nor a conclusion were read: the form was not understood
            yield ctx.cannot_decide(28, "合同评审的评审内容", pages=pages)
        else:
            ev = [v for v in rv.points.values() if v.ok][:2]
            if not ev and pages:
                ev = [Evidence(file=ORIGINAL, page=pages[0], bbox=None, text="")]
            yield ctx.finding("contract_review.incomplete", 28,
                              f"合同评审记录（第{'、'.join(map(str, pages))}页）未见对"
                              f"{'、'.join(POINT_ZH[k] for k in missing)}的评审；评审内容应包括法律、法规和标准规范，"
                              f"以及本机构检测能力、人员、设备（缺1项扣0.5分）", ev, pages=pages)
    # dated after sampling began
    if rv.date.ok and isinstance(rv.date.value, dt.date) and rv.date.conf >= _MIN_DATE_CONF:
        first = earliest(sampling_date_vals(ctx.records, _MIN_DATE_CONF))
        # on a scan, one commonly confused digit that would date the review shortly before
        # sampling explains the late date as a misreading
        misread = first is not None and read_by_ocr(ctx, rv.date) and any(
            first.value - dt.timedelta(days=60) <= x <= first.value for x in date_variants(rv.date.value))
        if first is not None and rv.date.value > first.value and not misread:
            yield ctx.finding("contract_review.after_sampling", 28,
                              f"合同评审日期{fmt_date(rv.date.value)}{at_page(rv.date)}晚于现场采样开始日期"
                              f"{fmt_date(first.value)}{at_page(first)}，合同评审应在承接、开展工作之前进行",
                              [rv.date, first], pages=[rv.date.page, first.page])
