"""Expert and leader pages: blind bundle page, page viewer, crops, autosave, consolidation.

Every view goes through :mod:`access` (group membership or the center, verified blind
copy); nothing here reads ``original.pdf``, ``submission.json`` or identity fields.
"""
from __future__ import annotations

import json
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from checks import checklist
from pipeline.codes import CODE_NAMES_ZH
from workbench.review import access, blind, edits, opinion, rules, scoring
from workbench.review.models import (Assignment, ConflictDeclaration, Finding, GroupItemResult, GroupResult, ItemScore, PreflagDecision,
                                     ReviewOpinion)
from workbench.review.sheet import by_part


@login_required
def home(request):
    if rules.is_center(request.user):
        return redirect("center")
    return redirect("my_bundles")


@login_required
def my_bundles(request):
    rows = []
    for a in (Assignment.objects.filter(group__experts=request.user).select_related("group", "bundle")
              .order_by("bundle__bundle_id").distinct()):
        res = GroupResult.objects.filter(assignment=a).first()
        signed = bool(res and res.signed_at)
        done = ItemScore.objects.filter(bundle=a.bundle, expert=request.user).exclude(
            verdict="", occurrences=None, direct_score=None).count()
        rows.append({"a": a, "due": rules.due_date(a.group), "overdue": rules.overdue(a.group, signed),
                     "signed": signed, "done": done, "leader": a.group.leader_id == request.user.pk})
    return render(request, "review/my_bundles.html", {
        "rows": rows, "conflicts": ConflictDeclaration.objects.filter(expert=request.user).order_by("-declared_at")})


@login_required
@require_POST
def declare_conflict(request):
    """An expert declares an interest in an institution (§6); assignments of its bundles are then refused."""
    name, reason = request.POST.get("institution", "").strip(), request.POST.get("reason", "").strip()
    if name and reason:
        ConflictDeclaration.objects.create(expert=request.user, institution=name[:200], reason=reason[:300])
        request.session["flash"] = f"已登记利益冲突声明：{name}"
    else:
        request.session["flash"] = "请填写机构名称和利害关系"
    return redirect("my_bundles")


def _payload(request) -> dict:
    if request.content_type == "application/json":
        return json.loads(request.body or b"{}")
    return request.POST.dict()


def _saved(row, extra: dict | None = None) -> JsonResponse:
    return JsonResponse({"ok": True, "version": row.version, "values": edits.row_values(row), **(extra or {})})


def _guarded(fn):
    """Run a save; map a range error to 400 and a version conflict to 409 (with the stored values)."""
    try:
        return fn()
    except scoring.ScoreError as e:
        return JsonResponse({"ok": False, "error": str(e)}, status=400)
    except edits.Conflict as c:
        return JsonResponse({"ok": False, "conflict": True, "error": str(c), "version": c.version,
                             "current": c.current}, status=409)


def _findings_by_item(bundle):
    by_item, other = defaultdict(list), []
    for f in Finding.objects.filter(bundle=bundle):
        (by_item[f.indicator] if f.indicator else other).append(f)
    return by_item, other


@login_required
def bundle_page(request, bundle_id: str):
    bundle, a = access.review_bundle(request, bundle_id)
    me = request.user
    scores = {s.item_no: s for s in ItemScore.objects.filter(bundle=bundle, expert=me)} if a else {}
    decisions = {d.finding_id: d for d in PreflagDecision.objects.filter(finding__bundle=bundle, expert=me)}
    by_item, other = _findings_by_item(bundle)
    parts = []
    for p, name, items in by_part():
        rows = []
        for s in items:
            row = scores.get(s.no)
            value = edits.effective(row) if row else None
            rows.append({"s": s, "row": row, "value": value,
                         "flags": [(f, decisions.get(f.pk)) for f in by_item.get(s.no, [])]})
        parts.append({"no": p, "name": name, "rows": rows})
    op = ReviewOpinion.objects.filter(bundle=bundle, expert=me).first() if a else None
    return render(request, "review/bundle.html", {
        "bundle": bundle, "a": a, "parts": parts, "other": [(f, decisions.get(f.pk)) for f in other],
        "code_names": CODE_NAMES_ZH, "opinion": op, "opinion_fields": opinion.fields(op),
        "due": rules.due_date(a.group) if a else None, "can_score": a is not None,
        "is_leader": bool(a and a.group.leader_id == me.pk)})


@login_required
def viewer(request, bundle_id: str, page: int):
    bundle, _ = access.review_bundle(request, bundle_id)
    if not 1 <= page <= bundle.page_count:
        raise Http404("无此页")
    box = [request.GET.get(k) for k in ("x0", "y0", "x1", "y1")]
    box = [float(v) for v in box] if all(box) else None
    return render(request, "review/viewer.html", {"bundle": bundle, "page": page, "box": box,
                                                  "pages": range(1, bundle.page_count + 1)})


def _png(data: bytes) -> HttpResponse:
    r = HttpResponse(data, content_type="image/png")
    r["Cache-Control"] = "private, max-age=3600"
    return r


@login_required
def page_image(request, bundle_id: str, page: int):
    bundle, _ = access.review_bundle(request, bundle_id)
    try:
        return _png(blind.page_png(bundle, page))
    except (IndexError, blind.NotBlind):
        raise Http404("无此页") from None


@login_required
def crop_image(request, bundle_id: str, seq: int, idx: int):
    bundle, _ = access.review_bundle(request, bundle_id)
    f = Finding.objects.filter(bundle=bundle, seq=seq).first()
    if f is None or not 0 <= idx < len(f.evidence):
        raise Http404("无此证据")
    ev = f.evidence[idx]
    if not ev.get("page") or not ev.get("bbox"):
        raise Http404("该证据无框")
    try:
        return _png(blind.crop_png(bundle, int(ev["page"]), ev["bbox"]))
    except (IndexError, blind.NotBlind):
        raise Http404("无此证据") from None


@login_required
@require_POST
def save_score(request, bundle_id: str, item_no: int):
    bundle, _ = access.member_bundle(request, bundle_id)
    if item_no not in {it.no for it in checklist.ITEMS}:
        raise Http404("无此项")
    data = _payload(request)

    def go():
        row = edits.save_score(bundle, request.user, item_no, data, int(data.get("version", 0)))
        v = edits.effective(row)
        return _saved(row, {"value": str(v) if v is not None else None})
    return _guarded(go)


@login_required
@require_POST
def save_decision(request, bundle_id: str, seq: int):
    bundle, _ = access.member_bundle(request, bundle_id)
    f = Finding.objects.filter(bundle=bundle, seq=seq).first()
    if f is None:
        raise Http404("无此预警")
    data = _payload(request)
    return _guarded(lambda: _saved(edits.save_decision(f, request.user, data, int(data.get("version", 0)))))


@login_required
@require_POST
def save_opinion(request, bundle_id: str):
    bundle, _ = access.member_bundle(request, bundle_id)
    data = _payload(request)
    return _guarded(lambda: _saved(edits.save_opinion(bundle, request.user, data, int(data.get("version", 0)))))


@login_required
def draft_opinion(request, bundle_id: str):
    """The opinion drafted from this expert's confirmed pre-flags (JSON; the page decides to use it)."""
    bundle, _ = access.member_bundle(request, bundle_id)
    return JsonResponse({"draft": opinion.draft(bundle, request.user)})


# ---- leader -------------------------------------------------------------------------


def _group_values(a: Assignment) -> dict[int, object]:
    out = {}
    for r in GroupItemResult.objects.filter(assignment=a):
        v = r.verdict if checklist.item(r.item_no).veto else r.score
        if v not in (None, ""):
            out[r.item_no] = v
    return out


def _scorers(bundle, experts) -> list[int]:
    """The members who scored this bundle (a leader who only consolidates is not one)."""
    ids = {e.pk for e in experts}
    return sorted(set(ItemScore.objects.filter(bundle=bundle, expert_id__in=ids)
                      .exclude(verdict="", occurrences=None, direct_score=None).values_list("expert_id", flat=True)))


def _agreed(values: list):
    """The common value when every scorer gave one and all gave the same, else None."""
    if not values or any(v is None for v in values) or len({str(v) for v in values}) != 1:
        return None
    return values[0]


@login_required
def consolidate(request, bundle_id: str):
    bundle, a = access.leader_bundle(request, bundle_id)
    experts = list(a.group.experts.order_by("username"))
    rows = defaultdict(dict)
    for s in ItemScore.objects.filter(bundle=bundle, expert__in=experts):
        rows[s.item_no][s.expert_id] = s
    scorers = _scorers(bundle, experts)
    results = {r.item_no: r for r in GroupItemResult.objects.filter(assignment=a)}
    parts = []
    for p, name, items in by_part():
        out = []
        for s in items:
            vals = [edits.effective(rows[s.no][e.pk]) if e.pk in rows[s.no] else None for e in experts]
            given = [v for v in vals if v is not None]
            agreed = _agreed([edits.effective(rows[s.no][e]) if e in rows[s.no] else None for e in scorers])
            notes = [(e, rows[s.no][e.pk]) for e in experts if e.pk in rows[s.no]
                     and (rows[s.no][e.pk].note or rows[s.no][e.pk].needs_site)]
            out.append({"s": s, "vals": vals, "disagree": len(set(map(str, given))) > 1, "agreed": agreed,
                        "result": results.get(s.no), "notes": notes})
        parts.append({"no": p, "name": name, "rows": out})
    res, _ = GroupResult.objects.get_or_create(assignment=a)
    a4 = scoring.attachment4(_group_values(a), lab_failed=bundle.lab_comparison == bundle.LAB_FAIL)
    return render(request, "review/consolidate.html", {
        "bundle": bundle, "a": a, "experts": experts, "parts": parts, "a4": a4, "res": res,
        "due": rules.due_date(a.group), "overdue": rules.overdue(a.group, bool(res.signed_at))})


@login_required
@require_POST
def save_group_item(request, bundle_id: str, item_no: int):
    bundle, a = access.leader_bundle(request, bundle_id)
    if GroupResult.objects.filter(assignment=a, signed_at__isnull=False).exists():
        return JsonResponse({"ok": False, "error": "已签字，不能再修改"}, status=400)
    data = _payload(request)
    return _guarded(lambda: _saved(edits.save_group_item(a, request.user, item_no, data,
                                                         int(data.get("version", 0)))))


@login_required
@require_POST
def adopt_agreed(request, bundle_id: str):
    """Fill every empty group value where all experts gave the same value."""
    bundle, a = access.leader_bundle(request, bundle_id)
    scorers = _scorers(bundle, list(a.group.experts.all()))
    by_item = defaultdict(dict)
    for s in ItemScore.objects.filter(bundle=bundle, expert_id__in=scorers):
        by_item[s.item_no][s.expert_id] = edits.effective(s)
    have = set(_group_values(a))
    for no, got in by_item.items():
        value = _agreed([got.get(e) for e in scorers])
        if no in have or value is None:
            continue
        vals = [value]
        row = GroupItemResult.objects.filter(assignment=a, item_no=no).first()
        field = "verdict" if checklist.item(no).veto else "score"
        edits.save_group_item(a, request.user, no, {field: vals[0]}, row.version if row else 0)
    return redirect("consolidate", bundle_id=bundle_id)


@login_required
@require_POST
def sign_off(request, bundle_id: str):
    bundle, a = access.leader_bundle(request, bundle_id)
    res, _ = GroupResult.objects.get_or_create(assignment=a)
    a4 = scoring.attachment4(_group_values(a), lab_failed=bundle.lab_comparison == bundle.LAB_FAIL)
    res.problems = request.POST.get("problems", res.problems)[:20000]
    if not a4.complete:
        res.save()
        request.session["flash"] = f"尚有 {len(a4.missing)} 项未给出结果（第{'、'.join(map(str, a4.missing[:12]))}项…），不能签字"
        return redirect("consolidate", bundle_id=bundle_id)
    res.signed_by, res.signed_at = request.user, timezone.now()
    res.save()
    return redirect("consolidate", bundle_id=bundle_id)


group_values = _group_values
