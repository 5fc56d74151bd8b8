"""PAR INDEX in the admin: read only.

Every change goes through the services (criteria sets through the import page or ``cchc
par-import-criteria``, which validate and version them; rounds and assessments through their
workflow services, which lock, check the transition table and seal the history), so the admin only
shows the records: nothing here can add, change or delete one.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Assessment, CriteriaSet, Criterion, LeafScore, Round


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CriterionInline(ReadOnlyMixin, admin.TabularInline):
    model = Criterion
    fields = [
        "code",
        "name",
        "max_points",
        "block",
        "aggregation",
        "method",
        "method_text",
        "may_be_not_applicable",
        "responsible_hint",
    ]
    readonly_fields = fields
    ordering = ["position"]
    extra = 0
    show_change_link = False


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "year", "level", "version", "declared_total", "is_sample", "used"]
    list_filter = ["year", "level", "is_sample"]
    search_fields = ["name", "legal_basis"]
    readonly_fields = [
        "name",
        "year",
        "level",
        "version",
        "declared_total",
        "legal_basis",
        "is_sample",
        "notes",
        "created_at",
    ]
    inlines = [CriterionInline]

    @admin.display(boolean=True, description=_("used by a round"))
    def used(self, obj: CriteriaSet) -> bool:
        return obj.in_use


@admin.register(Round)
class RoundAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "year", "criteria_set", "organiser", "status", "published_at"]
    list_filter = ["year", "status"]
    search_fields = ["name", "decision_number", "organiser__name"]
    list_select_related = ["criteria_set", "organiser"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["round", "unit", "status", "submitted_at"]
    list_filter = ["status", "round__year"]
    search_fields = ["unit__name", "unit__code", "round__name"]
    list_select_related = ["round", "unit"]


@admin.register(LeafScore)
class LeafScoreAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "assessment",
        "criterion",
        "not_applicable",
        "self_score",
        "appraisal_state",
        "appraised_score",
        "survey_score",
    ]
    list_filter = ["appraisal_state", "not_applicable", "assessment__round__year"]
    search_fields = ["criterion__code", "assessment__unit__name", "appraisal_reason"]
    list_select_related = ["assessment__round", "assessment__unit", "criterion"]
