"""Following a feedback takes its code as people type it; a non-code costs no try."""

import pytest
from django.urls import reverse

from cchc.feedback import codes, limits

from .conftest import PHONE, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback(unit, clock):
    return submit(unit)[0]


def look(client, code, digits=PHONE[-4:]):
    return client.post(reverse("feedback:lookup"), {"code": code, "digits": digits})


@pytest.mark.parametrize(
    "typed",
    [
        "pa-250303-0001",
        " PA 250303 0001 ",
        "PA–250303–0001",  # en dashes
        "pa2503030001",
        "ＰＡ－２５０３０３－０００１",  # full width
    ],
)
def test_every_spelling_of_the_code_finds_the_feedback(client, feedback, typed):
    assert feedback.code == "PA-250303-0001"
    assert codes.normalise(typed) == feedback.code
    response = look(client, typed)
    assert response.context.get("feedback") == feedback


def test_old_seven_digit_codes_stay_valid():
    assert codes.normalise("pa 260718 0000047") == "PA-260718-0000047"
    assert codes.problem("PA-260718-0000047") is None and codes.is_old_format("PA-260718-0000047")


def test_a_non_code_gets_a_hint_and_costs_no_try(client, feedback, settings):
    settings.CCHC_FEEDBACK_LOOKUP_MAX_FAILURES = 3
    for _ in range(5):
        response = look(client, "phản ánh của tôi")
        assert "code" in response.context["form"].errors
        assert codes.EXAMPLE in response.content.decode()
    assert not limits.lookup_blocked("127.0.0.1")
    assert look(client, feedback.code.lower()).context.get("feedback") == feedback


def test_spellings_of_one_code_share_its_limit(client, feedback, settings):
    settings.CCHC_LOOKUP_CODE_MAX_FAILURES = 3
    for number, typed in enumerate(["pa-250303-0001", "PA 250303 0001", "pa2503030001"]):
        client.post(
            reverse("feedback:lookup"),
            {"code": typed, "digits": "0000"},
            REMOTE_ADDR=f"198.51.100.{number}",
        )
    assert look(client, feedback.code).context.get("feedback") is None


def test_the_dossier_code_in_the_form_is_normalised(dossier, clock):
    spaced = " " + dossier.code.lower().replace("-", " - ") + " "
    feedback, _ = submit(subject_kind="dossier", dossier_code=spaced, dossier_digits="4321")
    assert feedback.dossier == dossier


def test_a_non_dossier_code_in_the_form_is_a_hint_not_a_try(dossier, settings, clock):
    from cchc.dossiers import lookup as dossier_lookup
    from cchc.feedback import services

    for _ in range(settings.CCHC_LOOKUP_MAX_FAILURES + 1):
        with pytest.raises(services.SubmissionInvalid) as error:
            submit(subject_kind="dossier", dossier_code="hồ sơ đất", dossier_digits="4321")
        assert "000.00.31.H99-250124-0007" in error.value.errors["dossier_code"]
    assert not dossier_lookup.blocked("10.0.0.1")


@pytest.mark.parametrize("typed", ["pa 250303", "PA2503030001", "pa–250303–0001"])
def test_searching_by_a_code_however_typed(feedback, typed):
    from cchc.feedback import selectors
    from cchc.feedback.models import Feedback

    assert list(selectors.search(Feedback.objects.all(), typed)) == [feedback]
    assert codes.search_prefix("PAKN") is None
