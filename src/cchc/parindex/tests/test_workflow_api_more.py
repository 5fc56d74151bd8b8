"""The rest of the PAR INDEX page actions through the API (issue 11: "works from the UI, the API
and the CLI"): evidence, assigning and contesting a leaf, returning a self-assessment, creating
and setting up a round, its council, survey points, where points are lost, and criteria sets.

Each endpoint: success as the least-privileged role that does the work, a refusal for the wrong
role or scope, bad input answered 400 on the field, a stale version 409, and the same outcome as
the page's button (both call the same service)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from cchc.organisations.models import Role
from cchc.parindex import results as par_results
from cchc.parindex import services, survey
from cchc.parindex.models import Assessment, AssessmentStatus, CriteriaSet, Evidence, Round

from . import factories
from .criteria_helpers import ROWS, workbook_bytes

clock, world = factories.clock, factories.world  # fixtures
pytestmark = pytest.mark.django_db

API = "/api/v1/parindex"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCUMENT = {
    "kind": "document",
    "document_number": "12/KH-STP",
    "issued_on": "2025-01-15",
    "summary": "Kế hoạch CCHC năm 2025",
    "issuer": "Sở Tư pháp",
}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def last_event(assessment_id):
    return Assessment.objects.get(pk=assessment_id).events.order_by("-sequence").first()


# -- evidence -------------------------------------------------------------------------------------
def test_evidence_is_added_listed_and_removed_by_the_responsible_office(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    round_ = world.open_round()
    leaf = world.leaf(round_, world.justice, "1.1")
    officer = api(world.officer)
    url = f"{API}/leaves/{leaf.pk}/evidence/"
    added = officer.post(url, DOCUMENT, format="json")
    assert added.status_code == 201
    assert added.json()["document_number"] == "12/KH-STP" and not added.json()["outside_year"]
    upload = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.7 scan", content_type="application/pdf")
    filed = officer.post(url, {"kind": "file", "file": upload}, format="multipart")
    assert filed.status_code == 201
    assert filed.json()["file_url"] == f"/chi-so-cchc/minh-chung/{filed.json()['id']}/tep/"
    listed = officer.get(url).json()
    assert [item["kind"] for item in listed] == ["document", "file"]
    removed = officer.delete(f"{API}/evidence/{added.json()['id']}/")
    assert removed.status_code == 204
    assert [item["kind"] for item in officer.get(url).json()] == ["file"]
    assert last_event(leaf.assessment_id).action == "evidence_removed"


def test_evidence_refusals(world):
    round_ = world.open_round()
    leaf = world.leaf(round_, world.justice, "1.1")
    url = f"{API}/leaves/{leaf.pk}/evidence/"
    missing = api(world.officer).post(url, {"kind": "document"}, format="json")
    assert missing.status_code == 400
    assert missing.json()["document_number"] == ["Nhập số, ký hiệu văn bản."]
    fake = SimpleUploadedFile("scan.pdf", b"MZ not a pdf", content_type="application/pdf")
    refused = api(world.officer).post(url, {"kind": "file", "file": fake}, format="multipart")
    assert refused.status_code == 400 and "file" in refused.json()
    wrong_kind = api(world.officer).post(url, {"kind": "photo"}, format="json")
    assert wrong_kind.status_code == 400 and "kind" in wrong_kind.json()
    # the organiser's reform staff read the leaf but do not score it; another unit does not see it
    assert api(world.reform).post(url, DOCUMENT, format="json").status_code == 403
    assert api(world.building_officer).post(url, DOCUMENT, format="json").status_code == 404
    assert api(world.building_officer).get(url).status_code == 404
    evidence = services.add_evidence(
        leaf.pk, world.officer, services.EvidenceInput(kind="document", **_document())
    )
    assert api(world.building_officer).delete(f"{API}/evidence/{evidence.pk}/").status_code == 404
    assert api(world.reform).delete(f"{API}/evidence/{evidence.pk}/").status_code == 403
    world.fill(round_, world.justice, world.officer)
    services.submit(round_.assessments.get(unit=world.justice).pk, world.leader)
    locked = api(world.officer).delete(f"{API}/evidence/{evidence.pk}/")
    assert locked.status_code == 409 and Evidence.objects.filter(pk=evidence.pk).exists()


def _document() -> dict:
    from datetime import date

    return {
        "document_number": "12/KH-STP",
        "issued_on": date(2025, 1, 15),
        "summary": "Kế hoạch CCHC năm 2025",
        "issuer": "Sở Tư pháp",
    }


def test_evidence_through_the_api_equals_the_page(world):
    round_ = world.open_round()
    by_page = world.leaf(round_, world.justice, "1.1")
    by_api = world.leaf(round_, world.justice, "1.2")
    form = {**DOCUMENT, "issued_on": "15/01/2025"}
    response = page(world.officer).post(
        f"/chi-so-cchc/tieu-chi/{by_page.pk}/thao-tac/evidence/", form
    )
    assert response.status_code == 302
    api(world.officer).post(f"{API}/leaves/{by_api.pk}/evidence/", DOCUMENT, format="json")
    fields = ["kind", "document_number", "issued_on", "summary", "issuer", "outside_year"]
    assert list(Evidence.objects.filter(leaf=by_page).values(*fields)) == list(
        Evidence.objects.filter(leaf=by_api).values(*fields)
    )


# -- assign and contest ---------------------------------------------------------------------------
def test_the_leader_assigns_a_leaf_to_an_office(world):
    round_ = world.open_round()
    leaf = world.leaf(round_, world.justice, "1.1")
    url = f"{API}/leaves/{leaf.pk}/assign/"
    assert api(world.officer).post(url, {"unit": world.justice_office.pk}).status_code == 403
    outside = api(world.leader).post(url, {"unit": world.building.pk}, format="json")
    assert outside.status_code == 400 and "unit" in outside.json()
    assert api(world.leader).post(url, {"unit": "x"}, format="json").status_code == 400
    stale = api(world.leader).post(url, {"unit": world.justice_office.pk, "version": 9})
    assert stale.status_code == 409
    done = api(world.leader).post(url, {"unit": world.justice_office.pk, "version": leaf.version})
    assert done.status_code == 200
    assert done.json()["responsible_unit_name"] == "Văn phòng Sở Tư pháp"
    # the page's button does the same on the other unit
    other = world.leaf(round_, world.building, "1.1")
    page(world.building_leader).post(
        f"/chi-so-cchc/tieu-chi/{other.pk}/thao-tac/assign/", {"unit": world.building.pk}
    )
    assert last_event(leaf.assessment_id).action == "assigned"


def test_the_unit_contests_a_computed_figure(world):
    round_ = world.open_round()
    computed = world.leaf(round_, world.justice, "2.1")
    url = f"{API}/leaves/{computed.pk}/contest/"
    empty = api(world.officer).post(url, {"explanation": ""}, format="json")
    assert empty.status_code == 400 and "explanation" in empty.json()
    plain = world.leaf(round_, world.justice, "1.1")
    refused = api(world.officer).post(
        f"{API}/leaves/{plain.pk}/contest/", {"explanation": "Sai"}, format="json"
    )
    assert refused.status_code == 400 and "explanation" in refused.json()
    assert api(world.reform).post(url, {"explanation": "Sai"}).status_code == 403
    assert api(world.building_officer).post(url, {"explanation": "Sai"}).status_code == 404
    stale = api(world.officer).post(url, {"explanation": "Sai", "version": 99}, format="json")
    assert stale.status_code == 409
    done = api(world.officer).post(
        url, {"explanation": "Thiếu 3 hồ sơ liên thông", "version": computed.version}
    )
    assert done.status_code == 200
    assert done.json()["contested"] and done.json()["explanation"] == "Thiếu 3 hồ sơ liên thông"
    other = world.leaf(round_, world.building, "2.1")
    page(world.building_officer).post(
        f"/chi-so-cchc/tieu-chi/{other.pk}/thao-tac/contest/",
        {"explanation": "Thiếu 3 hồ sơ liên thông"},
    )
    other.refresh_from_db()
    assert (other.contested, other.explanation) == (True, "Thiếu 3 hồ sơ liên thông")
    assert last_event(computed.assessment_id).action == "contested"


# -- reopen ---------------------------------------------------------------------------------------
def test_the_organiser_returns_a_submitted_self_assessment(world):
    round_ = world.submitted_round()
    justice = round_.assessments.get(unit=world.justice)
    url = f"{API}/assessments/{justice.pk}/reopen/"
    assert api(world.leader).post(url, {"reason": "Thiếu"}, format="json").status_code == 403
    assert api(world.building_leader).post(url, {"reason": "Thiếu"}).status_code == 404
    missing = api(world.reform).post(url, {}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    stale = api(world.reform).post(url, {"reason": "Thiếu", "version": 0}, format="json")
    assert stale.status_code == 409
    done = api(world.reform).post(url, {"reason": "Thiếu minh chứng 1.1"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == AssessmentStatus.DRAFT
    assert api(world.reform).post(url, {"reason": "Lần hai"}).status_code == 409
    building = round_.assessments.get(unit=world.building)
    page(world.reform).post(
        f"/chi-so-cchc/tu-danh-gia/{building.pk}/thao-tac/reopen/",
        {"reason": "Thiếu minh chứng 1.1"},
    )
    by_api, by_page = last_event(justice.pk), last_event(building.pk)
    assert (by_api.action, by_api.note) == (by_page.action, by_page.note)


# -- rounds ---------------------------------------------------------------------------------------
def setup_payload(world, **changes) -> dict:
    data = {
        "name": "Chỉ số CCHC sở, ban, ngành năm 2025",
        "year": 2025,
        "criteria_set": world.criteria_set.pk,
        "organiser": world.organiser.pk,
        "units": [world.justice.pk, world.building.pk],
        "self_assessment_opens": "2026-01-05",
        "self_assessment_closes": "2026-01-20",
        "appraisal_closes": "2026-02-27",
        "explanation_days": 5,
        "publication_date": "2026-03-10",
        "grade_bands": "abc",
        "survey_scale": "100",
    }
    data.update(changes)
    return data


def test_the_organiser_creates_and_sets_up_a_round(world):
    assert world.criteria_set.year == 2025
    leader_try = api(world.leader).post(
        f"{API}/rounds/", setup_payload(world, organiser=world.justice.pk, units=[]), format="json"
    )
    assert leader_try.status_code == 403
    dates = api(world.reform).post(
        f"{API}/rounds/",
        setup_payload(world, self_assessment_closes="2026-03-30"),
        format="json",
    )
    assert dates.status_code == 400 and "self_assessment_closes" in dates.json()
    bands = api(world.reform).post(
        f"{API}/rounds/", setup_payload(world, grade_bands=[{"label": 3}]), format="json"
    )
    assert bands.status_code == 400 and "grade_bands" in bands.json()
    order = api(world.reform).post(
        f"{API}/rounds/",
        setup_payload(world, grade_bands=[{"label": "Tốt", "minimum": "80"}, {"label": "Khá"}]),
        format="json",
    )
    assert order.status_code == 201
    created = order.json()
    assert created["status"] == "draft"
    assert created["grade_bands"] == [
        {"label": "Tốt", "minimum": "80"},
        {"label": "Khá", "minimum": None},
    ]
    assert Round.objects.get(pk=created["id"]).assessments.count() == 2
    again = api(world.reform).post(f"{API}/rounds/", setup_payload(world), format="json")
    assert again.status_code == 400 and "name" in again.json()
    url = f"{API}/rounds/{created['id']}/setup/"
    assert api(world.officer).post(url, setup_payload(world), format="json").status_code == 404
    stale = api(world.reform).post(url, setup_payload(world, version=99), format="json")
    assert stale.status_code == 409
    changed = api(world.reform).post(
        url, setup_payload(world, units=[world.justice.pk], version=created["version"]), "json"
    )
    assert changed.status_code == 200 and changed.json()["grade_bands"][0]["label"] == "A"
    assert Round.objects.get(pk=created["id"]).assessments.count() == 1
    assert (
        Round.objects.get(pk=created["id"]).events.order_by("sequence").last().action == "updated"
    )


def test_round_created_through_the_api_equals_the_page(world):
    api(world.reform).post(f"{API}/rounds/", setup_payload(world), format="json")
    other_set = factories.make_criteria_set(level="commune")
    form = {
        **setup_payload(world, criteria_set=other_set.pk),
        "self_assessment_opens": "05/01/2026",
        "self_assessment_closes": "20/01/2026",
        "appraisal_closes": "27/02/2026",
        "publication_date": "10/03/2026",
        "grade_preset": "abc",
    }
    response = page(world.reform).post("/chi-so-cchc/ky-danh-gia/tao/", form)
    assert response.status_code == 302
    by_api, by_page = Round.objects.order_by("pk")
    fields = ["name", "year", "self_assessment_closes", "grade_bands", "survey_scale", "status"]
    assert [getattr(by_api, name) for name in fields] == [getattr(by_page, name) for name in fields]


def test_the_organiser_seats_and_unseats_the_council(world):
    round_ = world.draft_round()
    first = world.criteria_set.criteria.get(code="1")
    url = f"{API}/rounds/{round_.pk}/council/"
    assert api(world.officer).post(url, {"username": "x"}).status_code == 404  # a draft
    listed = api(world.reform).get(url).json()
    assert [seat["role"] for seat in listed] == ["chair", "secretary", "member"]
    unknown = api(world.reform).post(url, {"username": "khong.co", "role": "member"}, "json")
    assert unknown.status_code == 400 and "username" in unknown.json()
    no_field = api(world.reform).post(url, {"username": "lanhdao.tuphap", "role": "member"}, "json")
    assert no_field.status_code == 400 and "fields" in no_field.json()
    stale = api(world.reform).post(
        url, {"username": "lanhdao.tuphap", "role": "member", "fields": [first.pk], "version": 0}
    )
    assert stale.status_code == 409
    seated = api(world.reform).post(
        url, {"username": "lanhdao.tuphap", "role": "member", "fields": [first.pk]}, format="json"
    )
    assert seated.status_code == 200
    seat = next(item for item in seated.json() if item["username"] == "lanhdao.tuphap")
    assert seat["fields"] == ["1"]
    services.open_round(round_.pk, world.reform)
    refused = api(world.leader).post(url, {"username": "lanhdao.tuphap", "role": "chair"})
    assert refused.status_code == 403
    removed = api(world.reform).post(
        f"{API}/rounds/{round_.pk}/council/remove/", {"member": seat["id"]}
    )
    assert removed.status_code == 200
    assert "lanhdao.tuphap" not in [item["username"] for item in removed.json()]
    gone = api(world.reform).post(
        f"{API}/rounds/{round_.pk}/council/remove/", {"member": seat["id"]}
    )
    assert gone.status_code == 400


def test_survey_points_from_a_file_or_a_registered_source(world):
    round_ = world.appraisal_round()
    url = f"{API}/rounds/{round_.pk}/survey-points/"

    def csv(text):
        return SimpleUploadedFile("xhh.csv", text.encode(), content_type="text/csv")

    assert api(world.reform).post(url, {}, format="multipart").json()["file"]
    refused = api(world.leader).post(url, {"file": csv("unit,points\n000.00.15.H99,80\n")})
    assert refused.status_code == 403
    bad = api(world.reform).post(
        url, {"file": csv("unit,points\nXX,80\n000.00.15.H99,999\n")}, format="multipart"
    )
    assert bad.status_code == 400 and len(bad.json()["file"]) == 2
    done = api(world.reform).post(
        url, {"file": csv("unit,percent\n000.00.15.H99,86.24\n")}, format="multipart"
    )
    assert done.status_code == 200
    assert done.json()["changed"] == 1 and done.json()["changes"][0]["to"] == "73.30"
    assert world.leaf(round_, world.justice, "2.2").survey_score == Decimal("73.30")
    unknown = api(world.reform).post(url, {"source": "khong-co"}, format="json")
    assert unknown.status_code == 400 and "source" in unknown.json()
    rows = [{"unit": "000.00.20.H99", "percent": "90"}]
    with survey.survey_sources.temporarily(
        survey.SurveySource("sipas-thu", "SIPAS", lambda r: rows)
    ):
        sourced = api(world.reform).post(url, {"source": "sipas-thu", "criterion": "2.2"}, "json")
    assert sourced.status_code == 200 and sourced.json()["changed"] == 1


def test_losses_as_the_results_pages_scope_them(world):
    round_ = world.appraisal_round()
    leaf = world.leaf(round_, world.justice, "1.2")
    services.appraise_leaf(
        leaf.pk, world.member, accept=False, score="1", reason="Thiếu báo cáo quý"
    )
    url = f"{API}/rounds/{round_.pk}/losses/"
    province = api(world.reform).get(url).json()
    results = par_results.round_results(round_)
    assert [row["code"] for row in province["losses"]] == [
        loss.code for loss in par_results.province_losses(results)
    ]
    assert province["unit"] is None and province["unit_count"] == 2
    own = api(world.officer).get(url, {"unit": world.justice.code})
    assert own.status_code == 200
    row = next(item for item in own.json()["losses"] if item["code"] == "1.2")
    assert row["reason"] == "Thiếu báo cáo quý" and row["lost"] == 2.0
    assert row["best"] is None  # before publication a unit sees no other unit's figure
    seen_by_all = api(world.reform).get(url, {"unit": world.justice.code}).json()["losses"]
    assert next(item for item in seen_by_all if item["code"] == "1.2")["best"] is not None
    assert api(world.officer).get(url).status_code == 404
    assert api(world.officer).get(url, {"unit": world.building.code}).status_code == 404
    assert api(world.reform).get(url, {"unit": "khong-co"}).status_code == 404


# -- criteria sets --------------------------------------------------------------------------------
def sheet(content=None, name="bo-tieu-chi.xlsx"):
    return SimpleUploadedFile(name, content or workbook_bytes(ROWS), content_type=XLSX)


def test_staff_read_criteria_sets(world):
    listed = api(world.officer).get(f"{API}/criteria-sets/").json()["results"]
    assert [row["name"] for row in listed] == [world.criteria_set.name]
    assert listed[0]["leaf_count"] == 6
    detail = api(world.officer).get(f"{API}/criteria-sets/{world.criteria_set.pk}/").json()
    assert [row["code"] for row in detail["criteria"]][:3] == ["1", "1.1", "1.2"]
    assert detail["criteria"][1]["parent_code"] == "1" and detail["valid"]
    nobody = api(world.chair)  # no role anywhere
    assert nobody.get(f"{API}/criteria-sets/").json()["results"] == []
    assert nobody.get(f"{API}/criteria-sets/{world.criteria_set.pk}/").status_code == 404


def test_reform_staff_import_a_criteria_set_all_or_nothing(world):
    url = f"{API}/criteria-sets/import/"
    data = {"year": 2024, "level": "department", "name": "Bộ tiêu chí sở 2024"}
    assert api(world.officer).post(url, {**data, "file": sheet()}).status_code == 403
    rows = [list(row) for row in ROWS]
    rows[2][2] = "hai"
    rows[4][3] = ""
    bad = api(world.reform).post(url, {**data, "file": sheet(workbook_bytes(rows))})
    assert bad.status_code == 400
    assert len(bad.json()["file"]) >= 2 and all("Dòng" in text for text in bad.json()["file"])
    assert not CriteriaSet.objects.filter(year=2024).exists()
    wrong = api(world.reform).post(url, {**data, "file": sheet(b"%PDF-1.4", "a.xlsx")})
    assert wrong.status_code == 400 and wrong.json()["file"]
    no_year = api(world.reform).post(url, {"level": "department", "file": sheet()})
    assert no_year.status_code == 400 and "year" in no_year.json()
    done = api(world.reform).post(url, {**data, "file": sheet()})
    assert done.status_code == 201
    assert done.json()["name"] == "Bộ tiêu chí sở 2024" and len(done.json()["criteria"]) == 8
    assert CriteriaSet.objects.get(pk=done.json()["id"]).criteria.count() == 8


def test_anonymous_is_refused_on_the_new_endpoints(world):
    client = APIClient()
    assert client.get(f"{API}/criteria-sets/").status_code in (401, 403)
    assert client.post(f"{API}/rounds/", {}).status_code in (401, 403)
    assert Role.REFORM_STAFF  # the roles the tests rely on
