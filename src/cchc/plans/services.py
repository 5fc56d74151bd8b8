"""Every write of reform plans and their tasks, each checking actor, state and input first.

Plan (Kế hoạch CCHC năm)::

    draft ──issue (reform staff / leader of the plan's unit)──▶ issued

Task::

    not_started ──report──▶ in_progress ──report "done" (with its output)──▶ done
         │                      │                                          │
         └──cancel (reason)─────┴──▶ cancelled         in_progress ◀──reopen (reason)

Each action runs in one transaction: the record locked (``cchc.workflow.locking``), the state
checked with the transition tables (``transitions``), the actor and the input checked, the change
saved as a new version, a sealed event appended (``record_event``) and the topic of ``events``
published. A refusal raises a :class:`~.errors.PlanError` before anything is written.

Sources: the plan's fields follow the six reform areas of Nghị quyết 76/NQ-CP (15/7/2021) with
"chỉ đạo, điều hành", "tuyên truyền" and "kiểm tra" around them; a plan is issued as a document
and implemented by the plans of the units below; progress is reported by the lead unit with the
documents that prove it (tài liệu kiểm chứng), a task counting as done only with its product
(sản phẩm) (par-sipas-plan-sources §C2; docs/plans.md).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.common.uploads import UploadRefused, check_upload_bytes
from cchc.conf import conf
from cchc.notifications import services as outbox
from cchc.organisations.models import OrganisationUnit, RoleAssignment, UnitKind
from cchc.organisations.permissions import has_role
from cchc.workflow.history import record_event
from cchc.workflow.locking import locked, save_new_version

from .errors import ActionForbidden, PlanError, StaleRecord
from .events import plan_changed, task_changed
from .models import (
    Plan,
    PlanEvent,
    PlanField,
    PlanStatus,
    Task,
    TaskEvent,
    TaskEvidence,
    TaskOrigin,
    TaskReminder,
    TaskReport,
    TaskStatus,
)
from .transitions import MANAGER_ROLES, PLAN_TRANSITIONS, REPORTING_ROLES, TASK_TRANSITIONS

CONTENT_MAX = 5000
TEXT_MAX = 5000
NAME_MAX = 255
NUMBER_MAX = 100
FIELDS_MAX = 30

# The fields a new plan starts with when ``CCHC_PLAN_DEFAULT_FIELDS`` names none for its year:
# "chỉ đạo, điều hành", the six reform areas of Nghị quyết 76/NQ-CP (Chương trình tổng thể CCHC
# nhà nước giai đoạn 2021–2030), then "tuyên truyền" and "kiểm tra" (the headings of provincial
# plans, par-sipas-plan-sources §C2).
DEFAULT_FIELDS = (
    "Công tác chỉ đạo, điều hành",
    "Cải cách thể chế",
    "Cải cách thủ tục hành chính",
    "Cải cách tổ chức bộ máy hành chính nhà nước",
    "Cải cách chế độ công vụ",
    "Cải cách tài chính công",
    "Xây dựng, phát triển Chính phủ điện tử, Chính phủ số",
    "Công tác tuyên truyền cải cách hành chính",
    "Công tác kiểm tra cải cách hành chính",
)

# The issuing document of a plan: a PDF. Evidence and outputs: PDF, images, office documents.
PDF_TYPES = {".pdf": (b"%PDF-",)}
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
ZIP = (b"PK\x03\x04",)
DOCUMENT_TYPES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".doc": OLE,
    ".xls": OLE,
    ".docx": ZIP,
    ".xlsx": ZIP,
    ".odt": ZIP,
    ".ods": ZIP,
}

# The PAR INDEX level whose criteria set a unit's tasks are checked against.
LEVEL_OF_KIND = {
    UnitKind.PROVINCE_COMMITTEE: "province",
    UnitKind.DEPARTMENT: "department",
    UnitKind.SERVICE_CENTRE: "department",
    UnitKind.DIVISION: "department",
    UnitKind.COMMUNE_COMMITTEE: "commune",
    UnitKind.DISTRICT_COMMITTEE: "district",
}


# -- small helpers --------------------------------------------------------------------------------
def _stale() -> StaleRecord:
    return StaleRecord(_("Someone else has just changed this record. Reload the page and check."))


def _lock_plan(plan_id, expected_version=None) -> Plan:
    return locked(
        Plan.objects.select_related("unit", "parent"),
        plan_id,
        expected_version,
        stale_error=_stale(),
        missing_error=PlanError(_("This plan does not exist.")),
    )


def _lock_task(task_id, expected_version=None) -> Task:
    return locked(
        Task.objects.select_related("plan", "field", "issuer_unit", "lead_unit"),
        task_id,
        expected_version,
        stale_error=_stale(),
        missing_error=PlanError(_("This task does not exist.")),
    )


def _text(value, field_name: str, *, required_message=None, maximum=TEXT_MAX) -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise PlanError(required_message, field_name)
    if len(value) > maximum:
        raise PlanError(
            _("This text is too long (at most %(n)d characters).") % {"n": maximum}, field_name
        )
    return value


def _check_file(upload, types, message, field_name: str) -> None:
    try:
        check_upload_bytes(upload, types, message)
    except UploadRefused as refusal:
        raise PlanError(str(refusal), field_name) from None


def _document_file(upload, field_name: str) -> None:
    _check_file(
        upload,
        DOCUMENT_TYPES,
        _("Only PDF, JPEG, PNG, Word, Excel or OpenDocument files are accepted."),
        field_name,
    )


def _file_name(upload) -> str:
    return os.path.basename(upload.name)[:NAME_MAX]


def _not_future(day: date | None, field_name: str) -> None:
    if day is not None and day > timezone.localdate():
        raise PlanError(_("The date cannot be in the future."), field_name)


def _plan_event(plan: Plan, actor, action: str, *, status_before=None, note="", data=None):
    event = PlanEvent(plan=plan, action=action, unit=plan.unit.name)
    before = plan.status if status_before is None else status_before
    record_event(plan, event, actor, status_before=before, note=note, data=data)
    plan_changed.publish(plan=plan)
    return event


def _task_event(task: Task, actor, action: str, *, status_before=None, note="", data=None):
    event = TaskEvent(task=task, action=action, unit=task.issuer_unit.name)
    before = task.status if status_before is None else status_before
    record_event(task, event, actor, status_before=before, note=note, data=data)
    task_changed.publish(task=task)
    return event


def default_fields(year: int) -> list[str]:
    """The fields a plan of ``year`` starts with (``CCHC_PLAN_DEFAULT_FIELDS``, else the nine of
    :data:`DEFAULT_FIELDS`)."""
    configured = conf.PLAN_DEFAULT_FIELDS
    if isinstance(configured, dict):
        configured = configured.get(year) or configured.get(str(year)) or ()
    names = [str(name).strip() for name in configured if str(name).strip()]
    return names or list(DEFAULT_FIELDS)


def parent_plan_for(unit: OrganisationUnit, year: int) -> Plan | None:
    """The plan of ``year`` of the nearest unit above ``unit`` that has one (the plan it
    implements)."""
    upper = unit.parent
    while upper is not None:
        plan = Plan.objects.filter(unit=upper, year=year).first()
        if plan is not None:
            return plan
        upper = upper.parent
    return None


def _check_parent(unit: OrganisationUnit, year: int, parent: Plan | None) -> None:
    if parent is None:
        return
    if parent.year != year:
        raise PlanError(_("The plan implemented must be of the same year."), "parent")
    if parent.unit_id == unit.pk or not unit.path.startswith(parent.unit.path):
        raise PlanError(_("The plan implemented must be that of a unit above this one."), "parent")


# -- plans ----------------------------------------------------------------------------------------
@transaction.atomic
def create_plan(
    actor, *, unit: OrganisationUnit, year: int, title: str = "", parent: Plan | None = None
) -> Plan:
    """A unit's draft plan for ``year``, with the year's default fields; ``parent`` (the upper
    unit's plan it implements) defaults to the nearest upper unit's plan of that year."""
    if not has_role(actor, MANAGER_ROLES, unit):
        raise ActionForbidden(_("Only the unit's reform staff or leaders can make its plan."))
    if not 2000 <= int(year) <= 2100:
        raise PlanError(_("Enter a year between 2000 and 2100."), "year")
    if Plan.objects.filter(unit=unit, year=year).exists():
        raise PlanError(_("This unit already has a plan for that year."), "year")
    title = _text(title, "title", maximum=500) or (
        _("Administrative reform plan %(year)s") % {"year": year}
    )
    if parent is None:
        parent = parent_plan_for(unit, year)
    _check_parent(unit, year, parent)
    plan = Plan.objects.create(unit=unit, year=year, title=title, parent=parent, created_by=actor)
    names = default_fields(year)
    PlanField.objects.bulk_create(
        PlanField(plan=plan, position=index, name=name[:NAME_MAX])
        for index, name in enumerate(names, start=1)
    )
    _plan_event(
        plan,
        actor,
        "created",
        status_before="",
        data={"fields": names, "parent": parent.pk if parent else None},
    )
    return plan


@transaction.atomic
def update_plan(plan_id, actor, *, title: str, parent: Plan | None, expected_version=None) -> Plan:
    """Change a draft plan's title and the plan it implements."""
    plan = _lock_plan(plan_id, expected_version)
    PLAN_TRANSITIONS.check(plan, "edit")
    PLAN_TRANSITIONS.require(actor, plan, "edit")
    title = _text(title, "title", required_message=_("Enter the plan's title."), maximum=500)
    _check_parent(plan.unit, plan.year, parent)
    before = {"title": plan.title, "parent": plan.parent_id}
    plan.title = title
    plan.parent = parent
    save_new_version(plan)
    _plan_event(
        plan, actor, "updated", data={"before": before, "title": title, "parent": plan.parent_id}
    )
    return plan


@transaction.atomic
def save_fields(plan_id, actor, rows: Iterable[tuple[int | None, str]], expected_version=None):
    """Set a draft plan's fields in order: ``rows`` are (field id or None for a new field, name).

    A field left out is removed, unless tasks are filed under it. Names must be unique.
    """
    plan = _lock_plan(plan_id, expected_version)
    PLAN_TRANSITIONS.check(plan, "edit")
    PLAN_TRANSITIONS.require(actor, plan, "edit")
    rows = [(pk, (name or "").strip()) for pk, name in rows]
    rows = [(pk, name) for pk, name in rows if name or pk]
    if not rows:
        raise PlanError(_("A plan needs at least one field."), "fields")
    if len(rows) > FIELDS_MAX:
        raise PlanError(_("A plan has at most %(n)d fields.") % {"n": FIELDS_MAX}, "fields")
    names = [name for _pk, name in rows]
    if any(not name for name in names):
        raise PlanError(_("Enter the name of every field."), "fields")
    if any(len(name) > NAME_MAX for name in names):
        raise PlanError(_("A field's name is too long."), "fields")
    if len({name.casefold() for name in names}) != len(names):
        raise PlanError(_("Two fields have the same name."), "fields")
    existing = {item.pk: item for item in plan.fields.all()}
    kept = {pk for pk, _name in rows if pk}
    if not kept <= existing.keys():
        raise PlanError(_("This field is not one of the plan's."), "fields")
    removed = [item for pk, item in existing.items() if pk not in kept]
    if any(item.tasks.exists() for item in removed):
        raise PlanError(_("A field with tasks cannot be removed; move its tasks first."), "fields")
    before = [item.name for item in sorted(existing.values(), key=lambda item: item.position)]
    for item in removed:
        item.delete()
    # Positions are unique per plan: park the kept ones out of the way, then number them.
    for offset, item in enumerate(existing[pk] for pk in kept):
        item.position = 1000 + offset
        item.save(update_fields=["position"])
    for position, (pk, name) in enumerate(rows, start=1):
        if pk:
            item = existing[pk]
            item.position, item.name = position, name
            item.save(update_fields=["position", "name"])
        else:
            PlanField.objects.create(plan=plan, position=position, name=name)
    save_new_version(plan)
    _plan_event(plan, actor, "fields_changed", data={"before": before, "after": names})
    return plan


def check_plan_document(upload) -> None:
    """The issuing document: a PDF up to ``CCHC_UPLOAD_MAX_BYTES``, judged by its bytes."""
    _check_file(upload, PDF_TYPES, _("Only PDF files are accepted."), "document")


@transaction.atomic
def issue_plan(
    plan_id,
    actor,
    *,
    document_number: str,
    issued_on: date | None,
    signer: str,
    upload=None,
    expected_version=None,
) -> Plan:
    """Issue the plan (ban hành): its number and symbol, the day, the signer and the PDF."""
    plan = _lock_plan(plan_id, expected_version)
    PLAN_TRANSITIONS.check(plan, "issue")
    PLAN_TRANSITIONS.require(actor, plan, "issue")
    number = _text(
        document_number,
        "document_number",
        required_message=_("Enter the document's number and symbol."),
        maximum=NUMBER_MAX,
    )
    if issued_on is None:
        raise PlanError(_("Enter the date the plan was issued."), "issued_on")
    _not_future(issued_on, "issued_on")
    if not plan.year - 1 <= issued_on.year <= plan.year:
        raise PlanError(
            _("A plan of %(year)s is issued in that year or late in the year before.")
            % {"year": plan.year},
            "issued_on",
        )
    signer = _text(signer, "signer", required_message=_("Enter who signed it."), maximum=NAME_MAX)
    if upload is None:
        raise PlanError(_("Attach the signed plan (PDF)."), "document")
    check_plan_document(upload)
    if not plan.tasks.exclude(status=TaskStatus.CANCELLED).exists():
        raise PlanError(_("Add the plan's tasks before issuing it."))
    before = plan.status
    plan.document_number, plan.issued_on, plan.signer = number, issued_on, signer
    plan.document_name = _file_name(upload)
    plan.document = upload
    plan.status = PlanStatus.ISSUED
    save_new_version(plan)
    _plan_event(
        plan,
        actor,
        "issued",
        status_before=before,
        data={
            "document_number": number,
            "issued_on": issued_on.isoformat(),
            "signer": signer,
            "file": plan.document_name,
        },
    )
    return plan


# -- tasks ----------------------------------------------------------------------------------------
def criteria_codes(unit: OrganisationUnit, year: int) -> set[str] | None:
    """The criterion codes of the year's PAR criteria set for the unit's level (its newest
    version), or None when there is none to check against."""
    from cchc.parindex.models import CriteriaSet

    level = LEVEL_OF_KIND.get(unit.kind)
    criteria_set = (
        CriteriaSet.objects.filter(year=year, level=level).order_by("-version").first()
        if level
        else None
    )
    if criteria_set is None:
        return None
    return set(criteria_set.criteria.values_list("code", flat=True))


def _criteria(unit: OrganisationUnit, year: int, codes: Iterable[str]) -> list[str]:
    codes = list(dict.fromkeys(str(code).strip() for code in codes if str(code).strip()))
    if any(len(code) > 30 for code in codes):
        raise PlanError(_("A criterion code is too long."), "par_criteria")
    known = criteria_codes(unit, year)
    if known is not None:
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise PlanError(
                _("Not criteria of the %(year)s PAR INDEX for this unit: %(codes)s.")
                % {"year": year, "codes": ", ".join(unknown)},
                "par_criteria",
            )
    return codes


def _schedule(year: int, deadline, recurring: bool, milestones) -> tuple:
    if recurring:
        deadline = None
    elif deadline is None:
        raise PlanError(_("Enter a deadline, or mark the task as recurring."), "deadline")
    elif deadline.year != year:
        raise PlanError(_("The deadline must fall within the plan's year."), "deadline")
    milestones = sorted(set(milestones or ()))
    if any(day.year != year for day in milestones):
        raise PlanError(_("Reporting milestones must fall within the year."), "milestones")
    return deadline, milestones


def _check_implements(plan: Plan | None, implements: Task | None) -> None:
    if implements is None:
        return
    if plan is None or plan.parent_id is None or implements.plan_id != plan.parent_id:
        raise PlanError(_("Choose a task of the plan this plan implements."), "implements")


def _check_lead(issuer_unit: OrganisationUnit, lead_unit, origin: str) -> None:
    if lead_unit is None:
        raise PlanError(_("Choose the lead unit."), "lead_unit")
    if origin == TaskOrigin.PLAN and not lead_unit.path.startswith(issuer_unit.path):
        raise PlanError(_("The lead unit must be the plan's unit or a unit under it."), "lead_unit")


def _next_code(plan: Plan | None, field_: PlanField | None) -> str:
    if plan is None or field_ is None:
        return ""
    count = Task.objects.filter(plan=plan, field=field_).count()
    return f"{field_.position}.{count + 1}"


@transaction.atomic
def add_task(
    actor,
    *,
    issuer_unit: OrganisationUnit,
    year: int,
    content: str,
    lead_unit: OrganisationUnit,
    deadline: date | None = None,
    recurring: bool = False,
    milestones: Iterable[date] = (),
    expected_output: str = "",
    budget: Decimal | None = None,
    plan: Plan | None = None,
    field: PlanField | None = None,
    code: str = "",
    coordinating_units: Iterable[OrganisationUnit] = (),
    implements: Task | None = None,
    par_criteria: Iterable[str] = (),
    origin: str = TaskOrigin.PLAN,
    note: str = "",
) -> Task:
    """Assign a task: a plan task, or a steering-committee conclusion (``origin``, no plan).

    A task has either a deadline within its year or is recurring (thường xuyên: due at the end of
    the year, reported at its milestones). A task added to an issued plan is an amendment, kept in
    the plan's history.
    """
    if plan is not None:
        plan = _lock_plan(plan.pk)
        PLAN_TRANSITIONS.check(plan, "add_task")
    if not has_role(actor, MANAGER_ROLES, issuer_unit):
        raise ActionForbidden(_("Only the unit's reform staff or leaders can assign its tasks."))
    content = _text(
        content, "content", required_message=_("Enter the task's content."), maximum=CONTENT_MAX
    )
    if plan is not None and (plan.unit_id != issuer_unit.pk or plan.year != year):
        raise PlanError(_("The task must belong to the unit's plan of that year."), "plan")
    if field is not None and (plan is None or field.plan_id != plan.pk):
        raise PlanError(_("Choose a field of this plan."), "field")
    if plan is not None and field is None and plan.fields.exists():
        raise PlanError(_("Choose the task's field."), "field")
    _check_lead(issuer_unit, lead_unit, origin)
    deadline, milestones = _schedule(year, deadline, recurring, milestones)
    if budget is not None and budget < 0:
        raise PlanError(_("The budget cannot be negative."), "budget")
    _check_implements(plan, implements)
    codes = _criteria(issuer_unit, year, par_criteria)
    code = _text(code, "code", maximum=20) or _next_code(plan, field)
    task = Task.objects.create(
        origin=origin,
        plan=plan,
        field=field,
        issuer_unit=issuer_unit,
        year=year,
        code=code,
        position=Task.objects.filter(plan=plan, issuer_unit=issuer_unit, year=year).count() + 1,
        content=content,
        lead_unit=lead_unit,
        deadline=deadline,
        recurring=recurring,
        milestones=[day.isoformat() for day in milestones],
        expected_output=_text(expected_output, "expected_output"),
        budget=budget,
        implements=implements,
        par_criteria=codes,
    )
    task.coordinating_units.set([unit for unit in coordinating_units if unit.pk != lead_unit.pk])
    record_event(
        task,
        TaskEvent(task=task, action="assigned", unit=issuer_unit.name),
        actor,
        status_before="",
        note=note,
        data={"lead_unit": lead_unit.code, "deadline": deadline.isoformat() if deadline else ""},
    )
    task_changed.publish(task=task)
    if plan is not None:
        amendment = plan.status == PlanStatus.ISSUED
        save_new_version(plan)
        _plan_event(
            plan,
            actor,
            "task_added",
            note=note,
            data={"task": task.pk, "code": task.code, "amendment": amendment},
        )
    return task


@dataclass
class TaskInput:
    """The editable content of a task (the edit form and the API)."""

    content: str
    lead_unit: OrganisationUnit | None
    field: PlanField | None = None
    deadline: date | None = None
    recurring: bool = False
    milestones: list = dc_field(default_factory=list)
    expected_output: str = ""
    budget: Decimal | None = None
    coordinating_units: list = dc_field(default_factory=list)
    implements: Task | None = None
    par_criteria: list = dc_field(default_factory=list)
    code: str = ""


@transaction.atomic
def update_task(task_id, actor, data: TaskInput, expected_version=None) -> Task:
    """Change an open task of a draft plan (or an open conclusion): by the unit that assigned
    it."""
    task = _lock_task(task_id, expected_version)
    TASK_TRANSITIONS.check(task, "edit")
    TASK_TRANSITIONS.require(actor, task, "edit")
    if task.plan is not None and task.plan.status != PlanStatus.DRAFT:
        raise PlanError(
            _("The plan is issued: amend it by adding or cancelling tasks, not by editing them.")
        )
    content = _text(
        data.content,
        "content",
        required_message=_("Enter the task's content."),
        maximum=CONTENT_MAX,
    )
    if task.plan is not None and (data.field is None or data.field.plan_id != task.plan_id):
        raise PlanError(_("Choose a field of this plan."), "field")
    _check_lead(task.issuer_unit, data.lead_unit, task.origin)
    deadline, milestones = _schedule(task.year, data.deadline, data.recurring, data.milestones)
    if data.budget is not None and data.budget < 0:
        raise PlanError(_("The budget cannot be negative."), "budget")
    _check_implements(task.plan, data.implements)
    codes = _criteria(task.issuer_unit, task.year, data.par_criteria or ())
    before = {
        "content": task.content,
        "lead_unit": task.lead_unit.code,
        "deadline": task.deadline.isoformat() if task.deadline else "",
    }
    task.content = content
    task.field = data.field
    task.lead_unit = data.lead_unit
    task.deadline, task.recurring = deadline, data.recurring
    task.milestones = [day.isoformat() for day in milestones]
    task.expected_output = _text(data.expected_output, "expected_output")
    task.budget = data.budget
    task.implements = data.implements
    task.par_criteria = codes
    task.code = _text(data.code, "code", maximum=20) or task.code
    save_new_version(task)
    task.coordinating_units.set(
        [unit for unit in (data.coordinating_units or ()) if unit.pk != task.lead_unit_id]
    )
    _task_event(
        task,
        actor,
        "updated",
        data={
            "before": before,
            "lead_unit": task.lead_unit.code,
            "deadline": deadline.isoformat() if deadline else "",
        },
    )
    return task


@transaction.atomic
def cancel_task(task_id, actor, reason: str, expected_version=None) -> Task:
    """Take an open task out of the plan (điều chỉnh kế hoạch), with the reason; it then counts
    nowhere in the completion."""
    task = _lock_task(task_id, expected_version)
    TASK_TRANSITIONS.check(task, "cancel")
    TASK_TRANSITIONS.require(actor, task, "cancel")
    reason = _text(reason, "reason", required_message=_("Give the reason."))
    before = task.status
    task.status = TaskStatus.CANCELLED
    save_new_version(task)
    _task_event(task, actor, "cancelled", status_before=before, note=reason)
    if task.plan is not None:
        plan = _lock_plan(task.plan_id)
        save_new_version(plan)
        _plan_event(
            plan,
            actor,
            "task_cancelled",
            note=reason,
            data={
                "task": task.pk,
                "code": task.code,
                "amendment": plan.status == PlanStatus.ISSUED,
            },
        )
    return task


@dataclass
class EvidenceInput:
    """A document attached to a report: an uploaded file and/or an issued document's
    reference."""

    upload: object = None
    document_number: str = ""
    issued_on: date | None = None
    summary: str = ""

    def __bool__(self) -> bool:
        return bool(self.upload or self.document_number.strip())


@dataclass
class OutputInput:
    """The task's output (sản phẩm): an uploaded file and/or the issued document's reference."""

    upload: object = None
    document_number: str = ""
    issued_on: date | None = None
    summary: str = ""

    def __bool__(self) -> bool:
        return bool(self.upload or (self.document_number or "").strip())


def _evidence(item: EvidenceInput, report: TaskReport) -> TaskEvidence:
    evidence = TaskEvidence(report=report)
    evidence.document_number = _text(item.document_number, "evidence", maximum=NUMBER_MAX)
    evidence.summary = _text(item.summary, "evidence")
    _not_future(item.issued_on, "evidence")
    evidence.issued_on = item.issued_on
    if item.upload is not None:
        _document_file(item.upload, "evidence")
        evidence.original_name = _file_name(item.upload)
        evidence.file = item.upload
    return evidence


@transaction.atomic
def report_progress(
    task_id,
    actor,
    *,
    status: str,
    percent: int | None,
    text: str = "",
    evidence: Iterable[EvidenceInput] = (),
    output: OutputInput | None = None,
    expected_version=None,
) -> TaskReport:
    """The lead unit reports on a task: its status, percent and progress text, with evidence.

    A report "done" must carry the output (a file or the issued document's number and date):
    without it the task is not done. ``done_on`` is the server's date of the report; whether the
    task was done late follows from its deadline (docs/plans.md, "Completion").
    """
    task = _lock_task(task_id, expected_version)
    TASK_TRANSITIONS.check(task, "report")
    if not has_role(actor, REPORTING_ROLES, task.lead_unit):
        raise ActionForbidden(_("Only the lead unit's officers can report on this task."))
    if task.plan is not None and task.plan.status != PlanStatus.ISSUED:
        raise PlanError(_("Progress is reported once the plan is issued."))
    if status not in (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE):
        raise PlanError(_("Choose the task's status."), "status")
    if percent is None:
        percent = 100 if status == TaskStatus.DONE else task.percent
    if not 0 <= int(percent) <= 100:
        raise PlanError(_("Enter a percentage between 0 and 100."), "percent")
    text = _text(text, "text")
    evidence = [item for item in evidence if item]
    output = output or OutputInput()
    today = timezone.localdate()
    if status == TaskStatus.DONE:
        if not output:
            raise PlanError(
                _(
                    "A task is done only with its output: attach the output document or give "
                    "the number and date of the document issued."
                ),
                "output",
            )
        percent = 100
    elif int(percent) == 100:
        raise PlanError(_("At 100 percent, report the task as done with its output."), "percent")
    report = TaskReport.objects.create(
        task=task,
        status=status,
        percent=int(percent),
        text=text,
        reported_on=today,
        reported_by=actor,
    )
    files = []
    for item in evidence:
        piece = _evidence(item, report)
        piece.save()
        files.append(str(piece))
    data = {"report": report.pk, "percent": int(percent), "evidence": files}
    before = task.status
    if status == TaskStatus.DONE:
        output_number = _text(output.document_number, "output", maximum=NUMBER_MAX)
        _not_future(output.issued_on, "output")
        if output_number and output.issued_on is None:
            raise PlanError(_("Enter the date the output document was issued."), "output")
        if output.upload is not None:
            _document_file(output.upload, "output")
            task.output_file_name = _file_name(output.upload)
            task.output_file = output.upload
        else:
            task.output_file, task.output_file_name = None, ""
        task.output_number = output_number
        task.output_issued_on = output.issued_on
        task.output_summary = _text(output.summary, "output")
        task.done_on = today
        due = task.deadline or date(task.year, 12, 31)
        data.update(
            {
                "done_on": today.isoformat(),
                "late": today > due,
                "output": task.output_number or task.output_file_name,
            }
        )
    task.status = status
    task.percent = int(percent)
    save_new_version(task)
    _task_event(
        task,
        actor,
        "done" if status == TaskStatus.DONE else "reported",
        status_before=before,
        note=text,
        data=data,
    )
    return report


@transaction.atomic
def reopen_task(task_id, actor, reason: str, expected_version=None) -> Task:
    """The unit that assigned the task reopens it (its output was not enough): it is no longer
    done (``done_on`` cleared) and the lead unit reports again."""
    task = _lock_task(task_id, expected_version)
    TASK_TRANSITIONS.check(task, "reopen")
    TASK_TRANSITIONS.require(actor, task, "reopen")
    reason = _text(reason, "reason", required_message=_("Give the reason."))
    before = task.status
    data = {
        "done_on": task.done_on.isoformat() if task.done_on else "",
        "output": task.output_number or task.output_file_name,
    }
    task.status = TaskStatus.IN_PROGRESS
    task.done_on = None
    task.percent = min(task.percent, 99)
    save_new_version(task)
    _task_event(task, actor, "reopened", status_before=before, note=reason, data=data)
    return task


# -- reminders ------------------------------------------------------------------------------------
def _tightest(days_left: int, days_before) -> int | None:
    """The reminder due today: the smallest configured lead time not shorter than what is left
    (a missed daily run still sends the nearer reminder, never both)."""
    if days_left < 0:
        return None
    fitting = [days for days in days_before if days >= days_left]
    return min(fitting) if fitting else None


def lead_recipients(unit: OrganisationUnit) -> list:
    """The officers who report for ``unit``: its reporting roles in it (or below it) with an
    email address."""
    users = {}
    for assignment in (
        RoleAssignment.objects.filter(
            active=True,
            unit__path__startswith=unit.path,
            role__in=list(REPORTING_ROLES),
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
    ):
        users[assignment.user.pk] = assignment.user
    return list(users.values())


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


OVERDUE_MARK = 0  # TaskReminder.days_before of the notice sent after the deadline passed
OVERDUE_WINDOW = 7  # days after the deadline a missed daily run still sends that notice


def _queue(task: Task, deadline: date, days_before: int, subject: str, body: str) -> int:
    _marker, created = TaskReminder.objects.get_or_create(
        task=task, deadline=deadline, days_before=days_before
    )
    if not created:
        return 0
    queued = 0
    for user in lead_recipients(task.lead_unit):
        _message, new = outbox.enqueue(
            channel="email",
            recipient=user.email,
            subject=subject,
            body=body,
            dedup_key=f"plan:{task.pk}:{deadline}:{days_before}:{user.pk}"[:200],
        )
        queued += int(new)
    return queued


@transaction.atomic
def send_reminders(today: date | None = None, days_before=None) -> int:
    """Queue the reminders due ``today`` in the notifications outbox, each once
    (``TaskReminder``); returns the number of messages queued.

    - before a task's deadline, and before each reporting milestone of a recurring task, by the
      days of ``CCHC_PLAN_REMINDER_DAYS`` (default 7 and 1);
    - once after the deadline passed (the day after; within a week if the daily run was missed).

    To the lead unit's reporting officers. Only open tasks of issued plans and conclusions.
    """
    today = today or timezone.localdate()
    days_before = tuple(sorted({int(days) for days in (days_before or conf.PLAN_REMINDER_DAYS)}))
    queued = 0
    tasks = (
        Task.objects.filter(status__in=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS])
        .exclude(plan__status=PlanStatus.DRAFT)
        .filter(year__in=[today.year - 1, today.year, today.year + 1])
        .select_related("lead_unit", "issuer_unit")
    )
    for task in tasks:
        due = task.deadline or date(task.year, 12, 31)
        label = f"{task.code} {task.content[:80]}".strip()
        lead = _tightest((due - today).days, days_before)
        if lead is not None:
            subject = _("Task due on %(day)s: %(task)s") % {"day": _day(due), "task": label}
            body = _(
                "The task “%(task)s” assigned by %(issuer)s to %(unit)s is due on %(day)s. "
                "Report its progress and its output on the platform."
            ) % {
                "task": task.content,
                "issuer": task.issuer_unit.name,
                "unit": task.lead_unit.name,
                "day": _day(due),
            }
            queued += _queue(task, due, lead, subject, body)
        for milestone in task.milestones or ():
            day = date.fromisoformat(milestone)
            if day == due:
                continue
            lead = _tightest((day - today).days, days_before)
            if lead is None:
                continue
            subject = _("Progress report due on %(day)s: %(task)s") % {
                "day": _day(day),
                "task": label,
            }
            body = _(
                "Report the progress of the recurring task “%(task)s” (%(unit)s) by %(day)s."
            ) % {"task": task.content, "unit": task.lead_unit.name, "day": _day(day)}
            queued += _queue(task, day, lead, subject, body)
        late = (today - due).days
        if 1 <= late <= OVERDUE_WINDOW:
            subject = _("Task overdue since %(day)s: %(task)s") % {
                "day": _day(due + timedelta(days=1)),
                "task": label,
            }
            body = _(
                "The task “%(task)s” (%(unit)s) was due on %(day)s and is not reported done. "
                "Report its progress and its output on the platform."
            ) % {"task": task.content, "unit": task.lead_unit.name, "day": _day(due)}
            queued += _queue(task, due, OVERDUE_MARK, subject, body)
    return queued
