"""PAR INDEX results pages: a round's ranking with charts, a unit's result and where it loses
points, the leaves most units lose, the survey-points import, the XLSX summary and the PDF annex,
and the public results after publication. Thin views over :mod:`.results` and :mod:`.survey`.

Scope (:mod:`.results`): a published round is public; before publication the organiser's reform
staff and the council see every unit, a unit's staff only its own row; anything else is a 404.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import exports_results as exports
from . import figures as figures_module
from . import results as selectors
from . import survey
from .errors import ActionForbidden, ParIndexError
from .models import Criterion, Method, Round, RoundStatus

BAR_WIDTH = 600


def _round(pk: int) -> Round:
    return get_object_or_404(Round.objects.select_related("criteria_set", "organiser"), pk=pk)


def _scoped(request, round_: Round):
    results = selectors.round_results(round_)
    try:
        rows = selectors.scoped_rows(results, request.user)
    except ActionForbidden:
        raise Http404 from None
    return results, rows


def index_bars(rows, width: int = BAR_WIDTH) -> list[dict]:
    """One horizontal bar per unit, its index on a 0–100 scale (over 100 with a bonus: capped)."""
    bars = []
    for position, result in enumerate(rows):
        value = result.index or Decimal(0)
        bars.append(
            {
                "y": position * 22,
                "width": round(float(min(value, Decimal(100))) / 100 * width, 1),
                "label_x": round(float(min(value, Decimal(100))) / 100 * width + 286, 1),
                "name": result.extra["unit_name"],
                "index": result.index,
                "grade": result.grade,
            }
        )
    return bars


def field_bars(results: selectors.RoundResults, rows, width: int = BAR_WIDTH) -> list[dict]:
    """Each field's average sub-index over the rows shown (units where the field applies)."""
    sums: dict[str, list] = {}
    names: dict[str, str] = {}
    for result in rows:
        for item in result.fields:
            names[item.code] = item.name
            if item.index is not None:
                sums.setdefault(item.code, []).append(item.index)
    bars = []
    for position, (code, name) in enumerate(names.items()):
        values = sums.get(code, [])
        average = sum(values, Decimal(0)) / len(values) if values else None
        average = None if average is None else selectors.engine.round_half_up(average)
        bars.append(
            {
                "y": position * 22,
                "code": code,
                "name": name,
                "index": average,
                "width": 0 if average is None else round(float(min(average, 100)) / 100 * width, 1),
            }
        )
        bars[-1]["label_x"] = bars[-1]["width"] + 286
    return bars


def chart_height(bars) -> int:
    return len(bars) * 22 + 8


def year_points(history: list[dict], width: int = BAR_WIDTH, height: int = 140) -> list[dict]:
    step = width / max(len(history) - 1, 1)
    points = []
    for position, item in enumerate(history):
        index = item["index"]
        y = None if index is None else round(height - float(min(index, 100)) / 100 * height, 1)
        points.append({**item, "x": round(position * step, 1), "y": y})
    return points


@login_required
@require_GET
def results_index(request):
    """The rounds whose results the user may open."""
    rounds = selectors.visible_rounds(request.user)
    return render(request, "parindex/results_index.html", {"rounds": rounds})


@login_required
@require_GET
def results_round(request, pk: int):
    round_ = _round(pk)
    results, rows = _scoped(request, round_)
    everything = len(rows) == len(results.results)
    context = {
        "round": round_,
        "results": results,
        "rows": rows,
        "everything": everything,
        "count": results.unit_count,
        "bars": index_bars(rows),
        "fields": field_bars(results, rows),
        "bars_height": chart_height(rows),
        "fields_height": chart_height(results.roots),
        "losses": selectors.province_losses(results, limit=10) if everything else [],
        "can_import": survey.can_import(request.user, round_)
        and round_.status != RoundStatus.PUBLISHED,
    }
    return render(request, "parindex/results_round.html", context)


@login_required
@require_GET
def results_losses(request, pk: int):
    """The province view: the leaves most units lose points on."""
    round_ = _round(pk)
    results, rows = _scoped(request, round_)
    if len(rows) != len(results.results):
        raise Http404
    context = {
        "round": round_,
        "losses": selectors.province_losses(results),
        "count": results.unit_count,
    }
    return render(request, "parindex/results_losses.html", context)


def computed_figures(round_: Round, unit) -> list[dict]:
    """The platform figures behind the set's computed leaves (all figures if it has none)."""
    leaves = list(
        Criterion.objects.filter(criteria_set=round_.criteria_set_id, method=Method.COMPUTED)
    )
    keys = [leaf.method_spec.get("metric") for leaf in leaves if leaf.method_spec.get("metric")]
    items = []
    for metric, figure in figures_module.figures_for(unit, round_.year, keys or None):
        items.append(
            {
                "metric": metric,
                "figure": figure,
                "leaves": [leaf for leaf in leaves if leaf.method_spec.get("metric") == metric.key],
            }
        )
    return items


@login_required
@require_GET
def results_unit(request, pk: int, code: str):
    round_ = _round(pk)
    results, rows = _scoped(request, round_)
    result = next((row for row in rows if row.unit == code), None)
    if result is None:
        raise Http404
    unit_id = result.extra["unit_id"]
    from cchc.organisations.models import OrganisationUnit

    unit = OrganisationUnit.objects.get(pk=unit_id)
    history = selectors.unit_history(round_, unit_id)
    context = {
        "round": round_,
        "result": result,
        "unit": unit,
        "count": results.unit_count,
        "losses": selectors.unit_losses(results, unit_id),
        # Before publication a unit's staff see no other unit's figure, not even the best score.
        "show_best": len(rows) == len(results.results),
        "history": year_points(history),
        "fields": field_bars(results, [result]),
        "fields_height": chart_height(result.fields),
        "figures": computed_figures(round_, unit),
    }
    return render(request, "parindex/results_unit.html", context)


@login_required
@require_GET
def results_xlsx(request, pk: int):
    round_ = _round(pk)
    results, rows = _scoped(request, round_)
    response = HttpResponse(
        exports.render_xlsx(results, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, exports.filename(round_, "xlsx")
    )
    return response


@login_required
@require_GET
def results_pdf(request, pk: int):
    round_ = _round(pk)
    results, rows = _scoped(request, round_)
    if len(rows) != len(results.results):
        raise Http404  # the annex lists every unit: only for those who see them all
    response = HttpResponse(exports.render_pdf(results), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, exports.filename(round_, "pdf")
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def survey_import(request, pk: int):
    round_ = _round(pk)
    if not survey.can_import(request.user, round_):
        raise Http404
    errors: list = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        source = request.POST.get("source")
        if upload is None and not source:
            errors = [_("Choose a CSV or XLSX file.")]
        else:
            try:
                if source:
                    outcome = survey.import_from_source(
                        round_.pk, source, request.user, request.POST.get("criterion", "")
                    )
                else:
                    outcome = survey.import_file(
                        round_.pk, upload.name, upload.read(), request.user
                    )
            except survey.SurveyImportInvalid as error:
                errors = [str(row_error) for row_error in error.errors]
            except ParIndexError as error:
                errors = [error.message]
            else:
                messages.success(
                    request,
                    _("%(rows)d rows read: %(changed)d survey scores written, %(same)d unchanged.")
                    % {"rows": outcome.rows, "changed": outcome.changed, "same": outcome.unchanged},
                )
                return redirect("parindex:results_round", pk=round_.pk)
    leaves = Criterion.objects.filter(criteria_set=round_.criteria_set_id, method=Method.SURVEY)
    context = {
        "round": round_,
        "errors": errors,
        "leaves": leaves,
        "published": round_.status == RoundStatus.PUBLISHED,
        "sources": list(survey.survey_sources),
    }
    return render(request, "parindex/results_survey.html", context, status=400 if errors else 200)


# -- public --------------------------------------------------------------------------------------
@require_GET
def public_results(request):
    rounds = (
        Round.objects.filter(status=RoundStatus.PUBLISHED)
        .select_related("criteria_set", "organiser")
        .order_by("-year", "name")
    )
    return render(request, "parindex/public_results.html", {"rounds": rounds})


@require_GET
def public_round(request, pk: int):
    round_ = get_object_or_404(
        Round.objects.select_related("criteria_set", "organiser"),
        pk=pk,
        status=RoundStatus.PUBLISHED,
    )
    results = selectors.round_results(round_)
    context = {
        "round": round_,
        "rows": results.results,
        "count": results.unit_count,
        "bars": index_bars(results.results),
        "bars_height": chart_height(results.results),
    }
    return render(request, "parindex/public_round.html", context)
