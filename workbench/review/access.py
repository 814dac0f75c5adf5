"""The one door to a bundle for every view: who is asking, and may they see it (server-side)."""
from __future__ import annotations

from typing import Optional

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from workbench.review import rules
from workbench.review.models import Assignment, Bundle


def review_bundle(request, bundle_id: str) -> tuple[Bundle, Optional[Assignment]]:
    """The bundle for blind review: its group's members, or the center. Anyone else: 403.

    Refused too when the bundle has no verified blind copy (nothing of it is served blind).
    """
    bundle = get_object_or_404(Bundle, bundle_id=bundle_id)
    a = rules.assignment_for(request.user, bundle)
    if a is None and not rules.is_center(request.user):
        raise PermissionDenied("该证据包未分配给您所在的专家组")
    if not bundle.anonymized_safe:
        raise PermissionDenied("该证据包的匿名副本未通过验证，不提供盲审")
    return bundle, a


def member_bundle(request, bundle_id: str) -> tuple[Bundle, Assignment]:
    """Scoring needs membership of the assigned group (the center does not score)."""
    bundle, a = review_bundle(request, bundle_id)
    if a is None:
        raise PermissionDenied("仅本组专家可评分")
    return bundle, a


def leader_bundle(request, bundle_id: str) -> tuple[Bundle, Assignment]:
    bundle, a = member_bundle(request, bundle_id)
    if a.group.leader_id != request.user.pk:
        raise PermissionDenied("仅组长可汇总与签字")
    return bundle, a


def center_only(request) -> None:
    if not rules.is_center(request.user):
        raise PermissionDenied("仅质控中心可用")
