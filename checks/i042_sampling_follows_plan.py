"""Indicator 42: sampling followed the detection plan.

Attachment 3, item (42)：“按照检测计划/方案开展职业病危害因素检测。”
检查方法：“查阅现场采样/测量原始记录，采样/测量对象或采样/测量点数量、采样/测量方式、采样/测量时段、采样/测量时间、
样品数量、采样/测量日期、仪器设备种类、空气收集器、采样流量等与检测计划/方案不符且未说明原因的，每发现1处扣0.2分。
1.0分扣完为止。”

``sampling.deviates_from_plan``, per chemical/dust factor found under the same name in
the plan and on the sampling records (physical agents are measured, not sampled):

- sampling dates: a sampling day that is not one of the plan's planned dates;
- sample count: on a sampling day, the samples of the factor are neither the planned
  number (Σ points × samples per day) without blanks nor with them;
- sampling mode: a sample taken 个体 where the plan only has 定点 for the factor, or the
  reverse;
- flow: every flow recorded for a sample (before / after / single) more than
  :data:`FLOW_TOL` away from every flow the plan gives for the factor (pump readings
  scatter a few percent around the set flow; one of two readings off is an OCR misread).
Sampling durations are not compared: plans state a nominal time that real samples never
match exactly. The records' remarks are not read, so the message asks the expert to
confirm whether a reason was given. Anything the extractor did not read is skipped.
"""
from __future__ import annotations

from collections import defaultdict

from checks._factors import FactorResolver, is_physical, plan_rows
from checks._people import fmt_pages
from checks.base import Ctx, check, fmt_date

FLOW_TOL = 0.10  # relative


def _mode(t) -> str | None:
    t = str(t or "")
    if "个体" in t:
        return "个体"
    if "定点" in t:
        return "定点"
    return None


def _flows(row) -> list[float]:
    return [float(row.value(k)) for k in ("flow_before", "flow_after", "flow")
            if isinstance(row.value(k), (int, float)) and row.value(k) > 0]


@check("i042_sampling_follows_plan", indicators=[42], needs=["detection_plan", "sampling_records"])
def sampling_follows_plan(ctx: Ctx):
    """Dates, sample counts, modes and flows as planned."""
    plan = ctx.records.detection_plan
    prows = [r for r in plan_rows(plan) if not is_physical(r.value("factor"), r.value("collector"))]
    by_factor = defaultdict(list)
    for r in prows:
        by_factor[str(r.value("factor"))].append(r)
    planned_dates = {v.value for v in plan.sampling_dates if v.ok}
    resolve = FactorResolver(ctx.records)

    # factor → day → rows on the sampling records
    rec: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    blanks: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    sheet_dates = []
    for sh in ctx.records.sampling_records:
        if sh.kind != "air" or not sh.date.ok:
            continue
        sheet_dates.append(sh.date)
        for row in sh.rows:
            f = resolve(row)
            if f is None:
                continue
            (blanks if row.value("is_blank") else rec)[f][sh.date.value].append(row)

    problems: list[str] = []
    named: list = []  # the pages the problems name
    evidence: list = []
    if planned_dates:
        off = {}
        for v in sheet_dates:
            if v.value not in planned_dates:
                off.setdefault(v.value, v)
        if off:
            problems.append(f"采样日期{'、'.join(fmt_date(d) for d in sorted(off))}不在方案计划采样日期"
                            f"（{'、'.join(fmt_date(d) for d in sorted(planned_dates))}，第{plan.sampling_dates[0].page}页）内")
            named.append(plan.sampling_dates[0].page)
            evidence += list(off.values())[:2] + [plan.sampling_dates[0]]
    for fac, rows in by_factor.items():
        if fac not in rec:
            continue
        days = rec[fac]
        # sample count per day
        if all(isinstance(r.value("points"), (int, float)) and isinstance(r.value("samples_per_day"), (int, float))
               for r in rows):
            want = int(round(sum(r.value("points") * r.value("samples_per_day") for r in rows)))
            for d, rr in sorted(days.items()):
                got, with_blank = len(rr), len(rr) + len(blanks[fac].get(d, []))
                if want > 0 and got != want and with_blank != want:
                    ps = [r.page for r in rr]
                    problems.append(f"{fmt_date(d)}{fac}采集{got}个样品（第{fmt_pages(ps)}页），"
                                    f"方案计划每天{want}个（第{rows[0].page}页）")
                    named += ps + [rows[0].page]
                    evidence += [rr[0], rows[0]]
        # sampling mode
        pmodes = {_mode(r.value("mode")) for r in rows} - {None}
        if pmodes:
            odd = [r for rr in days.values() for r in rr if _mode(r.value("mode")) not in pmodes | {None}]
            if odd:
                m = _mode(odd[0].value("mode"))
                ps = [r.page for r in odd]
                problems.append(f"{fac}有{len(odd)}个样品为{m}采样（第{fmt_pages(ps)}页），"
                                f"方案为{'、'.join(sorted(pmodes))}采样")
                named += ps
                evidence += [odd[0], rows[0]]
        # flow
        pflows = [float(r.value("flow")) for r in rows if isinstance(r.value("flow"), (int, float)) and r.value("flow") > 0]
        if pflows:
            # every flow written for the sample must be off: one reading off while the other
            # matches the plan is a misread digit (2,99 read as 2), not a different flow
            odd = [(r, fl[0]) for rr in days.values() for r in rr for fl in [_flows(r)]
                   if fl and all(abs(f - p) > FLOW_TOL * p for f in fl for p in pflows)]
            if odd:
                ids = list(dict.fromkeys(str(r.value("sample_id") or "?") for r, _ in odd))
                problems.append(f"{fac}样品{'、'.join(ids[:4])}{'等' if len(ids) > 4 else ''}的采样流量"
                                f"{'、'.join(f'{f:g}' for _, f in odd[:3])} L/min 与方案流量"
                                f"{'、'.join(f'{p:g}' for p in sorted(set(pflows)))} L/min 不符（第{rows[0].page}页）")
                named.append(rows[0].page)
                evidence += [odd[0][0], rows[0]]
    if problems:
        yield ctx.finding(
            "sampling.deviates_from_plan", 42,
            "现场采样与检测方案不一致：" + "；".join(problems) + "。请核实原始记录是否说明了原因",
            evidence[:8], pages=named)
