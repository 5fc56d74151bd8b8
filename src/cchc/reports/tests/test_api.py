"""``/api/v1/reports/period/``: the CLI's JSON, scoped to the user's units, 400 for bad input."""

import json

import pytest
import time_machine
from django.core.management import call_command
from django.urls import include, path, reverse
from rest_framework.test import APIClient

from . import test_views as shared

# The hand-built March set and its fixtures (see test_views).
AFTER_MARCH = shared.AFTER_MARCH
WARD_MARCH = shared.WARD_MARCH
department_officer = shared.department_officer
leader = shared.leader
march = shared.march
other_unit = shared.other_unit
procedure = shared.procedure
province_reform = shared.province_reform
second_procedure = shared.second_procedure
unit = shared.unit

# The project includes cchc.reports.api.urls under /api/v1/ (src/cchc/urls.py, the lead's); the
# tests mount it themselves so they do not depend on that line.
urlpatterns = [
    path("api/v1/", include("cchc.reports.api.urls")),
    path("", include("cchc.urls")),
]
pytestmark = pytest.mark.urls(__name__)

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def api():
    with time_machine.travel(AFTER_MARCH, tick=False):
        yield APIClient()


def cli_json(tmp_path, *args) -> dict:
    target = tmp_path / "report.json"
    call_command("report", *args, "--output", str(target))
    return json.loads(target.read_text(encoding="utf-8"))


@pytest.mark.parametrize("by", [None, "field", "procedure", "unit"])
def test_api_json_is_the_cli_json(api, leader, march, unit, tmp_path, by):
    api.force_authenticate(leader)
    params = {**MARCH, "unit": unit.code, **({"by": by} if by else {})}
    response = api.get(reverse("api-report-period"), params)
    assert response.status_code == 200, response.content
    args = ["--unit", unit.code, "--from", "2026-03-01", "--to", "31/03/2026"]
    if by:
        args += ["--by", by]
    assert response.json() == cli_json(tmp_path, *args)
    assert {k: response.json()["total"][k] for k in WARD_MARCH} == WARD_MARCH


def test_province_staff_get_the_whole_province(api, province_reform, march, unit, tmp_path):
    api.force_authenticate(province_reform)
    province = unit.parent.code
    response = api.get(reverse("api-report-period"), {**MARCH, "unit": province, "by": "unit"})
    assert response.status_code == 200
    data = response.json()
    assert data["total"]["received"] == 10
    assert [(g["name"], g["received"]) for g in data["groups"]] == [
        ("Sở Tư pháp", 1),
        ("UBND phường Đông Thành", 9),
    ]
    assert data == cli_json(
        tmp_path, "--unit", province, "--from", "01/03/2026", "--to", "31/03/2026", "--by", "unit"
    )


def test_without_a_unit_the_users_own_unit(api, leader, march, unit):
    api.force_authenticate(leader)
    response = api.get(reverse("api-report-period"), MARCH)
    assert response.status_code == 200
    assert response.json()["unit"] == {"code": unit.code, "name": unit.name}


def test_superuser_without_a_unit_gets_the_whole_tree(api, django_user_model, march, tmp_path):
    admin = django_user_model.objects.create_superuser("quantri", password="pw-123456")
    api.force_authenticate(admin)
    response = api.get(reverse("api-report-period"), MARCH)
    assert response.status_code == 200
    assert response.json()["unit"] is None
    assert response.json() == cli_json(tmp_path, "--from", "2026-03-01", "--to", "2026-03-31")


def test_a_unit_outside_the_scope_is_refused(api, department_officer, march, unit, other_unit):
    api.force_authenticate(department_officer)
    response = api.get(reverse("api-report-period"), {**MARCH, "unit": unit.code})
    assert response.status_code == 400
    assert set(response.json()) == {"unit"}
    # the same for the drill-down
    response = api.get(
        reverse("api-report-period-dossiers"), {**MARCH, "unit": unit.code, "column": "received"}
    )
    assert response.status_code == 400 and "unit" in response.json()
    # their own unit is fine, and holds only their dossier
    response = api.get(reverse("api-report-period"), {**MARCH, "unit": other_unit.code})
    assert response.status_code == 200 and response.json()["total"]["received"] == 1


def test_users_without_a_role_are_refused(api, django_user_model, march):
    response = api.get(reverse("api-report-period"), MARCH)
    assert response.status_code in (401, 403)
    citizen = django_user_model.objects.create_user("dan", password="pw-123456")
    api.force_authenticate(citizen)
    assert api.get(reverse("api-report-period"), MARCH).status_code == 403


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-02-30", "to": "2026-03-31"}, "from"),
        ({"from": "hôm qua", "to": "2026-03-31"}, "from"),
        ({"to": "2026-03-31"}, "from"),
        ({"from": "2026-03-01"}, "to"),
        ({"from": "2026-03-31", "to": "2026-03-01"}, "to"),
        ({"from": "2001-01-01", "to": "2026-03-01"}, "to"),  # more than ten years
        ({"from": "0001-01-01", "to": "2026-03-01"}, "from"),
        ({**MARCH, "unit": "KHONG-CO"}, "unit"),
        ({**MARCH, "by": "week"}, "by"),
        ({**MARCH, "field": "abc"}, "field"),
        ({**MARCH, "field": "999999"}, "field"),
        ({**MARCH, "procedure": "9.999999"}, "procedure"),
        ({**MARCH, "level": "national"}, "level"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(api, leader, params, field):
    api.force_authenticate(leader)
    response = api.get(reverse("api-report-period"), params)
    assert response.status_code == 400
    errors = response.json()
    assert field in errors, errors
    assert all(isinstance(message, str) and message for message in errors[field])


def test_filters_by_field_procedure_and_level(api, leader, march, unit, second_procedure):
    api.force_authenticate(leader)
    by_field = api.get(
        reverse("api-report-period"), {**MARCH, "field": second_procedure.field_id}
    ).json()
    assert by_field["filters"]["field"] == second_procedure.field_id
    assert by_field["total"]["received"] == 2  # E and F
    by_code = api.get(reverse("api-report-period"), {**MARCH, "procedure": "2.000908"}).json()
    assert by_code["filters"]["procedure"] == second_procedure.pk
    assert by_code["total"] == by_field["total"]
    province_level = api.get(reverse("api-report-period"), {**MARCH, "level": "province"}).json()
    assert province_level["total"]["received"] == 0  # both procedures are commune-level


def drilled(api, **params) -> list[str]:
    response = api.get(reverse("api-report-period-dossiers"), {**MARCH, **params})
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_drill_down_lists_the_dossiers_behind_a_number(api, leader, march, second_procedure):
    api.force_authenticate(leader)
    assert drilled(api, column="resolved_late") == ["A", "D"]
    assert drilled(api, column="in_progress_late") == ["E"]
    assert sorted(drilled(api, column="received")) == list("BCDEFGHIK")
    assert drilled(api, column="received", by="field", group=second_procedure.field_id) == [
        "E",
        "F",
    ]
    response = api.get(reverse("api-report-period-dossiers"), {**MARCH, "column": "withdrawn"})
    [row] = response.json()["results"]
    assert row["code"] == "H" and row["status"] == 7 and row["unit"] == "000.00.31.H99"
    assert response.json()["count"] == 1


def test_drill_down_counts_equal_the_report(api, leader, march):
    api.force_authenticate(leader)
    total = api.get(reverse("api-report-period"), MARCH).json()["total"]
    for column in WARD_MARCH:
        response = api.get(reverse("api-report-period-dossiers"), {**MARCH, "column": column})
        assert response.json()["count"] == total[column], column


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"column": "nonsense"}, "column"),
        ({}, "column"),
        ({"column": "received", "group": "x"}, "group"),
        ({"column": "received", "group": "1"}, "group"),  # a row key needs "by"
    ],
)
def test_drill_down_bad_input(api, leader, params, field):
    api.force_authenticate(leader)
    response = api.get(reverse("api-report-period-dossiers"), {**MARCH, **params})
    assert response.status_code == 400
    assert field in response.json()


def test_schema_documents_both_endpoints(api, leader):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator(patterns=urlpatterns[:1]).get_schema(request=None, public=True)
    period = schema["paths"]["/api/v1/reports/period/"]["get"]
    names = {parameter["name"] for parameter in period["parameters"]}
    assert {"unit", "from", "to", "by", "field", "procedure", "level"} <= names
    drill = schema["paths"]["/api/v1/reports/period/dossiers/"]["get"]
    assert {"column", "group", "page"} <= {parameter["name"] for parameter in drill["parameters"]}


def test_api_has_the_due_basis_and_the_online_share_of_all(api, leader, march, unit):
    api.force_authenticate(leader)
    response = api.get(reverse("api-report-period"), {**MARCH, "unit": unit.code, "by": "unit"})
    assert response.status_code == 200, response.content
    data = response.json()
    for row in [data["total"], *data["groups"]]:
        due = row["due"]
        assert set(due) == {
            "due_in_period",
            "resolved_in_time",
            "resolved_late",
            "overdue_unresolved",
            "returned_or_withdrawn",
            "rates",
        }
        assert due["due_in_period"] == (
            due["resolved_in_time"] + due["resolved_late"] + due["overdue_unresolved"]
        )
        for rate in due["rates"].values():
            assert rate["denominator"] == due["due_in_period"]
            assert {"numerator", "denominator", "value", "percent", "definition"} <= set(rate)
    online = data["total"]["rates"]["online_of_total"]
    assert (online["numerator"], online["denominator"]) == (
        data["total"]["received_online"],
        data["total"]["to_process"],
    )
    assert data["total"]["due"]["due_in_period"] > 0
