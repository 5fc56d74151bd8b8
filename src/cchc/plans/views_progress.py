"""Completion pages of the yearly reform plans (read only): a unit's plan as of a day with the
tasks behind every number and the PAR INDEX forecast, the province view (completion by unit) and
the overdue tasks. Scoped to the units where the user holds a role (docs/plans-progress.md)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import selectors_progress as progress
from .selectors_progress import BUCKETS, ProgressQueryError

SORTS = {
    "unit": lambda row: row.plan.unit.code,
    "percent": lambda row: (row.completion_percent is None, row.completion_percent or 0),
    "overdue": lambda row: row.tasks_overdue,
    "late": lambda row: row.tasks_done_late,
}


def _require_reader(request):
    if not progress.may_read(request.user):
        raise PermissionDenied


def _default_unit(request):
    units = progress.visible_units(request.user).order_by("path")
    with_plan = units.filter(plans__isnull=False).distinct().first()
    return with_plan or units.first()


def _render_completion(request, unit, year, as_of, bucket, status=200, errors=None):
    page = progress.completion_page(unit, year, as_of)
    criteria_set, forecast = progress.plan_forecast(page)
    query = {"don_vi": unit.code, "nam": str(year), "ngay": f"{as_of:%d/%m/%Y}"}
    return render(
        request,
        "plans/progress/completion.html",
        {
            "page": page,
            "unit": unit,
            "year": year,
            "as_of": as_of,
            "as_of_text": f"{as_of:%d/%m/%Y}",
            "bucket": bucket,
            "bucket_tasks": page.tasks_in(bucket),
            "buckets": BUCKETS,
            "counts": page.counts,
            "query": urlencode(query),
            "criteria_set": criteria_set,
            "forecast": forecast,
            "units": progress.visible_units(request.user).order_by("path"),
            "errors": errors or {},
        },
        status=status,
    )


@require_GET
@login_required
def completion(request):
    """A unit's plan of a year as of a day (``?don_vi=CODE&nam=YYYY&ngay=dd/mm/yyyy&ds=…``)."""
    _require_reader(request)
    bucket = request.GET.get("ds") or "overdue"
    if bucket not in BUCKETS:
        bucket = "overdue"
    errors = {}
    today = timezone.localdate()
    year = today.year
    unit = None
    try:
        year = progress.parse_year(request.GET.get("nam") or today.year)
    except ProgressQueryError as error:
        errors[error.field] = error.message
    if request.GET.get("don_vi"):
        try:
            unit = progress.find_unit(request.GET["don_vi"])
        except ProgressQueryError as error:
            errors[error.field] = error.message
    else:
        unit = _default_unit(request)
    if unit is None and not errors:
        raise Http404
    if unit is not None and not progress.unit_visible(request.user, unit):
        raise Http404
    try:
        as_of = progress.parse_as_of(request.GET.get("ngay"), year)
    except ProgressQueryError as error:
        errors[error.field] = error.message
        as_of = progress.parse_as_of("", year)
    if errors:
        unit = unit or _default_unit(request)
        if unit is None:
            raise Http404
        return _render_completion(request, unit, year, as_of, bucket, status=400, errors=errors)
    return _render_completion(request, unit, year, as_of, bucket)


@require_GET
@login_required
def completion_of_plan(request, pk: int):
    """The same page for one plan (its unit and year)."""
    _require_reader(request)
    plan = get_object_or_404(progress.visible_plans(request.user), pk=pk)
    bucket = request.GET.get("ds") or "overdue"
    if bucket not in BUCKETS:
        bucket = "overdue"
    try:
        as_of = progress.parse_as_of(request.GET.get("ngay"), plan.year)
    except ProgressQueryError as error:
        as_of = progress.parse_as_of("", plan.year)
        return _render_completion(
            request, plan.unit, plan.year, as_of, bucket, 400, {error.field: error.message}
        )
    return _render_completion(request, plan.unit, plan.year, as_of, bucket)


@require_GET
@login_required
def completion_by_unit(request):
    """Every plan of a year in the user's scope with its completion; sortable (``?sx=…``)."""
    _require_reader(request)
    errors = {}
    today = timezone.localdate()
    year = today.year
    try:
        year = progress.parse_year(request.GET.get("nam") or today.year)
    except ProgressQueryError as error:
        errors[error.field] = error.message
    try:
        as_of = progress.parse_as_of(request.GET.get("ngay"), year)
    except ProgressQueryError as error:
        errors[error.field] = error.message
        as_of = progress.parse_as_of("", year)
    sort = request.GET.get("sx") or "percent"
    if sort not in SORTS:
        sort = "percent"
    descending = request.GET.get("chieu") == "giam"
    rows = progress.units_completion(request.user, year, as_of)
    rows = progress.worst_first(rows)
    rows.sort(key=SORTS[sort], reverse=descending)
    return render(
        request,
        "plans/progress/units.html",
        {
            "rows": rows,
            "year": year,
            "as_of": as_of,
            "as_of_text": f"{as_of:%d/%m/%Y}",
            "sort": sort,
            "descending": descending,
            "base_query": urlencode({"nam": str(year), "ngay": f"{as_of:%d/%m/%Y}"}),
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@require_GET
@login_required
def overdue(request):
    """Tasks overdue today that the user's units lead or assigned (``?don_vi=CODE`` narrows)."""
    _require_reader(request)
    today = timezone.localdate()
    unit = None
    unit_ids = None
    if request.GET.get("don_vi"):
        try:
            unit = progress.find_unit(request.GET["don_vi"])
        except ProgressQueryError:
            raise Http404 from None
        if not progress.unit_visible(request.user, unit):
            raise Http404
        unit_ids = list(unit.__class__.objects.subtree_of(unit).values_list("pk", flat=True))
    tasks = list(progress.overdue_tasks(request.user, today, unit_ids)[:500])
    return render(
        request,
        "plans/progress/overdue.html",
        {"tasks": tasks, "today": today, "unit": unit, "total": len(tasks)},
    )
