"""Every write of the reform inspections, each checking state, actor and input first.

Inspection (docs/inspections.md, "Workflow")::

    planned ──start──▶ in_progress ──close_record──▶ record_closed ──conclude──▶ concluded
            ──close_remediation──▶ remediated

Practice (par-sipas-plan-sources §C3): the organising unit issues a yearly inspection plan and
sets up a team by decision; the team inspects each unit field by field, records "ưu điểm; tồn tại,
hạn chế; nguyên nhân" and recommends; the head of the team issues the conclusion notice; the
inspected unit remedies and reports "within 15 days" (the unit is not stated: working days by
default, ``CCHC_REMEDIATION_WORKING_DAYS``).

Every action runs in one transaction: the inspection's row locked with the version the page saw
(``cchc.workflow.locking``), the state and the actor checked with the transition table
(``transitions``), the input checked with field errors, the change saved as a new version, a
sealed event appended (``record_event``) and ``events.inspection_changed`` published.
"""

from __future__ import annotations

import os
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.common.uploads import UploadRefused, check_upload_bytes
from cchc.conf import conf
from cchc.organisations.models import OrganisationUnit, UnitKind
from cchc.organisations.permissions import has_role
from cchc.parindex.metrics import metrics
from cchc.parindex.models import CriteriaSet, Level
from cchc.workdays import services as workdays
from cchc.workdays.engine import Rule, TimeLimit
from cchc.workflow.history import record_event
from cchc.workflow.locking import locked, save_new_version

from . import figures
from .errors import ActionForbidden, InspectionError, StaleRecord
from .events import inspection_changed
from .models import (
    ChecklistResult,
    ChecklistRow,
    Finding,
    FindingKind,
    Inspection,
    InspectionEvent,
    InspectionKind,
    InspectionMethod,
    InspectionPlan,
    InspectionStatus,
    InspectionTeam,
    Recommendation,
    RecommendationStatus,
    RemediationEvidence,
    RemediationReport,
    TeamMember,
    TeamRole,
)
from .transitions import INSPECTION_TRANSITIONS, ORGANISER_ROLES

TEXT_MAX = 5000
NAME_MAX = 255
PDF = {".pdf": (b"%PDF-",)}
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
ZIP = (b"PK\x03\x04",)
EVIDENCE_TYPES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".doc": OLE,
    ".xls": OLE,
    ".docx": ZIP,
    ".xlsx": ZIP,
}
# The criteria set level of an inspected unit (PAR INDEX sets are per level).
LEVEL_OF_KIND = {
    UnitKind.PROVINCE_COMMITTEE: Level.PROVINCE,
    UnitKind.DEPARTMENT: Level.DEPARTMENT,
    UnitKind.SERVICE_CENTRE: Level.DEPARTMENT,
    UnitKind.DIVISION: Level.DEPARTMENT,
    UnitKind.DISTRICT_COMMITTEE: Level.DISTRICT,
    UnitKind.COMMUNE_COMMITTEE: Level.COMMUNE,
}


# -- reading under lock ---------------------------------------------------------------------------
def _stale() -> StaleRecord:
    return StaleRecord(_("Someone else has just changed this record. Reload the page and check."))


def _lock(inspection_id, expected_version=None) -> Inspection:
    return locked(
        Inspection.objects.select_related("plan", "plan__organiser", "target", "team"),
        inspection_id,
        expected_version,
        stale_error=_stale(),
        missing_error=InspectionError(_("This inspection does not exist.")),
    )


def _event(inspection: Inspection, actor, action: str, *, status_before=None, note="", data=None):
    event = InspectionEvent(inspection=inspection, action=action, unit=inspection.target.name)
    before = inspection.status if status_before is None else status_before
    record_event(inspection, event, actor, status_before=before, note=note, data=data)
    inspection_changed.publish(inspection=inspection, action=action)
    return event


def _guard(actor, inspection: Inspection, action: str) -> None:
    INSPECTION_TRANSITIONS.check(inspection, action)
    INSPECTION_TRANSITIONS.require(actor, inspection, action)


# -- small checks ---------------------------------------------------------------------------------
def _text(value, field: str, *, required_message: str | None = None, maximum=TEXT_MAX) -> str:
    value = (value or "").strip()
    if required_message and not value:
        raise InspectionError(required_message, field)
    if len(value) > maximum:
        raise InspectionError(
            _("This text is too long (at most %(n)d characters).") % {"n": maximum}, field
        )
    return value


def _check_file(upload, field: str, types=PDF, message=None) -> None:
    try:
        check_upload_bytes(upload, types, message or _("Attach a PDF file."))
    except UploadRefused as error:
        raise InspectionError(str(error), field) from None


def _require_organiser(actor, organiser: OrganisationUnit) -> None:
    if not has_role(actor, list(ORGANISER_ROLES), organiser):
        raise ActionForbidden(_("Only the reform staff of the organising unit may do this."))


def organises_plan(actor, plan: InspectionPlan) -> bool:
    return has_role(actor, list(ORGANISER_ROLES), plan.organiser)


def level_for(unit: OrganisationUnit) -> str:
    return LEVEL_OF_KIND.get(unit.kind, Level.DEPARTMENT)


def criteria_set_for(unit: OrganisationUnit, year: int) -> CriteriaSet | None:
    """The PAR criteria set of the unit's level for the year (its newest version), else the
    newest set of that level from an earlier year."""
    sets = CriteriaSet.objects.filter(level=level_for(unit), year__lte=year)
    return sets.order_by("-year", "-version").first()


def field_choices(criteria_set: CriteriaSet | None) -> list[tuple[str, str]]:
    """The PAR fields (top-level criteria of the main block) of a set: ``[(code, name)]``."""
    if criteria_set is None:
        return []
    return list(
        criteria_set.criteria.filter(parent__isnull=True, block="main")
        .order_by("position")
        .values_list("code", "name")
    )


def criterion_codes(criteria_set: CriteriaSet | None) -> set[str]:
    if criteria_set is None:
        return set()
    return set(criteria_set.criteria.values_list("code", flat=True))


def remediation_due(issued_on: date, unit: OrganisationUnit | None = None) -> date:
    """``CCHC_REMEDIATION_WORKING_DAYS`` working days after the conclusion notice, on the
    working calendar (``cchc.workdays``: weekends, Tết and the other holidays, swapped days).

    Source: par-sipas-plan-sources §C3 ("báo cáo kết quả khắc phục trong vòng 15 ngày"); the
    sources do not say calendar or working days, the default counts working days.
    """
    moment = workdays.local_midnight(issued_on) + timedelta(hours=12)
    deadline = workdays.compute_deadline(
        moment, TimeLimit(Rule.WORKING_DAYS, conf.REMEDIATION_WORKING_DAYS), unit
    )
    return timezone.localtime(deadline.due).date()


# -- plans and teams ------------------------------------------------------------------------------
@transaction.atomic
def create_plan(
    actor,
    organiser: OrganisationUnit,
    year: int,
    name: str,
    *,
    document_number: str = "",
    document_date: date | None = None,
    document_file=None,
) -> InspectionPlan:
    """The yearly inspection plan of ``organiser`` (its reform staff), with its document."""
    _require_organiser(actor, organiser)
    name = _text(name, "name", required_message=_("Name the plan."), maximum=NAME_MAX)
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise InspectionError(_("Enter a year between 2000 and 2100."), "year")
    number = _text(document_number, "document_number", maximum=100)
    if document_date is not None and document_date > timezone.localdate():
        raise InspectionError(_("The document cannot be dated in the future."), "document_date")
    if document_file is not None:
        _check_file(document_file, "document_file")
    plan = InspectionPlan(
        organiser=organiser,
        year=year,
        name=name,
        document_number=number,
        document_date=document_date,
    )
    if document_file is not None:
        plan.document_file.save(os.path.basename(document_file.name), document_file, save=False)
    plan.save()
    return plan


@transaction.atomic
def create_team(
    plan: InspectionPlan,
    actor,
    name: str,
    members: list[tuple[object, str]],
    *,
    decision_number: str = "",
    decision_date: date | None = None,
    decision_file=None,
) -> InspectionTeam:
    """The inspection team (đoàn kiểm tra) of a plan: one head, at most one secretary, members;
    set up by a decision (quyết định thành lập đoàn)."""
    plan = locked(InspectionPlan.objects.all(), plan.pk, None, stale_error=_stale())
    _require_organiser(actor, plan.organiser)
    name = _text(name, "name", required_message=_("Name the team."), maximum=NAME_MAX)
    roles = [role for _user, role in members]
    if roles.count(TeamRole.HEAD) != 1:
        raise InspectionError(_("A team has exactly one head."), "members")
    if roles.count(TeamRole.SECRETARY) > 1:
        raise InspectionError(_("A team has at most one secretary."), "members")
    if len({user.pk for user, _role in members}) != len(members):
        raise InspectionError(_("A person sits on the team once."), "members")
    if any(role not in TeamRole.values for role in roles):
        raise InspectionError(_("Choose one of the listed roles."), "members")
    if decision_date is not None and decision_date > timezone.localdate():
        raise InspectionError(_("The document cannot be dated in the future."), "decision_date")
    if decision_file is not None:
        _check_file(decision_file, "decision_file")
    team = InspectionTeam(
        plan=plan,
        name=name,
        decision_number=_text(decision_number, "decision_number", maximum=100),
        decision_date=decision_date,
    )
    if decision_file is not None:
        team.decision_file.save(os.path.basename(decision_file.name), decision_file, save=False)
    team.save()
    TeamMember.objects.bulk_create(
        TeamMember(team=team, user=user, role=role) for user, role in members
    )
    save_new_version(plan)
    return team


@transaction.atomic
def plan_inspection(
    plan: InspectionPlan,
    actor,
    target: OrganisationUnit,
    planned_start: date,
    planned_end: date,
    *,
    kind: str = InspectionKind.REGULAR,
    method: str = InspectionMethod.DIRECT,
    field_codes=(),
    topic: str = "",
    team: InspectionTeam | None = None,
) -> Inspection:
    """One inspection of the plan: a unit under the organiser, when, what (PAR fields of the
    year's set for the unit's level, or a topic), regular or surprise, direct or by reports."""
    plan = locked(InspectionPlan.objects.all(), plan.pk, None, stale_error=_stale())
    _require_organiser(actor, plan.organiser)
    if target.pk == plan.organiser_id or not target.path.startswith(plan.organiser.path):
        raise InspectionError(_("Choose a unit under the organising unit."), "target")
    if planned_end < planned_start:
        raise InspectionError(_("The end cannot be before the start."), "planned_end")
    if planned_start.year != plan.year:
        raise InspectionError(_("The inspection falls in the plan's year."), "planned_start")
    if kind not in InspectionKind.values:
        raise InspectionError(_("Choose one of the listed kinds."), "kind")
    if method not in InspectionMethod.values:
        raise InspectionError(_("Choose one of the listed methods."), "method")
    if team is not None and team.plan_id != plan.pk:
        raise InspectionError(_("Choose a team of this plan."), "team")
    criteria_set = criteria_set_for(target, plan.year)
    known = {code for code, _name in field_choices(criteria_set)}
    codes = [str(code) for code in field_codes]
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise InspectionError(
            _("Not a field of the criteria set: %(codes)s.") % {"codes": ", ".join(unknown)},
            "field_codes",
        )
    topic = _text(topic, "topic", maximum=NAME_MAX)
    if not codes and not topic:
        raise InspectionError(_("Choose the PAR fields to inspect or write a topic."), "topic")
    inspection = Inspection.objects.create(
        plan=plan,
        team=team,
        target=target,
        planned_start=planned_start,
        planned_end=planned_end,
        kind=kind,
        method=method,
        criteria_set=criteria_set,
        field_codes=codes,
        topic=topic,
    )
    _event(inspection, actor, "planned")
    save_new_version(plan)
    return inspection


# -- the record -----------------------------------------------------------------------------------
def _fill_figures(inspection: Inspection) -> None:
    """The platform's figures for the unit and the plan's year, frozen now (every registered
    PAR INDEX metric, and the unit's latest published SIPAS result when there is one)."""
    year = inspection.plan.year
    inspection.figures = [
        figures.figure_row(metric, metric.compute(inspection.target, year)) for metric in metrics
    ]
    inspection.sipas = figures.sipas_result(inspection.target)
    inspection.figures_at = timezone.now()


@transaction.atomic
def start(inspection_id, actor, expected_version=None) -> Inspection:
    """The inspection takes place: the checklist is built from the inspected PAR fields (all the
    set's fields when only a topic was planned) and the platform's figures are read and frozen."""
    inspection = _lock(inspection_id, expected_version)
    _guard(actor, inspection, "start")
    before = inspection.status
    fields = field_choices(inspection.criteria_set)
    if inspection.field_codes:
        fields = [item for item in fields if item[0] in inspection.field_codes]
    ChecklistRow.objects.bulk_create(
        ChecklistRow(inspection=inspection, position=position, code=code, name=name)
        for position, (code, name) in enumerate(fields, start=1)
    )
    _fill_figures(inspection)
    inspection.status = InspectionStatus.IN_PROGRESS
    inspection.inspected_on = timezone.localdate()
    save_new_version(inspection)
    _event(inspection, actor, "started", status_before=before)
    return inspection


@transaction.atomic
def read_figures(inspection_id, actor, expected_version=None) -> Inspection:
    """Read the platform's figures again (they stay frozen at this new moment)."""
    inspection = _lock(inspection_id, expected_version)
    _guard(actor, inspection, "fill")
    _fill_figures(inspection)
    save_new_version(inspection)
    _event(inspection, actor, "figures_read")
    return inspection


@transaction.atomic
def save_checklist(inspection_id, actor, rows: dict, expected_version=None) -> Inspection:
    """``rows``: ``{code: (result, notes)}``, result "ok", "not_ok" or "" (not yet checked)."""
    inspection = _lock(inspection_id, expected_version)
    _guard(actor, inspection, "fill")
    existing = {row.code: row for row in inspection.checklist.all()}
    for code, (result, notes) in rows.items():
        row = existing.get(code)
        if row is None:
            raise InspectionError(_("This field is not on the checklist."), "checklist")
        if result not in ("", *ChecklistResult.values):
            raise InspectionError(_("Choose one of the listed results."), f"result_{code}")
        row.result = result
        row.notes = _text(notes, f"notes_{code}")
        row.save(update_fields=["result", "notes"])
    save_new_version(inspection)
    _event(inspection, actor, "checklist_saved")
    return inspection


@transaction.atomic
def add_finding(
    inspection_id, actor, kind: str, text: str, criteria_codes=(), expected_version=None
) -> Finding:
    """Ưu điểm; tồn tại, hạn chế; nguyên nhân — each may name the PAR criteria it affects."""
    inspection = _lock(inspection_id, expected_version)
    _guard(actor, inspection, "fill")
    if kind not in FindingKind.values:
        raise InspectionError(_("Choose one of the listed kinds."), "kind")
    text = _text(text, "text", required_message=_("Write the finding."))
    codes = [str(code).strip() for code in criteria_codes if str(code).strip()]
    unknown = sorted(set(codes) - criterion_codes(inspection.criteria_set))
    if unknown:
        raise InspectionError(
            _("Not a criterion of the set: %(codes)s.") % {"codes": ", ".join(unknown)},
            "criteria_codes",
        )
    finding = Finding.objects.create(
        inspection=inspection, kind=kind, text=text, criteria_codes=codes
    )
    save_new_version(inspection)
    _event(inspection, actor, "finding_added", data={"kind": kind, "criteria": codes})
    return finding


@transaction.atomic
def add_recommendation(
    inspection_id,
    actor,
    text: str,
    responsible_unit: OrganisationUnit | None,
    deadline: date | None = None,
    expected_version=None,
) -> Recommendation:
    """A recommendation with its responsible unit and deadline (the remediation deadline when
    none is given, set when the conclusion is issued)."""
    inspection = _lock(inspection_id, expected_version)
    _guard(actor, inspection, "fill")
    text = _text(text, "text", required_message=_("Write the recommendation."))
    if responsible_unit is None:
        raise InspectionError(_("Choose the responsible unit."), "responsible_unit")
    if deadline is not None and deadline < timezone.localdate():
        raise InspectionError(_("The deadline cannot be in the past."), "deadline")
    recommendation = Recommendation.objects.create(
        inspection=inspection, text=text, responsible_unit=responsible_unit, deadline=deadline
    )
    save_new_version(inspection)
    _event(inspection, actor, "recommendation_added", data={"unit": responsible_unit.code})
    return recommendation


@transaction.atomic
def close_record(inspection_id, actor, expected_version=None) -> Inspection:
    """The record (biên bản) is closed: every checklist row checked, at least one finding."""
    inspection = _lock(inspection_id, expected_version)
    _guard(actor, inspection, "close_record")
    if inspection.checklist.filter(result="").exists():
        raise InspectionError(_("Check every field of the checklist first."), "checklist")
    if not inspection.findings.exists():
        raise InspectionError(_("Record at least one finding first."), "findings")
    before = inspection.status
    inspection.status = InspectionStatus.RECORD_CLOSED
    save_new_version(inspection)
    _event(inspection, actor, "record_closed", status_before=before)
    return inspection


@transaction.atomic
def conclude(
    inspection_id, actor, number: str, issued_on: date, signer: str, expected_version=None
) -> Inspection:
    """The head of the team issues the conclusion notice: from its date the inspected unit has
    ``CCHC_REMEDIATION_WORKING_DAYS`` working days (recommendations without a deadline of their
    own take that one) and reads its record."""
    inspection = _lock(inspection_id, expected_version)
    _guard(actor, inspection, "conclude")
    number = _text(number, "number", required_message=_("Enter the notice number."), maximum=100)
    signer = _text(signer, "signer", required_message=_("Enter who signs."), maximum=NAME_MAX)
    if issued_on is None:
        raise InspectionError(_("Enter the notice date."), "issued_on")
    if issued_on > timezone.localdate():
        raise InspectionError(_("The document cannot be dated in the future."), "issued_on")
    if inspection.inspected_on and issued_on < inspection.inspected_on:
        raise InspectionError(_("The notice cannot be dated before the inspection."), "issued_on")
    before = inspection.status
    inspection.conclusion_number = number
    inspection.conclusion_date = issued_on
    inspection.conclusion_signer = signer
    inspection.remediation_due = remediation_due(issued_on, inspection.target)
    inspection.recommendations.filter(deadline__isnull=True).update(
        deadline=inspection.remediation_due
    )
    inspection.status = InspectionStatus.CONCLUDED
    save_new_version(inspection)
    _event(
        inspection,
        actor,
        "concluded",
        status_before=before,
        data={"number": number, "remediation_due": inspection.remediation_due.isoformat()},
    )
    return inspection


@transaction.atomic
def report_remediation(
    recommendation_id, actor, status: str, text: str, files=(), expected_version=None
) -> RemediationReport:
    """The responsible unit reports on a recommendation (what was done, evidence); "done" marks
    it remedied on today's date (late when after its deadline)."""
    inspection_id = (
        Recommendation.objects.filter(pk=recommendation_id)
        .values_list("inspection_id", flat=True)
        .first()
    )
    if inspection_id is None:
        raise InspectionError(_("This recommendation does not exist."))
    inspection = _lock(inspection_id)
    recommendation = locked(
        Recommendation.objects.select_related("responsible_unit"),
        recommendation_id,
        expected_version,
        stale_error=_stale(),
    )
    INSPECTION_TRANSITIONS.check(inspection, "report")
    if not has_role(
        actor, list(INSPECTION_TRANSITIONS["report"].roles), recommendation.responsible_unit
    ):
        raise ActionForbidden(_("Only the responsible unit may report on this recommendation."))
    if recommendation.status == RecommendationStatus.DONE:
        raise InspectionError(_("This recommendation is already remedied."), "status")
    if status not in (RecommendationStatus.IN_PROGRESS, RecommendationStatus.DONE):
        raise InspectionError(_("Choose one of the listed statuses."), "status")
    text = _text(text, "text", required_message=_("Write what was done."))
    files = list(files or [])
    for upload in files:
        _check_file(
            upload,
            "files",
            EVIDENCE_TYPES,
            _("Attach a PDF, JPEG, PNG, Word or Excel file."),
        )
    report = RemediationReport.objects.create(
        recommendation=recommendation,
        status=status,
        text=text,
        reported_by=actor,
        reported_at=timezone.now(),
    )
    for upload in files:
        evidence = RemediationEvidence(report=report, original_name=upload.name[:255])
        evidence.file.save(os.path.basename(upload.name), upload, save=False)
        evidence.save()
    recommendation.status = status
    if status == RecommendationStatus.DONE:
        recommendation.done_on = timezone.localdate()
    save_new_version(recommendation)
    save_new_version(inspection)
    _event(
        inspection,
        actor,
        "remediation_reported",
        data={
            "recommendation": recommendation.pk,
            "status": status,
            "late": recommendation.done_late,
            "files": len(files),
        },
    )
    return report


@transaction.atomic
def close_remediation(inspection_id, actor, expected_version=None) -> Inspection:
    """Every recommendation remedied: the head (or the organiser's reform staff) closes it."""
    inspection = _lock(inspection_id, expected_version)
    _guard(actor, inspection, "close_remediation")
    if inspection.recommendations.exclude(status=RecommendationStatus.DONE).exists():
        raise InspectionError(_("Some recommendations are not remedied yet."), "recommendations")
    before = inspection.status
    inspection.status = InspectionStatus.REMEDIATED
    save_new_version(inspection)
    _event(inspection, actor, "remediation_closed", status_before=before)
    return inspection
