"""``cchc sipas-sample-size``: the JSON contract, the Vietnamese line and bad input."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

CONTRACT_KEYS = {"population", "margin", "confidence", "method", "sample_size"}


def run_json(*args):
    out = StringIO()
    call_command("sipas-sample-size", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_json_defaults_to_yamane():
    data = run_json("--population", "1000")
    assert set(data) == CONTRACT_KEYS
    # 1000 / (1 + 1000 × 0.05²) = 285.71 → 286
    assert data == {
        "population": 1000,
        "margin": 0.05,
        "confidence": 0.95,
        "method": "yamane",
        "sample_size": 286,
    }


def test_json_cochran():
    # n0 = 1.95996² × 0.25 / 0.05² = 384.15; n = 384.15 / (1 + 383.15 / 1000) = 277.73 → 278
    data = run_json("--population", "1000", "--method", "cochran")
    assert (data["method"], data["sample_size"]) == ("cochran", 278)
    # 99 %: n0 = 2.57583² × 100 = 663.49; n = 663.49 / 1.66249 = 399.09 → 400
    data = run_json("--population", "1000", "--method", "cochran", "--confidence", "0.99")
    assert (data["confidence"], data["sample_size"]) == (0.99, 400)


def test_json_margin_and_edges():
    assert run_json("--population", "1000", "--margin", "0.1")["sample_size"] == 91  # 1000 / 11
    assert run_json("--population", "0")["sample_size"] == 0
    assert run_json("--population", "3")["sample_size"] == 3


def test_the_vietnamese_line():
    out = StringIO()
    call_command("sipas-sample-size", "--population", "1000", stdout=out)
    assert out.getvalue().strip() == (
        "Cỡ mẫu theo công thức Yamane cho tổng thể 1.000: 286 phiếu (sai số 5%)."
    )
    out = StringIO()
    call_command(
        "sipas-sample-size",
        "--population",
        "12000",
        "--method",
        "cochran",
        "--margin",
        "0.035",
        stdout=out,
    )
    assert "tổng thể 12.000" in out.getvalue() and "sai số 3,5%, độ tin cậy 95%" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--population", "abc"], "--population phải là số nguyên"),
        (["--population", "1.5"], "--population phải là số nguyên"),
        (["--population", "-5"], "không được âm"),
        (["--population", "100", "--margin", "0"], "--margin phải là số trong khoảng"),
        (["--population", "100", "--margin", "5"], "--margin phải là số trong khoảng"),
        (["--population", "100", "--margin", "nan"], "--margin phải là số trong khoảng"),
        (["--population", "100", "--confidence", "95"], "--confidence phải là số trong khoảng"),
        (["--population", "100", "--method", "magic"], "tham số không hợp lệ"),
        ([], "tham số không hợp lệ"),
    ],
)
def test_bad_input_is_a_command_error(args, message):
    with pytest.raises(CommandError, match=message) as error:
        call_command("sipas-sample-size", *args, "--json", stdout=StringIO())
    assert getattr(error.value, "returncode", 1) != 0


def test_from_the_shell_bad_input_exits_2_without_a_traceback():
    root = Path(__file__).resolve().parents[3]  # src/
    env = {**os.environ, "PYTHONPATH": str(root), "DJANGO_SETTINGS_MODULE": "cchc.settings.test"}
    for args in (["--population", "abc"], ["--population", "10", "--method", "magic"]):
        done = subprocess.run(
            [sys.executable, "-m", "cchc", "sipas-sample-size", *args, "--json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert done.returncode == 2, done.stderr
        assert done.stdout == ""
        assert "Traceback" not in done.stderr
        assert "--population phải là số nguyên" in done.stderr or "magic" in done.stderr
