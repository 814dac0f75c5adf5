"""Indicator 36: the detection plan is complete.

Attachment 3, item (36)：“内容全面。”
检查方法：“查阅检测计划/方案。内容应包括检测项目名称、岗位(工种)、采样/测量点或采样/测量对象数量、采样/测量方式
(个体采样/测量或定点釆样/测量)、采样/测量时段、采样/测量时间、样品数量、采样/测量日期、仪器设备种类、空气收集器、
采样流量、样品保存期限和保存条件、编制人、编制日期等信息。每缺少1项以上内容的扣0.3分。1.5分扣完为止。”

``plan.incomplete`` names what is missing:

- the sampling flow (采样流量) of a chemical/dust factor: its cells are empty (nothing
  printed, not merely unparsed) or the table has no flow column and 采样流量 / L/min
  appears nowhere on the plan's pages. Physical agents
  (noise, heat, radiation …) and direct-reading instruments need no flow;
- the storage conditions (保存条件) or the storage period (保存期限): no such label in the
  plan *and* no wording that states them anywhere on the plan's pages (冷藏, 密封, N天内 …);
- the author (编制人): the slot is positively empty.
Other parts the extractor did not find (planned dates, equipment) are
``check.cannot_decide``: column layouts vary too much to call an unread part missing.
"""
from __future__ import annotations

import re
from collections import defaultdict

from checks._shared_people import is_physical, page_text, plan_rows, slot_state
from checks.base import Ctx, check

_STORAGE_WORDS = re.compile(r"保存条件|贮存条件|储存条件|保存方式|冷藏|冷冻|避光|干燥器|密封|常温保存|低温保存")
_PERIOD_WORDS = re.compile(r"保存期限|保存期|保存时间|贮存期|储存期|有效期|\d+\s*(?:天|日|小时|h)内")


@check("plan_complete", indicators=[36], needs=["detection_plan"])
def plan_complete(ctx: Ctx):
    """Flow, storage conditions and period, author are in the plan."""
    p = ctx.records.detection_plan
    missing: list[str] = []
    evidence: list = []
    rows = plan_rows(p)
    chem = [r for r in rows if not is_physical(r.value("factor"), r.value("collector"))]
    if chem:
        has_column = any("flow" in r.fields for r in rows)
        if not has_column:
            if not re.search(r"采样流量|[Ll]/min", page_text(ctx, p.pages)):
                facs = list(dict.fromkeys(str(r.value("factor")) for r in chem))
                missing.append(f"采样流量（方案采样表无流量栏，涉及{'、'.join(facs)}）")
                evidence.extend(chem[:2])
        else:
            empty = defaultdict(list)
            for r in chem:
                v = r.get("flow")
                if not v.ok and not (v.raw or "").strip():
                    empty[str(r.value("factor"))].append(r)
            for fac, rs in empty.items():
                missing.append(f"{fac}的采样流量（第{rs[0].page}页，{len(rs)}个采样点未填写）")
                evidence.extend(rs[:2])
    text = None
    for v, what, words in ((p.storage_conditions, "样品保存条件", _STORAGE_WORDS),
                           (p.storage_period, "样品保存期限", _PERIOD_WORDS)):
        if v.ok:
            continue
        if text is None:
            text = page_text(ctx, p.pages)
        if "not found" in (v.reason or "") and text and not words.search(text):
            missing.append(what)
        else:
            yield ctx.cannot_decide(36, f"检测方案中的{what}", pages=list(p.pages))
    st = slot_state(ctx, p.author, others_read=p.reviewer.ok or p.approver.ok)
    if st == "empty":
        missing.append(f"编制人签字（第{p.author.page}页）")
        evidence.append(p.author)
    if missing:
        if not evidence:
            pg = p.pages[0] if p.pages else None
            evidence = [(pg, None, "")] if pg else []
        yield ctx.finding("plan.incomplete", 36,
                          f"检测方案（第{p.pages[0]}～{p.pages[-1]}页）缺少：{'；'.join(missing)}",
                          evidence)
    if not p.sampling_dates:
        yield ctx.cannot_decide(36, "检测方案中的计划采样日期", pages=list(p.pages))
    if not p.equipment.ok:
        yield ctx.cannot_decide(36, "检测方案中的仪器设备种类", pages=list(p.pages))
