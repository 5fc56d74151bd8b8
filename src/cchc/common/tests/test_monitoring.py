"""/metrics: who may read it, the request histograms by view, the platform's gauges; error reports
without personal data."""

import re

import pytest
from django.utils import timezone

from cchc.common.errortracking import scrub
from cchc.common.monitoring import Gauge, gauges

pytestmark = pytest.mark.django_db


def value(text: str, name: str, labels: str = "") -> float:
    pattern = rf"^{re.escape(name)}{re.escape(labels)} ([0-9.e+-]+)$"
    match = re.search(pattern, text, re.M)
    assert match, f"{name}{labels} not in the metrics"
    return float(match.group(1))


def test_only_the_machine_itself_reads_metrics_without_a_token(client):
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.9").status_code == 403


def test_a_token_opens_metrics_to_the_scraper(client, settings):
    settings.CCHC_METRICS_TOKEN = "scrape-secret"
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    answer = client.get(
        "/metrics", REMOTE_ADDR="10.0.0.9", HTTP_AUTHORIZATION="Bearer scrape-secret"
    )
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/plain")


def test_requests_are_measured_by_view_not_by_path(client):
    client.get("/thu-tuc/")
    client.get("/tra-cuu/?ma=000.00.15.H99-261203-0001&so=5678")
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert (
        value(
            text,
            "cchc_http_request_duration_seconds_count",
            '{method="GET",status="2xx",view="catalog:list"}',
        )
        >= 1
    )
    assert value(text, "cchc_http_request_db_queries_count", '{view="catalog:list"}') >= 1
    assert (
        value(
            text,
            "cchc_http_request_duration_seconds_count",
            '{method="GET",status="2xx",view="lookup"}',
        )
        >= 1
    )
    assert "tra-cuu" not in text and "261203" not in text and "so=5678" not in text


def test_the_platform_gauges(client):
    from cchc.notifications.services import enqueue

    enqueue(channel="sms", recipient="0912345678", body="x", dedup_key="m1")
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert value(text, "cchc_dossiers_received_today") == 0
    assert value(text, "cchc_dossiers_overdue") == 0
    assert value(text, "cchc_apology_letters_pending") == 0
    assert value(text, "cchc_outbox_messages", '{status="pending"}') == 1
    assert value(text, "cchc_outbox_messages", '{status="dead"}') == 0
    assert value(text, "cchc_job_failed_runs", '{job="outbox"}') == 0


def test_a_gauge_an_app_registers_is_exported(client):
    with gauges.temporarily(Gauge("cchc_test_items", "Test items.", lambda: 7)):
        text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert value(text, "cchc_test_items") == 7


def test_failed_job_runs_are_counted(client):
    from cchc.jobs.models import JobRun, RunStatus

    JobRun.objects.create(
        key="par-reminders", slot="x", status=RunStatus.FAILED, started_at=timezone.now()
    )
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert value(text, "cchc_job_failed_runs", '{job="par-reminders"}') == 1


def test_error_reports_carry_no_personal_data():
    event = {
        "message": "CCCD 001203004567",
        "logentry": {"message": "gọi %s", "params": ["0912345678"]},
        "exception": {"values": [{"type": "ValueError", "value": "số 0912 345 678 sai"}]},
        "breadcrumbs": {"values": [{"message": "tra cứu 001203004567"}]},
        "request": {"data": {"cccd": "001203004567"}, "cookies": "s=1", "query_string": "so=5678"},
    }
    text = str(scrub(event))
    assert "001203004567" not in text and "0912345678" not in text and "345 678" not in text
    assert "5678" not in text
    assert "cookies" not in event["request"] and "data" not in event["request"]


def test_production_starts_sentry_only_with_a_dsn_and_without_personal_data():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "DJANGO_", "SENTRY"))}
    env.update(
        DJANGO_SECRET_KEY="s" * 50,
        CCHC_HISTORY_KEY="h" * 50,
        DATABASE_URL="sqlite:////tmp/cchc-sentry-test.sqlite3",
    )
    code = (
        "import cchc.settings.production, sentry_sdk; c = sentry_sdk.get_client(); "
        "print(c.is_active(), c.options['send_default_pii'], c.options['include_local_variables'])"
    )
    off = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert off.stdout.split()[0] == "False", off.stderr
    env["SENTRY_DSN"] = "https://public@sentry.example.gov.vn/1"
    on = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert on.stdout.split() == ["True", "False", "False"], on.stderr
