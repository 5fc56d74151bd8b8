"""The report's figures equal the source pages' numbers for the same unit and window."""

import pytest
import time_machine

from cchc.common.report_sections import report_sections
from cchc.feedback.selectors import index_counts
from cchc.index766 import scores
from cchc.organisations.models import OrganisationUnit, Role
from cchc.reformreports import assembly, services
from cchc.reports.selectors import ReportRequest, build_report
from cchc.reports.tests import conftest as report_fixtures
from cchc.reports.tests.conftest import at

from .conftest import staff

pytestmark = pytest.mark.django_db

# The period report's own fixtures: a unit, a procedure, a one-stop officer and the desk.
unit = report_fixtures.unit
procedure = report_fixtures.procedure
officer = report_fixtures.officer
applicant = report_fixtures.applicant
desk = report_fixtures.desk


def test_the_registry_holds_the_lower_apps_sections():
    assert {"one_stop", "index766", "sipas", "feedback"} <= set(report_sections.keys())


def test_one_stop_766_and_feedback_figures_equal_their_pages(unit, procedure, officer, desk):
    desk.receive(at(2026, 1, 5), officer, unit, procedure)
    desk.receive(at(2026, 2, 10), officer, unit, procedure)
    desk.receive(at(2026, 3, 20), officer, unit, procedure)  # after the Q1 window
    drafter = staff(Role.REFORM_STAFF, unit, "cchc.donvi")
    with time_machine.travel(at(2026, 3, 16), tick=False):
        report = services.create_report(drafter, unit, 2026, "q1")
        ids = list(OrganisationUnit.objects.subtree_of(unit).values_list("pk", flat=True))
        source = build_report(
            ReportRequest(start=report.period_start, end=report.period_end, unit=unit),
            with_findings=False,
        )
        index = scores.compute_index(unit, report.period_start, report.period_end)
        feedback = index_counts(ids, report.period_start, report.period_end)
    one_stop = assembly.section_value(report, "one_stop")
    assert one_stop["received"] == source.total.counts["received"] == 2
    for key in ("resolved", "in_progress", "in_progress_late", "apology_sent", "carried_over"):
        assert one_stop[key] == source.total.counts[key]
    assert assembly.section_value(report, "index766")["score"] == index["score"]
    value = assembly.section_value(report, "feedback")
    assert (value["received"], value["answered"], value["answered_on_time"]) == (
        feedback["total"],
        feedback["handled"],
        feedback["handled_on_time"],
    )
    assert assembly.section_value(report, "sipas") == {"campaign": None, "name": "", "units": []}


def test_refresh_reassembles_the_draft_and_the_snapshot_stays_until_then(
    unit, procedure, officer, desk
):
    drafter = staff(Role.REFORM_STAFF, unit, "cchc.donvi")
    with time_machine.travel(at(2026, 3, 1), tick=False):
        report = services.create_report(drafter, unit, 2026, "q1")
    assert assembly.section_value(report, "one_stop")["received"] == 0
    desk.receive(at(2026, 3, 2), officer, unit, procedure)
    report.refresh_from_db()
    assert assembly.section_value(report, "one_stop")["received"] == 0
    with time_machine.travel(at(2026, 3, 3), tick=False):
        report = services.refresh_figures(drafter, report.pk, report.version)
    assert assembly.section_value(report, "one_stop")["received"] == 1
