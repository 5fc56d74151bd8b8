"""The production processes as the systemd units start them (deploy/systemd, gunicorn.conf.py):
gunicorn with the production settings and a Celery worker, against the test database and a real
Redis. A probe answers through gunicorn, /readyz sees the database, the cache, the migrations and
the broker, the answer carries the request id, and the unit files and the compose stack name
commands and files that exist."""

import configparser
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from .test_workers import REDIS_URL, _database_url, _redis, _start_worker

REPO = Path(settings.PACKAGE_DIR).parent.parent
DEPLOY = REPO / "deploy"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str):
    # As behind the TLS proxy (deploy/nginx): production redirects plain http to https.
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.mark.django_db(transaction=True)
def test_gunicorn_and_a_worker_serve_with_the_production_settings(tmp_path):
    _redis()
    port = _free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CCHC_"))}
    environ.update(
        DJANGO_SETTINGS_MODULE="cchc.settings.production",
        DJANGO_SECRET_KEY="s" * 50,
        CCHC_HISTORY_KEY="h" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=_database_url(),
        REDIS_URL=REDIS_URL,
        CCHC_QUEUE_URL=REDIS_URL,
        CCHC_VAR_DIR=str(tmp_path / "var"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="2",
        PYTHONPATH=str(REPO / "src"),
    )
    log = (tmp_path / "gunicorn.log").open("w")
    web = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py")],
        env=environ,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker = _start_worker("cchc", "stack", tmp_path / "worker.log")
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline:
            try:
                status, headers, body = _get(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200, (tmp_path / "gunicorn.log").read_text()
        assert len(headers["X-Request-ID"]) == 32
        status, headers, body = _get(f"{base}/readyz")
        assert status == 200, body
        assert '"queue": {"status": "ok"' in body
        status, headers, body = _get(f"{base}/tra-cuu/?ma=ABC&so=0912345678")
        assert status == 200
        assert "Tra cứu" in body
    finally:
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            process.wait(timeout=30)
        log.close()
    access = (tmp_path / "gunicorn.log").read_text()
    assert '"GET /tra-cuu/" 200' in access  # the path, never the query with a phone number
    assert "0912345678" not in access


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str
    unit.read(DEPLOY / "systemd" / name)
    return unit


@pytest.mark.parametrize(
    "name, command",
    [
        ("cchc-web.service", "gunicorn -c /srv/cchc/deploy/gunicorn.conf.py"),
        ("cchc-worker.service", "celery -A cchc.jobs.worker worker"),
        ("cchc-beat.service", "celery -A cchc.jobs.worker beat"),
    ],
)
def test_the_systemd_units(name, command):
    unit = _unit(name)
    service = unit["Service"]
    assert command in service["ExecStart"]
    assert service["EnvironmentFile"] == "/etc/cchc/cchc.env"
    assert service["User"] == "cchc"
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_the_compose_stack_runs_the_same_commands():
    stack = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = stack["services"]
    assert set(services) == {"migrate", "web", "worker", "beat", "db", "redis", "proxy"}
    assert services["worker"]["command"][:4] == ["celery", "-A", "cchc.jobs.worker", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "cchc.jobs.worker", "beat"]
    assert services["migrate"]["command"] == ["cchc", "migrate", "--noinput"]
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["proxy"]["image"].startswith("caddy")
    assert (DEPLOY / "Caddyfile").exists() and (DEPLOY / "Dockerfile").exists()
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "gunicorn.conf.py" in dockerfile and "collectstatic" in dockerfile


def test_the_compose_stack_reads_with_compose_1_29_and_takes_its_variables():
    """Debian's docker-compose (1.29) rejects a top-level ``name``; the published ports, the
    certificate authority and the PostgreSQL image come from .env (scripts/compose-smoke.sh)."""
    text = (DEPLOY / "compose.yaml").read_text()
    stack = yaml.safe_load(text)
    assert {key for key in stack if not key.startswith("x-")} == {"services", "volumes"}
    services = stack["services"]
    assert services["db"]["image"] == "${CCHC_POSTGRES_IMAGE:-postgres:16-bookworm}"
    assert services["proxy"]["ports"] == [
        "${CCHC_HTTP_PORT:-80}:80",
        "${CCHC_HTTPS_PORT:-443}:443",
    ]
    assert services["proxy"]["environment"]["CCHC_TLS"] == "${CCHC_TLS:-acme}"
    caddyfile = (DEPLOY / "Caddyfile").read_text()
    assert "import tls-{$CCHC_TLS:acme}" in caddyfile
    assert "(tls-acme)" in caddyfile and "(tls-internal)" in caddyfile
    example = (DEPLOY / "env.example").read_text()
    for name in ("POSTGRES_PASSWORD", "CCHC_DOMAIN", "CCHC_TLS", "CCHC_POSTGRES_IMAGE"):
        assert f"\n{name}=" in example
    # The image never carries an install's secrets.
    assert "deploy/.env" in (REPO / ".dockerignore").read_text().split()


def test_the_offline_stand_ins_exist_for_every_base_image():
    offline = DEPLOY / "offline"
    build = (offline / "build-images.sh").read_text()
    for image, directory in (
        ("python:3.11-slim-bookworm", "python"),
        ("redis:7-bookworm", "redis"),
        ("caddy:2", "caddy"),
        ("postgres:15-bookworm", "postgres"),
    ):
        assert f"{image} {directory}" in build
        assert (offline / directory / "Dockerfile").read_text().startswith("# Stand-in for")
    assert "FROM python:3.11-slim-bookworm" in (DEPLOY / "Dockerfile").read_text()


def test_the_environment_example_names_every_setting_the_production_needs():
    example = (DEPLOY / "env.example").read_text()
    for name in (
        "DJANGO_SECRET_KEY",
        "CCHC_HISTORY_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "CCHC_PUBLIC_URL",
        "DATABASE_URL",
        "REDIS_URL",
        "CCHC_QUEUE_URL",
    ):
        assert f"\n{name}=" in example
