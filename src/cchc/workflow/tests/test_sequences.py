"""The daily counter: one upsert per block, never past its maximum, never a number twice."""

from datetime import date

import pytest

from cchc.dossiers.models import DailySequence
from cchc.feedback.models import FeedbackSequence
from cchc.workflow.sequences import reserve_numbers
from cchc.workflow.testing import run_together

DAY = date(2026, 12, 4)


@pytest.mark.django_db
def test_the_first_number_of_a_day_is_one_and_the_counter_moves_by_blocks():
    assert list(reserve_numbers(FeedbackSequence, {"day": DAY})) == [1]
    assert list(reserve_numbers(FeedbackSequence, {"day": DAY}, count=3)) == [2, 3, 4]
    assert list(reserve_numbers(FeedbackSequence, {"day": date(2026, 12, 5)})) == [1]
    assert FeedbackSequence.objects.get(day=DAY).last_value == 4
    assert list(reserve_numbers(FeedbackSequence, {"day": DAY}, count=0)) == []


@pytest.mark.django_db
def test_counters_are_kept_per_unit_and_day(unit, other_unit):
    assert list(reserve_numbers(DailySequence, {"unit": unit.pk, "day": DAY})) == [1]
    assert list(reserve_numbers(DailySequence, {"unit": unit.pk, "day": DAY})) == [2]
    assert list(reserve_numbers(DailySequence, {"unit": other_unit.pk, "day": DAY})) == [1]


@pytest.mark.django_db
def test_the_maximum_is_issued_then_nothing_and_the_counter_stays(unit):
    key = {"unit": unit.pk, "day": DAY}
    DailySequence.objects.create(unit=unit, day=DAY, last_value=98)
    assert reserve_numbers(DailySequence, key, count=3, maximum=100) is None  # 101 would pass
    assert list(reserve_numbers(DailySequence, key, count=2, maximum=100)) == [99, 100]
    assert reserve_numbers(DailySequence, key, maximum=100) is None
    assert DailySequence.objects.get(unit=unit, day=DAY).last_value == 100
    assert reserve_numbers(FeedbackSequence, {"day": DAY}, count=5, maximum=4) is None
    assert not FeedbackSequence.objects.exists()


@pytest.mark.django_db
def test_a_counter_at_the_columns_limit_is_exhausted_not_an_overflow(unit):
    DailySequence.objects.create(unit=unit, day=DAY, last_value=2**31 - 1)
    assert reserve_numbers(DailySequence, {"unit": unit.pk, "day": DAY}, maximum=999_999) is None
    assert DailySequence.objects.get(unit=unit, day=DAY).last_value == 2**31 - 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_get_the_same_number(unit):
    def reserve():
        return list(reserve_numbers(DailySequence, {"unit": unit.pk, "day": DAY}, count=2))

    results = run_together(*[reserve] * 5)
    numbers = [n for block in results for n in block]
    assert sorted(numbers) == list(range(1, 11)), results
