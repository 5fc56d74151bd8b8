"""REST API: the same rules and scoping as the pages; 400 with field errors, never 500."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cchc.feedback.models import Feedback, FeedbackStatus

from .conftest import EMAIL, PHONE, submit, to_state

pytestmark = [pytest.mark.django_db, pytest.mark.urls("cchc.feedback.tests.urls")]


def api(user=None):
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def payload(target, **changes):
    data = {
        "subject_kind": "other",
        "unit": target.code,
        "title": "Đề nghị bố trí thêm ghế chờ",
        "content": "Khu vực chờ thường quá tải vào đầu tuần, nhiều người phải đứng chờ lâu.",
        "sender_name": "Nguyễn Văn An",
        "sender_phone": PHONE,
        "sender_email": EMAIL,
    }
    data.update(changes)
    return data


def test_submit_and_rate_through_the_api(unit, officer, leader, clock):
    response = api().post("/api/v1/feedback/", payload(unit), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"] == "PA-250303-0001" and body["rating_token"]
    feedback = Feedback.objects.get(code=body["code"])
    to_state(feedback, "published", officer, leader)
    wrong = api().post(
        "/api/v1/feedback/rate/",
        {"code": body["code"], "token": "x" * 32, "rating": "satisfied"},
        format="json",
    )
    assert wrong.status_code == 403
    unknown = api().post(
        "/api/v1/feedback/rate/",
        {"code": "PA-000000-0000", "token": body["rating_token"], "rating": "satisfied"},
        format="json",
    )
    assert unknown.status_code == 403 and unknown.json() == wrong.json()
    rated = api().post(
        "/api/v1/feedback/rate/",
        {"code": body["code"], "token": body["rating_token"], "rating": "satisfied"},
        format="json",
    )
    assert rated.status_code == 200 and rated.json()["rating"] == "satisfied"
    again = api().post(
        "/api/v1/feedback/rate/",
        {"code": body["code"], "token": body["rating_token"], "rating": "dissatisfied"},
        format="json",
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"subject_kind": "nonsense"}, "subject_kind"),
        ({"sender_email": "not-an-email"}, "sender_email"),
        ({"unit": "no-such-unit"}, "unit"),
        ({"procedure": "9.999999"}, "procedure"),
        ({"content": "x" * 5001}, "content"),
        # Errors found by the service come back the same way.
        ({"content": "Quá ngắn"}, "content"),
        ({"sender_phone": "", "sender_email": ""}, "sender_phone"),
        ({"subject_kind": "dossier"}, "dossier_code"),
    ],
)
def test_bad_submissions_are_400_with_field_errors(unit, changes, field, clock):
    response = api().post("/api/v1/feedback/", payload(unit, **changes), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Feedback.objects.exists()


def test_every_problem_comes_back_at_once(unit, clock):
    changes = {
        "subject_kind": "officer",
        "content": "Quá ngắn",
        "sender_phone": "",
        "sender_email": "",
    }
    response = api().post("/api/v1/feedback/", payload(unit, **changes), format="json")
    assert response.status_code == 400
    assert {"officer_name", "content", "sender_phone"} <= set(response.json())


def test_no_unit_is_routed_by_the_system(unit, clock):
    response = api().post("/api/v1/feedback/", payload(unit, unit=None), format="json")
    assert response.status_code == 201
    assert Feedback.objects.get().unit.active


def test_a_non_json_body_is_400_not_500(unit, clock):
    response = api().post("/api/v1/feedback/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_submissions_are_rate_limited(unit, settings, clock):
    settings.CCHC_FEEDBACK_MAX_SUBMISSIONS = 1
    assert api().post("/api/v1/feedback/", payload(unit), format="json").status_code == 201
    assert api().post("/api/v1/feedback/", payload(unit), format="json").status_code == 429


def test_public_endpoints_show_no_personal_data(unit, officer, leader, clock):
    feedback, _ = submit(unit)
    to_state(feedback, "published", officer, leader)
    hidden, _ = submit(unit, title="Chưa công khai")
    listing = api().get("/api/v1/feedback/public/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert feedback.code in text and hidden.code not in text
    detail = api().get(f"/api/v1/feedback/public/{feedback.code}/")
    assert detail.status_code == 200 and detail.json()["sender_initials"] == "N.V.A."
    for response in (listing, detail):
        body = response.content.decode()
        assert PHONE not in body and EMAIL not in body and "Nguyễn Văn An" not in body
    assert api().get(f"/api/v1/feedback/public/{hidden.code}/").status_code == 404


def test_officer_list_detail_and_actions(unit, officer, leader, other_unit, clock):
    feedback, _ = submit(unit)
    listing = api(officer).get("/api/v1/feedback/officer/?queue=can-xu-ly")
    assert listing.status_code == 200 and listing.json()["results"][0]["code"] == feedback.code
    detail = api(officer).get(f"/api/v1/feedback/officer/{feedback.pk}/").json()
    assert detail["sender_phone"] == PHONE and detail["events"][0]["action"] == "submitted"
    url = f"/api/v1/feedback/officer/{feedback.pk}"
    response = api(officer).post(f"{url}/classify/", {"category": "fees"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == FeedbackStatus.CLASSIFIED
    bad = api(officer).post(f"{url}/classify/", {"category": "nonsense"}, format="json")
    assert bad.status_code == 400 and "category" in bad.json()
    stale = api(officer).post(f"{url}/answer/", {"answer": "Trả lời", "version": 1}, format="json")
    assert stale.status_code == 409
    assert api(officer).post(f"{url}/answer/", {"answer": ""}, format="json").status_code == 400
    assert (
        api(officer).post(f"{url}/answer/", {"answer": "Trả lời"}, format="json").status_code == 200
    )
    forbidden = api(officer).post(
        f"{url}/publish/", {"public_content": "Hỏi", "public_answer": "Đáp"}, format="json"
    )
    assert forbidden.status_code == 403
    published = api(leader).post(
        f"{url}/publish/", {"public_content": "Hỏi", "public_answer": "Đáp"}, format="json"
    )
    assert published.status_code == 200 and published.json()["status"] == "published"
    late = api(officer).post(f"{url}/forward/", {"unit": other_unit.code, "reason": "Lý do"})
    assert late.status_code == 409


def test_officers_of_another_unit_get_404(unit, stranger, auditor, clock):
    feedback, _ = submit(unit)
    assert api(stranger).get("/api/v1/feedback/officer/").json()["results"] == []
    assert api(stranger).get(f"/api/v1/feedback/officer/{feedback.pk}/").status_code == 404
    response = api(stranger).post(
        f"/api/v1/feedback/officer/{feedback.pk}/classify/", {"category": "fees"}, format="json"
    )
    assert response.status_code == 404
    # The auditor (province) reads but may not act.
    assert api(auditor).get(f"/api/v1/feedback/officer/{feedback.pk}/").status_code == 200
    response = api(auditor).post(
        f"/api/v1/feedback/officer/{feedback.pk}/classify/", {"category": "fees"}, format="json"
    )
    assert response.status_code == 403


def test_anonymous_and_citizens_cannot_use_the_officer_api(unit, citizen, clock):
    submit(unit)
    assert api().get("/api/v1/feedback/officer/").status_code in (401, 403)
    assert api(citizen).get("/api/v1/feedback/officer/").status_code == 403


def test_public_search_never_matches_private_text(unit, officer, leader, clock):
    feedback, _ = submit(unit)
    to_state(feedback, "published", officer, leader)
    assert api().get("/api/v1/feedback/public/", {"q": "ghế"}).json()["count"] == 1
    assert api().get("/api/v1/feedback/public/", {"q": "Nguyễn Văn An"}).json()["count"] == 0
    assert api().get("/api/v1/feedback/public/", {"category": "other"}).json()["count"] == 1
    assert api().get("/api/v1/feedback/public/", {"category": "fees"}).json()["count"] == 0
