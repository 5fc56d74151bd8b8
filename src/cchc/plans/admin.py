"""Reform plans in the admin: read only.

Every change goes through the services (they lock the record, check the transition table, the
role and the input, and seal the history), so the admin only shows the records.
"""

from __future__ import annotations

from django.contrib import admin

from .models import Plan, PlanField, Task, TaskReport


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PlanFieldInline(ReadOnlyMixin, admin.TabularInline):
    model = PlanField
    fields = ["position", "name"]
    extra = 0


@admin.register(Plan)
class PlanAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "unit", "year", "status", "document_number", "issued_on"]
    list_filter = ["year", "status"]
    search_fields = ["title", "unit__name", "unit__code", "document_number"]
    inlines = [PlanFieldInline]


@admin.register(Task)
class TaskAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "content", "lead_unit", "deadline", "status", "percent", "done_on"]
    list_filter = ["year", "origin", "status"]
    search_fields = ["content", "code", "lead_unit__name"]


@admin.register(TaskReport)
class TaskReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["task", "status", "percent", "reported_on", "reported_by"]
    list_filter = ["status"]
