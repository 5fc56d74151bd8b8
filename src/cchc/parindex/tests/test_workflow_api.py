"""The workflow API: scoped reads, the same services, 400 / 403 / 404 / 409."""

import pytest
from rest_framework.test import APIClient

from cchc.parindex.models import Assessment

from . import factories

clock, world = factories.clock, factories.world  # fixtures
pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_scoped_lists_and_leaves(world):
    round_ = world.open_round()
    client = api(world.officer)
    units = [
        row["unit_name"] for row in client.get("/api/v1/parindex/assessments/").json()["results"]
    ]
    assert units == ["Sở Tư pháp"]
    rounds = client.get("/api/v1/parindex/rounds/").json()["results"]
    assert [row["id"] for row in rounds] == [round_.pk]
    building = Assessment.objects.get(round=round_, unit=world.building)
    assert client.get(f"/api/v1/parindex/assessments/{building.pk}/leaves/").status_code == 404
    justice = Assessment.objects.get(round=round_, unit=world.justice)
    leaves = client.get(f"/api/v1/parindex/assessments/{justice.pk}/leaves/").json()
    assert [leaf["code"] for leaf in leaves] == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2"]


def test_score_submit_and_errors(world):
    round_ = world.open_round()
    leaf = world.leaf(round_, world.justice, "1.2")
    client = api(world.officer)
    url = f"/api/v1/parindex/leaves/{leaf.pk}/score/"
    bad = client.post(url, {"value": "150"}, format="json")
    assert bad.status_code == 400 and "value" in bad.json()
    ok = client.post(url, {"value": "95", "explanation": "BC số 5", "version": 0}, format="json")
    assert ok.status_code == 200 and ok.json()["self_score"] == "3.00"
    stale = client.post(url, {"value": "80", "version": 0}, format="json")
    assert stale.status_code == 409
    assert api(world.building_officer).post(url, {"value": "80"}, format="json").status_code == 404
    justice = Assessment.objects.get(round=round_, unit=world.justice)
    forbidden = client.post(f"/api/v1/parindex/assessments/{justice.pk}/submit/", {}, format="json")
    assert forbidden.status_code == 403
    refused = api(world.leader).post(f"/api/v1/parindex/assessments/{justice.pk}/submit/", {})
    assert refused.status_code == 400 and "1.1" in refused.json()["non_field_errors"][0]


def test_appraisal_explanation_decide_publish(world):
    round_ = world.appraisal_round()
    leaf = world.leaf(round_, world.justice, "1.2")
    member = api(world.member)
    missing_reason = member.post(
        f"/api/v1/parindex/leaves/{leaf.pk}/appraise/",
        {"accept": False, "score": "1"},
        format="json",
    )
    assert missing_reason.status_code == 400 and "reason" in missing_reason.json()
    adjusted = member.post(
        f"/api/v1/parindex/leaves/{leaf.pk}/appraise/",
        {"accept": False, "score": "1", "reason": "Thiếu báo cáo"},
        format="json",
    )
    assert adjusted.json()["appraised_score"] == "1.00"
    other = world.leaf(round_, world.justice, "2.1")
    assert member.post(f"/api/v1/parindex/leaves/{other.pk}/appraise/", {}).status_code == 404
    created = member.post(
        f"/api/v1/parindex/leaves/{leaf.pk}/request-explanation/", {"message": "Gửi báo cáo"}
    )
    assert created.status_code == 201
    answer_url = f"/api/v1/parindex/explanations/{created.json()['id']}/answer/"
    assert api(world.officer).post(answer_url, {"answer": "Đã gửi"}).status_code == 200
    assert api(world.officer).post(answer_url, {"answer": "Lần hai"}).status_code == 409
    decide = f"/api/v1/parindex/rounds/{round_.pk}/decide/"
    assert (
        member.post(decide, {"decision_number": "1", "decision_date": "2026-01-12"}).status_code
        == 403
    )
    assert api(world.chair).post(decide, {"decision_number": "1"}).status_code == 400
    decided = api(world.chair).post(
        decide, {"decision_number": "15/QĐ", "decision_date": "2026-01-12"}
    )
    assert decided.json()["status"] == "decided"
    published = api(world.chair).post(f"/api/v1/parindex/rounds/{round_.pk}/publish/", {})
    assert published.json()["status"] == "published"
    assert (
        api(world.chair).post(f"/api/v1/parindex/rounds/{round_.pk}/publish/", {}).status_code
        == 409
    )
    # published: every staff member sees every unit's assessment
    units = [
        row["unit_name"]
        for row in api(world.officer).get("/api/v1/parindex/assessments/").json()["results"]
    ]
    assert sorted(units) == ["Sở Tư pháp", "Sở Xây dựng"]


def test_anonymous_is_refused(world):
    assert APIClient().get("/api/v1/parindex/rounds/").status_code in (401, 403)
