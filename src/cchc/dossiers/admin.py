from django.contrib import admin

from cchc.organisations.permissions import scope_to_units

from .models import Dossier, DossierEvent


class EventInline(admin.TabularInline):
    model = DossierEvent
    extra = 0
    can_delete = False
    fields = ["sequence", "at", "action", "actor_name", "status_before", "status_after", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    """Read-only view for administrators: every change goes through the services."""

    list_display = ["code", "procedure", "applicant_name", "status", "receiving_unit", "due_at"]
    list_filter = ["status", "channel"]
    search_fields = ["code", "applicant_name"]
    inlines = [EventInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("procedure", "receiving_unit")
        return scope_to_units(queryset, request.user, field="receiving_unit")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
