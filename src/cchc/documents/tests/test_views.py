"""Download views: scoping (404 outside), forms that do not apply, bad periods (400)."""

import io

import pytest
from django.template import Context, Template
from django.utils.html import escape
from django.utils.translation import gettext, override
from openpyxl import load_workbook

from cchc.organisations.models import Role, RoleAssignment

from .conftest import pdf_text

pytestmark = pytest.mark.django_db

PERIOD = {"tu": "01/06/2024", "den": "30/06/2024"}


@pytest.fixture
def outsider(django_user_model, other_unit):
    """A one-stop officer of another unit of the same province."""
    user = django_user_model.objects.create_user("ngoai", password="x", full_name="Ngoài")
    RoleAssignment.objects.create(user=user, unit=other_unit, role=Role.ONE_STOP_OFFICER)
    return user


def pdf_url(dossier, key):
    return f"/ho-so/{dossier.pk}/bieu-mau/{key}.pdf"


def test_officer_downloads_a_form(client, officer, returned_old):
    client.force_login(officer)
    response = client.get(pdf_url(returned_old, "receipt"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert "no-store" in response["Cache-Control"]
    assert returned_old.code in pdf_text(response.content)


def test_auditor_of_the_province_sees_the_dossier(client, auditor, returned_old):
    client.force_login(auditor)
    assert client.get(pdf_url(returned_old, "control")).status_code == 200


def test_forms_outside_the_scope_are_not_found(client, outsider, returned_old):
    client.force_login(outsider)
    assert client.get(pdf_url(returned_old, "receipt")).status_code == 404


def test_anonymous_is_sent_to_login(client, returned_old):
    response = client.get(pdf_url(returned_old, "receipt"))
    assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.parametrize("key", ["refusal", "stop", "apology", "supplement", "log_book", "xyz"])
def test_forms_that_do_not_apply_are_not_found(client, officer, returned_old, key):
    client.force_login(officer)
    assert client.get(pdf_url(returned_old, key)).status_code == 404


def test_log_book_download(client, officer, unit, returned_old):
    client.force_login(officer)
    response = client.get("/so-theo-doi.xlsx", {"don_vi": unit.code, **PERIOD})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=9, column=2).value == returned_old.code


def test_log_book_outside_the_scope_is_not_found(client, officer, outsider, unit, other_unit):
    client.force_login(officer)
    assert client.get("/so-theo-doi.xlsx", {"don_vi": other_unit.code}).status_code == 404
    assert client.get("/so-theo-doi.xlsx", {"don_vi": "không-có"}).status_code == 404
    client.force_login(outsider)
    assert client.get("/so-theo-doi.xlsx", {"don_vi": unit.code, **PERIOD}).status_code == 404


BAD_FORMAT = "Enter the dates as dd/mm/yyyy, for example %(example)s."
REVERSED = "The start date must not be after the end date."
TOO_LONG = "The log book covers at most %(days)d days at a time."


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"tu": "31/02/2024"}, BAD_FORMAT),
        ({"tu": "2024-06-01"}, BAD_FORMAT),
        ({"den": "1/6"}, BAD_FORMAT),
        ({"tu": "10/06/2024", "den": "01/06/2024"}, REVERSED),
        ({"tu": "01/01/2023", "den": "31/12/2024"}, TOO_LONG),
    ],
)
def test_bad_periods_are_a_400_page(client, officer, unit, params, message):
    client.force_login(officer)
    response = client.get("/so-theo-doi.xlsx", {"don_vi": unit.code, **params})
    assert response.status_code == 400
    page = response.content.decode()
    with override("vi"):
        expected = gettext(message).split("%(")[0]
    assert escape(expected) in page


def test_missing_unit_is_a_400_page(client, officer):
    client.force_login(officer)
    assert client.get("/so-theo-doi.xlsx").status_code == 400


def test_template_tags_offer_the_applicable_forms_and_the_log_book(officer, unit, returned_old):
    html = Template("{% load official_forms %}{% official_form_links dossier %}").render(
        Context({"dossier": returned_old})
    )
    assert pdf_url(returned_old, "receipt") in html
    assert pdf_url(returned_old, "control") in html
    assert "refusal" not in html
    assert "Mẫu số 05: Phiếu kiểm soát quá trình giải quyết hồ sơ" in html
    html = Template("{% load official_forms %}{% log_book_form user %}").render(
        Context({"user": officer})
    )
    assert 'action="/so-theo-doi.xlsx"' in html and f'value="{unit.code}"' in html
