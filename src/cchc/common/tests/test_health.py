"""The health probes: liveness touches nothing; readiness reports each check, 503 when one fails,
and never tells the public why."""

import pytest

from cchc.common import health
from cchc.common.health import ReadinessCheck, readiness_checks

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_readyz_lists_every_check(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert list(body["checks"]) == ["database", "cache", "migrations"]
    assert all(check["status"] == "ok" for check in body["checks"].values())


def test_a_failing_check_makes_the_node_not_ready_without_saying_why(client, caplog):
    def broken():
        raise RuntimeError("password authentication failed for user cchc at 10.0.0.5")

    with readiness_checks.temporarily(ReadinessCheck("queue", broken, order=40)):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["queue"]["status"] == "fail"
    assert body["checks"]["database"]["status"] == "ok"
    assert "10.0.0.5" not in response.content.decode()
    assert "10.0.0.5" in caplog.text  # the operator reads it in the logs


def test_pending_migrations_are_not_ready(client, monkeypatch):
    class Executor:
        def __init__(self, connection):
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda s: []})()})()

        def migration_plan(self, targets):
            return [("plans", "0002_new")]

    monkeypatch.setattr(health, "_migrated", False)
    monkeypatch.setattr(health, "MigrationExecutor", Executor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"]["status"] == "fail"


def test_probes_answer_only_get(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405


def test_a_balancer_probes_a_node_by_its_address(client, settings):
    """No host check and no https redirect stand between the balancer and the probes."""
    settings.ALLOWED_HOSTS = ["cchc.example.gov.vn"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/readyz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400  # the rest still checks


def test_the_bucket_of_uploaded_files_is_a_readiness_check(client, bucket):
    """CCHC_MEDIA_STORAGE=s3 (moto): ready while the bucket answers, not once it is gone."""
    with readiness_checks.temporarily(ReadinessCheck("media", health.bucket_answers, order=35)):
        response = client.get("/readyz")
        assert response.status_code == 200
        assert list(response.json()["checks"]) == ["database", "cache", "migrations", "media"]
        bucket.delete_bucket(Bucket="cchc-media")
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["media"]["status"] == "fail"
