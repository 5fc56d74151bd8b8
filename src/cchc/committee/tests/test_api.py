"""The committee API: reads in scope, writes through the services with 400/403/404/409."""

from datetime import date

import pytest
import time_machine
from rest_framework.test import APIClient

from cchc.plans.models import Task, TaskOrigin

from .factories import conclude, hold, make_world, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    with time_machine.travel(date(2026, 4, 20), tick=False):
        world = make_world()
        world.meeting = plan(world, date(2026, 4, 10))
    return world


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(date(2026, 4, 20), tick=False):
        yield


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_reads_are_scoped(world):
    body = api(world.auditor).get("/api/v1/committee/committees/").json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    assert [row["unit_code"] for row in rows] == ["000.00.00.H98"]
    assert rows[0]["members"][0]["role"] == "head"
    outsider = api(world.outsider)
    body = outsider.get("/api/v1/committee/meetings/").json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    assert rows == []
    assert outsider.get(f"/api/v1/committee/meetings/{world.meeting.pk}/").status_code == 404


def test_hold_and_conclude(world):
    client = api(world.reform)
    seat = world.seats()[1]
    answer = client.post(
        f"/api/v1/committee/meetings/{world.meeting.pk}/hold/",
        {"absences": {str(seat.pk): "Đi công tác"}, "minutes": "Biên bản", "version": 1},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == "held"
    answer = client.post(
        f"/api/v1/committee/meetings/{world.meeting.pk}/conclude/",
        {
            "notice_number": "20/TB-BCĐ",
            "notice_date": "2026-04-15",
            "items": [
                {"content": "Rà soát TTHC", "lead_unit": "000.00.15.H98", "deadline": "2026-06-30"}
            ],
        },
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    task = Task.objects.get()
    assert (task.origin, task.lead_unit, task.issuer_unit) == (
        TaskOrigin.CONCLUSION,
        world.justice,
        world.province,
    )
    rows = client.get(f"/api/v1/committee/conclusions/?meeting={world.meeting.pk}").json()
    rows = rows["results"] if isinstance(rows, dict) and "results" in rows else rows
    assert rows[0]["task"] == task.pk and rows[0]["state"] == "open"


def test_refusals_are_mapped(world):
    url = f"/api/v1/committee/meetings/{world.meeting.pk}/"
    forbidden = api(world.auditor).post(url + "hold/", {"minutes": "x"}, format="json")
    assert forbidden.status_code == 403
    bad = api(world.reform).post(url + "hold/", {"minutes": ""}, format="json")
    assert bad.status_code == 400
    assert bad.json()["minutes"] == ["Nhập biên bản hoặc đính kèm biên bản (PDF)."]
    bad_item = api(world.reform).post(
        url + "conclude/",
        {"notice_number": "1", "notice_date": "2026-04-15", "items": [{"lead_unit": "nope"}]},
        format="json",
    )
    assert bad_item.status_code == 400
    wrong_state = api(world.reform).post(
        url + "conclude/",
        {
            "notice_number": "1",
            "notice_date": "2026-04-15",
            "items": [{"content": "A", "lead_unit": "000.00.15.H98", "deadline": "2026-06-30"}],
        },
        format="json",
    )
    assert wrong_state.status_code == 409
    stale = api(world.reform).post(url + "hold/", {"minutes": "x", "version": 99}, format="json")
    assert stale.status_code == 409
    hold(world, world.meeting)
    again = api(world.reform).post(url + "hold/", {"minutes": "x"}, format="json")
    assert again.status_code == 409


def test_conclusions_in_scope(world):
    hold(world, world.meeting)
    conclude(world, world.meeting, [("A", world.justice, date(2026, 6, 30))])
    body = api(world.outsider).get("/api/v1/committee/conclusions/").json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    assert rows == []
