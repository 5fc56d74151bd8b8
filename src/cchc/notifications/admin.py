from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cchc.organisations.permissions import scope_to_units, sees_everything

from . import services
from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: messages are written by the services and changed by the processor only."""

    list_display = [
        "created_at",
        "channel",
        "recipient",
        "kind",
        "dossier",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["recipient", "dedup_key", "dossier__code"]
    date_hierarchy = "created_at"
    list_select_related = ["dossier"]
    actions = ["retry_now"]
    fields = [
        "channel",
        "recipient",
        "subject",
        "body",
        "dossier",
        "kind",
        "dedup_key",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_everything(request.user):
            return queryset
        # Staff see the messages of dossiers received in their units; messages without a
        # dossier are for superusers only.
        return scope_to_units(queryset, request.user, field="dossier__receiving_unit")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("notifications.change_outboxmessage")

    @admin.action(description=_("Retry now"), permissions=["retry"])
    def retry_now(self, request, queryset):
        count = services.retry_now(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext(
                "%(count)d message will be sent on the next run.",
                "%(count)d messages will be sent on the next run.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
