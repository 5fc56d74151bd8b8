"""Dossier codes: the daily counter never overflows and never issues a code that exists."""

import pytest
import time_machine

from cchc.dossiers import lookup, services
from cchc.dossiers.models import DailySequence, Dossier, Status

from .conftest import local

pytestmark = pytest.mark.django_db

NOW = local(2026, 12, 4, 9, 0)


def _imported(unit, procedure, code: str) -> Dossier:
    """A dossier written with a code of this system's shape, as an import would."""
    return Dossier.objects.create(
        code=code,
        receiving_unit=unit,
        current_unit=unit,
        procedure=procedure,
        status=Status.PROCESSING,
        channel=1,
        applicant_name="(không rõ)",
        applicant_id_type="other",
        applicant_id_number="",
        imported=True,
    )


def test_a_counter_at_the_integer_limit_is_a_clear_error_not_an_overflow(
    officer, unit, procedure, applicant
):
    # A counter left at 2**31 - 1 (e.g. by an import before codes were checked).
    DailySequence.objects.create(unit=unit, day=NOW.date(), last_value=2_147_483_647)
    with time_machine.travel(NOW, tick=False), pytest.raises(services.DossierError) as refused:
        services.receive_at_counter(officer, unit, procedure, applicant)
    assert "999999" in refused.value.message and "04/12/2026" in refused.value.message
    assert not Dossier.objects.exists()
    assert DailySequence.objects.get(unit=unit).last_value == 2_147_483_647


def test_the_last_daily_number_is_issued_then_intake_is_refused(
    officer, unit, procedure, applicant
):
    DailySequence.objects.create(
        unit=unit, day=NOW.date(), last_value=services.MAX_DAILY_SEQUENCE - 1
    )
    with time_machine.travel(NOW, tick=False):
        last = services.receive_at_counter(officer, unit, procedure, applicant)
        assert last.code == "000.00.31.H99-261204-999999"
        with pytest.raises(services.DossierError):
            services.receive_at_counter(officer, unit, procedure, applicant)
    assert Dossier.objects.count() == 1


def test_a_busy_day_passes_9999_with_a_five_digit_number_that_lookup_accepts(
    officer, unit, procedure, applicant
):
    """A provincial centre can receive more than 9,999 dossiers a day: the number grows a digit
    (the code format's ``{seq:04d}`` is a minimum width), and codes stay unique and readable."""
    DailySequence.objects.create(unit=unit, day=NOW.date(), last_value=9_998)
    with time_machine.travel(NOW, tick=False):
        last_four = services.receive_at_counter(officer, unit, procedure, applicant)
        first_five = services.receive_at_counter(officer, unit, procedure, applicant)
    assert last_four.code == "000.00.31.H99-261204-9999"
    assert first_five.code == "000.00.31.H99-261204-10000"
    assert lookup.code_problem(first_five.code) is None
    assert lookup.normalise_code(" 000.00.31.h99-261204-10000 ") == first_five.code


def test_a_code_that_already_exists_is_skipped(officer, unit, procedure, applicant):
    for number in (1, 2, 4):
        _imported(unit, procedure, f"000.00.31.H99-261204-{number:04d}")
    with time_machine.travel(NOW, tick=False):
        codes = [
            services.receive_at_counter(officer, unit, procedure, applicant).code for _ in range(3)
        ]
    assert codes == [
        "000.00.31.H99-261204-0003",
        "000.00.31.H99-261204-0005",
        "000.00.31.H99-261204-0006",
    ]
    assert DailySequence.objects.get(unit=unit).last_value == 6


def test_a_long_run_of_taken_codes_is_skipped_in_one_step(officer, unit, procedure, applicant):
    for number in range(1, 121):
        _imported(unit, procedure, f"000.00.31.H99-261204-{number:04d}")
    with time_machine.travel(NOW, tick=False):
        dossier = services.receive_at_counter(officer, unit, procedure, applicant)
    assert dossier.code == "000.00.31.H99-261204-0121"
    assert DailySequence.objects.get(unit=unit).last_value == 121
