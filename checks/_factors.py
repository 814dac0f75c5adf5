"""Factor helpers shared by the plan / sampling checks (i036, i042, i045, i050, i051, i062):
physical agents, the plan's sampling-point rows, and the factor of a sampling row.

Not a check module (the leading underscore keeps ``load_all`` from importing it as one).
"""
from __future__ import annotations

import re
from typing import Optional

from extractors.records import BundleRecords

# Physical agents: measured with instruments, no sampling flow, collector or field blank.
PHYSICAL = ("噪声", "高温", "振动", "电场", "磁场", "辐射", "照度", "激光", "微波", "超声", "紫外", "红外", "气压", "射频")


def is_physical(factor: Optional[str], collector: Optional[str] = None) -> bool:
    f = factor or ""
    if any(k in f for k in PHYSICAL):
        return True
    c = collector or ""
    # an instrument (声级计, 直读式检测仪) in the collector column: a direct measurement
    return bool(c) and bool(re.search(r"(声级计|剂量计|直读|检测仪|测定仪|测量仪|分析仪)$", c))


def plan_rows(plan) -> list:
    """Rows of the plan table that describe a sampling point (not stray header/signature lines)."""
    out = []
    for r in plan.rows:
        fac = r.value("factor")
        if not fac or re.search(r"方案|记录|编号|审核|批准|编制|签字|日期", str(fac)):
            continue
        if not (r.get("mode").ok or r.get("points").ok or r.get("samples_per_day").ok or r.get("minutes").ok):
            continue
        out.append(r)
    return out



def known_factors(records: BundleRecords) -> set[str]:
    """Factor names the bundle states outside the sampling sheets (plan, lab, report)."""
    out: set[str] = set()
    if records.detection_plan is not None:
        out |= {str(r.value("factor")) for r in plan_rows(records.detection_plan)}
    out |= {str(s.factor.value) for s in records.lab_sheets if s.factor.ok}
    if records.report is not None:
        out |= {str(r.value("factor")) for r in records.report.results if r.value("factor")}
    return {f for f in out if f and f != "None"}


def factor_by_sample(records: BundleRecords) -> dict[str, str]:
    """sample id → factor, from the lab sheets and the report's result rows."""
    out: dict[str, str] = {}
    for s in records.lab_sheets:
        if not s.factor.ok:
            continue
        for r in s.rows:
            sid = r.value("sample_id")
            if sid:
                out.setdefault(str(sid), str(s.factor.value))
    if records.report is not None:
        for r in records.report.results:
            fac = r.value("factor")
            for sid in r.value("sample_ids") or []:
                if fac:
                    out.setdefault(str(sid), str(fac))
    return out


class FactorResolver:
    """The factor of a sampling-sheet row. The sheet's own value is used when the rest of
    the bundle knows that factor name; otherwise (a form title read as the factor, an
    OCR-garbled name) the factor the lab sheets or report give that sample id; else None."""

    def __init__(self, records: BundleRecords):
        self.known = known_factors(records)
        self.by_id = factor_by_sample(records)

    def plausible(self, f: Optional[str]) -> bool:
        if not f or re.search(r"记录|采样|检测|表", f):
            return False
        return not self.known or f in self.known

    def __call__(self, row) -> Optional[str]:
        f = row.value("factor")
        if f is not None and self.plausible(str(f)):
            return str(f)
        sid = row.value("sample_id")
        return self.by_id.get(str(sid)) if sid else None
