"""Indicator 68: the sample chain-of-custody record is complete and consistent.

Attachment 3, item (68)：“样品流转记录规范完整。”
检查方法：“查阅样品流转记录。核实采样日期、样品接收日期、样品保存条件和有效期、流转人员签名等，
每发现1处不符合要求的，扣0.2分。”

- ``lab.received_before_sampling``: a lab sheet's receipt date (接收日期) is before the
  sampling date of samples it lists (dates from the sampling record, else the lab
  row's own 采样日期 column).
- ``transfer.received_before_sampling``: the same for a sample transfer record's date.
- ``lab.analysed_after_storage_period``: analysis date − earliest sampling date of the
  sheet's samples exceeds the storage period the bundle itself states (the lab
  sheet's 保存期限, else the plan's when it states a single period). Domain README
  §1 R1.12: per-collector periods live in each GBZ/T 300 method and were not
  retrieved, so only the bundle's own statement is used, and only when both dates and
  the period were read.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from checks._shared_lab import join_ids, sampling_dates, sheet_label
from checks.base import Ctx, check, fmt_date
from extractors.records import Val


def _sheet_dates(ctx: Ctx, rows, row_date_key: Optional[str]) -> dict[str, tuple[dt.date, Optional[Val]]]:
    """Sample id → sampling date for the rows of one sheet/record."""
    sd = sampling_dates(ctx.records)
    out: dict[str, tuple[dt.date, Optional[Val]]] = {}
    for r in rows:
        sid = r.value("sample_id")
        if not sid:
            continue
        if sid in sd:
            out[sid] = sd[sid]
            continue
        if row_date_key:
            v = r.get(row_date_key)
            if v.ok and isinstance(v.value, dt.date):
                out[sid] = (v.value, v)
    return out


@check("i068_lab_receipt", indicators=[68], needs=["lab_sheets"])
def lab_receipt(ctx: Ctx):
    """Lab receipt date not before sampling."""
    unread: list[int] = []
    for sh in ctx.records.lab_sheets:
        rv = sh.receipt_date
        if not rv.ok or not isinstance(rv.value, dt.date):
            if sh.rows:
                unread += list(sh.pages)
            continue
        dates = _sheet_dates(ctx, sh.rows, "sampling_date")
        late = sorted((d, sid, v) for sid, (d, v) in dates.items() if d > rv.value)
        if not late or not ctx.confirmed(rv):
            continue
        ids = [sid for _, sid, _ in late]
        last = max(d for d, _, _ in late)
        ev: list = [rv]
        ev += list(dict.fromkeys(v for _, _, v in late if v is not None))[:3]
        yield ctx.finding(
            "lab.received_before_sampling", 68,
            f"实验室分析记录{sheet_label(sh)}第{rv.page}页样品接收日期为{fmt_date(rv.value)}，"
            f"早于样品 {join_ids(ids)} 的采样日期{fmt_date(last)}",
            ev, pages=[rv.page])
    if unread:
        yield ctx.cannot_decide(68, "实验室分析记录的样品接收日期", pages=unread)


@check("i068_transfer_receipt", indicators=[68], needs=["sample_transfers"])
def transfer_receipt(ctx: Ctx):
    """Transfer (hand-over) date not before sampling."""
    for tr in ctx.records.sample_transfers:
        # the printed form date first: the receiver's date is handwriting read by OCR
        dv = tr.date if tr.date.ok else tr.receiver_date
        if not dv.ok or not isinstance(dv.value, dt.date):
            continue
        dates = _sheet_dates(ctx, tr.rows, None)  # only the sampling record's own dates
        late = sorted((d, sid, v) for sid, (d, v) in dates.items() if d > dv.value)
        if not late or not ctx.confirmed(dv):
            continue
        ids = [sid for _, sid, _ in late]
        last = max(d for d, _, _ in late)
        ev = [dv] + list(dict.fromkeys(v for _, _, v in late if v is not None))[:3]
        yield ctx.finding(
            "transfer.received_before_sampling", 68,
            f"样品交接记录第{dv.page}页交接日期为{fmt_date(dv.value)}，早于样品 {join_ids(ids)} 的采样日期{fmt_date(last)}",
            ev, pages=[dv.page])


_DAYS = re.compile(r"(\d+(?:\.\d+)?)\s*(天|日|d\b|小时|h\b)")


def _period_days(v: Val) -> Optional[float]:
    """A single storage period stated in ``v`` (days), None when absent or ambiguous."""
    if not v.ok:
        return None
    if isinstance(v.value, (int, float)):
        return float(v.value)
    found = {(float(n), u) for n, u in _DAYS.findall(str(v.raw or v.value))}
    if len(found) != 1:
        return None
    n, u = found.pop()
    return n / 24 if u in ("小时", "h") else n


def _plan_period(ctx: Ctx) -> tuple[Optional[float], Optional[Val]]:
    plan = ctx.records.detection_plan
    if plan is None or not plan.storage_period.ok:
        return None, None
    # a plan listing several collectors with one period may mean the strictest one only
    cond = plan.storage_conditions.value if plan.storage_conditions.ok else ""
    if len([c for c in re.split(r"[;；]", str(cond)) if c.strip()]) > 1:
        return None, None
    return _period_days(plan.storage_period), plan.storage_period


@check("i068_storage_period", indicators=[68], needs=["lab_sheets"])
def storage_period(ctx: Ctx):
    """Analysis within the storage period stated in the bundle."""
    plan_days, plan_val = _plan_period(ctx)
    for sh in ctx.records.lab_sheets:
        av = sh.analysis_date
        if not av.ok or not isinstance(av.value, dt.date):
            continue
        days, src = _period_days(sh.storage_days), sh.storage_days
        where = "实验室分析记录"
        if days is None:
            days, src, where = plan_days, plan_val, "检测方案"
        if days is None or src is None:
            continue
        dates = _sheet_dates(ctx, sh.rows, "sampling_date")
        if not dates:
            continue
        first, sid0, v0 = min((d, sid, v) for sid, (d, v) in dates.items())
        waited = (av.value - first).days
        if waited <= days or not ctx.confirmed(av):
            continue
        old = sorted(sid for sid, (d, _) in dates.items() if (av.value - d).days > days)
        yield ctx.finding(
            "lab.analysed_after_storage_period", 68,
            f"实验室分析记录{sheet_label(sh)}第{av.page}页分析日期{fmt_date(av.value)}，距样品 {join_ids(old)} 的采样日期"
            f"{fmt_date(first)}已 {waited} 天，超过{where}第{src.page}页所述保存期限 {days:g} 天",
            [av, src] + ([v0] if v0 is not None else []), pages=[av.page, src.page])
