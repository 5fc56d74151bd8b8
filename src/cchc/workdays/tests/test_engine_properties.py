"""Properties of the deadline arithmetic that must hold for every receipt and every limit."""

from datetime import date, datetime, time, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.workdays.engine import DeadlineEngine, OfficeHours, Pause, Rule, TimeLimit
from cchc.workdays.engine.bulk import BulkDeadlines

from .official_table import reference_calendar

CALENDAR = reference_calendar()
ENGINE = DeadlineEngine(CALENDAR)
# A unit with different hours (Lai Châu publishes 13:30–17:00 afternoons) and a 14:00 cut-off.
OTHER_HOURS = OfficeHours(
    periods=((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0))), same_day_cutoff=time(14, 0)
)
OTHER_ENGINE = DeadlineEngine(CALENDAR, OTHER_HOURS)

receipts = st.datetimes(min_value=datetime(2023, 1, 1), max_value=datetime(2026, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)
amounts = st.integers(min_value=1, max_value=60)
rules = st.sampled_from(list(Rule))
engines = st.sampled_from([ENGINE, OTHER_ENGINE])


def limit_of(rule: Rule, amount: int) -> TimeLimit:
    return TimeLimit(rule, 0 if rule == Rule.SAME_DAY else amount)


@given(receipts, rules, amounts, engines)
def test_due_is_never_before_effective_receipt(received, rule, amount, engine):
    result = engine.due(received, limit_of(rule, amount))
    assert received <= result.effective_received <= result.due
    assert CALENDAR.is_working_day(result.due.date())
    assert CALENDAR.is_working_day(result.effective_received.date())


@given(receipts, amounts, engines)
def test_working_days_counted_are_working_and_exactly_n(received, amount, engine):
    result = engine.due(received, TimeLimit(Rule.WORKING_DAYS, amount))
    assert len(result.counted) == amount
    assert all(CALENDAR.is_working_day(day) for day in result.counted)
    assert result.due == datetime.combine(result.counted[-1], engine.hours.closing)


@given(receipts, rules, amounts, engines)
def test_counted_and_skipped_cover_the_span_exactly(received, rule, amount, engine):
    result = engine.due(received, limit_of(rule, amount))
    span = set()
    day = result.span_start
    while day <= result.span_end:
        span.add(day)
        day += timedelta(days=1)
    counted = set(result.counted)
    skipped = {status.day for status in result.period_skipped}
    assert counted | skipped == span
    assert not counted & skipped
    assert all(not status.working for status in result.skipped)
    if rule != Rule.CALENDAR_DAYS:
        assert all(CALENDAR.is_working_day(day) for day in counted)


@given(receipts, amounts, amounts, engines)
def test_n_then_m_working_days_is_n_plus_m(received, n, m, engine):
    first = engine.due(received, TimeLimit(Rule.WORKING_DAYS, n)).due.date()
    # Receipt during office hours on the N-th day: that day is not counted again.
    second = engine.due(
        datetime.combine(first, engine.hours.opening), TimeLimit(Rule.WORKING_DAYS, m)
    )
    direct = engine.due(received, TimeLimit(Rule.WORKING_DAYS, n + m))
    assert second.due == direct.due


@given(receipts, st.integers(0, 5000), st.integers(0, 5000), engines)
def test_working_minutes_add_up(received, a, b, engine):
    start = engine.effective_received(received)
    assert engine.add_working_minutes(
        engine.add_working_minutes(start, a), b
    ) == engine.add_working_minutes(start, a + b)
    assert engine.working_minutes_between(start, engine.add_working_minutes(start, a)) == a


@given(receipts, rules, amounts, st.integers(1, 3000), engines)
def test_pause_pushes_due_by_paused_working_time(received, rule, amount, pause_minutes, engine):
    limit = limit_of(rule, amount)
    plain = engine.due(received, limit)
    pause_start = plain.effective_received
    pause_end = engine.add_working_minutes(pause_start, pause_minutes)
    paused = engine.due(received, limit, [Pause(pause_start, pause_end)])
    assert paused.paused_minutes == pause_minutes
    assert paused.due == engine.add_working_minutes(plain.due, pause_minutes)
    assert paused.due > plain.due


@settings(max_examples=30, deadline=None)
@given(
    st.lists(receipts, min_size=1, max_size=200),
    rules,
    st.lists(amounts, min_size=1, max_size=200),
    st.sampled_from([OfficeHours(), OTHER_HOURS]),
    st.booleans(),
)
def test_bulk_equals_single(received, rule, amount_list, hours, with_pauses):
    engine = DeadlineEngine(CALENDAR, hours)
    bulk = BulkDeadlines(CALENDAR, hours)
    amount = np.resize(np.array(amount_list), len(received))
    if rule == Rule.SAME_DAY:
        amount = np.zeros(len(received), dtype=int)
    extra = np.resize(np.array([0, 90, 480, 1234]), len(received)) if with_pauses else None
    got = bulk.due(received, rule, amount, extra)
    for i, moment in enumerate(received):
        expected = engine.due(moment, TimeLimit(rule, int(amount[i])))
        due_time = expected.due
        if extra is not None and extra[i]:
            due_time = engine.add_working_minutes(due_time, int(extra[i]))
        assert got[i] == np.datetime64(due_time, "m"), (moment, rule, amount[i])
    effective = bulk.effective_received(received)
    assert [np.datetime64(engine.effective_received(m), "m") for m in received] == list(effective)


def test_bulk_agrees_on_a_large_random_sample():
    rng = np.random.default_rng(20260101)
    start = np.datetime64("2022-12-25T00:00")
    received = start + rng.integers(0, 4 * 366 * 1440, 20_000).astype("timedelta64[m]")
    bulk = BulkDeadlines(CALENDAR)
    for rule in Rule:
        amount = 0 if rule == Rule.SAME_DAY else rng.integers(1, 40, received.size)
        got = bulk.due(received, rule, amount)
        for i in range(0, received.size, 97):
            one = 0 if rule == Rule.SAME_DAY else int(amount[i])
            expected = ENGINE.due(received[i].astype(datetime), TimeLimit(rule, one)).due
            assert got[i] == np.datetime64(expected, "m")


def test_bulk_handles_provisional_years_and_empty_input():
    bulk = BulkDeadlines(CALENDAR)
    got = bulk.due([datetime(2027, 9, 1, 9, 0)], Rule.WORKING_DAYS, 1)
    assert got[0] == np.datetime64("2027-09-06T17:00")  # 02–03/09/2027 statutory, then weekend
    assert bulk.due([], Rule.WORKING_DAYS, 1).size == 0


def test_status_of_a_day_explains_why():
    assert CALENDAR.status(date(2024, 5, 4)).working  # worked Saturday
    assert CALENDAR.status(date(2024, 5, 5)).reason == "Chủ nhật"
    assert CALENDAR.next_working_day(date(2024, 4, 26)) == date(2024, 5, 2)
    assert CALENDAR.previous_working_day(date(2024, 5, 2)) == date(2024, 4, 26)


def _walked_minutes(engine, start: datetime, end: datetime) -> int:
    """Working time counted the slow way, a day at a time: the reference for the fast path."""
    total, day = 0, start.date()
    while day <= end.date():
        if CALENDAR.is_working_day(day):
            low = start.hour * 60 + start.minute if day == start.date() else 0
            high = end.hour * 60 + end.minute if day == end.date() else 24 * 60
            total += sum(max(0, min(e, high) - max(s, low)) for s, e in engine._periods)
        day += timedelta(days=1)
    return total


@given(receipts, receipts, engines)
def test_working_minutes_between_equals_a_day_by_day_walk(one, other, engine):
    start, end = min(one, other), max(one, other)
    assert engine.working_minutes_between(start, end) == _walked_minutes(engine, start, end)
    assert engine.working_minutes_between(end, start) == -_walked_minutes(engine, start, end)


@given(receipts, receipts)
def test_working_day_count_equals_the_listed_working_days(one, other):
    first, last = min(one, other).date(), max(one, other).date()
    assert CALENDAR.working_day_count(first, last) == len(
        CALENDAR.working_days_between(first, last)
    )
    assert CALENDAR.working_day_count(last + timedelta(days=1), first) == 0
