"""Real Celery workers on a real Redis broker, against the test database: a job sent to the queue
is run by a worker, and the same daily job delivered to two workers (two schedulers by mistake)
is done once. Redis is one of the platform's parts (127.0.0.1:6379 on the CI machine kind; set
``CCHC_TEST_REDIS_URL`` elsewhere); without it this test fails in CI and is skipped, loudly,
elsewhere."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from cchc.history.models import Checkpoint
from cchc.jobs.models import JobRun, RunStatus
from cchc.jobs.queue import run_job

REDIS_URL = os.environ.get("CCHC_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SRC = Path(settings.PACKAGE_DIR).parent

pytestmark = pytest.mark.django_db(transaction=True)


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: CI runs the queue's tests.")
        pytest.skip(f"!!! Redis is not reachable at {REDIS_URL}: the worker tests did not run !!!")
    return client


def _database_url() -> str:
    config = connection.settings_dict
    if config["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{config['NAME']}"
    user = config["USER"] or "postgres"
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}"
        f"/{config['NAME']}"
    )


def _start_worker(queue: str, name: str, log: Path) -> subprocess.Popen:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environ.update(
        DJANGO_SETTINGS_MODULE="cchc.settings.test",
        DATABASE_URL=_database_url(),
        CCHC_QUEUE_URL=REDIS_URL,
        PYTHONPATH=str(SRC),
    )
    command = [
        sys.executable, "-m", "celery", "-A", "cchc.jobs.worker", "worker", "--pool=solo",
        "-Q", queue, "-n", f"{name}@%h", "--without-gossip", "--without-mingle",
        "--without-heartbeat", "--loglevel=INFO",
    ]  # fmt: skip
    return subprocess.Popen(command, env=environ, stdout=log.open("w"), stderr=subprocess.STDOUT)


def _send(key: str, queue: str) -> None:
    run_job.apply_async(
        args=(key,), queue=queue, connection=run_job.app.connection_for_write(REDIS_URL)
    )


def _wait(condition, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


@pytest.fixture
def workers(tmp_path):
    client = _redis()
    queue = f"cchc-test-{uuid.uuid4().hex[:8]}"
    started = []

    def start(count):
        for number in range(count):
            log = tmp_path / f"worker{number}.log"
            started.append((_start_worker(queue, f"w{number}", log), log))
        return queue

    yield start
    for process, _log in started:
        process.terminate()
    for process, _log in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    client.delete(queue)


def _logs(tmp_path) -> str:
    return "\n".join(path.read_text() for path in sorted(tmp_path.glob("worker*.log")))


def test_a_worker_runs_a_job_from_the_queue(workers, tmp_path):
    queue = workers(1)
    _send("rebuild-stats-verify", queue)
    assert _wait(lambda: JobRun.objects.filter(status=RunStatus.DONE).exists()), _logs(tmp_path)
    run = JobRun.objects.get(key="rebuild-stats-verify")
    assert run.output == "statistics match a recount"


def test_two_workers_given_the_same_daily_job_do_it_once(workers, tmp_path):
    queue = workers(2)
    _send("history-checkpoint", queue)
    _send("history-checkpoint", queue)
    assert _wait(lambda: JobRun.objects.filter(status=RunStatus.DONE).exists()), _logs(tmp_path)
    # Both messages are taken (one worker each, prefetch 1); the second finds the slot taken.
    assert _wait(lambda: _logs(tmp_path).count("succeeded in") >= 2), _logs(tmp_path)
    assert Checkpoint.objects.count() == 1
    assert JobRun.objects.get(key="history-checkpoint").attempts == 1
    assert "already taken" in _logs(tmp_path)


def test_readyz_checks_the_broker(client, monkeypatch):
    from cchc.common.health import ReadinessCheck, readiness_checks
    from cchc.jobs import hooks

    _redis()
    check = ReadinessCheck("queue", hooks.broker_answers, order=40)
    with readiness_checks.temporarily(check):
        monkeypatch.setattr(run_job.app.conf, "broker_url", REDIS_URL)
        answer = client.get("/readyz")
        assert answer.status_code == 200, answer.json()
        assert answer.json()["checks"]["queue"]["status"] == "ok"
        monkeypatch.setattr(run_job.app.conf, "broker_url", "redis://127.0.0.1:1/0")
        answer = client.get("/readyz")
        assert answer.status_code == 503
        assert answer.json()["checks"]["queue"]["status"] == "fail"
