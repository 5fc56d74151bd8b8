"""Periodic reform report pages: the reports in the reader's scope, one report (its figures, its
narrative form, its actions, the roll-up of its units' reports, its history), the DOCX and the PDF,
and the units that have not reported. Reads go through ``selectors`` (404 outside the scope),
writes through ``services``; a refusal is shown as the service worded it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cchc.common.text import as_id
from cchc.organisations.permissions import has_role, units_for

from . import assembly, exports, periods, selectors, services
from .errors import ReformReportError
from .forms import CreateForm, NarrativeForm, ReturnForm
from .models import NARRATIVE_FIELDS, PeriodKind, ReformReport
from .transitions import DRAFTERS

ACTION_LABELS = {
    "refresh": gettext_lazy("Refresh the figures"),
    "submit": gettext_lazy("Submit for approval"),
    "approve": gettext_lazy("Approve and send"),
    "return": gettext_lazy("Return to the draft"),
}
EVENT_LABELS = {
    "create": gettext_lazy("Report started"),
    "refresh": gettext_lazy("Figures refreshed"),
    "edit": gettext_lazy("Report edited"),
    "submit": gettext_lazy("Submitted for approval"),
    "approve": gettext_lazy("Approved and sent"),
    "return": gettext_lazy("Returned to the draft"),
}


def _staff(request) -> None:
    if not has_role(request.user):
        raise PermissionDenied


def _visible(request, pk) -> ReformReport:
    report = selectors.visible_reports(request.user).filter(pk=as_id(pk)).first()
    if report is None:
        raise Http404
    return report


def _version(request) -> int | None:
    return as_id(request.POST.get("version"))


def _windows(year: int) -> list[dict]:
    labels = dict(PeriodKind.choices)
    return [{**vars(window), "label": labels[window.kind]} for window in periods.windows(year)]


@login_required
def report_list(request):
    _staff(request)
    today = timezone.localdate()
    units = units_for(request.user, DRAFTERS).filter(active=True).order_by("path")
    form = CreateForm(
        units=units,
        initial={"year": periods.current_year(today), "unit": units.first()},
    )
    return render(
        request,
        "reformreports/report_list.html",
        {
            "reports": selectors.visible_reports(request.user)[:200],
            "form": form if units.exists() else None,
            "windows": _windows(periods.current_year(today)),
        },
    )


@login_required
@require_POST
def report_create(request):
    _staff(request)
    units = units_for(request.user, DRAFTERS).filter(active=True)
    form = CreateForm(request.POST, units=units)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("reformreports:list")
    data = form.cleaned_data
    try:
        report = services.create_report(request.user, data["unit"], data["year"], data["kind"])
    except ReformReportError as error:
        messages.error(request, error.message)
        return redirect("reformreports:list")
    messages.success(request, _("The report was started with the platform's figures."))
    return redirect("reformreports:detail", pk=report.pk)


@login_required
def report_detail(request, pk: int):
    _staff(request)
    report = _visible(request, pk)
    actions = selectors.available_actions(report, request.user)
    initial = {name: getattr(report, name) for name in NarrativeForm.base_fields}
    rollup = [
        {"row": row, "figures": selectors.key_figures(row.report)}
        for row in selectors.rollup(report)
    ]
    events = list(report.events.order_by("sequence"))
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    return render(
        request,
        "reformreports/report_detail.html",
        {
            "report": report,
            "title": periods.period_title(report.kind, report.year),
            "sections": assembly.sections(report),
            "narrative": [(name, getattr(report, name)) for name in NARRATIVE_FIELDS],
            "form": NarrativeForm(initial=initial) if "edit" in actions else None,
            "actions": [
                {"name": name, "label": ACTION_LABELS[name]} for name in actions if name != "edit"
            ],
            "return_form": ReturnForm() if "return" in actions else None,
            "rollup": rollup,
            "events": events,
        },
    )


@login_required
@require_POST
def report_edit(request, pk: int):
    _staff(request)
    report = _visible(request, pk)
    form = NarrativeForm(request.POST)
    form.is_valid()
    try:
        services.edit_report(request.user, report.pk, _version(request), form.cleaned_data)
    except ReformReportError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("reformreports:detail", pk=report.pk)


@login_required
@require_POST
def report_act(request, pk: int, action: str):
    _staff(request)
    report = _visible(request, pk)
    user, version = request.user, _version(request)
    try:
        if action == "refresh":
            services.refresh_figures(user, report.pk, version)
        elif action == "submit":
            services.submit_report(user, report.pk, version)
        elif action == "approve":
            services.approve_report(user, report.pk, version)
        elif action == "return":
            services.return_report(user, report.pk, version, request.POST.get("reason", ""))
        else:
            raise Http404
    except ReformReportError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done."))
    return redirect("reformreports:detail", pk=report.pk)


@login_required
def report_docx(request, pk: int):
    _staff(request)
    report = _visible(request, pk)
    response = HttpResponse(
        exports.docx_bytes(report),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(report, "docx")}"'
    return response


@login_required
def report_pdf(request, pk: int):
    _staff(request)
    report = _visible(request, pk)
    response = HttpResponse(exports.pdf_bytes(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{exports.filename(report, "pdf")}"'
    return response


@login_required
def missing(request):
    _staff(request)
    today = timezone.localdate()
    year = as_id(request.GET.get("nam")) or periods.current_year(today)
    if not 2000 <= year <= 2100:
        year = periods.current_year(today)
    return render(
        request,
        "reformreports/missing.html",
        {
            "year": year,
            "today": today,
            "rows": [
                {"row": row, "label": PeriodKind(row.window.kind).label}
                for row in selectors.missing_reports(request.user, year, today)
            ],
            "windows": _windows(year),
        },
    )
