"""Reads of the periodic reform reports: the reports a user may see, the actions offered, the
province's roll-up of its units' reports, the units that have not reported, the on-time share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from cchc.conf import conf
from cchc.organisations.models import OrganisationUnit
from cchc.organisations.permissions import has_role, scope_to_units

from . import periods
from .engine import periods as engine
from .models import ReformReport, ReportStatus
from .transitions import REPORT_TRANSITIONS


def visible_reports(user) -> QuerySet[ReformReport]:
    """The reports of the units (and their subtrees) in which the user holds any role."""
    return scope_to_units(ReformReport.objects.select_related("unit"), user)


def can_see(user, report: ReformReport) -> bool:
    return has_role(user, None, report.unit)


def available_actions(report: ReformReport, user) -> list[str]:
    return REPORT_TRANSITIONS.available(report, user)


def approved_day(report: ReformReport) -> date | None:
    return None if report.approved_at is None else timezone.localdate(report.approved_at)


# -- who reports ----------------------------------------------------------------------------------
def reporting_units(parent: OrganisationUnit | None = None) -> list[OrganisationUnit]:
    """The units expected to send the periodic report: active units of the kinds of
    ``CCHC_REFORM_REPORT_UNIT_KINDS`` (default: the province's departments and communes), under
    ``parent`` when given."""
    units = OrganisationUnit.objects.filter(
        active=True, kind__in=list(conf.REFORM_REPORT_UNIT_KINDS)
    )
    if parent is not None:
        units = units.filter(path__startswith=parent.path).exclude(pk=parent.pk)
    return list(units.order_by("kind", "code"))


@dataclass(frozen=True)
class PeriodStatus:
    """One expected unit's state for one period."""

    unit: OrganisationUnit
    window: engine.Window
    report: ReformReport | None
    on_time: bool  # approved by the due date
    missing: bool  # the due date has passed and no report was approved by it


def period_statuses(
    year: int, kind: str, units: list[OrganisationUnit], today: date
) -> list[PeriodStatus]:
    window = periods.window(kind, year)
    reports = {
        report.unit_id: report
        for report in ReformReport.objects.filter(
            year=year, kind=kind, unit__in=[unit.pk for unit in units]
        )
    }
    rows = []
    for unit in units:
        report = reports.get(unit.pk)
        on_time = engine.approved_on_time(window, report and approved_day(report))
        rows.append(
            PeriodStatus(
                unit=unit,
                window=window,
                report=report,
                on_time=on_time,
                missing=engine.due_passed(window, today) and not on_time,
            )
        )
    return rows


def missing_reports(
    user, year: int, today: date, parent: OrganisationUnit | None = None
) -> list[PeriodStatus]:
    """For each period of ``year`` whose due date has passed, the expected units in the user's
    scope without a report approved by that date."""
    visible = {unit.pk for unit in scope_to_units(OrganisationUnit.objects.all(), user, field="")}
    units = [unit for unit in reporting_units(parent) if unit.pk in visible]
    rows: list[PeriodStatus] = []
    for window in periods.windows(year):
        if not engine.due_passed(window, today):
            continue
        rows.extend(row for row in period_statuses(year, window.kind, units, today) if row.missing)
    return rows


# -- roll-up --------------------------------------------------------------------------------------
def rollup(report: ReformReport, today: date | None = None) -> list[PeriodStatus]:
    """The reports of the expected units under the report's unit for the same period."""
    today = today or timezone.localdate()
    return period_statuses(report.year, report.kind, reporting_units(report.unit), today)


KEY_FIGURES = (
    ("one_stop", "received"),
    ("one_stop", "resolved_on_time_percent"),
    ("index766", "score"),
    ("feedback", "answered_on_time"),
)


def key_figures(report: ReformReport | None) -> list:
    """A few figures of a unit's report, side by side in the roll-up (None where absent)."""
    values = []
    for section, key in KEY_FIGURES:
        value = None
        if report is not None:
            for item in report.snapshot.get("sections", []):
                if item["key"] == section:
                    value = (item["value"] or {}).get(key)
        values.append(value)
    return values


# -- the PAR INDEX figure -------------------------------------------------------------------------
def on_time_counts(unit: OrganisationUnit, year: int) -> tuple[int, int]:
    """(periods whose report was approved by the due date, periods due by today) of ``year``."""
    today = timezone.localdate()
    due = [window for window in periods.windows(year) if engine.due_passed(window, today)]
    reports = {
        report.kind: report
        for report in ReformReport.objects.filter(
            unit=unit, year=year, status=ReportStatus.APPROVED
        )
    }
    on_time = sum(
        1
        for window in due
        if window.kind in reports
        and engine.approved_on_time(window, approved_day(reports[window.kind]))
    )
    return on_time, len(due)
