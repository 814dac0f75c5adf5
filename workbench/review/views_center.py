"""Center pages: batches, groups, assignment, lab comparison, progress and deadlines, originals."""
from __future__ import annotations

from auditlog.signals import accessed
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from workbench.review import access, importer, rules
from workbench.review.models import Assignment, Bundle, GroupResult, ItemScore, ReviewGroup

User = get_user_model()


def _flash(request, msg: str) -> None:
    request.session["flash"] = msg


@login_required
def center(request):
    access.center_only(request)
    rows = []
    groups = list(ReviewGroup.objects.prefetch_related("experts").order_by("name"))
    for b in Bundle.objects.select_related("batch").order_by("bundle_id"):
        a = Assignment.objects.filter(bundle=b).select_related("group").first()
        res = GroupResult.objects.filter(assignment=a).first() if a else None
        signed = bool(res and res.signed_at)
        progress = []
        if a:
            for e in a.group.experts.order_by("username"):
                n = ItemScore.objects.filter(bundle=b, expert=e).exclude(
                    verdict="", occurrences=None, direct_score=None).count()
                progress.append((e.username, n))
        rows.append({"b": b, "a": a, "signed": signed, "progress": progress,
                     "due": rules.due_date(a.group) if a else None,
                     "overdue": bool(a and rules.overdue(a.group, signed)),
                     "refusals": {g.pk: rules.assign_refusal(g, b) for g in groups} if not a else {}})
    return render(request, "review/center.html", {
        "rows": rows, "groups": [(g, rules.group_problems(g), rules.due_date(g)) for g in groups],
        "users": User.objects.filter(is_active=True).order_by("username"),
    })


@login_required
@require_POST
def import_view(request):
    access.center_only(request)
    out = request.POST.get("out_dir", "").strip()
    try:
        rep = importer.import_batch(out)
        _flash(request, "；".join(rep.lines()))
    except (OSError, ValueError, KeyError) as e:
        _flash(request, f"导入失败：{e}")
    return redirect("center")


@login_required
@require_POST
def group_create(request):
    access.center_only(request)
    name = request.POST.get("name", "").strip()
    ids = request.POST.getlist("experts")
    leader = User.objects.filter(pk=request.POST.get("leader")).first()
    if not name or leader is None:
        _flash(request, "请填写组名并选择组长")
        return redirect("center")
    g, _ = ReviewGroup.objects.get_or_create(name=name, defaults={"leader": leader})
    g.leader = leader
    g.check_date = request.POST.get("check_date") or None
    g.save()
    g.experts.set(User.objects.filter(pk__in=ids))
    probs = rules.group_problems(g)
    _flash(request, f"专家组 {g.name} 已保存" + (f"；尚不能分配：{'；'.join(probs)}" if probs else ""))
    return redirect("center")


@login_required
@require_POST
def assign(request):
    access.center_only(request)
    b = get_object_or_404(Bundle, bundle_id=request.POST.get("bundle_id"))
    g = get_object_or_404(ReviewGroup, pk=request.POST.get("group"))
    reasons = rules.assign_refusal(g, b)
    if reasons:
        _flash(request, f"不能分配 {b.bundle_id} 给 {g.name}：" + "；".join(reasons))
    else:
        Assignment.objects.get_or_create(bundle=b, defaults={"group": g, "assigned_by": request.user})
        _flash(request, f"{b.bundle_id} 已分配给 {g.name}")
    return redirect("center")


@login_required
@require_POST
def lab_result(request, bundle_id: str):
    access.center_only(request)
    b = get_object_or_404(Bundle, bundle_id=bundle_id)
    v = request.POST.get("lab_comparison", "")
    if v in dict(Bundle.LAB_CHOICES):
        b.lab_comparison = v
        b.save(update_fields=["lab_comparison"])
    return redirect("center")


@login_required
def original(request, bundle_id: str):
    """The original PDF: center only (permission review.view_identity); every view is audit-logged."""
    if not rules.can_see_identity(request.user):
        access.center_only(request)
    b = get_object_or_404(Bundle, bundle_id=bundle_id)
    if not b.original_pdf:
        raise Http404("原件不在导入目录中")
    accessed.send(Bundle, instance=b)
    return FileResponse(open(b.original_pdf, "rb"), content_type="application/pdf",
                        filename=f"{b.bundle_id}-original.pdf")


@login_required
def identity(request, bundle_id: str):
    if not rules.can_see_identity(request.user):
        access.center_only(request)
    b = get_object_or_404(Bundle, bundle_id=bundle_id)
    accessed.send(Bundle, instance=b)
    return render(request, "review/identity.html", {"b": b, "findings": b.findings.all()})
