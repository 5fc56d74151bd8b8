"""The plans API: scoped reads, create a task, report progress (multipart), errors mapped."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from cchc.plans import services
from cchc.plans.models import Task, TaskStatus

from .world import at, make_world, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_plans_and_tasks_are_scoped(world):
    own = world.justice_plan()
    other = services.create_plan(world.noivu, unit=world.other, year=2026)
    client = _client(world.officer)
    plans = client.get("/api/v1/plans/").json()
    ids = {row["id"] for row in (plans.get("results", plans))}
    assert own.pk in ids and other.pk not in ids
    assert client.get(f"/api/v1/plans/{other.pk}/").status_code == 404
    body = client.get(f"/api/v1/plans/{own.pk}/").json()
    assert body["unit_code"] == "000.00.15.H99" and len(body["fields"]) == 9
    tasks = client.get("/api/v1/plans/tasks/", {"plan": own.pk}).json()
    rows = tasks.get("results", tasks)
    assert len(rows) == 2 and rows[0]["status"] == "not_started"


def test_create_a_task(world):
    plan = world.justice_plan(issue=False, tasks=0)
    field = plan.fields.first()
    payload = {
        "plan": plan.pk,
        "field": field.pk,
        "content": "Rà soát quy định",
        "lead_unit": world.division.code,
        "deadline": "2026-09-30",
        "par_criteria": [],
    }
    answer = _client(world.leader).post("/api/v1/plans/tasks/", payload, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["lead_unit_code"] == world.division.code
    assert Task.objects.get().code == "1.1"
    answer = _client(world.officer).post("/api/v1/plans/tasks/", payload, format="json")
    assert answer.status_code == 403
    bad = _client(world.leader).post(
        "/api/v1/plans/tasks/", {**payload, "deadline": "2027-01-01"}, format="json"
    )
    assert bad.status_code == 400 and "deadline" in bad.json()
    bad = _client(world.leader).post(
        "/api/v1/plans/tasks/", {**payload, "deadline": "hôm nay"}, format="json"
    )
    assert bad.status_code == 400 and "deadline" in bad.json()
    other = services.create_plan(world.noivu, unit=world.other, year=2026)
    bad = _client(world.leader).post(
        "/api/v1/plans/tasks/", {**payload, "plan": other.pk}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["plan"] == ["Kế hoạch này không tồn tại."]
    bad = _client(world.leader).post("/api/v1/plans/tasks/", {"plan": "x"}, format="json")
    assert bad.status_code == 400 and "content" in bad.json()


def test_report_progress_with_an_output_file(world):
    task = world.province_plan().tasks.get()
    client = _client(world.officer)
    url = f"/api/v1/plans/tasks/{task.pk}/report/"
    answer = client.post(url, {"status": "done"}, format="multipart")
    assert answer.status_code == 400 and "output" in answer.json()
    with at(date(2026, 4, 10)):
        answer = client.post(
            url,
            {
                "status": "done",
                "text": "Đã ban hành",
                "output_file": pdf("san-pham.pdf"),
                "evidence": [pdf("a.pdf")],
                "version": task.version,
            },
            format="multipart",
        )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["evidence"][0]["original_name"] == "a.pdf"
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.done_on == date(2026, 4, 10)
    answer = client.post(url, {"status": "in_progress", "percent": 10}, format="multipart")
    assert answer.status_code == 409
    reports = client.get(f"/api/v1/plans/tasks/{task.pk}/reports/").json()
    assert len(reports) == 1


def test_a_stale_version_is_409_and_another_unit_is_404(world):
    task = world.justice_plan(tasks=1).tasks.get()
    url = f"/api/v1/plans/tasks/{task.pk}/report/"
    stale = _client(world.officer).post(
        url, {"status": "in_progress", "percent": 5, "version": task.version + 3}, format="json"
    )
    assert stale.status_code == 409
    assert _client(world.other_officer).post(url, {"status": "in_progress"}).status_code == 404
    bad = _client(world.officer).post(url, {"status": "finished"}, format="json")
    assert bad.status_code == 400 and "status" in bad.json()
