"""The one lateness definition (``cchc.dossiers.lateness``): edge cases, then its properties.

Times are local, as callers pass them. The reference dossier is received on Monday 2 March 2026 at
09:00 and due on Monday 9 March 2026 at 17:00 (the end of the working day: how the importers read
a due date given without a time).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.dossiers import lateness
from cchc.dossiers.lateness import EARLY, LATE, ON_TIME, Stop

RECEIVED = datetime(2026, 3, 2, 9, 0)
DUE = datetime(2026, 3, 9, 17, 0)
MINUTE = timedelta(minutes=1)


# -- a moment against the due time ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (DUE, ON_TIME),  # exactly at the due minute
        (DUE - MINUTE, ON_TIME),
        (DUE + MINUTE, LATE),  # one minute late is late
        (datetime(2026, 3, 9, 0, 0), ON_TIME),  # first minute of the due day
        (datetime(2026, 3, 9, 23, 59), LATE),  # the due day, after the due time
        (datetime(2026, 3, 8, 23, 59), EARLY),  # the evening before (a Sunday)
        (datetime(2026, 3, 6, 16, 0), EARLY),  # the last working day before
        (RECEIVED, EARLY),
        (datetime(2026, 4, 20, 10, 0), LATE),
    ],
)
def test_a_moment_against_the_due_time(at, expected):
    assert lateness.classify(at, DUE) is expected


def test_a_date_only_due_is_the_end_of_that_working_day():
    """The importers read "09/03/2026" in a deadline column as 09/03/2026 at the unit's closing
    time (issue 9): anything signed on that day up to the closing time is on time."""
    due = datetime.combine(datetime(2026, 3, 9).date(), datetime.min.time().replace(hour=17))
    assert lateness.classify(datetime(2026, 3, 9, 16, 59), due) is ON_TIME
    assert lateness.classify(datetime(2026, 3, 9, 17, 0), due) is ON_TIME
    assert lateness.classify(datetime(2026, 3, 9, 17, 1), due) is LATE
    assert lateness.classify(datetime(2026, 3, 6, 17, 0), due) is EARLY


def test_the_due_day_is_the_local_calendar_day():
    """Aware times in the local zone: 00:30 on the due day is on time, not "the day before" as
    it would be in UTC."""
    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    due = DUE.replace(tzinfo=zone)
    signed = datetime(2026, 3, 9, 0, 30, tzinfo=zone)
    assert lateness.classify(signed, due) is ON_TIME
    utc = ZoneInfo("UTC")
    assert lateness.classify(signed.astimezone(utc), due.astimezone(utc)) is EARLY


def test_without_a_time_limit_only_the_rule_makes_it_late():
    assert lateness.classify(datetime(2030, 1, 1), None) is ON_TIME
    assert lateness.classify(datetime(2030, 1, 1), None, late_by_rule=True) is LATE
    assert lateness.lateness(None, now=datetime(2030, 1, 1)) is ON_TIME
    assert lateness.overdue_from(None) is None
    assert lateness.ended_in_time(None, datetime(2030, 1, 1)) is None


def test_late_by_rule_is_late_whatever_the_times():
    """NĐ 118/2025 Điều 11: a second supplement request during processing."""
    assert lateness.classify(RECEIVED, DUE, late_by_rule=True) is LATE
    assert lateness.lateness(DUE, now=RECEIVED, late_by_rule=True) is LATE
    assert lateness.lateness(DUE, now=DUE, end=RECEIVED, late_by_rule=True) is LATE
    assert lateness.ended_in_time(DUE, RECEIVED, late_by_rule=True) is False


def test_late_by_rule_from_the_second_request_during_processing():
    first, second, third = (datetime(2026, 3, d, 9, 0) for d in (3, 5, 6))
    assert lateness.late_by_rule_since([third, second, first], RECEIVED) == second
    assert lateness.late_by_rule_since([first], RECEIVED) == RECEIVED  # the count came alone
    assert lateness.late_by_rule_since([], None) is None
    since = lateness.late_by_rule_since([first, second], RECEIVED)
    assert lateness.overdue_from(DUE, late_by_rule=True, rule_since=since) == second


# -- clock stops ----------------------------------------------------------------------------------
def test_waiting_since_before_the_due_time_is_not_late():
    waiting = (Stop(datetime(2026, 3, 5, 9, 0)),)
    later = datetime(2026, 3, 20, 9, 0)
    assert lateness.lateness(DUE, now=later, stops=waiting) is ON_TIME
    assert lateness.overdue_from(DUE, stops=waiting) is None
    # withdrawn on 20/3 while still waiting: it ended in time (the request time is its end)
    closed = (Stop(datetime(2026, 3, 5, 9, 0), later),)
    assert lateness.lateness(DUE, now=later, end=later, stops=closed) is ON_TIME
    assert lateness.ended_in_time(DUE, later, stops=closed) is None


def test_a_clock_stopped_exactly_at_the_due_time_is_not_late():
    assert lateness.lateness(DUE, now=DUE + timedelta(days=3), stops=(Stop(DUE),)) is ON_TIME


def test_a_stop_after_the_due_time_does_not_hide_a_late_dossier():
    stops = (Stop(DUE + MINUTE),)
    assert lateness.overdue_from(DUE, stops=stops) == DUE
    assert lateness.lateness(DUE, now=DUE + timedelta(hours=1), stops=stops) is LATE


def test_a_stop_spanning_the_due_time_makes_it_overdue_from_its_end():
    restart = datetime(2026, 3, 11, 9, 0)
    stops = (Stop(datetime(2026, 3, 9, 10, 0), restart),)
    assert lateness.overdue_from(DUE, stops=stops) == restart
    assert lateness.lateness(DUE, now=restart, stops=stops) is ON_TIME
    assert lateness.lateness(DUE, now=restart + MINUTE, stops=stops) is LATE


def test_an_open_dossier_is_late_after_its_due_time():
    assert lateness.lateness(DUE, now=DUE) is ON_TIME
    assert lateness.lateness(DUE, now=DUE + MINUTE) is LATE
    assert lateness.overdue_from(DUE) == DUE  # also before it has come: from then on


# -- properties -----------------------------------------------------------------------------------
START = datetime(2026, 1, 1)
moments = st.integers(0, 60 * 24 * 90).map(lambda m: START + timedelta(minutes=m))
optional_due = st.one_of(st.none(), moments)


@st.composite
def stops(draw):
    """Clock stops in order, not overlapping; the last may be open."""
    out, cursor = [], START
    for _ in range(draw(st.integers(0, 3))):
        start = cursor + timedelta(minutes=draw(st.integers(0, 60 * 24 * 20)))
        if draw(st.booleans()):
            out.append(Stop(start))
            break
        end = start + timedelta(minutes=draw(st.integers(0, 60 * 24 * 10)))
        out.append(Stop(start, end))
        cursor = end
    return tuple(out)


@settings(max_examples=400, deadline=None)
@given(moments, optional_due, st.booleans())
def test_a_moment_has_exactly_one_class(at, due, by_rule):
    result = lateness.classify(at, due, late_by_rule=by_rule)
    late = by_rule or (due is not None and at > due)
    early = not late and due is not None and at.date() < due.date()
    on_time = not late and not early
    assert [result is LATE, result is EARLY, result is ON_TIME] == [late, early, on_time]
    if result is EARLY:  # early: before the due time, on an earlier day
        assert at < due and at.date() < due.date()
    if result is ON_TIME and due is not None:
        assert at <= due and at.date() == due.date()


@settings(max_examples=300, deadline=None)
@given(moments, moments, moments)
def test_later_is_never_less_late(a, b, due):
    rank = {EARLY: 0, ON_TIME: 1, LATE: 2}
    first, second = sorted((a, b))
    assert rank[lateness.classify(first, due)] <= rank[lateness.classify(second, due)]


@settings(max_examples=400, deadline=None)
@given(optional_due, moments, stops(), st.booleans())
def test_an_ended_dossier_agrees_with_its_overdue_and_due_facts(due, end, clock_stops, by_rule):
    clock_stops = tuple(s for s in clock_stops if s.start <= end)
    result = lateness.lateness(
        due, now=end + timedelta(days=400), end=end, stops=clock_stops, late_by_rule=by_rule
    )
    overdue = lateness.overdue_from(
        due, end=end, stops=clock_stops, late_by_rule=by_rule, rule_since=START
    )
    in_time = lateness.ended_in_time(due, end, stops=clock_stops, late_by_rule=by_rule)
    assert (result is LATE) == (overdue is not None)
    if in_time is not None:
        assert in_time == (result is not LATE)
    if by_rule:
        assert result is LATE
    elif not clock_stops:  # without clock stops, the class of its end
        assert result is lateness.classify(end, due)


@settings(max_examples=400, deadline=None)
@given(optional_due, moments, moments, stops(), st.booleans())
def test_an_open_dossier_once_late_stays_late(due, a, b, clock_stops, by_rule):
    first, second = sorted((a, b))
    at_first = lateness.lateness(due, now=first, stops=clock_stops, late_by_rule=by_rule)
    at_second = lateness.lateness(due, now=second, stops=clock_stops, late_by_rule=by_rule)
    assert at_first is not EARLY and at_second is not EARLY  # early is for an end only
    if at_first is LATE:
        assert at_second is LATE
    start = lateness.overdue_from(due, stops=clock_stops, late_by_rule=False)
    if not by_rule:
        assert (at_second is LATE) == (start is not None and second > start)
    if due is not None and not by_rule and lateness.clock_stopped_at_due(due, clock_stops, None):
        assert at_second is ON_TIME  # waiting since before the due time: never late


@settings(max_examples=300, deadline=None)
@given(moments, moments, moments)
def test_a_stop_after_the_due_time_changes_nothing(due, start, now):
    if start <= due:
        return
    plain = lateness.lateness(due, now=now)
    assert lateness.lateness(due, now=now, stops=(Stop(start),)) is plain
