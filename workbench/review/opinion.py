"""The review opinion (审核意见, seed 002 §3(1)) drafted from an expert's confirmed pre-flags.

Areas follow §3(1): field survey, sampling and measurement, lab analysis, detection plan;
an item's area comes from its checklist category. Only the blind (scrubbed) messages are used.
"""
from __future__ import annotations

from checks import checklist
from workbench.review.models import PreflagDecision, ReviewOpinion

# checklist category words → opinion field
_AREAS = (("调查", "survey"), ("采样", "sampling"), ("测量", "sampling"), ("实验", "lab"), ("分析", "lab"),
          ("方案", "plan"), ("计划", "plan"))


def area(indicator) -> str:
    if not indicator:
        return "overall"
    cat = checklist.item(indicator).category + checklist.item(indicator).text
    for word, field in _AREAS:
        if word in cat:
            return field
    return "overall"


def draft(bundle, expert) -> dict:
    confirmed = (PreflagDecision.objects.filter(finding__bundle=bundle, expert=expert,
                                                decision=PreflagDecision.CONFIRM)
                 .select_related("finding").order_by("finding__seq"))
    out = {k: [] for k in ReviewOpinion.FIELDS}
    for d in confirmed:
        f = d.finding
        label = f"第{f.indicator}项：" if f.indicator else ""
        line = f"{label}{f.message_blind}" + (f"（专家意见：{d.note}）" if d.note else "")
        out[area(f.indicator)].append(line)
        if f.indicator in (17, 18, 19):
            out["out_of_scope"].append(line)
    n = confirmed.count()
    out["overall"].insert(0, f"经审核，确认预警 {n} 条。" if n else "经审核，未确认自动预警。")
    return {k: "\n".join(v) for k, v in out.items()}


def fields(op) -> list[tuple[str, str, str]]:
    return [(k, ReviewOpinion._meta.get_field(k).verbose_name, getattr(op, k) if op else "")
            for k in ReviewOpinion.FIELDS]
