"""Read-only admin views of the committee records (every change goes through the services)."""

from django.contrib import admin

from .models import Committee, Conclusion, Meeting, Membership


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Committee)
class CommitteeAdmin(ReadOnlyAdmin):
    list_display = ("name", "unit", "standing_unit", "status")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("name", "role", "committee", "start_on", "end_on")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("committee", "number", "date", "status")


@admin.register(Conclusion)
class ConclusionAdmin(ReadOnlyAdmin):
    list_display = ("meeting", "position", "task")
