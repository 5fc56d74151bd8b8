"""The API: reports in scope with their snapshot and narrative; 400, 403, 404, 409."""

import pytest
import time_machine
from rest_framework.test import APIClient

from cchc.reformreports import services

from .conftest import at
from .test_services import NARRATIVE

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(officer, justice):
    with time_machine.travel(at(2026, 3, 10), tick=False):
        report = services.create_report(officer, justice, 2026, "q1")
        report = services.edit_report(officer, report.pk, report.version, NARRATIVE)
        return services.submit_report(officer, report.pk, report.version)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_list_and_read_in_scope(officer, other_officer, submitted):
    rows = api(officer).get("/api/v1/reform-reports/", {"year": 2026}).json()["results"]
    assert [row["id"] for row in rows] == [submitted.pk]
    one = api(officer).get(f"/api/v1/reform-reports/{submitted.pk}/").json()
    assert one["achievements"] == NARRATIVE["achievements"]
    assert [s["key"] for s in one["snapshot"]["sections"]][:1] == ["one_stop"]
    assert api(other_officer).get("/api/v1/reform-reports/").json()["results"] == []
    assert api(other_officer).get(f"/api/v1/reform-reports/{submitted.pk}/").status_code == 404


def test_bad_filters_are_400(officer):
    response = api(officer).get("/api/v1/reform-reports/", {"year": "abc"})
    assert response.status_code == 400 and "year" in response.json()
    assert api(officer).get("/api/v1/reform-reports/", {"kind": "q2"}).status_code == 400


def test_actions_map_403_409_400(officer, leader, submitted):
    url = f"/api/v1/reform-reports/{submitted.pk}"
    assert api(officer).post(f"{url}/approve/", {"version": submitted.version}).status_code == 403
    stale = api(leader).post(f"{url}/approve/", {"version": submitted.version - 1})
    assert stale.status_code == 409
    assert api(leader).post(f"{url}/return/", {}).status_code == 400
    ok = api(leader).post(f"{url}/approve/", {"version": submitted.version})
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    again = api(leader).post(f"{url}/approve/", {})
    assert again.status_code == 409
