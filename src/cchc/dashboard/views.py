"""The leaders' dashboard (IOC) and the public transparency pages: thin views over selectors.

The dashboard is for leaders, reform staff, auditors and system administrators (a superuser sees
everything); other signed-in users get 403, a unit outside the user's scope 404. Its live part is a
fragment that htmx fetches again every 60 seconds. The public pages need no login and show
aggregates only.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cchc.common.replicas import use_replicas
from cchc.dossiers.selectors import CappedPaginator
from cchc.organisations.models import OrganisationUnit
from cchc.organisations.permissions import sees_everything

from . import charts, selectors
from .forms import DashboardForm, OutOfScope

PAGE_SIZE = 25
PUBLIC_CACHE_SECONDS = 300
KIOSK = "man-hinh"


def _form(request) -> DashboardForm:
    if not selectors.can_view(request.user):
        raise PermissionDenied
    form = DashboardForm(request.GET, user=request.user, today=timezone.localdate())
    try:
        form.is_valid()
    except OutOfScope:
        raise Http404 from None
    return form


def _errors(form: DashboardForm) -> list[str]:
    errors = []
    for name, messages in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        errors += [f"{label}: {message}" if label else message for message in messages]
    return errors


def drill_url(unit: OrganisationUnit | None, day) -> str:
    """The report's list of dossiers overdue at the end of ``day`` (reports:drill)."""
    try:
        base = reverse("reports:drill")
    except NoReverseMatch:  # the reports pages are not installed
        return ""
    query = {"ky": "tuy-chon", "tu": day.strftime("%d/%m/%Y"), "den": day.strftime("%d/%m/%Y")}
    if unit is not None:
        query = {"don_vi": unit.code, **query}
    return f"{base}?{urlencode({**query, 'cot': 'in_progress_late'})}"


def _charts(data: dict, unit: OrganisationUnit | None, period: selectors.Period) -> dict:
    weeks = data["weeks"]
    labels = [week["start"].strftime("%d/%m") for week in weeks]
    span = {
        "start": weeks[0]["start"].strftime("%d/%m/%Y"),
        "end": weeks[-1]["end"].strftime("%d/%m/%Y"),
    }
    weekly_desc = (
        _("Last 12 weeks (Monday to Sunday) from %(start)s to %(end)s; figures in the table below.")
        % span
    )
    unit_name = unit.name if unit is not None else _("All units")
    by_child = data["by_child"]
    return {
        "flows": charts.column_chart(
            "chart-flows",
            _("Dossiers received and resolved per week"),
            weekly_desc,
            labels,
            [
                (_("Received"), [week["received"] for week in weeks], "#0d6efd"),
                (_("Resolved"), [week["resolved"] for week in weeks], "#198754"),
            ],
        ),
        "online": charts.line_chart(
            "chart-online",
            _("Share of dossiers received online per week"),
            weekly_desc,
            labels,
            [week["online"]["percent"] for week in weeks],
            suffix="%",
        ),
        "by_child": charts.bar_chart(
            "chart-units",
            _("On-time rate by unit"),
            _("Units under %(unit)s, from %(start)s to %(end)s, best first.")
            % {
                "unit": unit_name,
                "start": period.start.strftime("%d/%m/%Y"),
                "end": period.end.strftime("%d/%m/%Y"),
            },
            [
                (
                    (row["unit"].name + " " + _("(received itself)"))
                    if row["own"]
                    else row["unit"].name,
                    row["percent"],
                    f"({charts.fmt(row['numerator'])}/{charts.fmt(row['denominator'])})",
                )
                for row in by_child
            ],
        )
        if by_child
        else "",
        "trend": charts.line_chart(
            "chart-766",
            _("Decision 766 score per week"),
            weekly_desc,
            labels,
            [week["score"] for week in data["trend"]],
            decimals=2,
        ),
    }


def _dashboard_context(request) -> tuple[dict, int]:
    form = _form(request)
    kiosk = request.GET.get(KIOSK) == "1"
    context = {"form": form, "kiosk": kiosk, "kiosk_param": KIOSK}
    if not form.is_valid():
        return {**context, "errors": _errors(form)}, 400
    unit = form.cleaned_data["don_vi"]
    period = form.cleaned_data["period"]
    if unit is None and not sees_everything(request.user):
        raise Http404
    data = selectors.cached_dashboard(unit, period)
    extra = {KIOSK: "1"} if kiosk else {}
    context.update(
        {
            "unit": unit,
            "period": period,
            "clamped": form.clamped,
            "data": data,
            "query": form.query(**extra),
            "unit_query": form.query(),
            "drill_url": drill_url(unit, data["today"]),
            "charts": _charts(data, unit, period),
        }
    )
    return context, 200


@never_cache
@login_required
@require_GET
@use_replicas
def home(request):
    context, status = _dashboard_context(request)
    template = "dashboard/kiosk.html" if context["kiosk"] else "dashboard/home.html"
    return render(request, template, context, status=status)


@never_cache
@require_GET
@use_replicas
def live(request):
    """The part of the dashboard htmx fetches every 60 s (htmx leaves the page as it is on an
    error answer, so a lost session shows the time of the last refresh instead of a login form)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    context, status = _dashboard_context(request)
    template = "dashboard/_live.html" if "data" in context else "dashboard/_errors.html"
    return render(request, template, context, status=status)


@never_cache
@login_required
@require_GET
@use_replicas
def overdue(request):
    """Every dossier overdue now in the unit's scope, oldest due first."""
    form = _form(request)
    if not form.is_valid():
        return render(
            request, "dashboard/overdue.html", {"form": form, "errors": _errors(form)}, status=400
        )
    unit = form.cleaned_data["don_vi"]
    if unit is None and not sees_everything(request.user):
        raise Http404
    now = timezone.now()
    dossiers = selectors.overdue_now(unit, now)
    page = CappedPaginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboard/overdue.html",
        {
            "form": form,
            "unit": unit,
            "now": now,
            "total": dossiers.count(),
            "page": page,
            "rows": selectors.overdue_rows(page, now),
            "unit_query": form.query(),
            "drill_url": drill_url(unit, timezone.localdate(now)),
        },
    )


# -- public transparency -------------------------------------------------------------------------
@require_GET
@use_replicas
def public_index(request):
    return render(request, "dashboard/public_index.html", {"units": selectors.public_units()})


@require_GET
@use_replicas
def public_unit(request, code: str):
    unit = get_object_or_404(OrganisationUnit, code=code)
    today = timezone.localdate()
    key = f"transparency:{unit.pk}:{today.isoformat()}"
    periods = cache.get(key)
    if periods is None:
        twelve = selectors.last_twelve_months(today)
        periods = [
            {"label": _("Last 12 months"), **selectors.public_summary(unit, *twelve)},
            {
                "label": _("Year %(year)d to date") % {"year": today.year},
                **selectors.public_summary(unit, today.replace(month=1, day=1), today),
            },
        ]
        cache.set(key, periods, PUBLIC_CACHE_SECONDS)
    return render(
        request,
        "dashboard/public_unit.html",
        {"unit": unit, "periods": periods, "today": today},
    )
