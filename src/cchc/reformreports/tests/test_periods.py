"""The report periods: the Ministry's defaults, the due dates and their boundaries (pure engine)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cchc.reformreports.engine import periods as engine
from cchc.reformreports.engine.periods import DEFAULT_PERIODS, KINDS


def test_the_ministry_defaults_for_2026():
    got = {w.kind: (w.start, w.end, w.due) for w in engine.windows(DEFAULT_PERIODS, 2026)}
    assert got == {
        "q1": (date(2025, 12, 15), date(2026, 3, 14), date(2026, 3, 20)),
        "h1": (date(2025, 12, 15), date(2026, 6, 14), date(2026, 6, 20)),
        "q3": (date(2026, 6, 15), date(2026, 9, 14), date(2026, 9, 20)),
        "year": (date(2025, 12, 15), date(2026, 12, 14), date(2026, 12, 20)),
    }


def test_the_due_day_itself_is_on_time_and_the_next_day_is_late():
    q1 = engine.window(DEFAULT_PERIODS, "q1", 2026)
    assert engine.approved_on_time(q1, date(2026, 3, 20))
    assert not engine.approved_on_time(q1, date(2026, 3, 21))
    assert not engine.approved_on_time(q1, None)
    assert not engine.due_passed(q1, date(2026, 3, 20))
    assert engine.due_passed(q1, date(2026, 3, 21))


def test_a_day_past_the_month_end_is_its_last_day():
    periods = {**DEFAULT_PERIODS, "q1": {"start": [0, 1, 1], "end": [0, 2, 29], "due": [0, 2, 30]}}
    assert engine.window(periods, "q1", 2026).end == date(2026, 2, 28)
    assert engine.window(periods, "q1", 2028).end == date(2028, 2, 29)
    assert engine.problems(periods) == []


def test_problems_name_what_is_wrong():
    assert engine.problems(DEFAULT_PERIODS) == []
    broken = {**DEFAULT_PERIODS, "q3": {"start": [0, 13, 1], "end": [0, 9, 14], "due": [0, 9, 20]}}
    assert engine.problems(broken) == ["q3.start: expected [year offset -1..1, month, day]"]
    assert engine.problems({**DEFAULT_PERIODS, "q2": {}}) == [
        "q2: unknown period (known: q1, h1, q3, year)"
    ]
    reversed_ = {
        **DEFAULT_PERIODS,
        "q1": {"start": [0, 3, 15], "end": [0, 3, 14], "due": [0, 3, 20]},
    }
    assert engine.problems(reversed_) == ["q1: the start is after the end"]


@given(st.integers(min_value=2001, max_value=2099))
def test_every_year_the_windows_hold_together(year):
    wins = {w.kind: w for w in engine.windows(DEFAULT_PERIODS, year)}
    assert list(wins) == list(KINDS)
    for window in wins.values():
        assert window.start < window.end < window.due
        assert window.due.day == 20 and window.due.month == window.end.month
    # Q3 starts the day after the six months end; the year ends the day before next year's Q1.
    assert wins["q3"].start == wins["h1"].end + timedelta(days=1)
    next_q1 = engine.window(DEFAULT_PERIODS, "q1", year + 1)
    assert next_q1.start == wins["year"].end + timedelta(days=1)


@given(st.integers(min_value=2001, max_value=2099), st.integers(min_value=-40, max_value=40))
def test_on_time_exactly_when_approved_by_the_due_date(year, shift):
    window = engine.window(DEFAULT_PERIODS, "h1", year)
    day = window.due + timedelta(days=shift)
    assert engine.approved_on_time(window, day) == (shift <= 0)
    assert engine.due_passed(window, day) == (shift > 0)


def test_docx_numbers_are_written_as_the_pages_show_them():
    from cchc.common.report_docx import number

    assert [number(v) for v in (1234, 92.857, 87.5, 90.0, 1234.5, None, 0)] == [
        "1.234",
        "92,86",
        "87,50",
        "90",
        "1.234,50",
        "–",
        "0",
    ]
