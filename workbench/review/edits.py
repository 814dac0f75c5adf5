"""Saving what an expert or leader typed, with optimistic concurrency.

Each save names the ``version`` of the row it was typed against. The row is updated only
if it still has that version (one conditional UPDATE, atomic in SQLite and PostgreSQL);
otherwise :class:`Conflict` carries the stored values, the client keeps what was typed,
shows both and may save again against the new version. Nothing is overwritten silently.
Out-of-range values raise :class:`scoring.ScoreError` before anything is written.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Optional

from auditlog.context import set_actor
from django.db import transaction
from django.db.models import F

from checks import checklist
from workbench.review import scoring
from workbench.review.models import GroupItemResult, ItemScore, PreflagDecision, ReviewOpinion


@dataclass
class Conflict(Exception):
    current: dict
    version: int

    def __str__(self) -> str:
        return f"已被他人修改（当前版本 {self.version}），您的输入未保存"


def _dec(v: Any, what: str) -> Optional[Decimal]:
    if v is None or str(v).strip() == "":
        return None
    try:
        return Decimal(str(v).strip())
    except InvalidOperation:
        raise scoring.ScoreError(f"{what}“{v}”不是数字") from None


def _int(v: Any, what: str) -> Optional[int]:
    d = _dec(v, what)
    if d is None:
        return None
    if d != d.to_integral_value():
        raise scoring.ScoreError(f"{what}须为整数，输入的是 {v}")
    return int(d)


def score_fields(item_no: int, data: dict) -> dict:
    """Validated ItemScore fields from a form/JSON payload (raises ScoreError)."""
    it = checklist.item(item_no)
    out: dict = {"needs_site": str(data.get("needs_site", "")).lower() in ("1", "true", "on", "yes"),
                 "note": str(data.get("note") or "")[:4000]}
    if it.veto:
        verdict = data.get("verdict") or ""
        if verdict not in ("", ItemScore.CONFORM, ItemScore.NOT_CONFORM):
            raise scoring.ScoreError(f"第{item_no}项为否决项，只能判定符合或不符合")
        out.update(verdict=verdict, occurrences=None, per_occurrence=None, direct_score=None)
        return out
    occ = _int(data.get("occurrences"), "发现处数")
    per = _dec(data.get("per_occurrence"), "每处扣分")
    direct = _dec(data.get("direct_score"), "得分")
    if direct is not None and occ is not None:
        raise scoring.ScoreError(f"第{item_no}项请只填“得分”或“处数×每处扣分”之一")
    scoring.item_score(item_no, occurrences=occ, per_occurrence=per, direct=direct)  # range check
    out.update(verdict="", occurrences=occ, per_occurrence=per, direct_score=direct)
    return out


def effective(row: ItemScore) -> Any:
    """The row's value for attachment 4: a verdict, a Decimal score, or None."""
    if checklist.item(row.item_no).veto:
        return row.verdict or None
    return scoring.item_score(row.item_no, occurrences=row.occurrences, per_occurrence=row.per_occurrence,
                              direct=row.direct_score)


def _update(model, lookup: dict, version: int, fields: dict, actor, defaults: Optional[dict] = None):
    with transaction.atomic(), set_actor(actor):
        row, _ = model.objects.get_or_create(**lookup, defaults=defaults or {})
        n = model.objects.filter(pk=row.pk, version=version).update(**fields, version=F("version") + 1)
        row.refresh_from_db()
        if n == 0:
            raise Conflict(row_values(row), row.version)
        # the queryset update skips signals: log the change for the audit trail
        _log_update(row, fields, actor)
    return row


def _log_update(row, fields: dict, actor) -> None:
    from auditlog.models import LogEntry  # lazy: auditlog's models need the app registry

    LogEntry.objects.log_create(row, force_log=True, action=LogEntry.Action.UPDATE,
                                changes={k: [None, str(v)] for k, v in fields.items()}, actor=actor)


def row_values(row) -> dict:
    skip = {"id", "bundle", "expert", "finding", "assignment", "updated_at"}
    return {f.name: (str(v) if isinstance(v := getattr(row, f.name), Decimal) else v)
            for f in row._meta.concrete_fields if f.name not in skip and not f.name.endswith("_id")}


def save_score(bundle, expert, item_no: int, data: dict, version: int) -> ItemScore:
    return _update(ItemScore, {"bundle": bundle, "expert": expert, "item_no": item_no}, version,
                   score_fields(item_no, data), expert)


def save_decision(finding, expert, data: dict, version: int) -> PreflagDecision:
    decision = data.get("decision") or ""
    if decision not in ("", PreflagDecision.CONFIRM, PreflagDecision.DISMISS):
        raise scoring.ScoreError("预警只能确认或排除")
    return _update(PreflagDecision, {"finding": finding, "expert": expert}, version,
                   {"decision": decision, "note": str(data.get("note") or "")[:4000]}, expert)


def save_opinion(bundle, expert, data: dict, version: int) -> ReviewOpinion:
    fields = {k: str(data.get(k) or "")[:20000] for k in ReviewOpinion.FIELDS}
    return _update(ReviewOpinion, {"bundle": bundle, "expert": expert}, version, fields, expert)


def save_group_item(assignment, leader, item_no: int, data: dict, version: int) -> GroupItemResult:
    it = checklist.item(item_no)
    if it.veto:
        verdict = data.get("verdict") or ""
        if verdict not in ("", ItemScore.CONFORM, ItemScore.NOT_CONFORM):
            raise scoring.ScoreError(f"第{item_no}项为否决项，只能判定符合或不符合")
        fields = {"verdict": verdict, "score": None}
    else:
        s = _dec(data.get("score"), "得分")
        if s is not None:
            scoring.item_score(item_no, direct=s)
        fields = {"verdict": "", "score": s}
    return _update(GroupItemResult, {"assignment": assignment, "item_no": item_no}, version, fields, leader)
