"""Reform inspection pages (``/kiem-tra-cchc/``): plans, an inspection's record with its
buttons, the conclusion notice (DOCX, PDF), the open recommendations.

Every page reads through ``selectors`` (404 outside the reader's scope) and every button calls a
service; a refusal is shown as the service worded it. The inspection page's address
(``/kiem-tra-cchc/<id>/``) is stable: a unit cites it as PAR INDEX evidence of kind "record".
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cchc.common import downloads, files
from cchc.common.text import as_id
from cchc.organisations.permissions import units_for

from . import notice, selectors, services
from .errors import InspectionError
from .forms import (
    ConcludeForm,
    FindingForm,
    PlanForm,
    PlannedInspectionForm,
    RecommendationForm,
    RemediationForm,
    TeamForm,
)
from .models import PUBLISHED_TO_UNIT, TeamRole
from .transitions import ORGANISER_ROLES

ACTION_LABELS = {
    "start": gettext_lazy("Start the inspection"),
    "close_record": gettext_lazy("Close the inspection record"),
    "conclude": gettext_lazy("Issue the conclusion notice"),
    "close_remediation": gettext_lazy("Close the remediation"),
}
EVENT_LABELS = {
    "planned": gettext_lazy("Inspection planned"),
    "started": gettext_lazy("Inspection started"),
    "figures_read": gettext_lazy("Platform figures read again"),
    "checklist_saved": gettext_lazy("Checklist saved"),
    "finding_added": gettext_lazy("Finding added"),
    "recommendation_added": gettext_lazy("Recommendation added"),
    "record_closed": gettext_lazy("Record closed"),
    "concluded": gettext_lazy("Conclusion notice issued"),
    "remediation_reported": gettext_lazy("Remediation reported"),
    "remediation_closed": gettext_lazy("Remediation closed"),
}


def _staff(request) -> None:
    if not selectors.is_staff(request.user):
        raise Http404


def _version(request):
    return as_id(request.POST.get("version"))


def _inspection(request, pk):
    return get_object_or_404(selectors.visible_inspections(request.user), pk=pk)


def _refused(request, error: InspectionError) -> None:
    messages.error(request, error.message)


def _form_errors(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(errors)
        messages.error(request, f"{label}: {text}" if label else text)


@login_required
def index(request):
    _staff(request)
    user = request.user
    plans = list(selectors.visible_plans(user).order_by("-year", "organiser__name"))
    for plan in plans:
        plan.self_check = selectors.self_inspection(plan.organiser, plan.year)
    return render(
        request,
        "inspections/index.html",
        {
            "plans": plans,
            "mine": selectors.visible_inspections(user)
            .filter(team__members__user=user)
            .order_by("-planned_start"),
            "own": selectors.visible_inspections(user)
            .filter(status__in=PUBLISHED_TO_UNIT)
            .order_by("-conclusion_date"),
            "may_create": units_for(user, list(ORGANISER_ROLES)).exists(),
        },
    )


@login_required
def plan_create(request):
    """A new yearly inspection plan, by the reform staff of the organising unit."""
    _staff(request)
    organisers = units_for(request.user, list(ORGANISER_ROLES)).filter(active=True)
    if not organisers.exists():
        raise Http404
    form = PlanForm(request.POST or None, request.FILES or None, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                request.user,
                data["organiser"],
                data["year"],
                data["name"],
                document_number=data["document_number"],
                document_date=data["document_date"],
                document_file=data["document_file"],
            )
        except InspectionError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                messages.error(request, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("inspections:plan", pk=plan.pk)
    return render(request, "inspections/plan_form.html", {"form": form})


@login_required
@require_POST
def plan_act(request, pk, action):
    """Set up a team or plan an inspection (the organiser's reform staff)."""
    _staff(request)
    plan = get_object_or_404(selectors.visible_plans(request.user), pk=pk)
    try:
        if action == "team":
            form = TeamForm(request.POST, request.FILES)
            if not form.is_valid():
                _form_errors(request, form)
                return redirect("inspections:plan", pk=plan.pk)
            data = form.cleaned_data
            services.create_team(
                plan,
                request.user,
                data["name"],
                form.seats(),
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                decision_file=data["decision_file"],
            )
        elif action == "inspection":
            form = PlannedInspectionForm(request.POST, plan=plan)
            if not form.is_valid():
                _form_errors(request, form)
                return redirect("inspections:plan", pk=plan.pk)
            data = form.cleaned_data
            services.plan_inspection(
                plan,
                request.user,
                data["target"],
                data["planned_start"],
                data["planned_end"],
                kind=data["kind"],
                method=data["method"],
                field_codes=form.codes(),
                topic=data["topic"],
                team=data["team"],
            )
        else:
            raise Http404
    except InspectionError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect("inspections:plan", pk=plan.pk)


@login_required
def plan_detail(request, pk):
    _staff(request)
    plan = get_object_or_404(selectors.visible_plans(request.user), pk=pk)
    organises = services.organises_plan(request.user, plan)
    return render(
        request,
        "inspections/plan.html",
        {
            "plan": plan,
            "team_form": TeamForm() if organises else None,
            "inspection_form": PlannedInspectionForm(plan=plan) if organises else None,
            "teams": plan.teams.prefetch_related("members__user"),
            "inspections": selectors.visible_inspections(request.user)
            .filter(plan=plan)
            .order_by("planned_start"),
            "self_check": selectors.self_inspection(plan.organiser, plan.year),
        },
    )


@login_required
def plan_document(request, pk):
    """The plan's issuing document, for whoever may open the plan (the same scope, 404 else)."""
    _staff(request)
    plan = get_object_or_404(selectors.visible_plans(request.user), pk=pk)
    if not plan.document_file:
        raise Http404
    title = _("Inspection plan %(year)s") % {"year": plan.year}
    return downloads.file_response(
        plan.document_file, files.download_name(title, plan.document_file.name)
    )


@login_required
def inspection_detail(request, pk):
    _staff(request)
    inspection = _inspection(request, pk)
    user = request.user
    today = timezone.localdate()
    content = selectors.conclusion(inspection, today)
    recommendations = [
        {
            **row,
            "may_report": selectors.may_report(row["recommendation"], inspection, user),
            "form": RemediationForm(prefix=f"r{row['recommendation'].pk}"),
            "reports": row["recommendation"].reports.prefetch_related("files"),
        }
        for row in selectors.recommendation_rows(content["recommendations"], today)
    ]
    events = list(inspection.events.order_by("sequence"))
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    may_fill = selectors.may_fill(inspection, user)
    return render(
        request,
        "inspections/inspection.html",
        {
            **content,
            "rows": recommendations,
            "actions": [
                {"name": name, "label": ACTION_LABELS[name]}
                for name in selectors.actions(inspection, user)
            ],
            "may_fill": may_fill,
            "finding_form": FindingForm() if may_fill else None,
            "recommendation_form": RecommendationForm(inspection=inspection) if may_fill else None,
            "conclude_form": ConcludeForm(
                initial={"signer": user.get_full_name(), "issued_on": today}
            ),
            "events": events,
            "seat": TeamRole(seat).label if (seat := selectors.seat(inspection, user)) else "",
            "published": inspection.status in PUBLISHED_TO_UNIT,
        },
    )


@login_required
@require_POST
def act(request, pk, action):
    _staff(request)
    inspection = _inspection(request, pk)
    version = _version(request)
    try:
        if action == "start":
            services.start(inspection.pk, request.user, version)
        elif action == "close_record":
            services.close_record(inspection.pk, request.user, version)
        elif action == "close_remediation":
            services.close_remediation(inspection.pk, request.user, version)
        elif action == "figures":
            services.read_figures(inspection.pk, request.user, version)
        elif action == "conclude":
            form = ConcludeForm(request.POST)
            if not form.is_valid():
                _form_errors(request, form)
                return redirect("inspections:inspection", pk=inspection.pk)
            services.conclude(
                inspection.pk,
                request.user,
                form.cleaned_data["number"],
                form.cleaned_data["issued_on"],
                form.cleaned_data["signer"],
                version,
            )
        elif action == "checklist":
            rows = {
                row.code: (
                    request.POST.get(f"result_{row.code}", ""),
                    request.POST.get(f"notes_{row.code}", ""),
                )
                for row in inspection.checklist.all()
            }
            services.save_checklist(inspection.pk, request.user, rows, version)
        elif action == "finding":
            form = FindingForm(request.POST)
            if not form.is_valid():
                _form_errors(request, form)
                return redirect("inspections:inspection", pk=inspection.pk)
            services.add_finding(
                inspection.pk,
                request.user,
                form.cleaned_data["kind"],
                form.cleaned_data["text"],
                form.codes(),
                version,
            )
        elif action == "recommendation":
            form = RecommendationForm(request.POST, inspection=inspection)
            if not form.is_valid():
                _form_errors(request, form)
                return redirect("inspections:inspection", pk=inspection.pk)
            services.add_recommendation(
                inspection.pk,
                request.user,
                form.cleaned_data["text"],
                form.cleaned_data["responsible_unit"],
                form.cleaned_data["deadline"],
                version,
            )
        else:
            raise Http404
    except InspectionError as error:
        _refused(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect("inspections:inspection", pk=inspection.pk)


@login_required
@require_POST
def remediation(request, pk):
    _staff(request)
    recommendation = get_object_or_404(selectors.visible_recommendations(request.user), pk=pk)
    form = RemediationForm(request.POST, request.FILES, prefix=f"r{recommendation.pk}")
    if not form.is_valid():
        _form_errors(request, form)
    else:
        upload = form.cleaned_data.get("file")
        try:
            services.report_remediation(
                recommendation.pk,
                request.user,
                form.cleaned_data["status"],
                form.cleaned_data["text"],
                [upload] if upload else [],
                _version(request),
            )
        except InspectionError as error:
            _refused(request, error)
        else:
            messages.success(request, _("Remediation reported."))
    return redirect("inspections:inspection", pk=recommendation.inspection_id)


def _published(request, pk):
    inspection = _inspection(request, pk)
    if inspection.status not in PUBLISHED_TO_UNIT:
        raise Http404
    return inspection


@login_required
def conclusion_docx(request, pk):
    _staff(request)
    inspection = _published(request, pk)
    response = HttpResponse(
        notice.render_docx(inspection),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{notice.filename(inspection, "docx")}"'
    )
    return response


@login_required
def conclusion_pdf(request, pk):
    _staff(request)
    inspection = _published(request, pk)
    response = HttpResponse(notice.render_pdf(inspection), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{notice.filename(inspection, "pdf")}"'
    return response


@login_required
def recommendations(request):
    """Open recommendations in the reader's scope (the dashboard tile drills here);
    ``?qua_han=1``: only the overdue ones."""
    _staff(request)
    today = timezone.localdate()
    items = (
        selectors.visible_recommendations(request.user)
        .exclude(status="done")
        .order_by("deadline", "pk")
    )
    overdue_only = request.GET.get("qua_han") == "1"
    if overdue_only:
        items = items.filter(deadline__lt=today)
    return render(
        request,
        "inspections/recommendations.html",
        {
            "rows": selectors.recommendation_rows(items, today),
            "overdue_only": overdue_only,
        },
    )


def evidence_url(inspection) -> str:
    """The stable address of an inspection record, for PAR INDEX evidence of kind "record"."""
    from django.urls import reverse

    return reverse("inspections:inspection", args=[inspection.pk])
