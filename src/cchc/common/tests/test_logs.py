"""Structured logs: the request id travels from the proxy to every line and back in the answer;
ID and phone numbers never reach a log line; production writes JSON."""

import io
import json
import logging
import logging.config
import os
import subprocess
import sys

import pytest
from django.conf import settings

from cchc.common.logs import (
    PersonalDataFilter,
    RequestIdFilter,
    bound_request_id,
    current_request_id,
    mask_personal_data,
)

pytestmark = pytest.mark.django_db


def capture(formatter_name="json"):
    """A handler configured like production's console handler, writing into a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(PersonalDataFilter())
    config = settings.LOGGING["formatters"][formatter_name]
    if "()" in config:
        from pythonjsonlogger.json import JsonFormatter

        handler.setFormatter(
            JsonFormatter(fmt=config["fmt"], rename_fields=config["rename_fields"])
        )
    else:
        handler.setFormatter(logging.Formatter(config["format"]))
    logger = logging.getLogger("cchc.test.logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger, handler, stream


@pytest.mark.parametrize(
    "text",
    [
        "công dân 001203004567 nộp hồ sơ",
        "CMND 123456789",
        "gọi 0912345678",
        "gọi 0912 345 678",
        "gọi +84912345678",
        "gọi 024.3825.1234",
    ],
)
def test_id_and_phone_numbers_are_masked(text):
    masked = mask_personal_data(text)
    assert "***" in masked
    assert not any(run in masked for run in ("4567", "6789", "5678", "1234"))


def test_ordinary_numbers_are_kept():
    text = "hồ sơ 000.00.15.H99-261203-0001, 28 nhiệm vụ, năm 2026, 92,86 %"
    assert mask_personal_data(text) == text


def test_a_json_line_carries_the_request_id_and_no_personal_data():
    logger, handler, stream = capture("json")
    try:
        with bound_request_id("req-12345678"):
            logger.info("tra cứu của %s, điện thoại %s", "001203004567", "0912345678")
    finally:
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue().strip())
    assert line["request_id"] == "req-12345678"
    assert line["level"] == "INFO"
    assert line["logger"] == "cchc.test.logs"
    assert "001203004567" not in line["message"] and "0912345678" not in line["message"]
    assert line["message"] == "tra cứu của ***, điện thoại ***"


def test_a_traceback_is_masked_too():
    logger, handler, stream = capture("text")
    try:
        try:
            raise ValueError("CCCD 001203004567 không hợp lệ")
        except ValueError:
            logger.exception("lỗi")
    finally:
        logger.removeHandler(handler)
    assert "001203004567" not in stream.getvalue()
    assert "ValueError: CCCD *** không hợp lệ" in stream.getvalue()


def test_each_request_gets_an_id_returned_in_the_answer(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_the_proxy_id_is_kept_when_plausible_and_replaced_otherwise(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123-xyz")["X-Request-ID"] == "abc-123-xyz"
    injected = client.get("/healthz", HTTP_X_REQUEST_ID="x\nforged line")["X-Request-ID"]
    assert "\n" not in injected and injected != "x\nforged line"


def test_a_background_job_runs_under_the_request_id():
    assert current_request_id() == ""
    with bound_request_id("") as fresh:
        assert len(fresh) == 32 and current_request_id() == fresh
    with bound_request_id("job-of-req-1"):
        assert current_request_id() == "job-of-req-1"
    assert current_request_id() == ""


def test_production_writes_json_lines_with_the_request_id():
    """A real production process logs one JSON object a line (a subprocess: settings load once)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="cchc.settings.production",
        DJANGO_SECRET_KEY="s" * 50,
        CCHC_HISTORY_KEY="h" * 50,
        DJANGO_ALLOWED_HOSTS="cchc.example.gov.vn",
        DATABASE_URL="sqlite:////tmp/cchc-logs-test.sqlite3",
    )
    code = (
        "import django, logging; django.setup(); "
        "from cchc.common.logs import bound_request_id; "
        "ctx = bound_request_id('req-abcdefgh'); ctx.__enter__(); "
        "logging.getLogger('cchc.x').warning('SĐT %s', '0912345678')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stderr.strip().splitlines()[-1])
    assert line["request_id"] == "req-abcdefgh"
    assert line["message"] == "SĐT ***"
    assert line["level"] == "WARNING"
