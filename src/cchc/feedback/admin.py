from django.contrib import admin

from cchc.organisations.permissions import scope_to_units

from .models import Feedback, FeedbackEvent


class EventInline(admin.TabularInline):
    model = FeedbackEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "actor_name", "status_before", "status_after", "unit", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Read-only view for administrators: every change goes through the services."""

    list_display = ["code", "title", "status", "category", "unit", "received_at", "due_at"]
    list_filter = ["status", "category", "subject_kind"]
    search_fields = ["code", "title", "sender_name"]
    exclude = ["rating_token_hash"]
    inlines = [EventInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("unit")
        return scope_to_units(queryset, request.user, field="unit")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FeedbackEvent)
class FeedbackEventAdmin(admin.ModelAdmin):
    """The event log, read-only (append-only in the model too)."""

    list_display = ["feedback", "at", "action", "actor_name", "status_before", "status_after"]
    list_filter = ["action"]
    search_fields = ["feedback__code"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("feedback")
        return scope_to_units(queryset, request.user, field="feedback__unit")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
