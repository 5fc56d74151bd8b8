"""The period report on screen, the dossiers behind each number, and its XLSX and PDF downloads.

Every page takes the same query (see :mod:`.forms`). Units are those of
``units_for(user)``: a unit outside the user's scope is a 404, like a dossier outside it. A report
for a unit covers its descendants.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cchc.common.replicas import use_replicas
from cchc.common.text import as_id
from cchc.dossiers.selectors import CappedPaginator, visible_dossiers
from cchc.organisations.models import Role
from cchc.organisations.permissions import has_role

from . import exports
from .forms import OutOfScope, ReportForm, report_form
from .selectors import DRILLABLE, REPORT_COLUMNS, build_report, median_working_days
from .selectors import drill as drill_dossiers

STAFF_ROLES = list(Role.values)
PAGE_SIZE = 25
LABELS = dict(REPORT_COLUMNS)


def _staff_required(request) -> None:
    if not has_role(request.user, STAFF_ROLES):
        raise Http404


def _form(request) -> ReportForm:
    _staff_required(request)
    form = report_form(request.GET, request.user)
    try:
        form.is_valid()
    except OutOfScope:
        raise Http404 from None
    return form


def _invalid(request, form: ReportForm, message: str = ""):
    """The report page with the form's errors (400: nothing is computed from bad input)."""
    context = {"form": form, "errors": _error_list(form), "message": message}
    return render(request, "reports/report.html", context, status=400)


def _error_list(form: ReportForm) -> list[str]:
    errors = []
    for name, messages in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        errors += [f"{label}: {message}" if label else message for message in messages]
    return errors


def drill_url(query: str, column: str, group_key=None) -> str:
    extra = {"cot": column}
    if group_key is not None:
        extra["nhom"] = str(group_key)
    return f"{reverse('reports:drill')}?{query}&{urlencode(extra)}"


def _table(data: dict, query: str) -> list[dict]:
    rows = []
    for row in exports.report_rows(data):
        cells = []
        for leaf in exports.LEAVES:
            if leaf.rate:
                rate = row.rate(leaf.key)
                cells.append({"leaf": leaf, "rate": rate})
            else:
                url = drill_url(query, leaf.key, row.group_key) if leaf.key in DRILLABLE else ""
                cells.append({"leaf": leaf, "value": row.count(leaf.key), "url": url})
        rows.append({"row": row, "cells": cells})
    return rows


def _rates(data: dict, query: str) -> list[dict]:
    rates = []
    for spec in exports.RATES:
        rate = data["total"]["rates"][spec.key]
        column = spec.numerator_column
        rates.append(
            {
                "spec": spec,
                "rate": rate,
                "numerator_url": drill_url(query, column) if column in DRILLABLE else "",
                "denominator_url": drill_url(query, _denominator(spec.key)),
            }
        )
    return rates


def _due_column(key: str) -> str:
    """The drill-down column of a key of the due block (``selectors.DUE_DRILL``)."""
    return key if key.startswith("due_") else f"due_{key}"


def _due_table(data: dict, query: str) -> list[dict]:
    """The due basis, one line per row of the report, every count a link to its dossiers."""
    rows = []
    for row in exports.report_rows(data):
        due = row.values["due"]
        counts = [
            {
                "key": key,
                "value": due[key],
                "url": drill_url(query, _due_column(key), row.group_key),
            }
            for key, _official, _label in exports.DUE_COLUMNS
        ]
        rates = [due["rates"][key] for key, _official, _label in exports.DUE_RATES]
        rows.append({"row": row, "counts": counts, "rates": rates})
    return rows


def _denominator(key: str) -> str:
    if key in ("online", "online_full"):
        return "received"
    return "resolved" if key == "resolved_in_time" else "to_process"


def _findings(user, data: dict) -> list[dict]:
    codes = {code for finding in data["findings"] for code in finding["dossiers"]}
    visible = dict(
        visible_dossiers(user).filter(code__in=codes).values_list("code", "pk") if codes else []
    )
    return [
        {
            **finding,
            "row": exports.finding_row_name(finding),
            "in_columns": exports.identity_in_columns(finding["identity"]),
            "reasons": [exports.ANOMALIES.get(code, code) for code in finding["anomalies"]],
            "links": [(code, visible.get(code)) for code in finding["dossiers"]],
        }
        for finding in data["findings"]
    ]


@login_required
@require_GET
@use_replicas
def report(request):
    form = _form(request)
    if not form.is_valid():
        return _invalid(request, form)
    req = form.report_request()
    data = build_report(req).to_dict()
    query = form.query()
    filtered = req.field_id is not None or req.procedure_id is not None or req.level
    return render(
        request,
        "reports/report.html",
        {
            "form": form,
            "req": req,
            "data": data,
            "query": query,
            "header": exports.header_cells(),
            "header_depth": exports.HEADER_DEPTH,
            "leaves": exports.LEAVES,
            "rows": _table(data, query),
            "rates": _rates(data, query),
            "due_columns": exports.DUE_COLUMNS,
            "due_rates": exports.DUE_RATES,
            "due_rows": _due_table(data, query),
            "findings": _findings(request.user, data),
            "clamped": form.clamped,
            # The median ignores procedure filters: shown only for the unfiltered report.
            "median_days": None
            if filtered
            else median_working_days(req.unit_ids(), req.start, req.end),
        },
    )


def _group_name(data: dict, group_key) -> str:
    for group in data["groups"]:
        if str(group["key"]) == str(group_key):
            return exports.group_name(group, data["by"])
    return ""


@login_required
@require_GET
@use_replicas
def drill(request):
    form = _form(request)
    if not form.is_valid():
        return _invalid(request, form)
    column = request.GET.get("cot", "")
    if column not in DRILLABLE:
        return _invalid(request, form, _("Choose a number of the report to see its dossiers."))
    group = (request.GET.get("nhom") or "").strip()
    if group and as_id(group) is None:
        return _invalid(request, form, _("The group of the report is not valid."))
    req = form.report_request()
    group_key = as_id(group) if group and req.by else None
    dossiers = drill_dossiers(req, column, group_key)
    page = CappedPaginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [dossier.pk for dossier in page]
    visible = set(visible_dossiers(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    query = form.query()
    extra = {"cot": column} if group_key is None else {"cot": column, "nhom": group_key}
    page_query = f"{query}&{urlencode(extra)}"
    group_label = ""
    if group_key is not None:
        group_label = _group_name(build_report(req, with_findings=False).to_dict(), group_key)
    return render(
        request,
        "reports/drill.html",
        {
            "form": form,
            "req": req,
            "column": column,
            "column_label": _column_label(column),
            "group_label": group_label,
            "page": page,
            "visible": visible,
            "query": query,
            "page_query": page_query,
            "clamped": form.clamped,
        },
    )


def _column_label(column: str) -> str:
    number = exports.NUMBERS.get(column)
    extra = {
        "received_online_full": _("Received fully online"),
        "apology_sent": _("Apology letters sent"),
    }
    extra.update({_due_column(key): label for key, _official, label in exports.DUE_COLUMNS})
    extra["closed_without_end_time"] = _("Closed without an end time")
    label = exports.screen_name(column) or str(extra.get(column) or LABELS.get(column, column))
    return f"({number}) {label}" if number else label


def _download(content: bytes, content_type: str, filename: str, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
@use_replicas
def xlsx(request):
    form = _form(request)
    if not form.is_valid():
        return _invalid(request, form)
    report_ = build_report(form.report_request())
    return _download(
        exports.render_xlsx(report_),
        exports.XLSX_CONTENT_TYPE,
        exports.filename(report_, "xlsx"),
        inline=False,
    )


@login_required
@require_GET
@use_replicas
def pdf(request):
    form = _form(request)
    if not form.is_valid():
        return _invalid(request, form)
    report_ = build_report(form.report_request())
    return _download(
        exports.render_pdf(report_),
        "application/pdf",
        exports.filename(report_, "pdf"),
        inline=True,
    )
