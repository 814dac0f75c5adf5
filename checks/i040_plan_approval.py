"""Indicator 40: the plan was reviewed and approved by the technical director before sampling.

Attachment 3, item (40)：“机构技术负责人等相关人员进行了审核签字。”
检查方法：“查阅检测计划/方案。无审核人员签字的扣0.5分；无技术负责人审批签字的扣0.5分；审核时间在采样时间之后的
扣0.5分。1.5分扣完为止。”

- ``plan.approved_after_sampling``: the plan's approval (批准/审批) or review (审核) date is
  later than the first sampling date read on the sampling records (planned dates are not
  used: the rule is about when sampling really began).
- ``plan.no_technical_director_approval``: the approval slot is positively empty, or the
  approver is not the technical director. The technical director is recognised from the
  approval label's own qualifier (``批准人（技术负责人）`` vs ``批准人（质量负责人）``) and from
  ``submission.json`` staff whose ``title`` names 技术负责人. An approver who is a
  registered staff member other than every registered technical director is flagged;
  an unknown name is left to ``staff.unregistered_signer``. When neither source says who
  the technical director is, that part is ``check.cannot_decide``.
- ``plan.no_reviewer_signature``: the review (审核) slot is positively empty.
Unreadable hand signatures and dates are ``check.cannot_decide``.
"""
from __future__ import annotations

import re

from checks._people import dist, nearest, plan_slot_state, staff_names
from checks.base import Ctx, check, fmt_date
from extractors.records import SlotState

TD = "技术负责人"
_TITLE = re.compile(r"[(（]\s*([^)）]*?(?:负责人|签字人|主任|经理))\s*[)）]")


def technical_directors(ctx: Ctx) -> list[str]:
    return [n for n, m in ctx.staff.items() if TD in str(m.get("title") or "")]


def label_title(raw: str) -> str:
    """The title printed in the approval label (``批准人（质量负责人）`` → 质量负责人)."""
    head = re.split(r"[:：]", raw or "", maxsplit=1)[0]
    m = _TITLE.search(head)
    if m:
        return m.group(1).strip()
    if TD in head:
        return TD
    return ""


def first_sampling(ctx: Ctx):
    dated = [sh for sh in ctx.records.sampling_records if sh.date.ok and hasattr(sh.date.value, "year")]
    if not dated:
        return None
    return min(dated, key=lambda sh: sh.date.value).date


@check("i040_plan_approval", indicators=[40], needs=["detection_plan"])
def plan_approval(ctx: Ctx):
    """Reviewed, approved by the technical director, and before sampling began."""
    p = ctx.records.detection_plan
    others = p.author.ok or p.reviewer.ok or p.approver.ok
    # -- reviewer
    st = plan_slot_state(p, "reviewer", others_read=others)
    if st is SlotState.EMPTY:
        yield ctx.finding("plan.no_reviewer_signature", 40,
                          f"检测方案第{p.reviewer.page}页审核人处无签字，方案未经审核", [p.reviewer],
                          pages=[p.reviewer.page])
    elif st is not SlotState.SIGNED:
        yield ctx.cannot_decide(40, "检测方案的审核人签字", pages=[p.reviewer.page] if p.reviewer.page else list(p.pages),
                                why="未找到审核人签字栏或签字未能识别")
    # -- approver
    a = p.approver
    st = plan_slot_state(p, "approver", others_read=others)
    if st is SlotState.EMPTY:
        yield ctx.finding("plan.no_technical_director_approval", 40,
                          f"检测方案第{a.page}页批准人（{label_title(a.raw) or '审批'}）处无签字，方案未经技术负责人审批"
                          + (f"（编制人{p.author.value}，第{p.author.page}页）" if p.author.ok else ""),
                          [a] + [v for v in (p.author, p.reviewer) if v.ok],
                          pages=[a.page] + ([p.author.page] if p.author.ok else []))
    elif st is SlotState.SIGNED:
        yield from _approver_is_td(ctx, a)
    else:
        yield ctx.cannot_decide(40, "检测方案的批准人（技术负责人）签字", pages=[a.page] if a.page else list(p.pages),
                                why="未找到批准人签字栏或签字未能识别")
    # -- dates
    first = first_sampling(ctx)
    late = [(zh, v) for zh, v in (("批准", p.approve_date), ("审核", p.review_date))
            if v.ok and hasattr(v.value, "year") and first is not None and v.value > first.value]
    if late:
        parts = "，".join(f"{zh}日期{fmt_date(v.value)}（第{v.page}页）" for zh, v in late)
        yield ctx.finding(
            "plan.approved_after_sampling", 40,
            f"检测方案{parts}晚于首次现场采样日期{fmt_date(first.value)}（采样记录第{first.page}页），"
            f"方案应在采样前完成审核和审批",
            [v for _, v in late] + [first], pages=[v.page for _, v in late] + [first.page])
    elif first is None:
        if p.approve_date.ok or p.review_date.ok:
            yield ctx.cannot_decide(40, "现场采样记录的采样日期", pages=ctx.section_pages("sampling_record"),
                                    why="无法比较方案审批日期与采样日期")
    elif a.ok and not p.approve_date.ok and not p.review_date.ok:
        yield ctx.cannot_decide(40, "检测方案的审核/批准日期", pages=[a.page] if a.page else list(p.pages),
                                why="无法比较方案审批日期与采样日期")


def _approver_is_td(ctx: Ctx, a):
    name = str(a.value)
    title = label_title(a.raw)
    if title and TD not in title:
        yield ctx.finding(
            "plan.no_technical_director_approval", 40,
            f"检测方案第{a.page}页由{name}以“{title}”身份批准，而非机构技术负责人审批", [a], pages=[a.page])
        return
    tds = technical_directors(ctx)
    if not tds:
        if not title:
            yield ctx.cannot_decide(40, "机构技术负责人的身份", evidence=[a], pages=[a.page],
                                    why="批准栏未注明身份且登记名单未标明技术负责人，无法判断批准人是否为技术负责人")
        return
    if any(dist(name, t) <= 1 for t in tds):
        return
    registered = staff_names(ctx)
    who, d = nearest(name, registered)
    if who is not None and d <= 1 and who not in tds:
        yield ctx.finding(
            "plan.no_technical_director_approval", 40,
            f"检测方案第{a.page}页批准人为{who}，而机构登记的技术负责人为{'、'.join(tds)}，方案未经技术负责人审批",
            [a], pages=[a.page])
