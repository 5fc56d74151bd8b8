"""The report's workflow through its services: roles, scope, states, versions, the sealed chain."""

import pytest
import time_machine

from cchc.history import registry
from cchc.history import services as history
from cchc.reformreports import services
from cchc.reformreports.errors import (
    ActionForbidden,
    ReformReportError,
    StaleRecord,
    TransitionNotAllowed,
)
from cchc.reformreports.events import report_changed
from cchc.reformreports.models import ReportStatus
from cchc.reformreports.transitions import REPORT_TRANSITIONS

from .conftest import at

pytestmark = pytest.mark.django_db

NARRATIVE = {
    "achievements": "Đã giải quyết hồ sơ đúng hạn.",
    "shortcomings": "Còn hồ sơ trễ hạn.",
    "causes": "Thiếu nhân lực.",
    "next_tasks": "Tăng cường kiểm tra.",
}


def draft(officer, unit, kind="q1"):
    with time_machine.travel(at(2026, 3, 10), tick=False):
        return services.create_report(officer, unit, 2026, kind)


def test_create_keeps_the_window_and_due_date_and_the_figures(officer, justice):
    report = draft(officer, justice)
    assert (report.period_start.isoformat(), report.period_end.isoformat()) == (
        "2025-12-15",
        "2026-03-14",
    )
    assert report.due_on.isoformat() == "2026-03-20"
    keys = [section["key"] for section in report.snapshot["sections"]]
    assert {"one_stop", "index766", "sipas", "feedback"} <= set(keys)
    assert report.status == ReportStatus.DRAFT
    assert report.history_count == 1


def test_a_second_report_for_the_same_period_is_refused(officer, justice):
    draft(officer, justice)
    with pytest.raises(ReformReportError) as error:
        draft(officer, justice)
    assert error.value.field == "kind"
    assert error.value.message == "Đơn vị đã có báo cáo cho kỳ này."


def test_bad_period_and_year_are_field_errors(officer, justice):
    with pytest.raises(ReformReportError) as error:
        services.create_report(officer, justice, 2026, "q2")
    assert error.value.field == "kind"
    with pytest.raises(ReformReportError) as error:
        services.create_report(officer, justice, 1999, "q1")
    assert error.value.field == "year"


def test_a_unit_drafts_only_its_own_report(officer, home_affairs, justice, other_officer):
    with pytest.raises(ActionForbidden):
        services.create_report(officer, home_affairs, 2026, "q1")
    report = draft(officer, justice)
    with pytest.raises(ActionForbidden):
        services.edit_report(other_officer, report.pk, report.version, NARRATIVE)


def test_the_full_workflow_and_its_sealed_chain(officer, leader, justice):
    report = draft(officer, justice)
    with report_changed.observe() as seen:
        report = services.edit_report(officer, report.pk, report.version, NARRATIVE)
        report = services.submit_report(officer, report.pk, report.version)
        report = services.return_report(leader, report.pk, report.version, "Bổ sung số liệu")
        assert report.status == ReportStatus.DRAFT
        assert report.return_reason == "Bổ sung số liệu"
        report = services.refresh_figures(officer, report.pk, report.version)
        report = services.submit_report(officer, report.pk, report.version)
        with time_machine.travel(at(2026, 3, 19), tick=False):
            report = services.approve_report(leader, report.pk, report.version)
    assert [item["action"] for item in seen] == [
        "edit",
        "submit",
        "return",
        "refresh",
        "submit",
        "approve",
    ]
    assert report.status == ReportStatus.APPROVED
    assert report.approved_by == leader
    assert report.history_count == 7
    assert [event.action for event in report.events.order_by("sequence")][-1] == "approve"
    assert history.verify_owner(registry.get("reformreports"), report) is None


def test_the_officer_may_not_approve_and_the_leader_may_not_draft(officer, leader, justice):
    report = draft(officer, justice)
    report = services.edit_report(officer, report.pk, report.version, NARRATIVE)
    report = services.submit_report(officer, report.pk, report.version)
    with pytest.raises(ActionForbidden):
        services.approve_report(officer, report.pk, report.version)
    with pytest.raises(TransitionNotAllowed):
        services.edit_report(officer, report.pk, report.version, NARRATIVE)


def test_submit_needs_the_results_and_next_tasks(officer, justice):
    report = draft(officer, justice)
    with pytest.raises(ReformReportError) as error:
        services.submit_report(officer, report.pk, report.version)
    assert error.value.field == "achievements"


def test_return_needs_a_reason(officer, leader, justice):
    report = draft(officer, justice)
    report = services.edit_report(officer, report.pk, report.version, NARRATIVE)
    report = services.submit_report(officer, report.pk, report.version)
    with pytest.raises(ReformReportError) as error:
        services.return_report(leader, report.pk, report.version, "  ")
    assert error.value.field == "reason"


def test_two_officers_at_once_one_wins(officer, justice):
    report = draft(officer, justice)
    seen = report.version
    services.edit_report(officer, report.pk, seen, NARRATIVE)
    with pytest.raises(StaleRecord):
        services.edit_report(officer, report.pk, seen, {**NARRATIVE, "causes": "Khác"})


def test_too_long_text_is_a_field_error(officer, justice):
    report = draft(officer, justice)
    with pytest.raises(ReformReportError) as error:
        services.edit_report(officer, report.pk, report.version, {"document_number": "x" * 101})
    assert error.value.field == "document_number"


def test_transitions_table_matches_the_services(officer, leader, justice):
    """Each action the table offers in a state is one the service accepts (and no other)."""
    report = draft(officer, justice)
    assert REPORT_TRANSITIONS.available(report, officer) == ["refresh", "edit", "submit"]
    assert REPORT_TRANSITIONS.available(report, leader) == []
    report = services.edit_report(officer, report.pk, report.version, NARRATIVE)
    report = services.submit_report(officer, report.pk, report.version)
    assert REPORT_TRANSITIONS.available(report, officer) == []
    assert REPORT_TRANSITIONS.available(report, leader) == ["approve", "return"]
