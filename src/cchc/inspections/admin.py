from django.contrib import admin

from .models import Inspection, InspectionPlan, InspectionTeam, Recommendation, TeamMember


class TeamMemberInline(admin.TabularInline):
    model = TeamMember
    extra = 0


@admin.register(InspectionPlan)
class InspectionPlanAdmin(admin.ModelAdmin):
    list_display = ("name", "year", "organiser", "document_number")
    list_filter = ("year",)


@admin.register(InspectionTeam)
class InspectionTeamAdmin(admin.ModelAdmin):
    list_display = ("name", "plan", "decision_number")
    inlines = [TeamMemberInline]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services (sealed history)."""

    list_display = ("target", "plan", "status", "conclusion_number")
    list_filter = ("status",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ("text", "responsible_unit", "deadline", "status")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
