from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import OrganisationUnit, RoleAssignment
from .permissions import scope_to_units, units_for
from .selectors import one_stop_unit, received_for


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
    autocomplete_fields = ["parent", "one_stop_unit"]
    inlines = [RoleAssignmentInline]
    readonly_fields = ["receiving_now", "receives_for_list"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "code", "parent", "active"]}),
        (
            _("Who receives for whom"),
            {"fields": ["one_stop_unit", "receiving_now", "receives_for_list"]},
        ),
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

    @admin.display(description=_("dossiers received by"))
    def receiving_now(self, unit: OrganisationUnit):
        """The one-stop unit in force: the field's value or, when empty, the derived one."""
        if unit.pk is None:
            return "–"
        counter = one_stop_unit(unit)
        return counter.name if counter else _("the unit itself")

    @admin.display(description=_("receives for"))
    def receives_for_list(self, unit: OrganisationUnit):
        if unit.pk is None:
            return "–"
        ids = received_for([unit.pk])
        # Authorities only: a division received with its department is not listed again.
        names = OrganisationUnit.objects.filter(pk__in=ids).exclude(parent_id__in=ids)
        names = names.order_by("path")
        return format_html_join(", ", "{}", ((u.name,) for u in names)) or "–"

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
