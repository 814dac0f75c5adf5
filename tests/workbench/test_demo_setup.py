"""``make demo``'s last step (``python -m workbench demo_setup OUT``): the demo accounts with
the demo password, one valid group assigned every bundle whose blind copy is verified (the
others are named with the reason), and a second run changes nothing."""
from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from workbench.review import rules
from workbench.review.management.commands.demo_setup import PASSWORD
from workbench.review.models import Assignment, ReviewGroup


def _run(out_dir) -> str:
    buf = io.StringIO()
    call_command("demo_setup", str(out_dir), "--check-date", "2023-09-28", stdout=buf)
    return buf.getvalue()


def test_demo_accounts_group_and_assignments(out_dir, db, client):
    text = _run(out_dir)
    User = get_user_model()
    for name in ("center", "leader", "expert1", "expert2", "expert3"):
        assert User.objects.get(username=name).check_password(PASSWORD), name
    g = ReviewGroup.objects.get()
    assert g.leader.username == "leader" and rules.group_problems(g) == []
    assert sorted(a.bundle.bundle_id for a in Assignment.objects.all()) == ["T-001"]
    assert "T-002 未分配" in text                     # its blind copy failed verification
    assert rules.is_center(User.objects.get(username="center"))
    assert client.login(username="expert2", password=PASSWORD)
    assert client.get("/review/T-001/").status_code == 200
    assert client.get("/review/T-002/").status_code == 403
    assert client.get("/center/").status_code == 403
    before = (User.objects.count(), ReviewGroup.objects.count(), Assignment.objects.count())
    _run(out_dir)
    assert (User.objects.count(), ReviewGroup.objects.count(), Assignment.objects.count()) == before
