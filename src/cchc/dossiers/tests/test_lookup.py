"""Public lookup: code plus a second factor, rate-limited, no personal data on the page."""

import re
from datetime import timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from cchc.dossiers import services

from .conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(officer, unit, procedure, applicant):
    return services.receive_at_counter(officer, unit, procedure, applicant)


def same_page(page: str, code: str) -> str:
    """The page without what differs between any two answers (the code typed, the CSRF token,
    the Content-Security-Policy nonce)."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page.replace(code, "CODE"))
    return re.sub(r'nonce="[^"]*"', "", page)


def post(client, code, digits, address="10.0.0.1"):
    return client.post("/tra-cuu/", {"code": code, "digits": digits}, REMOTE_ADDR=address)


@pytest.mark.parametrize("digits", ["5678", "2345"])  # phone 0912345678, ID 001090012345
def test_code_with_last_digits_of_phone_or_id_shows_status(client, dossier, digits):
    page = post(client, dossier.code, digits).content.decode()
    assert dossier.code in page and dossier.procedure.name in page
    assert dossier.receiving_unit.name in page
    for private in ("001090012345", "0912345678", "Nguyễn Văn An", "an@example.com", "motcua"):
        assert private not in page


def test_wrong_digits_and_unknown_code_read_the_same(client, dossier):
    wrong = post(client, dossier.code, "0000").content.decode()
    unknown = post(client, "000.00.31.H99-250101-9999", "5678").content.decode()
    assert dossier.procedure.name not in wrong
    assert wrong.replace(dossier.code, "X").count("alert-warning") == 1
    assert unknown.count("alert-warning") == 1


def test_wrong_attempts_from_one_address_are_rate_limited(client, dossier, settings):
    for number in range(settings.CCHC_LOOKUP_MAX_FAILURES):  # guessing codes, not one code
        post(client, f"000.00.31.H99-250101-{number:04d}", "0000")
    blocked = post(client, dossier.code, "5678").content.decode()
    assert dossier.procedure.name not in blocked
    assert "quá nhiều lần" in blocked
    # Another client address is not affected.
    assert dossier.procedure.name in post(client, dossier.code, "5678", "10.0.0.2").content.decode()


def test_guesses_on_one_code_from_many_addresses_lock_the_code(client, dossier):
    """90 wrong guesses on one code from 10 addresses were never refused; then the right digits
    were accepted. Past the per-code limit the right digits are refused too, from any address,
    with the very page an unknown code gets."""
    guesses = iter(f"{n:04d}" for n in range(1000, 10000) if f"{n:04d}" not in ("5678", "2345"))
    for address in range(10):
        for _ in range(9):  # below the per-address limit
            post(client, dossier.code, next(guesses), f"198.51.100.{address}")
    page = post(client, dossier.code, "5678", "198.51.100.99").content.decode()
    assert dossier.procedure.name not in page
    unknown = post(client, "000.00.31.H99-250101-9999", "5678", "198.51.100.98").content.decode()
    assert same_page(page, dossier.code) == same_page(unknown, "000.00.31.H99-250101-9999")


def test_the_code_lock_ends_with_its_window(client, dossier, settings):
    settings.CCHC_LOOKUP_CODE_MAX_FAILURES = 3
    with time_machine.travel(local(2025, 3, 4, 9, 0), tick=False) as traveller:
        for number in range(3):
            post(client, dossier.code, "0000", f"198.51.100.{number}")
        assert dossier.procedure.name not in post(client, dossier.code, "5678").content.decode()
        traveller.shift(timedelta(seconds=settings.CCHC_LOOKUP_CODE_WINDOW_SECONDS + 1))
        assert dossier.procedure.name in post(client, dossier.code, "5678").content.decode()


def test_a_locked_code_and_an_unknown_code_read_the_same_in_the_api(dossier, settings):
    settings.CCHC_LOOKUP_CODE_MAX_FAILURES = 3
    api = APIClient()
    unknown = "000.00.31.H99-250101-9999"
    for code in (dossier.code, unknown):
        for number in range(3):
            api.post(
                "/api/v1/lookup/", {"code": code, "digits": "0000"}, REMOTE_ADDR=f"10.1.0.{number}"
            )
    answers = [
        api.post("/api/v1/lookup/", {"code": code, "digits": "5678"}, REMOTE_ADDR="10.2.0.1")
        for code in (dossier.code, unknown, "000.00.31.H99-250101-9998")
    ]
    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.content for answer in answers}) == 1


def test_clients_behind_a_trusted_proxy_are_counted_apart(client, dossier, settings):
    settings.CCHC_TRUSTED_PROXIES = ["10.9.0.1"]
    for number in range(settings.CCHC_LOOKUP_MAX_FAILURES):
        client.post(
            "/tra-cuu/",
            {"code": f"000.00.31.H99-250101-{number:04d}", "digits": "0000"},
            REMOTE_ADDR="10.9.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )

    def look(forwarded_for):
        return client.post(
            "/tra-cuu/",
            {"code": dossier.code, "digits": "5678"},
            REMOTE_ADDR="10.9.0.1",
            HTTP_X_FORWARDED_FOR=forwarded_for,
        ).content.decode()

    assert dossier.procedure.name not in look("203.0.113.7")
    assert dossier.procedure.name in look("203.0.113.8")


def test_invalid_form_does_not_500(client, dossier):
    assert client.post("/tra-cuu/", {"code": "", "digits": "12ab"}).status_code == 200
    assert client.get("/tra-cuu/", {"ma": dossier.code}).status_code == 200


def test_rating_from_the_lookup_once(client, dossier, leader):
    services.approve_result(dossier.pk, leader, "approved", "3/XN", "")
    post(client, dossier.code, "5678")
    page = client.post(
        "/tra-cuu/", {"code": dossier.code, "digits": "5678", "score": "4", "comment": "Nhanh"}
    ).content.decode()
    dossier.refresh_from_db()
    assert dossier.rating.score == 4
    again = client.post("/tra-cuu/", {"code": dossier.code, "digits": "5678", "score": "1"})
    dossier.rating.refresh_from_db()
    assert dossier.rating.score == 4 and again.status_code == 200
    assert 'name="score"' not in page
