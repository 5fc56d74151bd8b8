"""The inspection services: transitions, scopes, validation, figures, deadlines, the chain."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.history import registry
from cchc.history import services as history
from cchc.inspections import selectors, services
from cchc.inspections.errors import (
    ActionForbidden,
    InspectionError,
    StaleRecord,
    TransitionNotAllowed,
)
from cchc.inspections.models import Inspection, InspectionStatus, Recommendation
from cchc.inspections.transitions import INSPECTION_TRANSITIONS
from cchc.parindex.metrics import metrics
from cchc.workdays import services as workdays

from .factories import INSPECTED, PDF_BYTES, VN, fake_metric

pytestmark = pytest.mark.django_db


def test_the_whole_workflow_and_its_sealed_history(world):
    inspection = world.concluded()
    assert inspection.status == InspectionStatus.CONCLUDED
    first, second = inspection.recommendations.order_by("pk")
    assert first.deadline == inspection.remediation_due  # no own deadline: the notice's
    assert second.deadline == date(2025, 12, 31)
    with time_machine.travel(datetime(2025, 12, 5, 9, tzinfo=VN), tick=False):
        for item in (first, second):
            services.report_remediation(item.pk, world.justice_officer, "done", "Đã khắc phục")
        services.close_remediation(inspection.pk, world.head)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.REMEDIATED
    actions = list(inspection.events.order_by("sequence").values_list("action", flat=True))
    assert actions[0] == "planned" and actions[1] == "started"
    assert actions[-1] == "remediation_closed"
    assert history.verify_owner(registry.get("inspections"), inspection) is None


def test_an_edited_event_breaks_the_chain(world):
    inspection = world.concluded()
    assert inspection.history_count == inspection.events.count()
    event = inspection.events.order_by("sequence").last()
    type(event)._base_manager.filter(pk=event.pk).update(note="sửa lén")
    assert history.verify_owner(registry.get("inspections"), inspection) is not None


def test_the_services_refuse_what_the_table_refuses(world):
    inspection = world.plan_inspection()
    # Not started: filling, closing and concluding are refused for the state (409).
    for call in (
        lambda: services.close_record(inspection.pk, world.secretary),
        lambda: services.conclude(inspection.pk, world.head, "1", date(2025, 3, 1), "X"),
        lambda: services.add_finding(inspection.pk, world.secretary, "strength", "x"),
    ):
        with pytest.raises(TransitionNotAllowed):
            call()
    assert INSPECTION_TRANSITIONS.available(inspection, world.secretary) == ["start"]
    assert INSPECTION_TRANSITIONS.available(inspection, world.justice_officer) == []


def test_only_the_head_concludes_and_the_head_or_secretary_closes(world):
    inspection = world.in_progress()
    with pytest.raises(ActionForbidden):
        services.close_record(inspection.pk, world.member)
    with pytest.raises(ActionForbidden):
        services.add_finding(inspection.pk, world.justice_officer, "strength", "x")
    inspection = world.record_closed()
    with pytest.raises(ActionForbidden):
        services.conclude(inspection.pk, world.secretary, "1/TB", date(2025, 11, 28), "X")


def test_the_team_sees_its_inspections_and_the_unit_only_after_the_conclusion(world):
    inspection = world.record_closed()
    other = world.plan_inspection(world.building)
    assert set(selectors.visible_inspections(world.member)) == {inspection, other}
    assert set(selectors.visible_inspections(world.reform)) == {inspection, other}
    assert list(selectors.visible_inspections(world.justice_officer)) == []
    assert list(selectors.visible_inspections(world.outsider)) == []
    concluded = world.concluded()
    assert list(selectors.visible_inspections(world.justice_officer)) == [concluded]
    assert list(selectors.visible_inspections(world.building_officer)) == []


def test_validation_messages(world):
    with pytest.raises(InspectionError) as refused:
        world.plan_inspection(field_codes=["9"])
    assert refused.value.field == "field_codes"
    with pytest.raises(InspectionError) as refused:
        world.plan_inspection(field_codes=[], topic="")
    assert refused.value.field == "topic"
    assert "lĩnh vực" in refused.value.message
    with pytest.raises(InspectionError) as refused:
        world.plan_inspection(world.province)
    assert refused.value.field == "target"
    inspection = world.in_progress()
    with time_machine.travel(INSPECTED, tick=False):
        with pytest.raises(InspectionError) as refused:
            services.add_finding(inspection.pk, world.secretary, "weakness", "x", ["7.7"])
        assert refused.value.field == "criteria_codes"
        with pytest.raises(InspectionError) as refused:
            services.close_record(inspection.pk, world.secretary)
        assert refused.value.field == "checklist"
        with pytest.raises(StaleRecord):
            services.add_finding(inspection.pk, world.secretary, "strength", "x", (), 0)


def test_a_topic_only_inspection_checks_every_field(world):
    inspection = world.plan_inspection(field_codes=[], topic="Phần mềm một cửa")
    with time_machine.travel(INSPECTED, tick=False):
        services.start(inspection.pk, world.head)
    assert list(inspection.checklist.values_list("code", flat=True)) == ["1", "2"]


def test_figures_are_prefilled_from_every_registered_metric_and_frozen(world):
    inspection = world.in_progress()
    keys = [row["key"] for row in inspection.figures]
    assert "test.inspection_figure" in keys
    assert set(keys) >= set(metrics.keys())  # every registered metric, none hard-coded
    row = next(row for row in inspection.figures if row["key"] == "test.inspection_figure")
    assert row["percent"] == "87.50" and row["numerator"] == 175
    assert inspection.figures_at == INSPECTED
    assert inspection.sipas == {}  # no published campaign surveyed the unit: optional
    # Frozen: a later change of the figure does not touch the record until read again.
    with metrics.temporarily(fake_metric("10.00", 1, 10)):
        inspection.refresh_from_db()
        assert next(r for r in inspection.figures if r["key"] == row["key"])["percent"] == "87.50"
        with time_machine.travel(INSPECTED, tick=False):
            services.read_figures(inspection.pk, world.secretary)
    inspection.refresh_from_db()
    assert next(r for r in inspection.figures if r["key"] == row["key"])["percent"] == "10.00"


def test_remediation_evidence_is_checked_by_its_bytes(world):
    inspection = world.concluded()
    item = inspection.recommendations.first()
    fake = SimpleUploadedFile("bien-ban.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(InspectionError) as refused:
        services.report_remediation(item.pk, world.justice_officer, "done", "x", [fake])
    assert refused.value.field == "files"
    good = SimpleUploadedFile("bien-ban.pdf", PDF_BYTES, content_type="application/pdf")
    report = services.report_remediation(item.pk, world.justice_officer, "done", "Xong", [good])
    assert report.files.count() == 1
    with pytest.raises(ActionForbidden):
        services.report_remediation(
            inspection.recommendations.last().pk, world.building_officer, "done", "x"
        )


def test_late_and_overdue_remediation(world):
    inspection = world.concluded()
    first, second = inspection.recommendations.order_by("pk")
    late_day = datetime(2026, 1, 5, 9, tzinfo=VN)  # after both deadlines
    with time_machine.travel(late_day, tick=False):
        services.report_remediation(first.pk, world.justice_officer, "done", "Xong muộn")
    first.refresh_from_db()
    assert first.done_late
    assert second.is_overdue(date(2026, 1, 5))
    counts = selectors.recommendation_counts(inspection.recommendations.all(), date(2026, 1, 5))
    assert counts == {"total": 2, "done": 1, "done_late": 1, "open": 1, "overdue": 1}
    with pytest.raises(InspectionError):
        services.close_remediation(inspection.pk, world.head)


# -- working-day deadlines ------------------------------------------------------------------------
def test_remediation_due_skips_tet_2026(db):
    # Thursday 12/02/2026; Tết holiday 16–20/02/2026. 15 working days: 13/02 (1), 23–27/02
    # (2–6), 02–06/03 (7–11), 09–12/03 (12–15).
    assert services.remediation_due(date(2026, 2, 12)) == date(2026, 3, 12)


def test_remediation_due_skips_30_april_and_1_may_2026(db):
    # Friday 24/04/2026; 27/04 (Giỗ Tổ in lieu), 30/04 and 01/05 are holidays.
    # 28, 29/04 (1–2), 04–08/05 (3–7), 11–15/05 (8–12), 18–20/05 (13–15).
    assert services.remediation_due(date(2026, 4, 24)) == date(2026, 5, 20)


def test_the_window_is_a_setting(db, settings):
    settings.CCHC_REMEDIATION_WORKING_DAYS = 1
    assert services.remediation_due(date(2026, 2, 13)) == date(2026, 2, 23)


@settings(max_examples=25, deadline=None)
@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 11, 30)))
def test_remediation_due_is_after_at_least_three_weeks_of_calendar(django_db_blocker, day):
    with django_db_blocker.unblock():
        due = services.remediation_due(day)
        working = workdays.is_working_day(workdays.local_midnight(due) + timedelta(hours=12))
    # 15 working days span at least 15 calendar days, and end on a working day
    # (a swapped working Saturday counts: 26/04/2025).
    assert (due - day).days >= 15
    assert working


# -- concurrency ----------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_closes_at_once_one_wins():
    from .factories import make_world

    world = make_world()
    inspection = world.record_closed()
    # Back to the state where the record may be closed twice from the same page version.
    Inspection.objects.filter(pk=inspection.pk).update(status=InspectionStatus.IN_PROGRESS)
    version = Inspection.objects.get(pk=inspection.pk).version
    results = []

    def close(actor):
        try:
            with time_machine.travel(INSPECTED, tick=False):
                services.close_record(inspection.pk, actor, version)
            results.append("ok")
        except (StaleRecord, TransitionNotAllowed):
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=(who,)) for who in (world.head, world.secretary)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]


def test_self_inspection_share(world):
    check = selectors.self_inspection(world.province, 2025)
    assert (check.inspected, check.total, check.meets) == (0, 3, False)
    world.record_closed()
    check = selectors.self_inspection(world.province, 2025)
    assert (check.inspected, check.total) == (1, 3)
    assert str(check.share) == "33.33" and not check.meets


def test_self_inspection_meets_at_the_configured_share(world, settings):
    settings.CCHC_SELF_INSPECTION_MIN_SHARE = 30
    world.record_closed()
    assert selectors.self_inspection(world.province, 2025).meets


def test_recommendation_count(world):
    world.concluded()
    assert Recommendation.objects.count() == 2
