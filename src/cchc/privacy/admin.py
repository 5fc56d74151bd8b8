from django.contrib import admin

from .models import AnonymisedRecord, ExportRecord


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportRecord)
class ExportRecordAdmin(ReadOnly):
    list_display = ("at", "actor_name", "channel", "identifier_kind", "records")
    list_filter = ("channel", "identifier_kind")


@admin.register(AnonymisedRecord)
class AnonymisedRecordAdmin(ReadOnly):
    list_display = ("at", "kind", "record_id", "closed_on", "years")
    list_filter = ("kind",)
