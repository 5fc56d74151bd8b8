"""``cchc plan-progress`` and ``GET /api/v1/plans/progress/``: the same JSON, exact keys, bad
input as a Vietnamese message (exit code 2 / 400 with field errors), the API scoped."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from cchc.common.tests.test_api_fuzz import keep_connection  # noqa: F401  (fixture)

from . import progress_world

clock = progress_world.clock  # the fixture
pworld = progress_world.pworld  # the fixture

KEYS = [
    "unit",
    "year",
    "as_of",
    "tasks_total",
    "tasks_due",
    "tasks_done",
    "tasks_done_on_time",
    "tasks_done_late",
    "tasks_overdue",
    "completion_percent",
    "fields",
]
FIELD_KEYS = ["name", "tasks_total", "tasks_done", "completion_percent"]
URL = "/api/v1/plans/progress/"


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("plan-progress", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


EXPECTED = {
    "unit": "000.00.15.H99",
    "year": 2026,
    "as_of": "2026-10-15",
    "tasks_total": 28,
    "tasks_due": 27,
    "tasks_done": 26,
    "tasks_done_on_time": 24,
    "tasks_done_late": 2,
    "tasks_overdue": 1,
    "completion_percent": 92.86,
}


def test_cli_prints_exactly_the_contract(pworld):
    code, out, err = run(
        "--unit", "000.00.15.H99", "--year", "2026", "--as-of", "15/10/2026", "--json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert list(data) == KEYS
    assert {key: data[key] for key in EXPECTED} == EXPECTED
    assert len(data["fields"]) == 7
    assert all(list(row) == FIELD_KEYS for row in data["fields"])
    assert data["fields"][0] == {
        "name": "Lĩnh vực 1",
        "tasks_total": 4,
        "tasks_done": 4,
        "completion_percent": 100.0,
    }
    assert data["fields"][6] == {
        "name": "Lĩnh vực 7",
        "tasks_total": 4,
        "tasks_done": 2,
        "completion_percent": 50.0,
    }


def test_cli_accepts_iso_dates_and_defaults_to_today(pworld):
    _code, iso, _err = run(
        "--unit", "000.00.15.H99", "--year", "2026", "--as-of", "2026-10-15", "--json"
    )
    _code, today, _err = run("--unit", "000.00.15.H99", "--year", "2026", "--json")
    assert json.loads(iso) == json.loads(today)


def test_cli_past_year_defaults_to_its_last_day(pworld):
    _code, out, _err = run("--unit", "000.00.15.H99", "--year", "2025", "--json")
    data = json.loads(out)
    assert data["as_of"] == "2025-12-31"
    assert data["tasks_total"] == 0 and data["completion_percent"] is None


def test_cli_as_of_the_deadline_day_and_the_day_after(pworld):
    on = json.loads(
        run("--unit", "000.00.15.H99", "--year", "2026", "--as-of", "30/09/2026", "--json")[1]
    )
    after = json.loads(
        run("--unit", "000.00.15.H99", "--year", "2026", "--as-of", "01/10/2026", "--json")[1]
    )
    assert (on["tasks_due"], on["tasks_overdue"]) == (27, 0)
    assert (after["tasks_due"], after["tasks_overdue"]) == (27, 1)


def test_cli_table_in_vietnamese(pworld):
    code, out, _err = run("--unit", "000.00.15.H99", "--year", "2026", "--as-of", "15/10/2026")
    assert code == 0
    assert "Tiến độ Kế hoạch CCHC năm 2026 — Sở Tư pháp" in out
    assert "92,86 %" in out
    assert "Lĩnh vực 7" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "KHONG-CO", "--year", "2026"], "Không có đơn vị nào mang mã “KHONG-CO”."),
        (["--unit", "000.00.15.H99", "--year", "hai"], "Nhập năm gồm bốn chữ số, ví dụ 2025."),
        (["--unit", "000.00.15.H99", "--year", "1999"], "Nhập năm từ 2000 đến 2100."),
        (["--unit", "000.00.15.H99", "--year", "2026", "--as-of", "31/02/2026"], "31/02/2026"),
    ],
)
def test_cli_bad_input_exits_2_with_a_vietnamese_message(pworld, args, message):
    code, out, err = run(*args)
    assert code == 2
    assert out == ""
    assert err.startswith("Lỗi: ")
    assert message in err


def test_cli_without_the_unit_exits_2(pworld, capsys):
    code, out, _err = run("--year", "2026")
    assert code == 2 and out == ""
    assert "Lỗi: tham số không hợp lệ" in capsys.readouterr().err


def test_api_answers_the_same_json_as_the_cli(pworld):
    _code, out, _err = run(
        "--unit", "000.00.15.H99", "--year", "2026", "--as-of", "15/10/2026", "--json"
    )
    answer = api(pworld.leader).get(
        URL, {"unit": "000.00.15.H99", "year": "2026", "as_of": "15/10/2026"}
    )
    assert answer.status_code == 200
    assert answer.json() == json.loads(out)
    assert list(answer.json()) == KEYS


def test_api_province_staff_see_a_department_below_them(pworld):
    answer = api(pworld.reform).get(URL, {"unit": "000.00.20.H99", "year": "2026"})
    assert answer.status_code == 200
    assert answer.json()["completion_percent"] == 25.0


def test_api_a_unit_outside_the_scope_is_not_found(pworld):
    answer = api(pworld.building_leader).get(URL, {"unit": "000.00.15.H99", "year": "2026"})
    assert answer.status_code == 404


@pytest.mark.parametrize("user", [None, "nobody"])
def test_api_needs_a_role(pworld, user):
    answer = api(getattr(pworld, user) if user else None).get(
        URL, {"unit": "000.00.15.H99", "year": "2026"}
    )
    assert answer.status_code in (401, 403)


def test_api_bad_input_is_400_with_field_errors(pworld):
    client = api(pworld.leader)
    answer = client.get(URL)
    assert answer.status_code == 400
    assert set(answer.json()) == {"unit", "year"}
    answer = client.get(URL, {"unit": "KHONG-CO", "year": "x", "as_of": "31/02/2026"})
    assert answer.status_code == 400
    errors = answer.json()
    assert errors["unit"] == ["Không có đơn vị nào mang mã “KHONG-CO”."]
    assert errors["year"] == ["Nhập năm gồm bốn chữ số, ví dụ 2025."]
    answer = client.get(URL, {"unit": "000.00.15.H99", "year": "2026", "as_of": "hôm qua"})
    assert answer.status_code == 400
    assert "hôm qua" in answer.json()["as_of"][0]


def test_api_endpoint_is_in_the_schema(db):
    schema = api().get("/api/schema/?format=json")
    assert schema.status_code == 200
    operation = schema.json()["paths"][URL]["get"]
    assert set(operation["responses"]) >= {"200", "400", "404"}
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names >= {"unit", "year", "as_of"}


@pytest.mark.usefixtures("keep_connection")
def test_the_endpoint_never_fails_under_the_fuzzer(pworld):
    """The project's Schemathesis harness (common/tests/test_api_fuzz.py) on this operation
    alone, anonymously and as the leader of a department."""
    import schemathesis
    from rest_framework.authtoken.models import Token

    from cchc.common.tests.test_api_fuzz import EXAMPLES, _fuzz_operation
    from cchc.wsgi import application

    token = Token.objects.get_or_create(user=pworld.leader)[0].key
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    failures: list[str] = []
    found = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if "/plans/progress/" not in operation.label:
            continue
        found += 1
        for headers in ({}, {"Authorization": f"Token {token}"}):
            for mode in EXAMPLES:
                _fuzz_operation(operation, headers, mode, failures)
    assert found == 1
    assert not failures, "\n\n".join(failures)
