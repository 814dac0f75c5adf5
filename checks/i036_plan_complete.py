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

from collections import defaultdict

from checks._factors import is_physical, plan_rows
from checks._people import plan_slot_state
from checks.base import Ctx, check
from extractors.records import SlotState


@check("i036_plan_complete", indicators=[36], needs=["detection_plan"])
def plan_complete(ctx: Ctx):
    """Flow, storage conditions and period, author are in the plan."""
    p = ctx.records.detection_plan
    missing: list[str] = []
    named: list = []  # the pages the items in ``missing`` name
    evidence: list = []
    rows = plan_rows(p)
    chem = [r for r in rows if not is_physical(r.value("factor"), r.value("collector"))]
    if chem:
        has_column = any("flow" in r.fields for r in rows)
        if not has_column:
            if not p.text_facts.flow_words:
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
                named.append(rs[0].page)
                evidence.extend(rs[:2])
    facts = p.text_facts
    for v, what, worded in ((p.storage_conditions, "样品保存条件", facts.storage_words),
                            (p.storage_period, "样品保存期限", facts.period_words)):
        if v.ok:
            continue
        if v.absent and facts.text_present and not worded:
            missing.append(what)
        else:
            yield ctx.cannot_decide(36, f"检测方案中的{what}", pages=list(p.pages))
    st = plan_slot_state(p, "author", others_read=p.reviewer.ok or p.approver.ok)
    if st is SlotState.EMPTY:
        missing.append(f"编制人签字（第{p.author.page}页）")
        named.append(p.author.page)
        evidence.append(p.author)
    if missing:
        if not evidence:
            pg = p.pages[0] if p.pages else None
            evidence = [(pg, None, "")] if pg else []
        named += range(p.pages[0], p.pages[-1] + 1)
        yield ctx.finding("plan.incomplete", 36,
                          f"检测方案（第{p.pages[0]}～{p.pages[-1]}页）缺少：{'；'.join(missing)}",
                          evidence, pages=named)
    if not p.sampling_dates:
        yield ctx.cannot_decide(36, "检测方案中的计划采样日期", pages=list(p.pages))
    if not p.equipment.ok:
        yield ctx.cannot_decide(36, "检测方案中的仪器设备种类", pages=list(p.pages))
