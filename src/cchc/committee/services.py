"""Every write of the steering committee, each checking actor, state and input first.

Each action runs in one transaction: the record locked (``cchc.workflow.locking``), the actor
checked (``transitions.manages``), the input validated with Vietnamese field errors, the change
saved as a new version, a sealed event appended (``record_event``) and the topic published. A
refusal raises a :class:`~.errors.CommitteeError` before anything is written (or rolls the whole
action back, when a task service refuses an item of the conclusion notice).

Conclusion items become tasks through :func:`cchc.plans.services.add_task` with ``origin =
conclusion`` and the committee's unit as the assigning unit, so issuing the notice needs a manager
role in the committee's unit itself (the standing body's staff prepare and record the meeting).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.common.uploads import UploadRefused, check_upload_bytes
from cchc.organisations.models import OrganisationUnit
from cchc.organisations.permissions import has_role
from cchc.plans import services as plan_services
from cchc.plans.models import TaskOrigin
from cchc.workflow.guards import forbidden_message
from cchc.workflow.history import record_event
from cchc.workflow.locking import locked, save_new_version

from .errors import ActionForbidden, CommitteeError, StaleRecord
from .events import committee_changed, meeting_changed
from .models import (
    Attendance,
    Committee,
    CommitteeEvent,
    CommitteeRole,
    CommitteeStatus,
    Conclusion,
    Meeting,
    MeetingDocument,
    MeetingEvent,
    MeetingStatus,
    Membership,
)
from .transitions import MANAGER_ROLES, MEETING_TRANSITIONS, manages

TEXT_MAX = 5000
NAME_MAX = 255
NUMBER_MAX = 100
AGENDA_MAX_ITEMS = 30
CONCLUSION_MAX_ITEMS = 50
PDF_TYPES = {".pdf": (b"%PDF-",)}
# Meeting documents: reports, drafts and slides as PDF or office files, judged by their bytes.
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
ZIP = (b"PK\x03\x04",)
DOCUMENT_TYPES = {
    ".pdf": (b"%PDF-",),
    ".doc": OLE,
    ".xls": OLE,
    ".ppt": OLE,
    ".docx": ZIP,
    ".xlsx": ZIP,
    ".pptx": ZIP,
    ".odt": ZIP,
    ".ods": ZIP,
}


# -- helpers --------------------------------------------------------------------------------------
def _stale() -> StaleRecord:
    return StaleRecord(_("Someone changed this record meanwhile. Reload the page and try again."))


def _missing() -> CommitteeError:
    return CommitteeError(_("The record does not exist."))


def check_pdf(upload, field: str) -> None:
    """A PDF within ``CCHC_UPLOAD_MAX_BYTES``, judged by its bytes (``cchc.common.uploads``)."""
    try:
        check_upload_bytes(upload, PDF_TYPES, _("Only PDF files are accepted."))
    except UploadRefused as refusal:
        raise CommitteeError(str(refusal), field) from None


def check_document(upload, field: str = "file") -> None:
    try:
        check_upload_bytes(
            upload,
            DOCUMENT_TYPES,
            _("Only PDF, Word, Excel, PowerPoint or OpenDocument files are accepted."),
        )
    except UploadRefused as refusal:
        raise CommitteeError(str(refusal), field) from None


def _text(value, field: str, message: str, *, limit: int = NAME_MAX, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise CommitteeError(message, field)
    if len(value) > limit:
        raise CommitteeError(_("The text is too long."), field)
    return value


def _store(record, field: str, upload) -> None:
    if upload is not None:
        getattr(record, field).save(upload.name, upload, save=False)
        setattr(record, f"{field}_name", upload.name[:NAME_MAX])


def _require_manager(actor, committee) -> None:
    if not manages(actor, committee):
        raise ActionForbidden(forbidden_message())


def _committee_event(committee, actor, action, *, status_before, note="", data=None):
    record_event(
        committee,
        CommitteeEvent(action=action, unit=committee.unit.name),
        actor,
        status_before=status_before,
        note=note,
        data=data,
    )
    committee_changed.publish(committee=committee)


def _meeting_event(meeting, actor, action, *, status_before, note="", data=None):
    record_event(
        meeting,
        MeetingEvent(action=action, unit=meeting.committee.unit.name),
        actor,
        status_before=status_before,
        note=note,
        data=data,
    )
    meeting_changed.publish(meeting=meeting)


def _lock_committee(pk, expected_version=None) -> Committee:
    return locked(
        Committee.objects.select_related("unit", "standing_unit"),
        pk,
        expected_version,
        stale_error=_stale(),
        missing_error=_missing(),
    )


def _lock_meeting(pk, expected_version=None) -> Meeting:
    return locked(
        Meeting.objects.select_related("committee__unit", "committee__standing_unit"),
        pk,
        expected_version,
        stale_error=_stale(),
        missing_error=_missing(),
    )


# -- the committee --------------------------------------------------------------------------------
@transaction.atomic
def create_committee(
    actor,
    *,
    unit: OrganisationUnit,
    name: str,
    standing_unit: OrganisationUnit,
    decision_number: str,
    decision_date: date | None,
    decision_signer: str,
    decision_file=None,
    rules_number: str = "",
    rules_date: date | None = None,
    rules_file=None,
) -> Committee:
    """Establish the committee of ``unit`` by its decision (quyết định thành lập)."""
    if not has_role(actor, list(MANAGER_ROLES), unit):
        raise ActionForbidden(forbidden_message())
    if Committee.objects.filter(unit=unit).exists():
        raise CommitteeError(_("This unit already has a steering committee."), "unit")
    name = _text(name, "name", _("Enter the committee's name."), limit=500)
    number = _text(
        decision_number, "decision_number", _("Enter the decision's number."), limit=NUMBER_MAX
    )
    if decision_date is None:
        raise CommitteeError(_("Enter the decision's date."), "decision_date")
    signer = _text(decision_signer, "decision_signer", _("Enter who signed the decision."))
    if decision_file is not None:
        check_pdf(decision_file, "decision_file")
    rules_number = _text(rules_number, "rules_number", "", limit=NUMBER_MAX, required=False)
    if rules_file is not None:
        check_pdf(rules_file, "rules_file")
    if (rules_number or rules_file is not None) and rules_date is None:
        raise CommitteeError(_("Enter the date of the rules of operation."), "rules_date")
    committee = Committee(
        unit=unit,
        name=name,
        standing_unit=standing_unit,
        decision_number=number,
        decision_date=decision_date,
        decision_signer=signer,
        rules_number=rules_number,
        rules_date=rules_date,
    )
    _store(committee, "decision_file", decision_file)
    _store(committee, "rules_file", rules_file)
    committee.save()
    _committee_event(
        committee,
        actor,
        "established",
        status_before="",
        data={"decision": number, "standing_unit": standing_unit.code},
    )
    return committee


@transaction.atomic
def set_rules(
    actor,
    committee_pk: int,
    *,
    rules_number: str,
    rules_date: date | None,
    rules_file=None,
    expected_version: int | None = None,
) -> Committee:
    """Record the rules of operation (quy chế hoạt động) issued by a decision."""
    committee = _lock_committee(committee_pk, expected_version)
    _require_manager(actor, committee)
    number = _text(
        rules_number, "rules_number", _("Enter the decision's number."), limit=NUMBER_MAX
    )
    if rules_date is None:
        raise CommitteeError(_("Enter the date of the rules of operation."), "rules_date")
    if rules_file is not None:
        check_pdf(rules_file, "rules_file")
    committee.rules_number, committee.rules_date = number, rules_date
    _store(committee, "rules_file", rules_file)
    save_new_version(committee)
    _committee_event(
        committee, actor, "rules", status_before=committee.status, data={"rules": number}
    )
    return committee


@transaction.atomic
def add_member(
    actor,
    committee_pk: int,
    *,
    name: str,
    position: str,
    organisation: str,
    role: str,
    start_on: date | None,
    user=None,
    expected_version: int | None = None,
) -> Membership:
    """Seat a member from ``start_on``; one head and one standing deputy at a time."""
    committee = _lock_committee(committee_pk, expected_version)
    _require_manager(actor, committee)
    if committee.status != CommitteeStatus.ACTIVE:
        raise CommitteeError(_("The committee has been dissolved."))
    name = _text(name, "name", _("Enter the member's name."))
    position = _text(position, "position", _("Enter the member's position."))
    organisation = _text(organisation, "organisation", _("Enter the member's organisation."))
    if role not in CommitteeRole.values:
        raise CommitteeError(_("Choose a committee role."), "role")
    if start_on is None:
        raise CommitteeError(_("Enter the day the membership starts."), "start_on")
    if user is not None and not isinstance(user, get_user_model()):
        raise CommitteeError(_("Choose a platform user."), "user")
    if role in (CommitteeRole.HEAD, CommitteeRole.STANDING_DEPUTY):
        taken = committee.members.filter(role=role, start_on__lte=start_on).exclude(
            end_on__lt=start_on
        )
        if taken.exists():
            raise CommitteeError(
                _("The seat is taken on that day: end the current membership first."), "role"
            )
    member = Membership.objects.create(
        committee=committee,
        name=name,
        position=position,
        organisation=organisation,
        role=role,
        start_on=start_on,
        user=user,
    )
    save_new_version(committee)
    _committee_event(
        committee,
        actor,
        "member_added",
        status_before=committee.status,
        data={"member": member.pk, "name": name, "role": role, "from": start_on.isoformat()},
    )
    return member


@transaction.atomic
def end_membership(
    actor, membership_pk: int, *, end_on: date | None, expected_version: int | None = None
) -> Membership:
    """Close a seat on ``end_on`` (kept in the history of the composition)."""
    member = Membership.objects.filter(pk=membership_pk).first()
    if member is None:
        raise _missing()
    committee = _lock_committee(member.committee_id, expected_version)
    _require_manager(actor, committee)
    member.refresh_from_db()
    if member.end_on is not None:
        raise CommitteeError(_("This membership has already ended."), "end_on")
    if end_on is None:
        raise CommitteeError(_("Enter the day the membership ends."), "end_on")
    if end_on < member.start_on:
        raise CommitteeError(_("The membership cannot end before it starts."), "end_on")
    member.end_on = end_on
    member.save(update_fields=["end_on"])
    save_new_version(committee)
    _committee_event(
        committee,
        actor,
        "member_left",
        status_before=committee.status,
        data={"member": member.pk, "name": member.name, "to": end_on.isoformat()},
    )
    return member


@transaction.atomic
def dissolve_committee(
    actor, committee_pk: int, *, note: str, expected_version: int | None = None
) -> Committee:
    """Record that the committee was dissolved or merged (its history and meetings are kept)."""
    committee = _lock_committee(committee_pk, expected_version)
    _require_manager(actor, committee)
    if committee.status != CommitteeStatus.ACTIVE:
        raise CommitteeError(_("The committee has been dissolved."))
    note = _text(
        note, "note", _("Enter the decision that dissolved the committee."), limit=TEXT_MAX
    )
    committee.status = CommitteeStatus.DISSOLVED
    save_new_version(committee)
    _committee_event(committee, actor, "dissolved", status_before=CommitteeStatus.ACTIVE, note=note)
    return committee


# -- meetings -------------------------------------------------------------------------------------
def clean_agenda(agenda: Iterable[str] | str) -> list[str]:
    if isinstance(agenda, str):
        agenda = agenda.splitlines()
    items = [item.strip() for item in agenda if item and item.strip()]
    if not items:
        raise CommitteeError(_("Enter at least one agenda item."), "agenda")
    if len(items) > AGENDA_MAX_ITEMS or any(len(item) > TEXT_MAX for item in items):
        raise CommitteeError(_("The agenda is too long."), "agenda")
    return items


@transaction.atomic
def plan_meeting(
    actor,
    committee_pk: int,
    *,
    date: date | None,
    place: str = "",
    online: bool = False,
    agenda: Iterable[str] | str = (),
) -> Meeting:
    """Plan the committee's next meeting (its number follows the last one's)."""
    committee = _lock_committee(committee_pk)
    _require_manager(actor, committee)
    if committee.status != CommitteeStatus.ACTIVE:
        raise CommitteeError(_("The committee has been dissolved."))
    if date is None:
        raise CommitteeError(_("Enter the meeting's date."), "date")
    place = _text(place, "place", "", required=False)
    if not place and not online:
        raise CommitteeError(_("Enter the place, or mark the meeting as online."), "place")
    items = clean_agenda(agenda)
    last = committee.meetings.aggregate(last=Max("number"))["last"] or 0
    meeting = Meeting.objects.create(
        committee=committee,
        number=last + 1,
        date=date,
        place=place,
        online=online,
        agenda=items,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _meeting_event(meeting, actor, "planned", status_before="", data={"date": date.isoformat()})
    return meeting


@transaction.atomic
def add_document(actor, meeting_pk: int, *, title: str, upload) -> MeetingDocument:
    """Attach a document to a planned or held meeting."""
    meeting = _lock_meeting(meeting_pk)
    MEETING_TRANSITIONS.check(meeting, "add_document")
    MEETING_TRANSITIONS.require(actor, meeting, "add_document")
    title = _text(title, "title", _("Enter the document's title."), limit=500)
    if upload is None:
        raise CommitteeError(_("Choose a file."), "file")
    check_document(upload)
    document = MeetingDocument(
        meeting=meeting,
        title=title,
        original_name=upload.name[:NAME_MAX],
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    document.file.save(upload.name, upload, save=False)
    document.save()
    save_new_version(meeting)
    _meeting_event(
        meeting,
        actor,
        "document",
        status_before=meeting.status,
        data={"document": document.pk, "title": title},
    )
    return document


def members_on(committee, day) -> list[Membership]:
    """The seats held on ``day``, head first."""
    from .models import ROLE_ORDER

    seats = committee.members.filter(start_on__lte=day).exclude(end_on__lt=day)
    return sorted(seats, key=lambda seat: (ROLE_ORDER[seat.role], seat.pk))


@transaction.atomic
def hold_meeting(
    actor,
    meeting_pk: int,
    *,
    absences: Mapping[int, str] | None = None,
    guests: str = "",
    minutes: str = "",
    minutes_file=None,
    expected_version: int | None = None,
) -> Meeting:
    """Record the meeting as held: who attended (the members seated that day; ``absences`` maps a
    member's id to the reason given), the guests and the minutes (biên bản: text and/or PDF)."""
    meeting = _lock_meeting(meeting_pk, expected_version)
    MEETING_TRANSITIONS.check(meeting, "hold")
    MEETING_TRANSITIONS.require(actor, meeting, "hold")
    if meeting.date > timezone.localdate():
        raise CommitteeError(_("A meeting cannot be recorded as held before its date."), "date")
    seats = members_on(meeting.committee, meeting.date)
    absences = dict(absences or {})
    known = {seat.pk for seat in seats}
    if set(absences) - known:
        raise CommitteeError(_("Choose members of the committee on the meeting's day."), "absent")
    for reason in absences.values():
        if not (reason or "").strip():
            raise CommitteeError(_("Give the reason of each absence."), "absent")
        if len(reason) > 500:
            raise CommitteeError(_("The text is too long."), "absent")
    guests = _text(guests, "guests", "", limit=TEXT_MAX, required=False)
    minutes = _text(minutes, "minutes", "", limit=50_000, required=False)
    if minutes_file is not None:
        check_pdf(minutes_file, "minutes_file")
    if not minutes and minutes_file is None:
        raise CommitteeError(_("Enter the minutes or attach them as a PDF."), "minutes")
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            member=seat,
            present=seat.pk not in absences,
            reason=(absences.get(seat.pk) or "").strip(),
        )
        for seat in seats
    )
    before = meeting.status
    meeting.status = MeetingStatus.HELD
    meeting.guests, meeting.minutes = guests, minutes
    _store(meeting, "minutes_file", minutes_file)
    save_new_version(meeting)
    _meeting_event(
        meeting,
        actor,
        "held",
        status_before=before,
        data={"present": len(seats) - len(absences), "absent": len(absences)},
    )
    return meeting


@dataclass
class ConclusionInput:
    """One item of the conclusion notice: what, who leads it, by when."""

    content: str
    lead_unit: OrganisationUnit | None
    deadline: date | None
    expected_output: str = ""


@transaction.atomic
def issue_conclusions(
    actor,
    meeting_pk: int,
    *,
    notice_number: str,
    notice_date: date | None,
    items: list[ConclusionInput],
    notice_file=None,
    expected_version: int | None = None,
) -> list[Conclusion]:
    """Issue the conclusion notice of a held meeting; each item becomes a task assigned by the
    committee's unit (``cchc.plans.services.add_task``, origin ``conclusion``)."""
    meeting = _lock_meeting(meeting_pk, expected_version)
    MEETING_TRANSITIONS.check(meeting, "conclude")
    MEETING_TRANSITIONS.require(actor, meeting, "conclude")
    committee = meeting.committee
    if not has_role(actor, list(MANAGER_ROLES), committee.unit):
        raise ActionForbidden(
            _("Only the reform staff or leaders of the committee's unit can assign its tasks.")
        )
    number = _text(
        notice_number, "notice_number", _("Enter the notice's number."), limit=NUMBER_MAX
    )
    if notice_date is None:
        raise CommitteeError(_("Enter the notice's date."), "notice_date")
    if notice_date < meeting.date:
        raise CommitteeError(_("The notice cannot be dated before the meeting."), "notice_date")
    if notice_file is not None:
        check_pdf(notice_file, "notice_file")
    if not items:
        raise CommitteeError(_("Enter at least one conclusion."), "items")
    if len(items) > CONCLUSION_MAX_ITEMS:
        raise CommitteeError(_("Too many conclusions in one notice."), "items")
    for index, item in enumerate(items, start=1):
        problem = None
        if not (item.content or "").strip():
            problem = _("Enter the content of conclusion %(n)s.")
        elif item.lead_unit is None:
            problem = _("Choose the lead unit of conclusion %(n)s.")
        elif item.deadline is None:
            problem = _("Enter the deadline of conclusion %(n)s.")
        elif item.deadline < notice_date:
            problem = _("The deadline of conclusion %(n)s is before the notice's date.")
        if problem:
            raise CommitteeError(problem % {"n": index}, "items")
    conclusions = []
    for index, item in enumerate(items, start=1):
        task = plan_services.add_task(
            actor,
            issuer_unit=committee.unit,
            year=item.deadline.year,
            content=item.content,
            lead_unit=item.lead_unit,
            deadline=item.deadline,
            expected_output=item.expected_output,
            code=str(index),
            origin=TaskOrigin.CONCLUSION,
            note=_("Conclusion notice %(number)s") % {"number": number},
        )
        conclusions.append(Conclusion.objects.create(meeting=meeting, position=index, task=task))
    before = meeting.status
    meeting.status = MeetingStatus.CONCLUDED
    meeting.notice_number, meeting.notice_date = number, notice_date
    _store(meeting, "notice_file", notice_file)
    save_new_version(meeting)
    _meeting_event(
        meeting,
        actor,
        "concluded",
        status_before=before,
        data={"notice": number, "tasks": [item.task_id for item in conclusions]},
    )
    return conclusions
