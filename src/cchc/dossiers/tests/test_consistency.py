"""Inconsistent input is refused alike by the services, the pages and the API (issue 8, part 5).

- a document id from another procedure, or an unnamed extra document, is a "components" error;
- intake (counter, postal, online) only at a unit that handles the procedure ("unit" error);
- an extension once per dossier; every action that moves a deadline needs the version acted on.
"""

from datetime import timedelta

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cchc.catalog.models import Procedure, ProcedureComponent
from cchc.dossiers import services
from cchc.dossiers.models import Channel, Dossier, DossierComponent, Status
from cchc.organisations.models import Role

from .conftest import _user, seen

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def payload(unit, procedure, **changes):
    data = {
        "procedure": procedure.code,
        "unit": unit.code,
        "applicant_kind": "individual",
        "applicant_name": "Phạm Văn Đức",
        "applicant_id_type": "cccd",
        "applicant_id_number": "036085001234",
        "components": [procedure.components.get().pk],
    }
    data.update(changes)
    return data


@pytest.fixture
def foreign_component(procedure):
    """A component of another procedure (its id means nothing for ``procedure``)."""
    other = Procedure.objects.create(
        code="1.000894", name="Đăng ký khai sinh", field=procedure.field,
        time_limit_amount=1, time_limit_unit="working_days",
    )  # fmt: skip
    return ProcedureComponent.objects.create(procedure=other, name="Tờ khai khai sinh")


@pytest.fixture
def dept_officer(django_user_model, other_unit):
    """A one-stop officer of Sở Tư pháp, which does not implement the commune procedure."""
    return _user(django_user_model, "motcua.stp", Role.ONE_STOP_OFFICER, other_unit)


# -- components ----------------------------------------------------------------------------------
def test_api_intake_with_a_component_of_another_procedure_is_400(
    officer, unit, procedure, foreign_component
):
    response = api(officer).post(
        "/api/v1/dossiers/",
        payload(unit, procedure, components=[foreign_component.pk]),
        format="json",
    )
    assert response.status_code == 400
    assert "components" in response.json()
    assert not Dossier.objects.exists() and not DossierComponent.objects.exists()


@pytest.mark.parametrize("name", [None, "", "   "])
def test_an_extra_document_needs_a_name(officer, unit, procedure, applicant, name):
    with pytest.raises(services.DossierError) as error:
        services.receive_at_counter(officer, unit, procedure, applicant, [{"name": name}])
    assert error.value.field == "components"
    assert not Dossier.objects.exists()


def test_listed_and_named_extra_documents_are_stored(officer, unit, procedure, applicant):
    listed = procedure.components.get()
    dossier = services.receive_at_counter(
        officer, unit, procedure, applicant,
        [{"required_id": listed.pk}, {"name": " Giấy ủy quyền ", "copies": 1}],
    )  # fmt: skip
    stored = {(c.required_id, c.name) for c in dossier.components.all()}
    assert stored == {(listed.pk, "Tờ khai"), (None, "Giấy ủy quyền")}


def test_a_supplement_with_a_foreign_component_is_refused(
    officer, processor, unit, procedure, applicant, foreign_component
):
    dossier = services.forward(
        services.receive_at_counter(officer, unit, procedure, applicant).pk, officer
    )
    dossier = services.request_supplement(
        dossier.pk, processor, "Tờ khai", "Thiếu", expected_version=seen(dossier.pk)
    )
    with pytest.raises(services.DossierError) as error:
        services.complete_supplement(
            dossier.pk, officer, [{"required_id": foreign_component.pk}],
            expected_version=seen(dossier.pk),
        )  # fmt: skip
    assert error.value.field == "components"
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED and not dossier.components.exists()


# -- the unit must handle the procedure ----------------------------------------------------------
def test_api_counter_intake_at_a_unit_that_does_not_handle_the_procedure_is_400(
    dept_officer, other_unit, procedure
):
    response = api(dept_officer).post(
        "/api/v1/dossiers/", payload(other_unit, procedure), format="json"
    )
    assert response.status_code == 400
    assert "unit" in response.json()
    assert not Dossier.objects.exists()


def test_postal_intake_is_checked_the_same_way(dept_officer, other_unit, procedure, applicant):
    procedure.channel_postal = True
    procedure.save()
    with pytest.raises(services.DossierError) as error:
        services.receive_at_counter(
            dept_officer, other_unit, procedure, applicant, channel=Channel.POSTAL
        )
    assert error.value.field == "unit"


def test_api_online_draft_to_a_unit_that_does_not_handle_the_procedure_is_400(
    django_user_model, other_unit, unit, procedure
):
    citizen = django_user_model.objects.create_user("congdan", password="x")
    data = payload(other_unit, procedure)
    data.pop("components")
    response = api(citizen).post("/api/v1/online-dossiers/", data, format="json")
    assert response.status_code == 400 and "unit" in response.json()
    assert not Dossier.objects.exists()
    data["unit"] = unit.code
    assert api(citizen).post("/api/v1/online-dossiers/", data, format="json").status_code == 201


def test_the_counter_form_offers_only_procedures_the_officer_handles(
    client, dept_officer, other_unit, procedure
):
    client.force_login(dept_officer)
    page = client.get("/ho-so/tiep-nhan/").content.decode()
    assert procedure.name not in page
    response = client.post(
        "/ho-so/tiep-nhan/",
        {**payload(other_unit, procedure), "procedure": procedure.pk, "unit": other_unit.pk,
         "channel": Channel.COUNTER},
    )  # fmt: skip
    assert response.status_code == 200  # the form again, with its error
    assert "procedure" in response.context["form"].errors
    assert not Dossier.objects.exists()


def test_the_online_form_offers_only_units_that_handle_the_procedure(
    client, django_user_model, unit, other_unit, procedure
):
    citizen = django_user_model.objects.create_user("congdan", password="x")
    client.force_login(citizen)
    form = client.get(f"/cong-dan/nop/{procedure.code}/").context["form"]
    assert list(form.fields["unit"].queryset) == [unit]
    response = client.post(
        f"/cong-dan/nop/{procedure.code}/",
        {**payload(other_unit, procedure), "unit": other_unit.pk, "online_mode": "full"},
    )
    assert "unit" in response.context["form"].errors
    assert not Dossier.objects.exists()


# -- once, and with the version ------------------------------------------------------------------
def test_the_time_limit_is_extended_once(officer, leader, unit, procedure, applicant):
    dossier = services.receive_at_counter(officer, unit, procedure, applicant)
    later = dossier.due_at + timedelta(days=3)
    services.extend(dossier.pk, leader, later, "Cần xác minh", expected_version=seen(dossier.pk))
    with pytest.raises(services.TransitionNotAllowed):
        services.extend(
            dossier.pk, leader, later + timedelta(days=3), "Lần hai",
            expected_version=seen(dossier.pk),
        )  # fmt: skip
    dossier.refresh_from_db()
    assert dossier.extension_count == 1 and dossier.due_at == later


DEADLINE_CALLS = {
    "extend": lambda d, u: services.extend(
        d.pk, u, d.due_at + timedelta(days=3), "Cần xác minh", expected_version=None
    ),
    "request_supplement": lambda d, u: services.request_supplement(
        d.pk, u, "Tờ khai", "Thiếu", expected_version=None
    ),
    "request_financial_obligation": lambda d, u: services.request_financial_obligation(
        d.pk, u, 100000, expected_version=None
    ),
    "draft_apology": lambda d, u: services.draft_apology(
        d.pk, u, "Cần xác minh", d.due_at + timedelta(days=3), expected_version=None
    ),
}


@pytest.mark.parametrize("action", sorted(DEADLINE_CALLS))
def test_deadline_actions_without_a_version_are_refused(
    officer, leader, unit, procedure, applicant, action
):
    dossier = services.receive_at_counter(officer, unit, procedure, applicant)
    dossier = services.forward(dossier.pk, officer)
    with pytest.raises(services.DossierError) as error:
        DEADLINE_CALLS[action](dossier, leader)
    assert error.value.field == "version"
    dossier.refresh_from_db()
    assert dossier.version == 2 and dossier.events.count() == 2


API_ACTIONS = {
    "extend": {"new_due_at": "2099-01-05T10:00:00+07:00", "reason": "Cần xác minh"},
    "request-supplement": {"items": "Tờ khai", "reason": "Thiếu"},
    "request-financial-obligation": {"amount": 100000},
    "apology": {"reason": "Cần xác minh", "new_appointment_at": "2099-01-05T10:00:00+07:00"},
}


@pytest.mark.parametrize("action", sorted(API_ACTIONS))
def test_api_deadline_actions_need_the_version(officer, leader, unit, procedure, action):
    client = api(officer)
    pk = client.post("/api/v1/dossiers/", payload(unit, procedure), format="json").json()["id"]
    client.post(f"/api/v1/dossiers/{pk}/forward/", {"version": 1}, format="json")
    url = f"/api/v1/dossiers/{pk}/{action}/"
    missing = api(leader).post(url, API_ACTIONS[action], format="json")
    assert missing.status_code == 400
    assert missing.json()["version"] == [
        "Hãy gửi phiên bản của hồ sơ mà bạn đã xem: thao tác này thay đổi thời hạn của hồ sơ."
    ]
    stale = api(leader).post(url, {**API_ACTIONS[action], "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "stale"
    done = api(leader).post(url, {**API_ACTIONS[action], "version": 2}, format="json")
    assert done.status_code == 200, done.json()


def test_api_payment_and_supplement_completion_need_the_version(officer, leader, unit, procedure):
    client = api(leader)
    pk = api(officer).post("/api/v1/dossiers/", payload(unit, procedure), format="json").json()
    url = f"/api/v1/dossiers/{pk['id']}"
    assert client.post(f"{url}/forward/", {"version": 1}).status_code == 200
    asked = client.post(f"{url}/request-financial-obligation/", {"amount": 5000, "version": 2})
    assert asked.status_code == 200
    assert "version" in client.post(f"{url}/record-payment/", {}).json()
    assert client.post(f"{url}/record-payment/", {"version": 3}).status_code == 200
    asked = client.post(
        f"{url}/request-supplement/", {"items": "Ảnh", "reason": "Thiếu", "version": 4}
    )
    assert asked.status_code == 200
    assert "version" in client.post(f"{url}/complete-supplement/", {}).json()
    done = client.post(f"{url}/complete-supplement/", {"version": 5})
    assert done.status_code == 200 and done.json()["status"] == Status.PROCESSING


def test_documents_are_attached_to_drafts_only(
    django_user_model, unit, procedure, foreign_component
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    citizen = django_user_model.objects.create_user("congdan", password="x")
    data = payload(unit, procedure)
    data.pop("components")
    pk = api(citizen).post("/api/v1/online-dossiers/", data, format="json").json()["id"]
    url = f"/api/v1/online-dossiers/{pk}/components/"

    def upload(required_id):
        scan = SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf")
        return api(citizen).post(url, {"required_id": required_id, "file": scan})

    assert "required_id" in upload(foreign_component.pk).json()
    assert upload(procedure.components.get().pk).status_code == 201
    assert api(citizen).post(f"/api/v1/online-dossiers/{pk}/submit/").status_code == 200
    late = upload(procedure.components.get().pk)
    assert late.status_code == 409 and late.json()["code"] == "transition_not_allowed"
    assert DossierComponent.objects.filter(dossier_id=pk).count() == 1
    stranger = django_user_model.objects.create_user("khac", password="x")
    with pytest.raises(services.ActionForbidden):
        services.attach_to_draft(pk, stranger, procedure.components.get().pk, None)
