"""Dated examples from the 2024 and 2025 official schedules, each worked out by hand."""

from datetime import date, datetime, time

import pytest

from cchc.workdays.engine import DeadlineEngine, DeadlineError, OfficeHours, Pause, Rule, TimeLimit
from cchc.workdays.engine.parsing import parse_instant

from .official_table import reference_calendar


@pytest.fixture(scope="module")
def engine():
    return DeadlineEngine(reference_calendar())


def due(engine, received, rule, amount=0, pauses=()):
    return engine.due(received, TimeLimit(rule, amount), pauses)


def test_tet_2025_example_from_the_issue(engine):
    result = due(engine, datetime(2025, 1, 24, 14, 0), Rule.WORKING_DAYS, 5)
    assert result.due == datetime(2025, 2, 7, 17, 0)
    assert [d.day for d in result.skipped] == [
        date(2025, 1, 25), date(2025, 1, 26), date(2025, 1, 27), date(2025, 1, 28),
        date(2025, 1, 29), date(2025, 1, 30), date(2025, 1, 31), date(2025, 2, 1),
        date(2025, 2, 2),
    ]  # fmt: skip
    assert result.skipped[0].reason == "Thứ Bảy"
    assert result.counted == [date(2025, 2, d) for d in (3, 4, 5, 6, 7)]


def test_swap_2024_makes_saturday_count(engine):
    # 29/04 off by swap, 30/04 and 01/05 holidays, Saturday 04/05 worked (Công văn 2450/VPCP-KGVX).
    result = due(engine, datetime(2024, 4, 26, 10, 0), Rule.WORKING_DAYS, 3)
    assert result.due == datetime(2024, 5, 4, 17, 0)
    assert date(2024, 4, 29) in [d.day for d in result.skipped]


def test_tet_2024_one_working_day(engine):
    result = due(engine, datetime(2024, 2, 7, 16, 0), Rule.WORKING_DAYS, 1)
    assert result.due == datetime(2024, 2, 15, 17, 0)


def test_receipt_outside_hours_moves_to_next_period(engine):
    assert engine.effective_received(datetime(2024, 5, 5, 9, 0)) == datetime(2024, 5, 6, 7, 30)
    assert engine.effective_received(datetime(2024, 5, 6, 6, 15)) == datetime(2024, 5, 6, 7, 30)
    assert engine.effective_received(datetime(2024, 5, 6, 12, 0)) == datetime(2024, 5, 6, 13, 0)
    assert engine.effective_received(datetime(2024, 5, 6, 11, 30)) == datetime(2024, 5, 6, 13, 0)
    assert engine.effective_received(datetime(2024, 5, 6, 17, 0)) == datetime(2024, 5, 7, 7, 30)
    # A worked Saturday receives like any working day.
    assert engine.effective_received(datetime(2024, 5, 4, 9, 0)) == datetime(2024, 5, 4, 9, 0)


def test_received_on_weekend_reports_the_skipped_days(engine):
    result = due(engine, datetime(2024, 6, 8, 10, 0), Rule.WORKING_DAYS, 1)  # Saturday
    assert result.effective_received == datetime(2024, 6, 10, 7, 30)
    assert [d.day for d in result.receipt_skipped] == [date(2024, 6, 8), date(2024, 6, 9)]
    assert result.due == datetime(2024, 6, 11, 17, 0)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (datetime(2024, 2, 15, 14, 59), datetime(2024, 2, 15, 17, 0)),
        (datetime(2024, 2, 15, 15, 0), datetime(2024, 2, 15, 17, 0)),
        (datetime(2024, 2, 15, 15, 1), datetime(2024, 2, 16, 17, 0)),
        (datetime(2024, 2, 16, 16, 0), datetime(2024, 2, 19, 17, 0)),
        (datetime(2024, 2, 17, 10, 0), datetime(2024, 2, 19, 17, 0)),
    ],
)
def test_same_day_with_the_15h_cutoff(engine, received, expected):
    assert due(engine, received, Rule.SAME_DAY).due == expected


def test_unit_cutoff_is_configurable():
    engine = DeadlineEngine(reference_calendar(), OfficeHours(same_day_cutoff=time(16, 0)))
    assert due(engine, datetime(2024, 2, 15, 15, 30), Rule.SAME_DAY).due == datetime(
        2024, 2, 15, 17, 0
    )


def test_working_hours_cross_a_holiday(engine):
    # Friday 30/08/2024 15:00: 2 h left that day; 31/08–03/09 off; 2 h more on Wednesday.
    result = due(engine, datetime(2024, 8, 30, 15, 0), Rule.WORKING_HOURS, 4)
    assert result.due == datetime(2024, 9, 4, 9, 30)


def test_working_hours_stop_at_the_end_of_a_period(engine):
    result = due(engine, datetime(2024, 6, 10, 7, 30), Rule.WORKING_HOURS, 4)
    assert result.due == datetime(2024, 6, 10, 11, 30)


def test_half_days(engine):
    monday = datetime(2024, 6, 10, 9, 0)
    assert due(engine, monday, Rule.HALF_DAYS, 1).due == datetime(2024, 6, 10, 17, 0)
    assert due(engine, monday, Rule.HALF_DAYS, 2).due == datetime(2024, 6, 11, 11, 30)
    afternoon = datetime(2024, 6, 14, 14, 0)  # Friday afternoon → Monday morning
    assert due(engine, afternoon, Rule.HALF_DAYS, 1).due == datetime(2024, 6, 17, 11, 30)


def test_calendar_days_roll_forward_off_a_non_working_last_day(engine):
    # 19/04/2024 + 10 days = 29/04 (swapped day off); 30/04, 01/05 holidays → 02/05.
    result = due(engine, datetime(2024, 4, 19, 9, 0), Rule.CALENDAR_DAYS, 10)
    assert result.due == datetime(2024, 5, 2, 17, 0)
    # 29/04 is the nominal last day (counted, then rolled off); the days rolled over are skipped.
    assert [d.day for d in result.period_skipped] == [date(2024, 4, 30), date(2024, 5, 1)]
    assert any("29/04/2024" in note for note in result.notes)
    # Weekends inside a calendar-day period count.
    assert date(2024, 4, 20) in result.counted


def test_pause_pushes_due_by_the_paused_working_time(engine):
    received = datetime(2024, 6, 3, 8, 0)
    plain = due(engine, received, Rule.WORKING_DAYS, 5)
    assert plain.due == datetime(2024, 6, 10, 17, 0)
    paused = due(
        engine,
        received,
        Rule.WORKING_DAYS,
        5,
        [Pause(datetime(2024, 6, 4, 8, 0), datetime(2024, 6, 5, 8, 0), "Yêu cầu bổ sung")],
    )
    assert paused.paused_minutes == 8 * 60
    assert paused.due == datetime(2024, 6, 11, 17, 0)


def test_overlapping_pauses_count_once(engine):
    received = datetime(2024, 6, 3, 8, 0)
    pauses = [
        Pause(datetime(2024, 6, 4, 8, 0), datetime(2024, 6, 4, 10, 0)),
        Pause(datetime(2024, 6, 4, 9, 0), datetime(2024, 6, 4, 11, 0)),
    ]
    result = due(engine, received, Rule.WORKING_DAYS, 5, pauses)
    assert result.paused_minutes == 180  # 08:00–11:00 once, not 2 h + 2 h
    assert result.due == datetime(2024, 6, 11, 10, 30)


def test_working_time_between_and_lateness(engine):
    due_at = datetime(2024, 6, 10, 17, 0)
    assert engine.working_minutes_between(datetime(2024, 6, 10, 13, 0), due_at) == 240
    assert engine.working_minutes_between(due_at, datetime(2024, 6, 11, 9, 30)) == 120
    assert engine.working_minutes_between(datetime(2024, 6, 11, 9, 30), due_at) == -120


@pytest.mark.parametrize(
    ("rule", "amount"),
    [(Rule.WORKING_DAYS, 0), (Rule.WORKING_DAYS, -2), (Rule.WORKING_HOURS, 10**6)],
)
def test_invalid_amounts_are_rejected(rule, amount):
    with pytest.raises(DeadlineError) as error:
        TimeLimit(rule, amount)
    assert error.value.field == "amount"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24/01/2025 14:00", datetime(2025, 1, 24, 14, 0)),
        ("24/01/2025", datetime(2025, 1, 24, 0, 0)),
        ("2025-01-24T14:00", datetime(2025, 1, 24, 14, 0)),
        ("2025-01-24T07:00:00Z", datetime(2025, 1, 24, 14, 0)),
        ("2025-01-24T14:00+07:00", datetime(2025, 1, 24, 14, 0)),
    ],
)
def test_parse_instant(text, expected):
    assert parse_instant(text) == expected


@pytest.mark.parametrize("text", ["", "31/02/2025", "hôm nay", "2025-13-01"])
def test_parse_instant_rejects_garbage(text):
    with pytest.raises(DeadlineError):
        parse_instant(text)


def test_office_hours_validation():
    with pytest.raises(ValueError):
        OfficeHours(periods=((time(13, 0), time(11, 0)),))
    with pytest.raises(ValueError):
        OfficeHours(periods=((time(7, 30), time(12, 0)), (time(11, 0), time(17, 0))))
