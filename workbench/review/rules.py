"""Who may do what: roles, conflict of interest (seed 002 §6), group composition (§2(4)),
and whether a bundle can go to blind review. Every refusal is a Chinese sentence saying why.

Roles: the center holds the ``review.view_identity`` / ``review.manage_review``
permissions (Django group 质控中心); an expert or leader reaches a bundle only through
an :class:`Assignment` of a group they belong to (object check in every view).
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from django.utils import timezone

from checks._shared_dates import CalendarUnknown, nth_working_day_after
from workbench.review import recheck
from workbench.review.models import Assignment, Bundle, ConflictDeclaration, ExpertProfile, ReviewGroup

MIN_EXPERTS = 3
RESULT_DUE_WORKING_DAYS = 5  # seed 002 §5: results within 5 working days after the check


def is_center(user) -> bool:
    return user.is_authenticated and user.has_perm("review.manage_review")


def can_see_identity(user) -> bool:
    return user.is_authenticated and user.has_perm("review.view_identity")


def assignment_for(user, bundle: Bundle) -> Optional[Assignment]:
    """The assignment through which ``user`` (an expert or leader of its group) may review ``bundle``."""
    a = Assignment.objects.filter(bundle=bundle).select_related("group").first()
    if a and (a.group.leader_id == user.pk or a.group.experts.filter(pk=user.pk).exists()):
        return a
    return None


def _names(bundle: Bundle) -> set[str]:
    inst = bundle.identity or {}
    return {n.strip() for n in [inst.get("name") or "", *(inst.get("aliases") or [])] if n and n.strip()}


def conflict_reason(user, bundle: Bundle) -> Optional[str]:
    """Why ``user`` may not review ``bundle``'s institution, or None."""
    names = _names(bundle)
    prof = ExpertProfile.objects.filter(user=user).first()
    if prof and prof.institution and any(prof.institution.strip() == n or n in prof.institution for n in names):
        return f"专家 {user.get_full_name() or user.username} 所在单位即被查机构，须回避（实施方案第六条）"
    for c in ConflictDeclaration.objects.filter(expert=user):
        if c.institution.strip() in names:
            return (f"专家 {user.get_full_name() or user.username} 已声明与被查机构存在利害关系"
                    f"（{c.reason}），须回避（实施方案第六条）")
    return None


def group_problems(group: ReviewGroup) -> list[str]:
    """Why the group cannot review yet (§2(4): ≥3 experts, ≥1 national; the leader is a member)."""
    experts = list(group.experts.all())
    out = []
    if len(experts) < MIN_EXPERTS:
        out.append(f"专家组至少 {MIN_EXPERTS} 名专家，现有 {len(experts)} 名（实施方案二(四)）")
    levels = dict(ExpertProfile.objects.filter(user__in=experts).values_list("user_id", "level"))
    if not any(levels.get(u.pk) == ExpertProfile.NATIONAL for u in experts):
        out.append("专家组至少 1 名国家级专家（实施方案二(四)）")
    if group.leader_id not in {u.pk for u in experts}:
        out.append("组长须为本组专家")
    return out


def assign_refusal(group: ReviewGroup, bundle: Bundle) -> list[str]:
    """Every reason ``bundle`` cannot be assigned to ``group`` (empty: it can)."""
    out = []
    if bundle.status != "done":
        out.append(f"证据包 {bundle.bundle_id} 流水线未完成（{bundle.status}）")
    if not bundle.anonymized_safe:
        detail = bundle.anonymized_detail or {}
        errs = ("；".join(detail.get("errors") or []) or recheck.reason(detail)
                or "匿名副本缺失或流水线复核发现残留身份信息")
        out.append(f"证据包 {bundle.bundle_id} 的匿名副本未通过验证，不能分配盲审：{errs}")
    existing = Assignment.objects.filter(bundle=bundle).select_related("group").first()
    if existing and existing.group_id != group.pk:
        out.append(f"证据包 {bundle.bundle_id} 已分配给 {existing.group.name}")
    out += group_problems(group)
    for u in group.experts.all():
        if r := conflict_reason(u, bundle):
            out.append(r)
    return out


def due_date(group: ReviewGroup) -> Optional[dt.date]:
    """Results due on the 5th Chinese working day after the check (None: no check date, or no calendar data)."""
    if not group.check_date:
        return None
    try:
        return nth_working_day_after(group.check_date, RESULT_DUE_WORKING_DAYS)
    except CalendarUnknown:
        return None


def overdue(group: ReviewGroup, signed: bool, today: Optional[dt.date] = None) -> bool:
    due = due_date(group)
    today = today or timezone.localdate()
    return bool(due and not signed and today > due)
