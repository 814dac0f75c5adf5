"""Downloads. The group (leader and experts) gets blind copies; the center gets identity too."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from openpyxl import Workbook

from workbench.review import access, exports, rules, scoring
from workbench.review.models import Assignment, Bundle, ReviewOpinion
from workbench.review.views_review import group_values

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(data: bytes, ctype: str, name: str) -> HttpResponse:
    r = HttpResponse(data, content_type=ctype)
    r["Content-Disposition"] = content_disposition_header(True, name)  # RFC 6266 filename* for Chinese names
    return r


def _assignment(request, bundle_id: str) -> tuple[Assignment, bool]:
    """The assignment and whether the copy must be blind (anyone but the center)."""
    if rules.is_center(request.user):
        b = get_object_or_404(Bundle, bundle_id=bundle_id)
        a = Assignment.objects.filter(bundle=b).select_related("group", "bundle").first()
        if a is None:
            raise PermissionDenied("该证据包尚未分配")
        return a, False
    _, a = access.member_bundle(request, bundle_id)
    return a, True


def _a4(a: Assignment) -> scoring.Attachment4:
    return scoring.attachment4(group_values(a), lab_failed=a.bundle.lab_comparison == Bundle.LAB_FAIL)


@login_required
def attachment3(request, bundle_id: str):
    a, _ = _assignment(request, bundle_id)
    return _file(exports.attachment3(a, group_values(a)), XLSX, f"{bundle_id}-附件3.xlsx")


@login_required
def attachment4_xlsx(request, bundle_id: str):
    a, blind = _assignment(request, bundle_id)
    return _file(exports.attachment4_xlsx(exports.sheet4(a, _a4(a), blind=blind)), XLSX, f"{bundle_id}-附件4.xlsx")


@login_required
def attachment4_pdf(request, bundle_id: str):
    a, blind = _assignment(request, bundle_id)
    return _file(exports.attachment4_pdf(exports.sheet4(a, _a4(a), blind=blind)), "application/pdf",
                 f"{bundle_id}-附件4.pdf")


@login_required
def opinions(request, bundle_id: str):
    a, _ = _assignment(request, bundle_id)
    wb = Workbook()
    ws = wb.active
    ws.title = "审核意见"
    ws.append(["专家", *(ReviewOpinion._meta.get_field(k).verbose_name for k in ReviewOpinion.FIELDS)])
    for op in ReviewOpinion.objects.filter(bundle=a.bundle).select_related("expert").order_by("expert__username"):
        ws.append([op.expert.get_full_name() or op.expert.username, *(getattr(op, k) for k in ReviewOpinion.FIELDS)])
    return _file(exports._xlsx(wb), XLSX, f"{bundle_id}-审核意见.xlsx")


def _summary(request):
    access.center_only(request)
    rows = exports.summary_rows(lambda a: group_values(a) if a else {})
    return rows, exports.summary_stats(rows)


@login_required
def summary_page(request):
    rows, stats = _summary(request)
    return render(request, "review/summary.html", {"rows": rows, "stats": stats,
                                                   "bands": [(k, stats["bands"].get(k, 0)) for k in
                                                             (scoring.EXCELLENT, scoring.PASS, scoring.FAIL)],
                                                   "risks": [(k, stats["risks"].get(k, 0)) for k in
                                                             (scoring.LOW, scoring.MEDIUM, scoring.HIGH)]})


@login_required
def summary_xlsx(request):
    rows, stats = _summary(request)
    return _file(exports.summary_xlsx(rows, stats), XLSX, "省级汇总.xlsx")
