"""Reform reports in the admin: read-only (every change goes through the services)."""

from django.contrib import admin

from .models import ReformReport, ReformReportEvent


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReformReport)
class ReformReportAdmin(ReadOnly):
    list_display = ("unit", "year", "kind", "status", "due_on", "approved_at")
    list_filter = ("year", "kind", "status")
    search_fields = ("unit__name", "unit__code", "document_number")


@admin.register(ReformReportEvent)
class ReformReportEventAdmin(ReadOnly):
    list_display = ("report", "sequence", "action", "actor_name", "at")
