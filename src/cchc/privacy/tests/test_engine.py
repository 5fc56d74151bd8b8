"""The retention arithmetic and identifier normalisation (pure)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cchc.privacy.engine import retention

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
years = st.integers(min_value=1, max_value=50)


@given(days, years)
def test_kept_through_the_anniversary_and_expired_the_day_after(closed, n):
    anniversary = retention.anniversary(closed, n)
    assert not retention.expired(closed, n, anniversary)
    assert retention.expired(closed, n, anniversary + timedelta(days=1))
    assert not retention.expired(closed, n, closed)


@given(days, years, days)
def test_never_expired_within_n_calendar_years(closed, n, today):
    if retention.expired(closed, n, today):
        assert (today - closed).days >= 365 * n
        assert today.year - closed.year >= n


@given(days, years, days)
def test_the_database_prefilter_never_misses_an_expired_record(closed, n, today):
    if retention.expired(closed, n, today):
        assert closed <= retention.latest_candidate(n, today)


@given(days, days, years, days)
def test_expiry_is_monotonic_in_the_closing_day(first, second, n, today):
    early, late = sorted((first, second))
    if retention.expired(late, n, today):
        assert retention.expired(early, n, today)


def test_no_limit_never_expires():
    assert not retention.expired(date(1900, 1, 1), None, date(2100, 1, 1))


def test_29_february_reaches_its_anniversary_on_1_march():
    assert retention.anniversary(date(2024, 2, 29), 1) == date(2025, 3, 1)
    assert not retention.expired(date(2024, 2, 29), 1, date(2025, 3, 1))
    assert retention.expired(date(2024, 2, 29), 1, date(2025, 3, 2))
    assert retention.anniversary(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_identifiers_are_normalised():
    assert retention.normalise_phone("+84 912.345.678") == "0912345678"
    assert retention.normalise_phone("84912345678") == "0912345678"
    assert retention.normalise_phone("０９１２ ３４５ ６７８") == "0912345678"
    assert retention.normalise_id_number(" 001 090 012 345 ") == "001090012345"
    assert retention.normalise_id_number("b1234567") == "B1234567"
    assert retention.normalise_email("  An@Example.COM ") == "an@example.com"
