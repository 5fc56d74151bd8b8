"""``cchc sipas-results``: the JSON keys (a public contract), the table, an unknown campaign."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.surveys.tests.test_results import build_case

pytestmark = pytest.mark.django_db

UNIT_KEYS = [
    "unit",
    "unit_name",
    "invited",
    "responses",
    "response_rate",
    "index",
    "ci_low",
    "ci_high",
    "rank",
    "factors",
]
FACTOR_KEYS = ["code", "name", "items", "index", "ci_low", "ci_high"]


def run(*args) -> str:
    out = StringIO()
    call_command("sipas-results", *args, stdout=out)
    return out.getvalue()


def test_json_has_exactly_the_contract_keys_and_the_hand_computed_figures():
    build_case()
    data = json.loads(run("--campaign", "sipas-thu", "--json"))
    assert list(data) == ["campaign", "units"] and data["campaign"] == "sipas-thu"
    assert all(list(unit) == UNIT_KEYS for unit in data["units"])
    assert all(list(f) == FACTOR_KEYS for unit in data["units"] for f in unit["factors"])
    first, second, third = data["units"]
    assert (first["unit"], first["index"], first["ci_low"], first["ci_high"], first["rank"]) == (
        "000.00.32.H99",
        75.0,
        25.0,
        100.0,
        1,
    )
    assert (second["index"], second["rank"], second["invited"], second["response_rate"]) == (
        66.67,
        2,
        4,
        50.0,
    )
    assert third["rank"] is None and third["responses"] == 2
    assert [f["items"] for f in first["factors"]] == [3, 4, 3, 3, 3]
    assert first["factors"][0] == {
        "code": "access",
        "name": "Tiếp cận dịch vụ hành chính công",
        "items": 3,
        "index": 75.0,
        "ci_low": 25.0,
        "ci_high": 100.0,
    }


def test_the_table_is_in_vietnamese():
    build_case()
    text = run("--campaign", "sipas-thu")
    assert "Hạng" in text and "Phường Bình Minh" in text
    assert "66,67" in text and "25,00 – 100,00" in text and "chưa đủ" in text


def test_an_unknown_campaign_is_a_clear_error_with_a_non_zero_exit():
    with pytest.raises(CommandError, match="Không có đợt khảo sát mã 'khong-co'") as error:
        run("--campaign", "khong-co")
    # From the shell Django prints "CommandError: …" (no traceback) and exits with this code.
    assert error.value.returncode == 2
