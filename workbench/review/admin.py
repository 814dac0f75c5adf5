"""Django admin for the center (superusers / staff with the model permissions)."""
from __future__ import annotations

from django.contrib import admin

from workbench.review import models as m


@admin.register(m.Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("out_dir", "imported_at")


class FindingInline(admin.TabularInline):
    model = m.Finding
    extra = 0
    fields = ("seq", "code", "indicator", "veto", "message_blind")
    readonly_fields = fields


@admin.register(m.Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ("bundle_id", "institution_name", "city", "status", "anonymized_safe", "lab_comparison")
    list_filter = ("status", "anonymized_safe", "city", "lab_comparison")
    search_fields = ("bundle_id", "institution_name")
    inlines = [FindingInline]


@admin.register(m.ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "level", "institution", "specialty")


@admin.register(m.ConflictDeclaration)
class ConflictAdmin(admin.ModelAdmin):
    list_display = ("expert", "institution", "reason", "declared_at")


@admin.register(m.ReviewGroup)
class ReviewGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "leader", "check_date")
    filter_horizontal = ("experts",)


@admin.register(m.Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("bundle", "group", "assigned_by", "assigned_at")


for _model in (m.ItemScore, m.PreflagDecision, m.ReviewOpinion, m.GroupItemResult, m.GroupResult):
    admin.site.register(_model)
