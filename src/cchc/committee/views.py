"""Steering committee pages (ban-chi-dao/…): the committees in the reader's scope, one committee
(members, meetings, open conclusions), one meeting (agenda, attendance, documents, minutes,
conclusions and the previous meeting's), and the open conclusions the dashboard drills down to.
Pages read through ``selectors`` and write through ``services``; 404 outside the reader's scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cchc.common.downloads import file_response
from cchc.common.errors import ApplicationError
from cchc.common.text import as_id
from cchc.organisations.models import OrganisationUnit
from cchc.organisations.permissions import has_role

from . import selectors, services
from .errors import CommitteeError
from .forms import (
    CommitteeForm,
    ConclusionItemFormSet,
    DocumentForm,
    EndMemberForm,
    HoldForm,
    MeetingForm,
    MemberForm,
    NoticeForm,
    RulesForm,
)
from .models import MeetingDocument, MeetingStatus
from .transitions import MANAGER_ROLES

ACTION_LABELS = {
    "hold": gettext_lazy("Record as held"),
    "conclude": gettext_lazy("Issue the conclusion notice"),
}


def task_url(task) -> str:
    """The task's follow-up page (plans:task), or its address when that page is not installed."""
    try:
        return reverse("plans:task", args=[task.pk])
    except NoReverseMatch:
        return f"/ke-hoach-cchc/nhiem-vu/{task.pk}/"


def _rows(summary):
    for row in summary.rows if summary else []:
        row.url = task_url(row.task)
    return summary


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


class _Invalid(Exception):
    def __init__(self, form):
        self.form = form


@login_required
def index(request):
    committees = selectors.visible_committees(request.user).order_by("unit__path")
    return render(
        request,
        "committee/index.html",
        {
            "committees": committees,
            "can_create": has_role(request.user, list(MANAGER_ROLES)),
        },
    )


@login_required
def committee_new(request):
    if not has_role(request.user, list(MANAGER_ROLES)):
        raise Http404
    form = CommitteeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            committee = services.create_committee(
                request.user,
                unit=data["unit"],
                name=data["name"],
                standing_unit=data["standing_unit"],
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                decision_signer=data["decision_signer"],
                decision_file=data["decision_file"],
                rules_number=data["rules_number"],
                rules_date=data["rules_date"],
                rules_file=data["rules_file"],
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The committee was established."))
            return redirect("committee:detail", committee.pk)
    return render(request, "committee/committee_form.html", {"form": form})


@login_required
def detail(request, pk: int):
    committee = get_object_or_404(selectors.visible_committees(request.user), pk=pk)
    today = timezone.localdate()
    members = list(committee.members.select_related("user"))
    current = services.members_on(committee, today)
    manager = selectors.user_manages(request.user, committee)
    conclusions = selectors.conclusions_in_units(None).filter(meeting__committee=committee)
    return render(
        request,
        "committee/detail.html",
        {
            "committee": committee,
            "current": current,
            "past": [member for member in members if member not in current],
            "meetings": committee.meetings.order_by("-number"),
            "open": _rows(selectors.open_conclusions(conclusions, today)),
            "manager": manager,
            "member_form": MemberForm() if manager else None,
            "end_form": EndMemberForm() if manager else None,
            "meeting_form": MeetingForm() if manager else None,
            "rules_form": RulesForm() if manager else None,
            "events": committee.events.order_by("sequence"),
        },
    )


@login_required
@require_POST
def committee_act(request, pk: int, action: str):
    committee = get_object_or_404(selectors.visible_committees(request.user), pk=pk)
    version = as_id(request.POST.get("version"))
    back = reverse("committee:detail", args=[committee.pk])
    try:
        if action == "member":
            form = MemberForm(request.POST)
            if not form.is_valid():
                raise _Invalid(form)
            data = form.cleaned_data
            services.add_member(
                request.user,
                committee.pk,
                name=data["name"],
                position=data["position"],
                organisation=data["organisation"],
                role=data["role"],
                start_on=data["start_on"],
                user=data["username"],
                expected_version=version,
            )
            messages.success(request, _("The member was added."))
        elif action == "end_member":
            form = EndMemberForm(request.POST)
            if not form.is_valid():
                raise _Invalid(form)
            membership = as_id(request.POST.get("member"))
            if membership is None or not committee.members.filter(pk=membership).exists():
                raise Http404
            services.end_membership(
                request.user,
                membership,
                end_on=form.cleaned_data["end_on"],
                expected_version=version,
            )
            messages.success(request, _("The membership was ended."))
        elif action == "meeting":
            form = MeetingForm(request.POST)
            if not form.is_valid():
                raise _Invalid(form)
            data = form.cleaned_data
            meeting = services.plan_meeting(
                request.user,
                committee.pk,
                date=data["date"],
                place=data["place"],
                online=data["online"],
                agenda=data["agenda"],
            )
            messages.success(request, _("The meeting was planned."))
            return redirect("committee:meeting", meeting.pk)
        elif action == "rules":
            form = RulesForm(request.POST, request.FILES)
            if not form.is_valid():
                raise _Invalid(form)
            data = form.cleaned_data
            services.set_rules(
                request.user,
                committee.pk,
                rules_number=data["rules_number"],
                rules_date=data["rules_date"],
                rules_file=data["rules_file"],
                expected_version=version,
            )
            messages.success(request, _("The rules of operation were recorded."))
        else:
            raise Http404
    except _Invalid as invalid:
        _form_errors(request, invalid.form)
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(back)


@login_required
def meeting(request, pk: int):
    record = get_object_or_404(selectors.visible_meetings(request.user), pk=pk)
    committee = record.committee
    actions = selectors.meeting_actions(record, request.user)
    manager = selectors.user_manages(request.user, committee)
    previous, previous_summary = selectors.previous_conclusions(record)
    today = timezone.localdate()
    conclusions = record.conclusions.select_related("task__lead_unit")
    own = _rows(selectors.summarise(conclusions, today)) if record.conclusions.exists() else None
    units = OrganisationUnit.objects.filter(path__startswith=committee.unit.path, active=True)
    return render(
        request,
        "committee/meeting.html",
        {
            "meeting": record,
            "committee": committee,
            "actions": actions,
            "seats": services.members_on(committee, record.date),
            "attendance": record.attendance.select_related("member"),
            "documents": record.documents.all(),
            "previous": previous,
            "previous_summary": _rows(previous_summary),
            "own": own,
            "hold_form": HoldForm() if "hold" in actions else None,
            "notice_form": NoticeForm() if "conclude" in actions else None,
            "items": ConclusionItemFormSet(form_kwargs={"units": units})
            if "conclude" in actions
            else None,
            "document_form": DocumentForm()
            if manager and record.status != MeetingStatus.CONCLUDED
            else None,
            "events": selectors.meeting_events(record),
        },
    )


@login_required
@require_POST
def meeting_act(request, pk: int, action: str):
    record = get_object_or_404(selectors.visible_meetings(request.user), pk=pk)
    version = as_id(request.POST.get("version"))
    back = reverse("committee:meeting", args=[record.pk])
    try:
        if action == "hold":
            form = HoldForm(request.POST, request.FILES)
            if not form.is_valid():
                raise _Invalid(form)
            absences = {}
            for seat in services.members_on(record.committee, record.date):
                if request.POST.get(f"absent-{seat.pk}"):
                    absences[seat.pk] = request.POST.get(f"reason-{seat.pk}", "")
            services.hold_meeting(
                request.user,
                record.pk,
                absences=absences,
                guests=form.cleaned_data["guests"],
                minutes=form.cleaned_data["minutes"],
                minutes_file=form.cleaned_data["minutes_file"],
                expected_version=version,
            )
            messages.success(request, _("The meeting was recorded as held."))
        elif action == "conclude":
            form = NoticeForm(request.POST, request.FILES)
            units = OrganisationUnit.objects.filter(
                path__startswith=record.committee.unit.path, active=True
            )
            items = ConclusionItemFormSet(request.POST, form_kwargs={"units": units})
            if not form.is_valid():
                raise _Invalid(form)
            if not items.is_valid():
                for item in items.forms:
                    if item.errors:
                        raise _Invalid(item)
                raise CommitteeError(_("Check the conclusions."))
            data = form.cleaned_data
            conclusions = services.issue_conclusions(
                request.user,
                record.pk,
                notice_number=data["notice_number"],
                notice_date=data["notice_date"],
                notice_file=data["notice_file"],
                items=[
                    services.ConclusionInput(
                        content=item.cleaned_data.get("content", ""),
                        lead_unit=item.cleaned_data.get("lead_unit"),
                        deadline=item.cleaned_data.get("deadline"),
                        expected_output=item.cleaned_data.get("expected_output", ""),
                    )
                    for item in items.forms
                    if item.filled
                ],
                expected_version=version,
            )
            messages.success(
                request,
                _("The conclusion notice was issued: %(count)s tasks assigned.")
                % {"count": len(conclusions)},
            )
        elif action == "document":
            form = DocumentForm(request.POST, request.FILES)
            if not form.is_valid():
                raise _Invalid(form)
            services.add_document(
                request.user,
                record.pk,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
            messages.success(request, _("The document was added."))
        else:
            raise Http404
    except _Invalid as invalid:
        _form_errors(request, invalid.form)
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect(back)


@login_required
def open_conclusions(request):
    """The open conclusions of the committees in the reader's scope (the dashboard tile's list);
    ``don_vi`` narrows to the committees of a unit's subtree."""
    committees = selectors.visible_committees(request.user)
    code = (request.GET.get("don_vi") or "").strip()
    unit = None
    if code:
        unit = OrganisationUnit.objects.filter(code=code).first()
        if unit is not None:
            committees = committees.filter(unit__path__startswith=unit.path)
    conclusions = selectors.conclusions_in_units(None).filter(meeting__committee__in=committees)
    summary = _rows(selectors.open_conclusions(conclusions, timezone.localdate()))
    return render(request, "committee/open_conclusions.html", {"summary": summary, "unit": unit})


@login_required
def download(request, kind: str, pk: int):
    """A stored file, for readers of its committee only (404 otherwise)."""
    if kind in ("decision", "rules"):
        committee = get_object_or_404(selectors.visible_committees(request.user), pk=pk)
        field = committee.decision_file if kind == "decision" else committee.rules_file
        name = committee.decision_file_name if kind == "decision" else committee.rules_file_name
    elif kind in ("minutes", "notice"):
        record = get_object_or_404(selectors.visible_meetings(request.user), pk=pk)
        field = record.minutes_file if kind == "minutes" else record.notice_file
        name = record.minutes_file_name if kind == "minutes" else record.notice_file_name
    elif kind == "document":
        document = get_object_or_404(
            MeetingDocument.objects.filter(meeting__in=selectors.visible_meetings(request.user)),
            pk=pk,
        )
        field, name = document.file, document.original_name
    else:
        raise Http404
    return file_response(field, name or "tai-lieu.pdf")
