"""Autosave: range errors, optimistic concurrency (nothing overwritten silently), audit."""
from __future__ import annotations

import json
from decimal import Decimal

from auditlog.models import LogEntry

from tests.workbench.conftest import login
from workbench.review.models import ItemScore, PreflagDecision, ReviewOpinion


def _post(client, url, **data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_score_saves_and_out_of_range_is_refused(client, assigned, people):
    login(client, people["e1"])
    r = _post(client, "/review/T-001/score/5/", occurrences="2", per_occurrence="0.5", version=0)
    assert r.status_code == 200 and r.json()["value"] == "0.50" and r.json()["version"] == 1
    r = _post(client, "/review/T-001/score/5/", direct_score="1.6", version=1)
    assert r.status_code == 400 and "0 到 1.5" in r.json()["error"]
    row = ItemScore.objects.get(expert=people["e1"], item_no=5)
    assert row.occurrences == 2 and row.version == 1                     # the refused value changed nothing
    r = _post(client, "/review/T-001/score/94/", verdict="maybe", version=0)
    assert r.status_code == 400 and "否决项" in r.json()["error"]


def test_two_edits_of_one_item_conflict_instead_of_overwriting(client, assigned, people):
    login(client, people["e1"])
    assert _post(client, "/review/T-001/score/50/", direct_score="1", note="第一处", version=0).status_code == 200
    # a second tab (or a second person's stale page) still holds version 0
    r = _post(client, "/review/T-001/score/50/", direct_score="0.5", note="第二处", version=0)
    assert r.status_code == 409 and r.json()["current"]["note"] == "第一处" and r.json()["version"] == 1
    assert ItemScore.objects.get(item_no=50, expert=people["e1"]).note == "第一处"
    r = _post(client, "/review/T-001/score/50/", direct_score="0.5", note="第二处", version=1)
    assert r.status_code == 200
    row = ItemScore.objects.get(item_no=50, expert=people["e1"])
    assert row.direct_score == Decimal("0.5") and row.version == 2
    changes = LogEntry.objects.filter(object_pk=str(row.pk), actor=people["e1"])
    assert changes.count() >= 2


def test_experts_do_not_share_rows(client, assigned, people):
    login(client, people["e1"])
    _post(client, "/review/T-001/score/50/", direct_score="1", version=0)
    client.logout()
    login(client, people["e2"])
    assert _post(client, "/review/T-001/score/50/", direct_score="0.2", version=0).status_code == 200
    assert ItemScore.objects.filter(item_no=50).count() == 2


def test_decision_and_opinion_draft(client, assigned, people):
    login(client, people["e1"])
    assert _post(client, "/review/T-001/decision/2/", decision="confirm", note="属实", version=0).status_code == 200
    assert _post(client, "/review/T-001/decision/1/", decision="dismiss", version=0).status_code == 200
    assert PreflagDecision.objects.filter(expert=people["e1"]).count() == 2
    draft = client.get("/review/T-001/opinion/draft/").json()["draft"]
    assert "流量校准" in draft["sampling"] and "属实" in draft["sampling"]
    assert "0099" not in json.dumps(draft, ensure_ascii=False)           # the dismissed, identity-bearing one
    assert "确认预警 1 条" in draft["overall"]
    r = _post(client, "/review/T-001/opinion/", version=0, **draft)
    assert r.status_code == 200
    assert ReviewOpinion.objects.get(expert=people["e1"]).sampling == draft["sampling"]
