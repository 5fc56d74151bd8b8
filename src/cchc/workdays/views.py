from datetime import date, timedelta

from django.shortcuts import render
from django.utils import timezone

from . import services
from .forms import DeadlineForm, YearForm


def calculator(request):
    """Deadline calculator for officers and citizens (the engine, with its explanation)."""
    initial = {"received": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
    form = DeadlineForm(request.GET or None, initial=initial)
    deadline = None
    if form.is_valid() and "limit" in form.cleaned_data:
        unit = form.cleaned_data.get("unit")
        deadline = services.compute_deadline(
            form.cleaned_data["received"], form.cleaned_data["limit"], unit
        )
    return render(request, "workdays/calculator.html", {"form": form, "deadline": deadline})


def calendar_year(request):
    """Non-working weekdays and worked weekend days of a year, with their reasons."""
    form = YearForm(request.GET or None)
    year = timezone.localdate().year
    if form.is_valid() and form.cleaned_data.get("nam"):
        year = form.cleaned_data["nam"]
    calendar = services.get_calendar()
    exceptions = []
    day = date(year, 1, 1)
    while day.year == year:
        status = calendar.status(day)
        weekend = day.weekday() >= 5
        if (weekend and status.working) or (not weekend and not status.working):
            exceptions.append(status)
        day += timedelta(days=1)
    return render(
        request,
        "workdays/calendar.html",
        {
            "year": year,
            "exceptions": exceptions,
            "working_days": calendar.working_days_in_year(year),
            "official": calendar.is_official_year(year),
            "years": range(year - 2, year + 3),
        },
    )
