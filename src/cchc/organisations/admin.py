from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import OrganisationUnit, RoleAssignment
from .permissions import scope_to_units, units_for


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "active", "granted_at"]
    readonly_fields = ["granted_at"]


@admin.register(OrganisationUnit)
class OrganisationUnitAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "code", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]
    inlines = [RoleAssignmentInline]
    fieldsets = [
        (None, {"fields": ["kind", "name", "code", "parent", "active"]}),
        (_("Contact"), {"fields": ["address", "phone", "email"]}),
        (
            _("Working hours"),
            {
                "fields": [
                    ("morning_start", "morning_end"),
                    ("afternoon_start", "afternoon_end"),
                    "same_day_cutoff",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        # Staff who are not superusers manage only the units in their scope.
        return units_for(request.user).select_related("parent")

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, unit: OrganisationUnit):
        return format_html('<span style="padding-left:{}em">{}</span>', unit.depth * 1.5, unit.name)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "active", "granted_at"]
    list_filter = ["role", "active"]
    search_fields = ["user__username", "user__full_name", "unit__name", "unit__code"]
    autocomplete_fields = ["user", "unit"]

    def get_queryset(self, request):
        return scope_to_units(super().get_queryset(request), request.user).select_related(
            "user", "unit"
        )
