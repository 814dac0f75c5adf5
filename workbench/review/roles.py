"""The workbench's Django groups and their permissions (created by ``setup_roles``)."""
from __future__ import annotations

from django.contrib.auth.models import Group, Permission

CENTER = "质控中心"
EXPERT = "专家"

_CENTER_PERMS = ("view_identity", "manage_review", "view_bundle", "change_bundle", "view_reviewgroup",
                 "add_reviewgroup", "change_reviewgroup", "view_expertprofile", "add_expertprofile",
                 "change_expertprofile", "view_conflictdeclaration", "add_conflictdeclaration",
                 "view_assignment", "view_logentry")


def ensure_roles() -> tuple[Group, Group]:
    center, _ = Group.objects.get_or_create(name=CENTER)
    center.permissions.set(Permission.objects.filter(codename__in=_CENTER_PERMS))
    expert, _ = Group.objects.get_or_create(name=EXPERT)
    expert.permissions.set([])  # experts reach bundles only through their group's assignments
    return center, expert
