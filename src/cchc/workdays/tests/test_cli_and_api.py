"""``cchc deadline`` and ``GET /api/v1/workdays/deadline``: the public contracts."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from cchc.organisations.models import OrganisationUnit, UnitKind

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    code = 0
    try:
        call_command("deadline", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_cli_json_contract():
    code, out, _ = run("--received", "24/01/2025 14:00", "--working-days", "5", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["effective_received"] == "2025-01-24T14:00+07:00"
    assert data["due"] == "2025-02-07T17:00+07:00"
    assert {"date": "2025-01-27", "kind": "holiday"}.items() <= data["skipped"][2].items()
    assert "8726/VPCP-KGVX" in data["skipped"][2]["reason"]
    assert data["provisional"] is False


def test_cli_text_with_explanation():
    code, out, _ = run("--received", "2025-01-24T14:00", "--working-days", "5", "--explain")
    assert code == 0
    assert "17:00 Thứ Sáu 07/02/2025" in out
    assert "Bỏ qua 27/01/2025: Tết Nguyên đán" in out


@pytest.mark.parametrize(
    "args",
    [
        ("--received", "24/01/2025 15:00", "--working-hours", "4", "--json"),
        ("--received", "24/01/2025 16:00", "--same-day", "--json"),
        ("--received", "24/01/2025", "--calendar-days", "10", "--json"),
        ("--received", "24/01/2025", "--half-days", "3", "--json"),
    ],
)
def test_cli_alternative_limits(args):
    code, out, _ = run(*args)
    assert code == 0
    # Each of these ends on the first working day after Tết 2025, Monday 03/02.
    assert json.loads(out)["due"] in {"2025-02-03T09:30+07:00", "2025-02-03T17:00+07:00"}


def test_cli_unit_hours():
    OrganisationUnit.objects.create(
        kind=UnitKind.COMMUNE_COMMITTEE, name="UBND xã A", code="000.00.99.H99",
        afternoon_end="16:30",
    )  # fmt: skip
    code, out, _ = run(
        "--received", "24/01/2025 14:00", "--working-days", "1", "--unit", "000.00.99.H99", "--json"
    )
    assert code == 0
    assert json.loads(out)["due"] == "2025-02-03T16:30+07:00"


def test_cli_pause():
    code, out, _ = run(
        "--received", "03/06/2024 08:00", "--working-days", "5",
        "--pause", "04/06/2024 08:00/05/06/2024 08:00", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["due"] == "2024-06-11T17:00+07:00"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--received", "24/01/2025", "--working-days", "0"), "lớn hơn 0"),
        (("--received", "24/01/2025", "--working-days", "-3"), "lớn hơn 0"),
        (("--received", "24/01/2025", "--working-days", "năm"), "số nguyên"),
        (("--received", "hôm qua", "--working-days", "3"), "Không đọc được"),
        (("--received", "24/01/2025", "--working-days", "3", "--unit", "X"), "Không tìm thấy"),
        (("--received", "24/01/2025"), "cần đúng một"),
        (("--received", "24/01/2025", "--working-days", "3", "--same-day"), "cần đúng một"),
        (
            (
                "--working-days",
                "3",
            ),
            "thiếu --received",
        ),
    ],
)
def test_cli_bad_input_exits_2_with_vietnamese_message(args, message):
    code, out, err = run(*args)
    assert code == 2
    assert message in err
    assert out == ""


def test_api_same_json_as_cli(client):
    response = client.get(
        "/api/v1/workdays/deadline", {"received": "24/01/2025 14:00", "working_days": "5"}
    )
    assert response.status_code == 200
    _, out, _ = run("--received", "24/01/2025 14:00", "--working-days", "5", "--json")
    assert response.json() == json.loads(out)


def test_api_explain_lists_counted_days(client):
    response = client.get(
        "/api/v1/workdays/deadline",
        {"received": "2024-04-26T10:00", "working_days": "3", "explain": "true"},
    )
    assert response.json()["counted_days"] == ["2024-05-02", "2024-05-03", "2024-05-04"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"working_days": "5"}, "received"),
        ({"received": "32/01/2025", "working_days": "5"}, "received"),
        ({"received": "24/01/2025", "working_days": "0"}, "working_days"),
        ({"received": "24/01/2025", "working_days": "abc"}, "working_days"),
        ({"received": "24/01/2025"}, "non_field_errors"),
        ({"received": "24/01/2025", "working_days": "2", "calendar_days": "3"}, "non_field_errors"),
        ({"received": "24/01/2025", "working_days": "2", "unit": "KHONG-CO"}, "unit"),
    ],
)
def test_api_bad_input_is_400_with_field_errors(client, params, field):
    response = client.get("/api/v1/workdays/deadline", params)
    assert response.status_code == 400
    assert field in response.json()


def test_api_day_status(client):
    response = client.get("/api/v1/workdays/day", {"date": "29/04/2024"})
    data = response.json()
    assert data["working"] is False
    assert data["kind"] == "day_off"
    assert data["next_working_day"] == "2024-05-02"
    assert client.get("/api/v1/workdays/day", {"date": "x"}).status_code == 400


def test_calculator_and_calendar_pages(client):
    response = client.get(
        "/tinh-han/", {"received": "24/01/2025 14:00", "rule": "working_days", "amount": "5"}
    )
    assert response.status_code == 200
    assert "17:00 07/02/2025" in response.content.decode()
    bad = client.get("/tinh-han/", {"received": "abc", "rule": "working_days", "amount": "-1"})
    assert bad.status_code == 200
    page = client.get("/lich-lam-viec/", {"nam": "2024"}).content.decode()
    assert "04/05/2024" in page and "2450/VPCP-KGVX" in page
    assert "251" in page
    assert client.get("/lich-lam-viec/", {"nam": "abc"}).status_code == 200
