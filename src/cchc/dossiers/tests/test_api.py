"""REST API: same rules and scoping as the pages; 400/403/409, never 500."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cchc.dossiers import services
from cchc.dossiers.models import Dossier, Status

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def intake_payload(unit_obj, procedure_obj, **changes):
    unit, procedure = unit_obj, procedure_obj
    payload = {
        "procedure": procedure.code,
        "unit": unit.code,
        "applicant_kind": "individual",
        "applicant_name": "Phạm Văn Đức",
        "applicant_id_type": "cccd",
        "applicant_id_number": "036085001234",
        "applicant_phone": "0977000111",
        "applicant_birth_date": "12/03/1985",
        "components": [procedure.components.get().pk],
    }
    payload.update(changes)
    return payload


def test_intake_and_actions_through_the_api(officer, processor, leader, unit, procedure):
    response = api(officer).post(
        "/api/v1/dossiers/", intake_payload(unit, procedure), format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == Status.RECEIVED and data["code"].startswith(unit.code)
    pk = data["id"]
    response = api(officer).post(
        f"/api/v1/dossiers/{pk}/forward/", {"handler": "chuyenvien", "version": 1}, format="json"
    )
    assert response.status_code == 200 and response.json()["current_handler"] == "chuyenvien"
    response = api(leader).post(
        f"/api/v1/dossiers/{pk}/approve-result/",
        {"outcome": "approved", "number": "12/XN-UBND"},
        format="json",
    )
    assert response.json()["status"] == Status.RESOLVED
    detail = api(officer).get(f"/api/v1/dossiers/{pk}/").json()
    assert [e["action"] for e in detail["events"]] == ["received", "forwarded", "resolved"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"procedure": "9.999999"}, "procedure"),
        ({"unit": "KHONG"}, "unit"),
        ({"applicant_id_number": "12"}, "applicant_id_number"),
        ({"applicant_birth_date": "31/02/1990"}, "applicant_birth_date"),
        ({"applicant_kind": "robot"}, "applicant_kind"),
        ({"channel": 2}, "channel"),
    ],
)
def test_invalid_payloads_are_400_with_field_errors(officer, unit, procedure, changes, field):
    response = api(officer).post(
        "/api/v1/dossiers/", intake_payload(unit, procedure, **changes), format="json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not Dossier.objects.exists()


def test_wrong_role_is_403_and_wrong_state_is_409(officer, processor, unit, procedure, applicant):
    dossier = services.receive_at_counter(officer, unit, procedure, applicant)
    forbidden = api(processor).post(
        f"/api/v1/dossiers/{dossier.pk}/approve-result/",
        {"outcome": "approved", "number": "1"},
        format="json",
    )
    assert forbidden.status_code == 403
    conflict = api(officer).post(
        f"/api/v1/dossiers/{dossier.pk}/return-result/", {"method": "counter"}, format="json"
    )
    assert conflict.status_code == 409 and conflict.json()["code"] == "transition_not_allowed"
    stale = api(officer).post(
        f"/api/v1/dossiers/{dossier.pk}/forward/", {"version": 99}, format="json"
    )
    assert stale.status_code == 409 and stale.json()["code"] == "stale"


def test_scoping_and_authentication(officer, unit, procedure, applicant, django_user_model):
    dossier = services.receive_at_counter(officer, unit, procedure, applicant)
    assert api().get("/api/v1/dossiers/").status_code in (401, 403)
    stranger = django_user_model.objects.create_user("ngoai", password="x")
    assert api(stranger).get("/api/v1/dossiers/").status_code == 403
    assert api(officer).get(f"/api/v1/dossiers/{dossier.pk}/").status_code == 200
    listing = api(officer).get("/api/v1/dossiers/", {"q": dossier.code}).json()
    assert [item["code"] for item in listing["results"]] == [dossier.code]


def test_online_submission_api(django_user_model, unit, procedure):
    citizen = django_user_model.objects.create_user("congdan", password="x")
    client = api(citizen)
    payload = intake_payload(unit, procedure)
    payload.pop("components")
    draft = client.post("/api/v1/online-dossiers/", payload, format="json")
    assert draft.status_code == 201
    pk = draft.json()["id"]
    not_ready = client.post(f"/api/v1/online-dossiers/{pk}/submit/")
    assert not_ready.status_code == 400 and "components" in not_ready.json()
    fake = client.post(
        f"/api/v1/online-dossiers/{pk}/components/",
        {"required_id": procedure.components.get().pk,
         "file": SimpleUploadedFile("a.pdf", b"GIF89a", content_type="application/pdf")},
        format="multipart",
    )  # fmt: skip
    assert fake.status_code == 400 and "file" in fake.json()
    good = client.post(
        f"/api/v1/online-dossiers/{pk}/components/",
        {"required_id": procedure.components.get().pk,
         "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")},
        format="multipart",
    )  # fmt: skip
    assert good.status_code == 201
    submitted = client.post(f"/api/v1/online-dossiers/{pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == Status.SUBMITTED
    other = django_user_model.objects.create_user("khac", password="x")
    assert api(other).post(f"/api/v1/online-dossiers/{pk}/submit/").status_code == 404


def test_lookup_api_hides_personal_data(officer, unit, procedure, applicant):
    dossier = services.receive_at_counter(officer, unit, procedure, applicant)
    found = api().post("/api/v1/lookup/", {"code": dossier.code, "digits": "5678"}, format="json")
    assert found.status_code == 200
    text = found.content.decode()
    for private in ("001090012345", "0912345678", "Nguyễn Văn An"):
        assert private not in text
    assert found.json()["timeline"][0]["label"]
    missing = api().post("/api/v1/lookup/", {"code": dossier.code, "digits": "0000"})
    assert missing.status_code == 404
    assert api().post("/api/v1/lookup/", {"code": "", "digits": "x"}).status_code == 400


def test_openapi_schema_and_docs_are_local(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/dossiers/{id}/forward/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in docs
    assert re.findall(r"""(?:src|href)=["']https?://""", docs) == []  # nothing from a CDN
