"""Every write of the periodic reform reports: one transaction, the row locked and its version
checked (of two officers at once one wins), the role in the report's unit checked against the
transition table, the input validated with Vietnamese field errors, one sealed event, the topic
published."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.organisations.models import OrganisationUnit
from cchc.workflow.guards import require_role
from cchc.workflow.history import record_event
from cchc.workflow.locking import locked, save_new_version

from . import assembly, periods
from .errors import ActionForbidden, ReformReportError, StaleRecord
from .events import report_changed
from .models import NARRATIVE_FIELDS, PeriodKind, ReformReport, ReformReportEvent, ReportStatus
from .transitions import DRAFTERS, REPORT_TRANSITIONS

TEXT_LIMIT = 20_000
LINE_FIELDS = {
    "document_number": 100,
    "place": 100,
    "signer_title": 255,
    "signer_name": 255,
}
EDITABLE = (*NARRATIVE_FIELDS, "recipients", *LINE_FIELDS)


def _stale() -> StaleRecord:
    return StaleRecord(
        _("Someone changed this report meanwhile. Reload the page and try again."), "version"
    )


def _missing() -> ReformReportError:
    return ReformReportError(_("No such report."))


def _lock(pk: int, version: int | None) -> ReformReport:
    return locked(
        ReformReport.objects.select_related("unit"),
        pk,
        version,
        stale_error=_stale(),
        missing_error=_missing(),
    )


def _event(report, actor, action: str, status_before: str, note: str = "", data=None) -> None:
    event = ReformReportEvent(report=report, action=action, unit=report.unit.name)
    record_event(report, event, actor, status_before=status_before, note=note, data=data)
    report_changed.publish(report=report, action=action)


def _act(actor, pk: int, version: int | None, action: str) -> tuple[ReformReport, str]:
    report = _lock(pk, version)
    REPORT_TRANSITIONS.require(actor, report, action)
    REPORT_TRANSITIONS.check(report, action)
    return report, report.status


def create_report(actor, unit: OrganisationUnit, year: int, kind: str) -> ReformReport:
    """Start the unit's report for the period: its window and due date from the configuration,
    its figures assembled from every registered section, its history opened."""
    if kind not in PeriodKind.values:
        raise ReformReportError(_("Choose a report period."), "kind")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ReformReportError(_("Enter a year between 2000 and 2100."), "year")
    require_role(actor, DRAFTERS, unit, error=ActionForbidden)
    window = periods.window(kind, year)
    with transaction.atomic():
        if ReformReport.objects.filter(unit=unit, year=year, kind=kind).exists():
            raise ReformReportError(_("The unit already has a report for this period."), "kind")
        report = ReformReport(
            unit=unit,
            year=year,
            kind=kind,
            period_start=window.start,
            period_end=window.end,
            due_on=window.due,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        report.snapshot = assembly.assemble(report)
        report.assembled_at = timezone.now()
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            raise ReformReportError(
                _("The unit already has a report for this period."), "kind"
            ) from None
        _event(report, actor, "create", "", data={"from": str(window.start), "to": str(window.end)})
    return report


def refresh_figures(actor, pk: int, version: int | None) -> ReformReport:
    """Re-assemble the snapshot of a draft from the platform's data as it is now."""
    with transaction.atomic():
        report, before = _act(actor, pk, version, "refresh")
        report.snapshot = assembly.assemble(report)
        report.assembled_at = timezone.now()
        save_new_version(report)
        _event(report, actor, "refresh", before)
    return report


def edit_report(actor, pk: int, version: int | None, data: dict) -> ReformReport:
    """Save the narrative sections and the document's particulars of a draft."""
    values: dict[str, str] = {}
    for name in EDITABLE:
        value = data.get(name, "")
        if not isinstance(value, str):
            raise ReformReportError(_("Enter text."), name)
        value = value.replace("\r\n", "\n").strip()
        limit = LINE_FIELDS.get(name, TEXT_LIMIT)
        if len(value) > limit:
            raise ReformReportError(_("At most %(limit)s characters.") % {"limit": limit}, name)
        values[name] = value
    with transaction.atomic():
        report, before = _act(actor, pk, version, "edit")
        changed = [name for name, value in values.items() if getattr(report, name) != value]
        for name, value in values.items():
            setattr(report, name, value)
        save_new_version(report)
        _event(report, actor, "edit", before, data={"fields": changed})
    return report


def submit_report(actor, pk: int, version: int | None) -> ReformReport:
    """Send the draft to the unit's leader; the results achieved and the next period's tasks are
    the least a report says."""
    with transaction.atomic():
        report, before = _act(actor, pk, version, "submit")
        for name in ("achievements", "next_tasks"):
            if not getattr(report, name).strip():
                raise ReformReportError(_("Write this section before submitting."), name)
        report.status = ReportStatus.SUBMITTED
        report.submitted_at = timezone.now()
        report.return_reason = ""
        save_new_version(report)
        _event(report, actor, "submit", before)
    return report


def approve_report(actor, pk: int, version: int | None) -> ReformReport:
    """The leader approves: the report is final and counts as sent on this day."""
    with transaction.atomic():
        report, before = _act(actor, pk, version, "approve")
        report.status = ReportStatus.APPROVED
        report.approved_at = timezone.now()
        report.approved_by = actor
        save_new_version(report)
        _event(report, actor, "approve", before)
    return report


def return_report(actor, pk: int, version: int | None, reason: str) -> ReformReport:
    """The leader sends the report back to the draft, saying why."""
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not reason:
        raise ReformReportError(_("Say why the report is returned."), "reason")
    if len(reason) > 2000:
        raise ReformReportError(_("At most %(limit)s characters.") % {"limit": 2000}, "reason")
    with transaction.atomic():
        report, before = _act(actor, pk, version, "return")
        report.status = ReportStatus.DRAFT
        report.return_reason = reason
        report.submitted_at = None
        save_new_version(report)
        _event(report, actor, "return", before, note=reason)
    return report
