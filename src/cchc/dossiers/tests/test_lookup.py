"""Public lookup: code plus a second factor, rate-limited, no personal data on the page."""

import pytest

from cchc.dossiers import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(officer, unit, procedure, applicant):
    return services.receive_at_counter(officer, unit, procedure, applicant)


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


def test_wrong_attempts_are_rate_limited(client, dossier):
    for _ in range(10):
        post(client, dossier.code, "0000")
    blocked = post(client, dossier.code, "5678").content.decode()
    assert dossier.procedure.name not in blocked
    # Another client address is not affected.
    assert dossier.procedure.name in post(client, dossier.code, "5678", "10.0.0.2").content.decode()


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
