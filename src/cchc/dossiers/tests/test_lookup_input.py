"""The public lookup takes codes as people type them, and a non-code costs no try.

Codes are read off a paper receipt and typed on phones: lower case, spaces, an en dash from
auto-correction, full-width characters of a Vietnamese input method. All of these find the dossier
(page, API and the feedback form's dossier check, which share ``lookup.find``); something that
cannot be a dossier code gets a hint on the code's shape and never counts as a failure. The limits
per address and per code still hold, whatever the spelling of the code.
"""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from cchc.dossiers import lookup, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(officer, unit, procedure, applicant):
    return services.receive_at_counter(officer, unit, procedure, applicant)


def post(client, code, digits="5678", address="10.0.0.1"):
    return client.post("/tra-cuu/", {"code": code, "digits": digits}, REMOTE_ADDR=address)


def variants(code: str) -> list[str]:
    unit, day, number = code.rsplit("-", 2)
    full_width = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in code)
    return [
        code.lower(),
        f"  {code}  ",
        f"{unit} - {day} - {number}",
        f"{unit.lower()} – {day} – {number}",  # en dashes
        f"{unit}/{day}/{number}",
        f"{unit} {day} {number}",
        full_width,
    ]


def test_normalise_code_gives_the_stored_form():
    code = "000.00.31.H99-250124-0007"
    for typed in variants(code):
        assert lookup.normalise_code(typed) == code, typed
    assert lookup.normalise_code("legacy-ab12") == "LEGACY-AB12"


@pytest.mark.parametrize("typed", ["", "abc", "hồ sơ của tôi", "12", "x" * 81])
def test_non_codes_have_a_problem(typed):
    assert lookup.code_problem(lookup.normalise_code(typed))


def test_every_spelling_of_the_code_finds_the_dossier_on_the_page(client, dossier):
    for number, typed in enumerate(variants(dossier.code)):
        page = post(client, typed, address=f"10.0.1.{number}").content.decode()
        assert dossier.procedure.name in page, typed


def test_full_width_digits_are_digits(client, dossier):
    assert dossier.procedure.name in post(client, dossier.code, "５６７８").content.decode()


def test_a_non_code_gets_a_hint_and_costs_no_try(client, dossier, settings):
    for _ in range(settings.CCHC_LOOKUP_MAX_FAILURES + 2):
        page = post(client, "hồ sơ của tôi").content.decode()
        assert "000.00.31.H99-250124-0007" in page  # the hint shows the code's shape
        assert "quá nhiều lần" not in page
    assert not lookup.blocked("10.0.0.1")
    assert dossier.procedure.name in post(client, dossier.code.lower()).content.decode()


def test_lowercase_guesses_count_against_the_same_code(client, dossier, settings):
    """Spelling a code differently does not get round the per-code limit."""
    settings.CCHC_LOOKUP_CODE_MAX_FAILURES = 3
    spellings = [dossier.code.lower(), f" {dossier.code} ", dossier.code.replace("-", " – ")]
    for number, typed in enumerate(spellings):
        post(client, typed, "0000", f"198.51.100.{number}")
    assert dossier.procedure.name not in post(client, dossier.code, "5678").content.decode()


def test_the_per_address_limit_still_holds(client, dossier, settings):
    for number in range(settings.CCHC_LOOKUP_MAX_FAILURES):
        post(client, f"000.00.31.h99-250101-{number:04d}", "0000")
    page = post(client, dossier.code.lower()).content.decode()
    assert dossier.procedure.name not in page and "quá nhiều lần" in page


def test_api_normalises_and_answers_a_non_code_with_a_field_error(dossier, settings):
    cache.clear()
    api = APIClient()
    found = api.post("/api/v1/lookup/", {"code": dossier.code.lower(), "digits": "5678"})
    assert found.status_code == 200 and found.json()["code"] == dossier.code
    for _ in range(settings.CCHC_LOOKUP_MAX_FAILURES + 1):
        bad = api.post("/api/v1/lookup/", {"code": "mã của tôi", "digits": "5678"})
        assert bad.status_code == 400 and "code" in bad.json()
    again = api.post("/api/v1/lookup/", {"code": f" {dossier.code} ", "digits": "5678"})
    assert again.status_code == 200
