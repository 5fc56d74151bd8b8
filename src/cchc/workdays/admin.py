from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import CalendarDay, CalendarYear


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name", "document"]
    list_filter = ["kind", "date"]
    search_fields = ["name", "document", "note"]
    date_hierarchy = "date"

    @admin.display(description=_("weekday"))
    def weekday(self, day: CalendarDay) -> str:
        from .engine.calendar import WEEKDAY_NAMES

        return WEEKDAY_NAMES[day.date.weekday()]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "official", "documents", "working_days"]
    actions = ["draft_from_statute"]

    @admin.display(description=_("working days"))
    def working_days(self, year: CalendarYear) -> int:
        return services.get_calendar().working_days_in_year(year.year)

    @admin.action(description=_("Add the statutory holidays of the selected years as days"))
    def draft_from_statute(self, request, queryset):
        created = 0
        for year in queryset:
            created += len(services.draft_year_from_statute(year.year))
        self.message_user(
            request, _("%(count)d days added.") % {"count": created}, messages.SUCCESS
        )
