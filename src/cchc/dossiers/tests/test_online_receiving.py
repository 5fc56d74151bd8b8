"""Who receives for whom: an online dossier addressed to an authority is accepted by the one-stop
unit that receives for it (the ward's centre for the ward committee, the provincial centre for the
departments), in the queue, on the page's actions, in the services and through the API."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cchc.catalog.models import Field, Procedure, ProcedureComponent, WorkflowStep
from cchc.dossiers import selectors, services
from cchc.dossiers.models import Dossier, DossierComponent, Status
from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(db):
    def unit(code, kind, name, parent=None):
        return OrganisationUnit.objects.create(code=code, kind=kind, name=name, parent=parent)

    province = unit("000.00.00.H99", UnitKind.PROVINCE_COMMITTEE, "Ủy ban nhân dân tỉnh An Bình")
    units = {"province": province}
    units["province_centre"] = unit(
        "000.00.01.H99", UnitKind.SERVICE_CENTRE, "Trung tâm PVHCC tỉnh", province
    )
    units["justice"] = unit("000.00.15.H99", UnitKind.DEPARTMENT, "Sở Tư pháp", province)
    for key, number, name in (("ward", "31", "Đông Thành"), ("other_ward", "32", "Tây Sơn")):
        committee = unit(
            f"000.00.{number}.H99",
            UnitKind.COMMUNE_COMMITTEE,
            f"Ủy ban nhân dân phường {name}",
            province,
        )
        units[key] = committee
        units[f"{key}_centre"] = unit(
            f"000.01.{number}.H99",
            UnitKind.SERVICE_CENTRE,
            f"Trung tâm Phục vụ hành chính công phường {name}",
            committee,
        )
    return units


@pytest.fixture
def people(django_user_model, tree):
    def person(username, role, unit_key):
        user = django_user_model.objects.create_user(username, password="pw-123456")
        RoleAssignment.objects.create(user=user, unit=tree[unit_key], role=role)
        return user

    return {
        "ward_officer": person("motcua.dongthanh", Role.ONE_STOP_OFFICER, "ward_centre"),
        "province_officer": person("motcua.tinh", Role.ONE_STOP_OFFICER, "province_centre"),
        "other_officer": person("motcua.tayson", Role.ONE_STOP_OFFICER, "other_ward_centre"),
        "ward_processor": person("chuyenvien.dongthanh", Role.PROCESSING_OFFICER, "ward"),
        "ward_leader": person("lanhdao.dongthanh", Role.LEADER, "ward"),
        "citizen": django_user_model.objects.create_user("congdan", password="pw-123456"),
    }


def _procedure(code, implementing, **levels):
    field, _ = Field.objects.get_or_create(name="Hộ tịch")
    procedure = Procedure.objects.create(
        code=code, name=f"Thủ tục {code}", field=field, time_limit_amount=3,
        time_limit_unit="working_days", channel_online=True, online_level="full", **levels,
    )  # fmt: skip
    procedure.implementing_units.set(implementing)
    ProcedureComponent.objects.create(procedure=procedure, name="Tờ khai", mandatory=True)
    for order, role in enumerate([Role.ONE_STOP_OFFICER, Role.PROCESSING_OFFICER, Role.LEADER]):
        WorkflowStep.objects.create(
            procedure=procedure, order=order, name=f"Bước {order}", role=role, hours=Decimal(8)
        )
    return procedure


@pytest.fixture
def commune_procedure(tree):
    return _procedure("1.000001", [tree["ward"], tree["other_ward"]], level_commune=True)


@pytest.fixture
def province_procedure(tree):
    return _procedure("2.000001", [tree["justice"]], level_province=True)


APPLICANT = services.Applicant(
    kind="individual", name="Đinh Thị Thu", id_type="cccd", id_number="001190004321",
    phone="0901234567",
)  # fmt: skip


def submit(citizen, authority, procedure) -> Dossier:
    draft = services.create_draft(citizen, authority, procedure, APPLICANT)
    DossierComponent.objects.create(
        dossier=draft,
        required=procedure.components.get(),
        name="Tờ khai",
        file=ContentFile(b"%PDF-1.7 scan", name="to-khai.pdf"),
        digitised=True,
    )
    return services.submit_online(draft.pk, citizen)


def addressed_to(citizen, authority, procedure) -> Dossier:
    """A dossier submitted before who-receives-for-whom: received by the authority itself."""
    dossier = submit(citizen, authority, procedure)
    Dossier.objects.filter(pk=dossier.pk).update(receiving_unit=authority, current_unit=authority)
    return Dossier.objects.get(pk=dossier.pk)


def api(user):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


# -- the rule --------------------------------------------------------------------------------------
def test_an_online_dossier_to_the_ward_is_received_by_the_ward_centre(
    tree, people, commune_procedure
):
    dossier = submit(people["citizen"], tree["ward"], commune_procedure)
    assert dossier.receiving_unit == tree["ward_centre"]
    assert dossier.code.startswith(tree["ward_centre"].code)
    assert dossier.status == Status.SUBMITTED


def test_a_department_dossier_is_received_by_the_provincial_centre(
    tree, people, province_procedure
):
    dossier = submit(people["citizen"], tree["justice"], province_procedure)
    assert dossier.receiving_unit == tree["province_centre"]
    checked = selectors.queue(people["province_officer"], "cho-kiem-tra")
    assert list(checked) == [dossier]
    assert not selectors.queue(people["ward_officer"], "cho-kiem-tra").exists()
    services.accept(dossier.pk, people["province_officer"])
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED


@pytest.mark.parametrize("legacy", [False, True], ids=["new", "addressed-to-the-committee"])
def test_only_the_ward_centre_officer_may_accept(tree, people, commune_procedure, legacy):
    make = addressed_to if legacy else submit
    dossier = make(people["citizen"], tree["ward"], commune_procedure)
    ward_officer = people["ward_officer"]
    assert list(selectors.queue(ward_officer, "cho-kiem-tra")) == [dossier]
    assert selectors.visible_dossiers(ward_officer).filter(pk=dossier.pk).exists()
    assert {"accept", "refuse_intake", "request_supplement"} <= set(
        selectors.available_actions(dossier, ward_officer)
    )
    for name in ("province_officer", "other_officer"):
        assert not selectors.queue(people[name], "cho-kiem-tra").exists()
        with pytest.raises(services.ActionForbidden):
            services.accept(dossier.pk, people[name])
    # The ward's processor and leader do not check intake: no counter action is offered to them.
    for name in ("ward_processor", "ward_leader"):
        offered = selectors.available_actions(dossier, people[name])
        assert not {"accept", "refuse_intake", "request_supplement"} & set(offered), name
        with pytest.raises(services.ActionForbidden):
            services.accept(dossier.pk, people[name])
    services.accept(dossier.pk, ward_officer)
    accepted = Dossier.objects.get(pk=dossier.pk)
    assert accepted.status == Status.RECEIVED and accepted.due_at is not None


def test_after_accepting_a_committee_dossier_the_centre_does_the_one_stop_step(
    tree, people, commune_procedure
):
    """A dossier addressed to the committee stays with it once accepted; the centre's officer
    still does the procedure's one-stop step (hands it to the processing officer)."""
    dossier = addressed_to(people["citizen"], tree["ward"], commune_procedure)
    officer = people["ward_officer"]
    services.accept(dossier.pk, officer)
    accepted = Dossier.objects.get(pk=dossier.pk)
    assert accepted.current_step.role == Role.ONE_STOP_OFFICER
    assert "forward" in selectors.available_actions(accepted, officer)
    assert "forward" not in selectors.available_actions(accepted, people["other_officer"])
    with pytest.raises(services.ActionForbidden):
        services.forward(dossier.pk, people["other_officer"], people["ward_processor"])
    services.forward(dossier.pk, officer, people["ward_processor"])
    forwarded = Dossier.objects.get(pk=dossier.pk)
    assert forwarded.current_step.role == Role.PROCESSING_OFFICER
    # The processing step is not the centre's.
    with pytest.raises(services.ActionForbidden):
        services.forward(dossier.pk, officer, people["ward_leader"])


def test_the_relation_is_data_an_administrator_changes(tree, people, commune_procedure):
    """Tây Sơn's committee handed to Đông Thành's centre: that centre's officer now accepts."""
    other = tree["other_ward"]
    dossier = addressed_to(people["citizen"], other, commune_procedure)
    assert not selectors.queue(people["ward_officer"], "cho-kiem-tra").exists()
    other.one_stop_unit = tree["ward_centre"]
    other.save()
    assert list(selectors.queue(people["ward_officer"], "cho-kiem-tra")) == [dossier]
    with pytest.raises(services.ActionForbidden):
        services.accept(dossier.pk, people["other_officer"])
    services.accept(dossier.pk, people["ward_officer"])
    fresh = submit(people["citizen"], other, commune_procedure)
    assert fresh.receiving_unit == tree["ward_centre"]


def test_the_result_goes_back_to_the_counter_that_received(tree, people, commune_procedure):
    dossier = addressed_to(people["citizen"], tree["ward"], commune_procedure)
    services.accept(dossier.pk, people["ward_officer"])
    services.approve_result(dossier.pk, people["ward_leader"], "approved", "12/QĐ-UBND", "")
    resolved = Dossier.objects.get(pk=dossier.pk)
    assert "return_result" in selectors.available_actions(resolved, people["ward_officer"])
    assert list(selectors.queue(people["ward_officer"], "cho-tra")) == [resolved]
    services.return_result(dossier.pk, people["ward_officer"], "online", "")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RETURNED


# -- the API ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("legacy", [False, True], ids=["new", "addressed-to-the-committee"])
def test_api_accept_answers_by_who_receives(tree, people, commune_procedure, legacy):
    make = addressed_to if legacy else submit
    dossier = make(people["citizen"], tree["ward"], commune_procedure)
    url = f"/api/v1/dossiers/{dossier.pk}/accept/"
    # Another centre's officer does not see the dossier at all.
    assert api(people["province_officer"]).post(url, {}, format="json").status_code == 404
    assert api(people["other_officer"]).post(url, {}, format="json").status_code == 404
    # The ward's processor sees it (it is in the ward) but may not accept it.
    assert api(people["ward_processor"]).post(url, {}, format="json").status_code == 403
    listed = api(people["ward_officer"]).get("/api/v1/dossiers/", {"queue": "cho-kiem-tra"})
    assert [row["id"] for row in listed.json()["results"]] == [dossier.pk]
    response = api(people["ward_officer"]).post(url, {"version": dossier.version}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.RECEIVED


def test_api_online_draft_to_the_ward_lands_at_its_centre(tree, people, commune_procedure):
    client = api(people["citizen"])
    response = client.post(
        "/api/v1/online-dossiers/",
        {
            "procedure": commune_procedure.code, "unit": tree["ward"].code,
            "applicant_kind": "individual", "applicant_name": "Đinh Thị Thu",
            "applicant_id_type": "cccd", "applicant_id_number": "001190004321",
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["receiving_unit"] == tree["ward_centre"].code


# -- the citizen's form ----------------------------------------------------------------------------
def test_the_form_offers_the_authorities_by_name(client, tree, people, commune_procedure):
    client.force_login(people["citizen"])
    page = client.get(f"/cong-dan/nop/{commune_procedure.code}/").content.decode()
    options = page.split('name="unit"')[1].split("</select>")[0]
    assert "Ủy ban nhân dân phường Đông Thành" in options
    assert "Ủy ban nhân dân phường Tây Sơn" in options
    assert f'value="{tree["ward_centre"].pk}"' not in options
    assert "Trung tâm Phục vụ hành chính công phường Đông Thành" in options  # who receives it
    assert "tỉnh" not in options


def test_the_authorities_are_in_vietnamese_alphabetical_order(
    client, tree, people, commune_procedure
):
    tree["other_ward"].name = "Ủy ban nhân dân phường Ấp Bắc"  # created after Đông Thành
    tree["other_ward"].save()
    client.force_login(people["citizen"])
    page = client.get(f"/cong-dan/nop/{commune_procedure.code}/").content.decode()
    assert page.index("phường Ấp Bắc") < page.index("phường Đông Thành")
