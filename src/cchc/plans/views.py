"""Reform plan pages: the plans list, a plan (fields with their tasks, its completion), the
plan's fields and issue forms, a task (details, the lead unit's progress form, the reports with
their evidence, the output) and the histories.

Every page reads through ``selectors`` (404 outside the reader's scope, so nothing is revealed)
and every button calls a service; a refusal is shown as the service worded it. Files are served
only to readers of the plan or task they belong to.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cchc.common.downloads import file_response
from cchc.common.text import as_id
from cchc.organisations.models import OrganisationUnit
from cchc.organisations.permissions import units_for

from . import selectors, services
from .errors import PlanError
from .forms import IssueForm, PlanEditForm, PlanForm, ReasonForm, ReportForm, TaskForm
from .models import Plan, PlanStatus, TaskEvidence
from .transitions import MANAGER_ROLES, PLAN_TRANSITIONS, TASK_TRANSITIONS

EVENT_LABELS = {
    "created": gettext_lazy("Plan created"),
    "updated": gettext_lazy("Changed"),
    "fields_changed": gettext_lazy("Fields changed"),
    "issued": gettext_lazy("Plan issued"),
    "task_added": gettext_lazy("Task added"),
    "task_cancelled": gettext_lazy("Task cancelled"),
    "assigned": gettext_lazy("Task assigned"),
    "reported": gettext_lazy("Progress reported"),
    "done": gettext_lazy("Reported done"),
    "cancelled": gettext_lazy("Task cancelled"),
    "reopened": gettext_lazy("Task reopened"),
}


def labelled(events):
    events = list(events)
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    return events


def _staff(request) -> None:
    if not selectors.is_staff(request.user):
        raise Http404


def _version(request):
    return as_id(request.POST.get("version"))


def _plan(request, pk) -> Plan:
    _staff(request)
    return get_object_or_404(selectors.visible_plans(request.user), pk=pk)


def _task(request, pk):
    _staff(request)
    return get_object_or_404(selectors.visible_tasks(request.user), pk=pk)


def _refused(request, error: PlanError, form=None) -> None:
    """Put the refusal on its form field (or on the whole form); without a form, as a
    message."""
    if form is None:
        messages.error(request, error.message)
    else:
        form.add_error(error.field if error.field in form.fields else None, error.message)


def percent_text(value) -> str:
    """92.86 → "92,86 %" (Vietnamese decimal comma); None → "–"."""
    if value is None:
        return "–"
    return f"{value:.2f}".replace(".", ",") + " %"


# -- plans ----------------------------------------------------------------------------------------
@login_required
def plan_list(request):
    _staff(request)
    plans = selectors.visible_plans(request.user).order_by("-year", "unit__code")
    year = as_id(request.GET.get("year"))
    if year:
        plans = plans.filter(year=year)
    managed = units_for(request.user, MANAGER_ROLES)
    return render(
        request,
        "plans/plan_list.html",
        {"plans": plans, "may_create": managed.exists(), "year": year},
    )


@login_required
def plan_create(request):
    _staff(request)
    units = units_for(request.user, MANAGER_ROLES).filter(active=True).order_by("path")
    if not units.exists():
        raise Http404
    today = timezone.localdate()
    form = PlanForm(request.POST or None, units=units, initial={"year": today.year})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(
                request.user,
                unit=form.cleaned_data["unit"],
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
            )
        except PlanError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("The plan was created with the year's fields."))
            return redirect("plans:plan", pk=plan.pk)
    status = 400 if form.errors else 200
    return render(request, "plans/plan_form.html", {"form": form}, status=status)


def plan_context(request, plan: Plan, **extra) -> dict:
    today = timezone.localdate()
    result = selectors.plan_completion(plan, today)
    return {
        "plan": plan,
        "table": selectors.plan_table(plan, today),
        "completion": result,
        "completion_text": percent_text(result.completion_percent),
        "due_text": percent_text(result.completion_of_due_percent),
        "fields_completion": [
            {"row": row, "text": percent_text(row.completion_percent)} for row in result.fields
        ],
        "allowed": set(PLAN_TRANSITIONS.available(plan, request.user)),
        "today": today,
        "children": plan.children.select_related("unit").order_by("unit__code"),
        **extra,
    }


@login_required
def plan_detail(request, pk: int):
    plan = _plan(request, pk)
    return render(request, "plans/plan_detail.html", plan_context(request, plan))


@login_required
def plan_edit(request, pk: int):
    plan = _plan(request, pk)
    if "edit" not in PLAN_TRANSITIONS.available(plan, request.user):
        raise Http404
    parents = Plan.objects.filter(year=plan.year).exclude(pk=plan.pk).select_related("unit")
    form = PlanEditForm(
        request.POST or None,
        parents=parents,
        initial={"title": plan.title, "parent": plan.parent_id},
    )
    fields = list(plan.fields.order_by("position"))
    field_error = ""
    if request.method == "POST":
        if request.POST.get("part") == "fields":
            rows = []
            for item in fields:
                if request.POST.get(f"remove-{item.pk}"):
                    continue
                position = as_id(request.POST.get(f"position-{item.pk}")) or item.position
                rows.append((position, item.pk, request.POST.get(f"name-{item.pk}", "")))
            new = (request.POST.get("new_name") or "").strip()
            if new:
                rows.append((as_id(request.POST.get("new_position")) or 999, None, new))
            rows.sort(key=lambda row: (row[0], row[1] is None))
            try:
                services.save_fields(
                    plan.pk,
                    request.user,
                    [(pk_, name) for _position, pk_, name in rows],
                    _version(request),
                )
            except PlanError as error:
                field_error = error.message
            else:
                messages.success(request, _("The fields were saved."))
                return redirect("plans:plan_edit", pk=plan.pk)
        elif form.is_valid():
            try:
                services.update_plan(
                    plan.pk,
                    request.user,
                    title=form.cleaned_data["title"],
                    parent=form.cleaned_data["parent"],
                    expected_version=_version(request),
                )
            except PlanError as error:
                _refused(request, error, form)
            else:
                messages.success(request, _("Saved."))
                return redirect("plans:plan", pk=plan.pk)
    status = 400 if (form.errors or field_error) else 200
    return render(
        request,
        "plans/plan_edit.html",
        {"plan": plan, "form": form, "fields": fields, "field_error": field_error},
        status=status,
    )


@login_required
def plan_issue(request, pk: int):
    plan = _plan(request, pk)
    if "issue" not in PLAN_TRANSITIONS.available(plan, request.user):
        raise Http404
    form = IssueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_plan(
                plan.pk,
                request.user,
                document_number=form.cleaned_data["document_number"],
                issued_on=form.cleaned_data["issued_on"],
                signer=form.cleaned_data["signer"],
                upload=form.cleaned_data["document"],
                expected_version=_version(request),
            )
        except PlanError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("The plan was issued."))
            return redirect("plans:plan", pk=plan.pk)
    status = 400 if form.errors else 200
    return render(request, "plans/plan_issue.html", {"plan": plan, "form": form}, status=status)


@login_required
def plan_document(request, pk: int):
    plan = _plan(request, pk)
    if not plan.document:
        raise Http404
    return file_response(plan.document, plan.document_name or "ke-hoach.pdf")


@login_required
def plan_history(request, pk: int):
    plan = _plan(request, pk)
    return render(
        request,
        "plans/plan_history.html",
        {"plan": plan, "events": labelled(plan.events.order_by("sequence"))},
    )


# -- tasks ----------------------------------------------------------------------------------------
def _lead_units(plan: Plan):
    return OrganisationUnit.objects.filter(active=True, path__startswith=plan.unit.path).order_by(
        "path"
    )


def _task_input(form) -> services.TaskInput:
    data = form.cleaned_data
    return services.TaskInput(
        content=data["content"],
        lead_unit=data["lead_unit"],
        field=data["field"],
        deadline=data["deadline"],
        recurring=data["recurring"],
        milestones=data["milestones"],
        expected_output=data["expected_output"],
        budget=data["budget"],
        coordinating_units=list(data["coordinating_units"]),
        implements=data["implements"],
        par_criteria=data["par_criteria"],
        code=data["code"],
    )


@login_required
def task_create(request, pk: int):
    plan = _plan(request, pk)
    if "add_task" not in PLAN_TRANSITIONS.available(plan, request.user):
        raise Http404
    form = TaskForm(
        request.POST or None,
        plan=plan,
        units=_lead_units(plan),
        upper_tasks=selectors.implementable_tasks(plan),
        initial={"field": as_id(request.GET.get("field")), "lead_unit": plan.unit_id},
    )
    if request.method == "POST" and form.is_valid():
        data = _task_input(form)
        try:
            task = services.add_task(
                request.user,
                issuer_unit=plan.unit,
                year=plan.year,
                plan=plan,
                field=data.field,
                code=data.code,
                content=data.content,
                lead_unit=data.lead_unit,
                deadline=data.deadline,
                recurring=data.recurring,
                milestones=data.milestones,
                expected_output=data.expected_output,
                budget=data.budget,
                coordinating_units=data.coordinating_units,
                implements=data.implements,
                par_criteria=data.par_criteria,
            )
        except PlanError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("The task was added."))
            return redirect("plans:task", pk=task.pk)
    status = 400 if form.errors else 200
    return render(
        request, "plans/task_form.html", {"plan": plan, "form": form, "task": None}, status=status
    )


@login_required
def task_edit(request, pk: int):
    task = _task(request, pk)
    if task.plan is None or "edit" not in TASK_TRANSITIONS.available(task, request.user):
        raise Http404
    if task.plan.status != PlanStatus.DRAFT:
        raise Http404
    initial = {
        "field": task.field_id,
        "code": task.code,
        "content": task.content,
        "lead_unit": task.lead_unit_id,
        "coordinating_units": list(task.coordinating_units.values_list("pk", flat=True)),
        "recurring": task.recurring,
        "deadline": task.deadline,
        "milestones": ", ".join(
            f"{day[8:10]}/{day[5:7]}/{day[0:4]}" for day in task.milestones or ()
        ),
        "expected_output": task.expected_output,
        "budget": task.budget,
        "par_criteria": ", ".join(task.par_criteria or ()),
        "implements": task.implements_id,
        "version": task.version,
    }
    form = TaskForm(
        request.POST or None,
        plan=task.plan,
        units=_lead_units(task.plan),
        upper_tasks=selectors.implementable_tasks(task.plan),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_task(
                task.pk, request.user, _task_input(form), form.cleaned_data.get("version")
            )
        except PlanError as error:
            _refused(request, error, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("plans:task", pk=task.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "plans/task_form.html",
        {"plan": task.plan, "form": form, "task": task},
        status=status,
    )


def task_context(request, task, **forms) -> dict:
    today = timezone.localdate()
    selectors.task_flags(task, today)
    allowed = set(TASK_TRANSITIONS.available(task, request.user))
    if task.plan is not None and task.plan.status != PlanStatus.ISSUED:
        allowed.discard("report")
    if task.plan is not None and task.plan.status != PlanStatus.DRAFT:
        allowed.discard("edit")
    context = {
        "task": task,
        "allowed": allowed,
        "reports": selectors.task_reports(task),
        "events": labelled(task.events.order_by("sequence")),
        "coordinating": task.coordinating_units.order_by("path"),
        "lower_tasks": task.implemented_by.select_related("plan__unit", "lead_unit"),
        "report_form": forms.get("report_form")
        or ReportForm(initial={"version": task.version, "percent": task.percent}),
        "cancel_form": forms.get("cancel_form") or ReasonForm(initial={"version": task.version}),
        "reopen_form": forms.get("reopen_form") or ReasonForm(initial={"version": task.version}),
        "today": today,
    }
    return context


@login_required
def task_detail(request, pk: int):
    task = _task(request, pk)
    return render(request, "plans/task_detail.html", task_context(request, task))


def _report(request, task):
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, False
    data = form.cleaned_data
    evidence = services.EvidenceInput(
        upload=data["evidence_file"],
        document_number=data["evidence_number"],
        issued_on=data["evidence_issued_on"],
    )
    output = services.OutputInput(
        upload=data["output_file"],
        document_number=data["output_number"],
        issued_on=data["output_issued_on"],
        summary=data["output_summary"],
    )
    try:
        services.report_progress(
            task.pk,
            request.user,
            status=data["status"],
            percent=data["percent"],
            text=data["text"],
            evidence=[evidence],
            output=output,
            expected_version=data.get("version"),
        )
    except PlanError as error:
        _refused(request, error, form)
        return form, False
    return form, True


@login_required
@require_POST
def task_act(request, pk: int, action: str):
    task = _task(request, pk)
    forms = {}
    done = False
    if action == "report":
        form, done = _report(request, task)
        forms["report_form"] = form
        success = _("The progress report was saved.")
    elif action in ("cancel", "reopen"):
        form = ReasonForm(request.POST)
        forms[f"{action}_form"] = form
        if form.is_valid():
            call = services.cancel_task if action == "cancel" else services.reopen_task
            try:
                call(
                    task.pk, request.user, form.cleaned_data["reason"], form.cleaned_data["version"]
                )
                done = True
            except PlanError as error:
                _refused(request, error, form)
        success = (
            _("The task was cancelled.") if action == "cancel" else _("The task was reopened.")
        )
    else:
        raise Http404
    if done:
        messages.success(request, success)
        return redirect("plans:task", pk=task.pk)
    task.refresh_from_db()
    context = task_context(request, task, **forms)
    context["has_errors"] = True
    context["open_form"] = action
    return render(request, "plans/task_detail.html", context, status=400)


@login_required
def task_output(request, pk: int):
    task = _task(request, pk)
    if not task.output_file:
        raise Http404
    return file_response(task.output_file, task.output_file_name or "san-pham")


@login_required
def evidence_file(request, pk: int):
    _staff(request)
    evidence = get_object_or_404(TaskEvidence.objects.select_related("report"), pk=pk)
    _task(request, evidence.report.task_id)
    if not evidence.file:
        raise Http404
    return file_response(evidence.file, evidence.original_name or "tai-lieu")
