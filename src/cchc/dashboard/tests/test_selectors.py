"""Every tile, chart and public figure on the hand-built ``march`` data (see conftest.py)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from cchc.dashboard import selectors
from cchc.index766 import services as index766
from cchc.organisations.models import OrganisationUnit, UnitKind
from cchc.reports.selectors import ReportRequest, drill, sum_counters

from .conftest import NOW, at

pytestmark = pytest.mark.django_db

MONTH = selectors.Period("thang", date(2026, 3, 1), date(2026, 3, 18))


def test_named_periods_end_today():
    today = date(2026, 5, 20)
    assert selectors.named_period("thang", today) == selectors.Period(
        "thang", date(2026, 5, 1), today
    )
    assert selectors.named_period("quy", today).start == date(2026, 4, 1)
    assert selectors.named_period("nam", today).start == date(2026, 1, 1)
    assert selectors.named_period("30-ngay", today).start == date(2026, 4, 21)
    assert selectors.named_period("bogus", today).kind == "thang"
    assert selectors.last_twelve_months(today) == (date(2025, 5, 21), today)
    assert selectors.last_twelve_months(date(2028, 2, 29)) == (date(2027, 3, 1), date(2028, 2, 29))


def test_received_today_counts_every_channel(march, unit, clock):
    ids = selectors.unit_ids(unit)
    assert selectors.received_today(ids, date(2026, 3, 18)) == 2  # E (counter), F (online)
    assert selectors.received_today(ids, date(2026, 3, 17)) == 0


def test_on_time_rate_of_the_month(march, unit, clock):
    # To process: A B C J X N G E F (9, nothing carried over: I closed in February).
    # Late: C (resolved late), A (open past its due day) and X (due today: the report counts it
    # for the whole day) → 6 of 9.
    totals = selectors.period_totals(unit, MONTH.start, MONTH.end)
    assert totals["to_process"] == 9 and totals["late_total"] == 3
    rate = totals["rates"]["on_time"]
    assert (rate["numerator"], rate["denominator"], rate["percent"]) == (6, 9, 66.67)


def test_overdue_now_is_past_the_due_time_not_the_due_day(march, unit, clock):
    overdue = selectors.overdue_now(unit)
    assert [d.code for d in overdue] == [march["A"].code]
    # The report's list at the end of today also holds X (due 17:00 today).
    report_list = drill(
        ReportRequest(date(2026, 3, 18), date(2026, 3, 18), unit), "in_progress_late"
    )
    assert {d.code for d in report_list} == {march["A"].code, march["X"].code}
    # After X's due time it is overdue now too.
    with time_machine.travel(at(2026, 3, 18, 17, 1), tick=False):
        assert {d.code for d in selectors.overdue_now(unit)} == {march["A"].code, march["X"].code}


def test_overdue_scope_is_the_subtree_of_receiving_units(march, unit, other_unit, clock):
    province = unit.parent
    # Oldest due first: A and H are both due 09/03 17:00, then by id (A was created first).
    assert [d.code for d in selectors.overdue_now(province)] == [march["A"].code, march["H"].code]
    assert [d.code for d in selectors.overdue_now(other_unit)] == [march["H"].code]


def test_working_days_late(march, clock):
    # Due 09/03 17:00; NOW 18/03 10:00: six whole working days (10–13, 16, 17/03) and 150 minutes.
    assert selectors.working_days_late(march["A"]) == Decimal("6.31")
    assert selectors.working_days_late(march["X"]) == Decimal(0)  # not yet due


def test_near_due_is_within_one_working_day_while_the_clock_runs(march, unit, clock):
    # X is due at 17:00 today (within the next 8 working hours); N at 17:00 tomorrow (beyond);
    # G is waiting for a supplement (clock stopped); A is overdue already.
    assert [d.code for d in selectors.near_due(unit)] == [march["X"].code]
    with time_machine.travel(at(2026, 3, 18, 17, 30), tick=False):
        # After hours: one working day reaches 17:00 tomorrow, so N is near due now.
        assert [d.code for d in selectors.near_due(unit)] == [march["N"].code]


def test_apology_letters_this_month(march, unit, other_unit, clock):
    ids = selectors.unit_ids(unit)
    assert selectors.apologies_sent(ids, date(2026, 3, 1), date(2026, 3, 18)) == 1  # A, 06/03
    assert selectors.apologies_sent(ids, date(2026, 3, 7), date(2026, 3, 18)) == 0
    assert selectors.apologies_sent(selectors.unit_ids(other_unit), MONTH.start, MONTH.end) == 0


def test_satisfaction_is_the_share_of_ratings_4_and_5(march, unit, clock):
    ids = selectors.unit_ids(unit)
    # March receipts rated: B 5, C 2, J 3 → 1 of 3 satisfied, 1 dissatisfied.
    month = selectors.satisfaction(ids, MONTH.start, MONTH.end)
    assert month == {"numerator": 1, "denominator": 3, "percent": 33.33, "dissatisfied": 1}
    # Read from the counters (rated, rated_satisfied, rated_dissatisfied), by receipt day.
    counted = sum_counters(MONTH.start, MONTH.end, ids, None)[None]
    assert (counted["rated"], counted["rated_satisfied"], counted["rated_dissatisfied"]) == (
        3,
        1,
        1,
    )
    # The quarter adds I (received 02/02, rated 4).
    quarter = selectors.satisfaction(ids, date(2026, 1, 1), MONTH.end)
    assert (quarter["numerator"], quarter["denominator"]) == (2, 4)
    assert selectors.satisfaction(ids, date(2026, 1, 1), date(2026, 1, 31))["percent"] is None


def test_feedback_waiting(march, unit, clock):
    assert selectors.feedback_waiting(selectors.unit_ids(unit)) == 1
    assert selectors.feedback_waiting(selectors.unit_ids(unit.parent)) == 2


def test_weekly_flows(march, unit, clock):
    weeks = selectors.weekly_flows(selectors.unit_ids(unit), date(2026, 3, 18))
    assert len(weeks) == 12
    assert weeks[0]["start"] == date(2025, 12, 29) and weeks[-1]["end"] == date(2026, 3, 18)
    by_start = {w["start"]: w for w in weeks}
    first_feb = by_start[date(2026, 2, 2)]
    assert (first_feb["received"], first_feb["resolved"]) == (1, 1)  # I
    week = by_start[date(2026, 3, 2)]
    assert (week["received"], week["resolved"], week["received_online"]) == (4, 1, 1)  # ABCJ; B; C
    assert week["online"]["percent"] == 25.0
    week = by_start[date(2026, 3, 9)]
    assert (week["received"], week["resolved"]) == (2, 2)  # X N; C J
    assert week["online"] == {"numerator": 0, "denominator": 2, "percent": 0.0}
    week = by_start[date(2026, 3, 16)]
    assert (week["received"], week["resolved"], week["received_online"]) == (3, 0, 2)  # G E F
    assert by_start[date(2026, 1, 5)]["online"]["percent"] is None  # nothing received
    assert sum(w["received"] for w in weeks) == 10


def test_on_time_by_child_adds_up_each_subtree(march, unit, other_unit, clock):
    province = unit.parent
    rows = selectors.on_time_by_child(province, MONTH.start, MONTH.end)
    assert [(r["unit"], r["numerator"], r["denominator"]) for r in rows] == [
        (unit, 6, 9),
        (other_unit, 0, 1),  # H, still open past its due day
    ]
    # A unit that received dossiers itself appears as its own row under its own name.
    own = selectors.on_time_by_child(unit, MONTH.start, MONTH.end)
    assert [(r["unit"], r["own"], r["denominator"]) for r in own] == [(unit, True, 9)]


def test_index_tile_takes_the_score_and_the_rank_under_the_parent(march, unit, clock):
    tile = selectors.index_tile(unit, MONTH.start, MONTH.end)
    assert tile["score"] == index766.compute_index(unit, MONTH.start, MONTH.end)["score"]
    ranking = index766.ranking(MONTH.start, MONTH.end, parent=unit.parent)
    mine = next(row for row in ranking if row["unit"]["code"] == unit.code)
    assert tile["rank"] == mine["rank"] is not None
    assert tile["ranked"] == 2 and tile["parent"] == unit.parent
    # The province has no parent: a score, no rank.
    top = selectors.index_tile(unit.parent, MONTH.start, MONTH.end)
    assert top["rank"] is None and top["score"] is not None


def test_committee_is_ranked_through_its_one_stop_centre(desk, unit, procedure, leader, clock):
    """A commune committee does not receive dossiers itself: its centre does."""
    from cchc.organisations.models import Role, RoleAssignment

    centre = OrganisationUnit.objects.create(
        kind=UnitKind.SERVICE_CENTRE, name="Trung tâm PVHCC", code="000.01.31.H99", parent=unit
    )
    clerk = leader.__class__.objects.create_user("motcua-tt", password="x", full_name="Clerk")
    RoleAssignment.objects.create(user=clerk, unit=centre, role=Role.ONE_STOP_OFFICER)
    desk.receive(at(2026, 3, 2), clerk, centre, procedure)
    tile = selectors.index_tile(unit, MONTH.start, MONTH.end)
    assert tile["ranked_unit"]["code"] == centre.code and tile["rank"] == 1
    assert tile["ranked"] == 1


def test_index_trend_has_twelve_weeks_as_dates(march, unit, clock):
    trend = selectors.index_trend(unit, date(2026, 3, 18))
    assert len(trend) == 12
    assert trend[-1]["start"] == date(2026, 3, 16) and trend[-1]["end"] == date(2026, 3, 18)
    assert trend[-1]["score"] is not None


def test_dashboard_gathers_every_tile(march, unit, clock):
    data = selectors.dashboard(unit, MONTH)
    assert data["received_today"] == 2
    assert (data["on_time"]["numerator"], data["on_time"]["denominator"]) == (6, 9)
    assert data["overdue_count"] == 1
    assert [row["dossier"].code for row in data["overdue"]] == [march["A"].code]
    assert data["overdue"][0]["days_late"] == Decimal("6.31")
    assert data["near_due_count"] == 1
    assert data["apologies"] == 1
    assert data["satisfaction"]["percent"] == 33.33
    assert data["feedback_waiting"] == 1
    assert len(data["weeks"]) == len(data["trend"]) == 12


def test_public_summary(march, unit, clock):
    summary = selectors.public_summary(unit, *selectors.last_twelve_months(date(2026, 3, 18)))
    assert (summary["received"], summary["resolved"]) == (10, 4)  # I A B C J X N G E F; I B C J
    assert (summary["on_time"]["numerator"], summary["on_time"]["denominator"]) == (7, 10)
    assert (summary["online"]["numerator"], summary["online"]["denominator"]) == (3, 10)  # C G F
    # Working days to the result: I and B 2.125 (stored as 2.12), J 5.6875 (5.69), C 6 → the
    # median of four is the mean of the middle two.
    assert summary["median_days"] == pytest.approx((2.12 + 5.69) / 2)
    assert (summary["satisfaction"]["numerator"], summary["satisfaction"]["denominator"]) == (2, 4)


def test_public_units_are_the_receiving_units_and_the_province(march, unit, other_unit):
    OrganisationUnit.objects.create(
        kind=UnitKind.DEPARTMENT, name="Sở Xây dựng", code="000.00.16.H99", parent=unit.parent
    )
    assert selectors.public_units() == [unit.parent, other_unit, unit]


def test_dashboard_scope(django_user_model, leader, auditor, officer, superuser, unit):
    assert (
        selectors.can_view(leader) and selectors.can_view(auditor) and selectors.can_view(superuser)
    )
    assert not selectors.can_view(officer)
    assert selectors.default_unit(leader) == unit
    assert selectors.default_unit(auditor) == unit.parent
    assert selectors.default_unit(superuser) == unit.parent
    assert list(selectors.dashboard_units(leader)) == [unit]


def test_late_by_rule_is_overdue_before_its_due_time(desk, unit, procedure, officer, leader, clock):
    """A second supplement request makes a dossier late whatever the times (NĐ 118/2025 Art 11)."""
    dossier = desk.receive(at(2026, 3, 16), officer, unit, procedure)
    desk.do(at(2026, 3, 16, 10), "request_supplement", dossier.pk, officer, "Bản sao", "Thiếu")
    desk.do(at(2026, 3, 16, 14), "complete_supplement", dossier.pk, officer)
    desk.do(at(2026, 3, 17, 9), "request_supplement", dossier.pk, leader, "Bản chính", "Thiếu")
    dossier.refresh_from_db()
    assert dossier.late_by_rule and dossier.due_at > NOW
    rows = selectors.overdue_rows(selectors.overdue_now(unit), NOW)
    assert [(r["dossier"].pk, r["by_rule"], r["days_late"]) for r in rows] == [
        (dossier.pk, True, Decimal(0))
    ]
    assert selectors.near_due(unit).count() == 0


def test_days_late_over_a_weekend(march, clock):
    """Due Monday 09/03 17:00; on Sunday 15/03 it is four working days late (10–13/03)."""
    with time_machine.travel(at(2026, 3, 15, 20, 0), tick=False):
        rows = selectors.overdue_rows([march["A"]], at(2026, 3, 15, 20, 0))
    assert rows[0]["days_late"] == Decimal(4) and rows[0]["by_rule"] is False
