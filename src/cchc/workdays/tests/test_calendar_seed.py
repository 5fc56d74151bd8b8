"""The data migration seeds 2023–2026 exactly as the official table says, every single day."""

from datetime import date, timedelta

import pytest

from cchc.workdays import services
from cchc.workdays.models import CalendarDay, CalendarDayKind, CalendarYear

from .official_table import TABLE, WORKING_DAYS_PER_YEAR, days_off, working_weekend_days

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("year", sorted(TABLE))
def test_every_day_of_the_seeded_year_matches_the_table(year):
    calendar = services.get_calendar()
    off, worked = days_off(year), working_weekend_days(year)
    day = date(year, 1, 1)
    mismatches = []
    while day.year == year:
        expected = day in worked or (day.weekday() < 5 and day not in off)
        if calendar.is_working_day(day) != expected:
            mismatches.append(day)
        day += timedelta(days=1)
    assert mismatches == []


@pytest.mark.parametrize("year", sorted(TABLE))
def test_working_days_per_year(year):
    assert services.get_calendar().working_days_in_year(year) == WORKING_DAYS_PER_YEAR[year]


def test_seeded_years_are_official_and_days_carry_their_document():
    assert set(CalendarYear.objects.filter(official=True).values_list("year", flat=True)) == set(
        TABLE
    )
    swap = CalendarDay.objects.get(date=date(2024, 4, 29))
    assert swap.kind == CalendarDayKind.DAY_OFF
    assert swap.document == "Công văn 2450/VPCP-KGVX"
    status = services.get_calendar().status(date(2024, 4, 29))
    assert "2450/VPCP-KGVX" in status.reason


def test_admin_edit_is_seen_at_the_next_call():
    calendar = services.get_calendar()
    assert calendar.is_working_day(date(2026, 11, 24))
    CalendarDay.objects.create(
        date=date(2026, 11, 24), kind=CalendarDayKind.HOLIDAY, name="Ngày Văn hóa Việt Nam"
    )
    assert not services.get_calendar().is_working_day(date(2026, 11, 24))


def test_unentered_year_falls_back_to_statute_and_is_provisional():
    calendar = services.get_calendar()
    assert not calendar.is_official_year(2027)
    assert not calendar.is_working_day(date(2027, 9, 2))  # Quốc khánh
    assert "[dự kiến]" in calendar.status(date(2027, 9, 2)).reason
    assert calendar.is_working_day(date(2027, 9, 6))


def test_draft_year_writes_statutory_weekdays_only_once():
    created = services.draft_year_from_statute(2027)
    assert created and all(day.date.weekday() < 5 for day in created)
    assert services.draft_year_from_statute(2027) == []
    assert CalendarYear.objects.get(year=2027).official is False


def test_model_validation_of_kinds():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        CalendarDay(date=date(2025, 3, 5), kind=CalendarDayKind.WORKING_DAY, name="x").full_clean()
    with pytest.raises(ValidationError):
        CalendarDay(date=date(2025, 3, 8), kind=CalendarDayKind.DAY_OFF, name="x").full_clean()


def test_every_swapped_day_names_its_deciding_document():
    """A weekday off by swap and its make-up Saturday (hoán đổi ngày làm việc) each cite the
    document that decided them, like the January 2026 swap always did."""
    swaps = CalendarDay.objects.filter(
        kind__in=[CalendarDayKind.DAY_OFF, CalendarDayKind.WORKING_DAY]
    )
    assert swaps.count() == 8  # 2024, 2025 and two in 2026: each a weekday off and a Saturday
    assert [day.date for day in swaps.filter(document="")] == []
    documents = dict(swaps.values_list("date", "document"))
    assert "9441/TB-BNV" in documents[date(2026, 8, 22)]
    assert "9441/TB-BNV" in documents[date(2026, 8, 31)]
    assert "6150/TB-BLĐTBXH" in documents[date(2025, 4, 26)]
    assert "6150/TB-BLĐTBXH" in documents[date(2025, 5, 2)]
    assert "9441/TB-BNV" in services.get_calendar().status(date(2026, 8, 31)).reason
