from django.contrib import admin

from .models import Inspection, InspectionPlan, InspectionTeam, Recommendation, TeamMember


class ReadOnly:
    """Every change goes through the services (rules, sealed history): the admin only reads."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TeamMemberInline(ReadOnly, admin.TabularInline):
    model = TeamMember
    extra = 0


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("name", "year", "organiser", "document_number")
    list_filter = ("year",)


@admin.register(InspectionTeam)
class InspectionTeamAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("name", "plan", "decision_number")
    inlines = [TeamMemberInline]


@admin.register(Inspection)
class InspectionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("target", "plan", "status", "conclusion_number")
    list_filter = ("status",)


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("text", "responsible_unit", "deadline", "status")
