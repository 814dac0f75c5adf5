"""Roles and blind serving, enforced on the server: groups, conflicts of interest, refusals."""
from __future__ import annotations

from auditlog.models import LogEntry

from tests.workbench.conftest import login
from workbench.review import rules
from workbench.review.models import Assignment, Bundle, ConflictDeclaration, ExpertProfile, ReviewGroup


def test_group_needs_three_experts_and_one_national(group, people):
    assert rules.group_problems(group) == []
    small = ReviewGroup.objects.create(name="小组", leader=people["e1"])
    small.experts.set([people["e1"], people["e2"]])
    probs = rules.group_problems(small)
    assert any("至少 3 名" in p for p in probs) and any("国家级" in p for p in probs)


def test_unsafe_blind_copy_cannot_be_assigned(imported, group):
    reasons = rules.assign_refusal(group, Bundle.objects.get(bundle_id="T-002"))
    assert any("匿名副本未通过验证" in r and "第2页仍可读出机构名称" in r for r in reasons)
    assert rules.assign_refusal(group, Bundle.objects.get(bundle_id="T-001")) == []


def test_conflict_of_interest_registered_or_declared(imported, group, people):
    b = Bundle.objects.get(bundle_id="T-001")
    ExpertProfile.objects.filter(user=people["e2"]).update(institution="河南测试检测技术有限公司")
    assert any("所在单位即被查机构" in r for r in rules.assign_refusal(group, b))
    ExpertProfile.objects.filter(user=people["e2"]).update(institution="某大学")
    ConflictDeclaration.objects.create(expert=people["e3"], institution="测试检测", reason="曾任技术顾问")
    assert any("曾任技术顾问" in r for r in rules.assign_refusal(group, b))


def test_center_assign_refusal_is_shown(client, imported, group, people):
    login(client, people["center"])
    r = client.post("/center/assign/", {"bundle_id": "T-002", "group": group.pk}, follow=True)
    assert "匿名副本未通过验证" in r.content.decode()
    assert not Assignment.objects.filter(bundle__bundle_id="T-002").exists()
    client.post("/center/assign/", {"bundle_id": "T-001", "group": group.pk})
    assert Assignment.objects.filter(bundle__bundle_id="T-001", group=group).exists()


def test_members_see_blind_pages_outsiders_and_originals_refused(client, assigned, people):
    login(client, people["e1"])
    page = client.get("/review/T-001/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "河南测试检测" not in html and "0099" not in html and "钱多多" not in html
    assert client.get("/review/T-001/page/1.png")["Content-Type"] == "image/png"
    assert client.get("/review/T-001/crop/1/0.png").status_code == 200
    for url in ("/center/bundle/T-001/original.pdf", "/center/bundle/T-001/identity/", "/center/",
                "/center/summary/", "/center/summary.xlsx", "/review/T-002/", "/review/T-002/page/1.png"):
        assert client.get(url).status_code == 403, url
    client.logout()
    login(client, people["outsider"])
    for url in ("/review/T-001/", "/review/T-001/page/1.png", "/review/T-001/crop/1/0.png",
                "/export/T-001/attachment4.xlsx", "/group/T-001/"):
        assert client.get(url).status_code == 403, url
    assert client.post("/review/T-001/score/5/", {"direct_score": "1", "version": 0}).status_code == 403


def test_only_the_leader_consolidates(client, assigned, people):
    login(client, people["e1"])
    assert client.get("/group/T-001/").status_code == 403
    client.logout()
    login(client, people["lead"])
    assert client.get("/group/T-001/").status_code == 200


def test_center_view_of_an_original_is_audited(client, assigned, people):
    login(client, people["center"])
    r = client.get("/center/bundle/T-001/original.pdf")
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    e = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(assigned.bundle.pk)).get()
    assert e.actor == people["center"]


def test_anonymous_is_sent_to_login(client, assigned):
    r = client.get("/review/T-001/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_expert_declares_a_conflict_and_assignment_is_refused(client, imported, group, people):
    login(client, people["e1"])
    client.post("/review/conflicts/", {"institution": "河南测试检测技术有限公司", "reason": "配偶在该机构任职"})
    assert "配偶在该机构任职" in client.get("/review/").content.decode()
    reasons = rules.assign_refusal(group, Bundle.objects.get(bundle_id="T-001"))
    assert any("配偶在该机构任职" in r for r in reasons)
