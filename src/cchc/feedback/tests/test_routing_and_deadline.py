"""Submission: validation, routing to the responsible unit, the working-day answer deadline."""

import re

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured

from cchc.feedback import services
from cchc.feedback.models import Feedback, FeedbackStatus
from cchc.workdays.models import CalendarDay, CalendarDayKind, CalendarYear

from .conftest import local, sender, submit

pytestmark = pytest.mark.django_db


# -- routing -------------------------------------------------------------------------------------
def test_feedback_about_a_dossier_goes_to_the_unit_that_received_it(dossier, other_unit, clock):
    feedback, _ = submit(
        subject_kind="dossier",
        dossier_code=dossier.code,
        dossier_digits="4321",  # last digits of the applicant's phone
        unit=other_unit,  # the sender's choice does not override the dossier's unit
    )
    assert feedback.dossier == dossier
    assert feedback.unit == dossier.receiving_unit
    assert feedback.procedure == dossier.procedure  # taken from the dossier


def test_the_last_digits_of_the_id_number_work_too(dossier, clock):
    feedback, _ = submit(subject_kind="dossier", dossier_code=dossier.code, dossier_digits="2345")
    assert feedback.dossier == dossier


def test_the_dossier_owner_signed_in_needs_no_digits(dossier, citizen, clock):
    feedback, _ = submit(subject_kind="dossier", dossier_code=dossier.code, user=citizen)
    assert feedback.dossier == dossier and feedback.sender_user == citizen


def test_someone_else_must_give_the_digits(dossier, django_user_model, clock):
    other = django_user_model.objects.create_user("nguoikhac", password="pw-123456")
    with pytest.raises(services.FeedbackError) as error:
        submit(subject_kind="dossier", dossier_code=dossier.code, user=other)
    assert error.value.field == "dossier_digits"
    assert not Feedback.objects.exists()


def test_wrong_digits_and_unknown_codes_get_the_same_answer(dossier, clock):
    messages = []
    for code, digits in ((dossier.code, "0000"), ("000.01.31.H99-250303-9999", "4321")):
        with pytest.raises(services.FeedbackError) as error:
            submit(subject_kind="dossier", dossier_code=code, dossier_digits=digits)
        messages.append((error.value.field, error.value.message))
    assert messages[0] == messages[1]
    assert not Feedback.objects.exists()


def test_repeated_wrong_digits_are_blocked(dossier, settings, clock):
    for _ in range(settings.CCHC_LOOKUP_MAX_FAILURES):
        with pytest.raises(services.FeedbackError):
            submit(subject_kind="dossier", dossier_code=dossier.code, dossier_digits="0000")
    with pytest.raises(services.FeedbackError) as error:  # even the right digits, for a while
        submit(subject_kind="dossier", dossier_code=dossier.code, dossier_digits="4321")
    assert "Too many" in error.value.message or "quá nhiều" in error.value.message.lower()


def test_a_single_implementing_unit_is_chosen_for_a_procedure(procedure, unit, other_unit, clock):
    feedback, _ = submit(subject_kind="procedure", procedure=procedure, unit=other_unit)
    assert feedback.unit == unit


def test_several_implementing_units_the_chosen_one(shared_procedure, other_unit, clock):
    feedback, _ = submit(subject_kind="procedure", procedure=shared_procedure, unit=other_unit)
    assert feedback.unit == other_unit


def test_several_implementing_units_and_no_choice_go_to_the_service_centre(
    shared_procedure, centre, clock
):
    """ "— let the system route it —" is a valid answer: the service centre receives it."""
    feedback, _ = submit(subject_kind="procedure", procedure=shared_procedure, unit=None)
    assert feedback.unit == centre


def test_without_a_service_centre_the_highest_unit_receives(province, unit, clock):
    feedback, _ = submit(subject_kind="other", unit=None)
    assert feedback.unit == province


def test_the_default_unit_can_be_configured(province, unit, centre, other_unit, settings, clock):
    settings.CCHC_FEEDBACK_DEFAULT_UNIT = other_unit.code
    assert submit(subject_kind="other", unit=None)[0].unit == other_unit
    other_unit.active = False
    other_unit.save()
    assert submit(subject_kind="other", unit=None)[0].unit == centre


def test_route_prefers_dossier_then_procedure_then_choice(
    dossier, procedure, unit, other_unit, centre
):
    assert services.route(dossier=dossier, procedure=procedure, chosen_unit=other_unit) == (
        dossier.receiving_unit
    )
    assert services.route(procedure=procedure, chosen_unit=other_unit) == unit
    assert services.route(chosen_unit=other_unit) == other_unit
    other_unit.active = False
    other_unit.save()
    assert services.route(chosen_unit=other_unit) == centre  # an inactive choice: the default


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject_kind": "nonsense"}, "subject_kind"),
        ({"title": "  "}, "title"),
        ({"content": "Quá ngắn"}, "content"),
        ({"content": "x" * 5001}, "content"),
        ({"subject_kind": "procedure"}, "procedure"),
        ({"subject_kind": "dossier"}, "dossier_code"),
        ({"subject_kind": "officer"}, "officer_name"),
        ({"sender": sender(name="")}, "sender_name"),
        ({"sender": sender(phone="12ab")}, "sender_phone"),
        ({"sender": sender(email="not-an-email")}, "sender_email"),
        ({"sender": sender(phone="", email="")}, "sender_phone"),
        ({"sender": sender(kind="robot")}, "sender_kind"),
    ],
)
def test_bad_input_is_refused_with_its_field(unit, changes, field, clock):
    with pytest.raises(services.FeedbackError) as error:
        submit(unit, **changes)
    assert error.value.field == field
    assert not Feedback.objects.exists()


def test_a_signed_in_citizen_may_omit_contact_details(unit, citizen, clock):
    feedback, _ = submit(unit, sender=sender(phone="", email=""), user=citizen)
    assert feedback.sender_user == citizen


def test_an_inactive_chosen_unit_is_refused(unit, clock):
    unit.active = False
    unit.save()
    with pytest.raises(services.FeedbackError):
        submit(unit)


# -- codes and token -----------------------------------------------------------------------------
def test_codes_are_daily_sequences(unit, clock):
    first, token = submit(unit)
    second, _ = submit(unit)
    assert first.code == "PA-250303-0001" and second.code == "PA-250303-0002"
    assert re.fullmatch(r"[A-Za-z0-9_\-]{20,}", token)
    assert token not in first.rating_token_hash and first.token_matches(token)
    assert not first.token_matches("") and not first.token_matches(token + "x")
    with time_machine.travel(local(2025, 3, 4, 8, 0), tick=False):
        assert submit(unit)[0].code == "PA-250304-0001"


def test_submission_leaves_an_event(unit, clock):
    feedback, _ = submit(unit)
    assert feedback.status == FeedbackStatus.RECEIVED
    assert list(feedback.events.values_list("action", "status_after")) == [
        ("submitted", "received")
    ]


# -- deadline ------------------------------------------------------------------------------------
@pytest.fixture
def holidays_2025(db):
    """The official 2025 schedule seeded by the workdays migrations (Công văn 8726/VPCP-KGVX)."""
    days = dict(CalendarDay.objects.filter(date__year=2025).values_list("date", "kind"))
    assert days[local(2025, 4, 26).date()] == CalendarDayKind.WORKING_DAY  # make-up Saturday
    for day in ((4, 30), (5, 1), (5, 2)):
        assert days[local(2025, *day).date()] != CalendarDayKind.WORKING_DAY
    assert CalendarYear.objects.get(year=2025).official


def test_fifteen_working_days_skip_weekends_and_holidays(unit, holidays_2025):
    # Friday 25/4/2025: the receipt day does not count; Saturday 26/4 is worked; 30/4–4/5 off.
    with time_machine.travel(local(2025, 4, 25, 10, 0), tick=False):
        feedback, _ = submit(unit)
    assert feedback.received_at == local(2025, 4, 25, 10, 0)
    assert feedback.due_at == local(2025, 5, 20, 17, 0)


def test_the_number_of_days_is_a_setting(unit, holidays_2025, settings):
    settings.CCHC_FEEDBACK_ANSWER_DAYS = 2
    with time_machine.travel(local(2025, 4, 29, 16, 0), tick=False):
        feedback, _ = submit(unit)
    assert feedback.due_at == local(2025, 5, 6, 17, 0)  # 30/4–4/5 off: Mon 5/5 and Tue 6/5


def test_received_on_a_sunday_counts_from_monday(unit, holidays_2025, settings):
    settings.CCHC_FEEDBACK_ANSWER_DAYS = 1
    with time_machine.travel(local(2025, 5, 4, 20, 0), tick=False):
        feedback, _ = submit(unit)
    # Effective receipt Monday 5/5 07:30; the first counted day is Tuesday 6/5.
    assert feedback.due_at == local(2025, 5, 6, 17, 0)


@pytest.mark.parametrize("value", [0, -1, "15", 2001, True])
def test_a_bad_setting_is_a_configuration_error(settings, value):
    settings.CCHC_FEEDBACK_ANSWER_DAYS = value
    with pytest.raises(ImproperlyConfigured):
        services.answer_days()
