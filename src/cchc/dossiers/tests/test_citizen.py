"""Citizen pages: online submission, own dossiers only, supplement, withdrawal, rating."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.dossiers import services
from cchc.dossiers.models import Dossier, Status

from .conftest import page_version, seen

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(django_user_model):
    return django_user_model.objects.create_user("congdan", password="pw-123456", full_name="An")


@pytest.fixture
def online_procedure(procedure, unit):
    procedure.implementing_units.add(unit)
    return procedure


def form_data(unit, procedure, submit="1", with_file=True):
    component = procedure.components.get()
    data = {
        "unit": unit.pk,
        "online_mode": "full",
        "applicant_kind": "individual",
        "applicant_name": "Lê Thị Cúc",
        "applicant_id_type": "cccd",
        "applicant_id_number": "001190004321",
        "applicant_phone": "0901234567",
        "submit": submit,
    }
    if with_file:
        data[f"file_{component.pk}"] = SimpleUploadedFile("to-khai.pdf", b"%PDF-1.7 scan")
    return data


def test_signup_logs_in(client):
    response = client.post(
        "/cong-dan/dang-ky/",
        {"username": "binh", "full_name": "Trần Bình", "password1": "Mat-khau-2026!",
         "password2": "Mat-khau-2026!"},
    )  # fmt: skip
    assert response.status_code == 302
    assert client.get("/cong-dan/ho-so/").status_code == 200


def test_submit_online_gets_a_code(client, citizen, unit, online_procedure):
    client.force_login(citizen)
    assert client.get(f"/cong-dan/nop/{online_procedure.code}/").status_code == 200
    response = client.post(
        f"/cong-dan/nop/{online_procedure.code}/", form_data(unit, online_procedure)
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.status == Status.SUBMITTED and dossier.code.startswith(unit.code)
    assert dossier.applicant_user == citizen and dossier.components.get().digitised
    assert dossier.code in client.get("/cong-dan/ho-so/").content.decode()


def test_draft_then_submit(client, citizen, unit, online_procedure):
    client.force_login(citizen)
    client.post(f"/cong-dan/nop/{online_procedure.code}/", form_data(unit, online_procedure, "0"))
    draft = Dossier.objects.get()
    assert draft.status == Status.DRAFT and draft.code is None
    client.post(f"/cong-dan/ho-so/{draft.pk}/nop/")
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.code


def test_submit_without_mandatory_document_is_refused(client, citizen, unit, online_procedure):
    client.force_login(citizen)
    response = client.post(
        f"/cong-dan/nop/{online_procedure.code}/",
        form_data(unit, online_procedure, with_file=False),
    )
    assert response.status_code == 200
    assert not Dossier.objects.filter(status=Status.SUBMITTED).exists()


def test_fake_pdf_is_refused(client, citizen, unit, online_procedure):
    client.force_login(citizen)
    data = form_data(unit, online_procedure)
    data[f"file_{online_procedure.components.get().pk}"] = SimpleUploadedFile(
        "to-khai.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )
    assert client.post(f"/cong-dan/nop/{online_procedure.code}/", data).status_code == 200
    assert not Dossier.objects.exists()


def test_citizen_sees_only_own_dossiers(client, citizen, django_user_model, unit, online_procedure):
    client.force_login(citizen)
    client.post(f"/cong-dan/nop/{online_procedure.code}/", form_data(unit, online_procedure))
    dossier = Dossier.objects.get()
    client.get("/cong-dan/ho-so/")  # shows (and consumes) the confirmation message
    other = django_user_model.objects.create_user("khac", password="x")
    client.force_login(other)
    assert client.get(f"/cong-dan/ho-so/{dossier.pk}/").status_code == 404
    assert dossier.code not in client.get("/cong-dan/ho-so/").content.decode()
    assert client.get(f"/ho-so/{dossier.pk}/").status_code == 404  # no staff role


def test_supplement_withdraw_and_rating(
    client, citizen, officer, processor, leader, unit, online_procedure
):
    client.force_login(citizen)
    client.post(f"/cong-dan/nop/{online_procedure.code}/", form_data(unit, online_procedure))
    dossier = Dossier.objects.get()
    services.accept(dossier.pk, officer)
    services.forward(dossier.pk, officer)
    services.request_supplement(
        dossier.pk,
        processor,
        "Bản sao sổ hộ khẩu",
        "Thiếu giấy tờ",
        expected_version=seen(dossier.pk),
    )
    page = client.get(f"/cong-dan/ho-so/{dossier.pk}/").content.decode()
    assert "Bản sao sổ hộ khẩu" in page
    component = online_procedure.components.get()
    client.post(
        f"/cong-dan/ho-so/{dossier.pk}/bo-sung/",
        {
            f"file_{component.pk}": SimpleUploadedFile("bo-sung.pdf", b"%PDF-1.4 more"),
            "version": page_version(page),
        },
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    services.approve_result(dossier.pk, leader, "approved", "9/XN", "")
    client.post(f"/cong-dan/ho-so/{dossier.pk}/danh-gia/", {"score": "5", "comment": "Tốt"})
    assert dossier.rating.score == 5
    client.post(f"/cong-dan/ho-so/{dossier.pk}/danh-gia/", {"score": "1"})
    dossier.rating.refresh_from_db()
    assert dossier.rating.score == 5  # once only


def test_citizen_withdraws(client, citizen, unit, online_procedure):
    client.force_login(citizen)
    client.post(f"/cong-dan/nop/{online_procedure.code}/", form_data(unit, online_procedure))
    dossier = Dossier.objects.get()
    client.post(f"/cong-dan/ho-so/{dossier.pk}/rut/", {"reason": "Không còn nhu cầu"})
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN


def test_online_submission_needs_login(client, online_procedure):
    response = client.get(f"/cong-dan/nop/{online_procedure.code}/")
    assert response.status_code == 302 and "dang-nhap" in response["Location"]
