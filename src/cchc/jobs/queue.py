"""The task queue: Celery with a Redis (or RabbitMQ) broker (ADR 0014).

One task, ``cchc.run_job``, runs any registered job through :func:`cchc.jobs.services.run`, so the
once-per-slot claim holds whichever worker receives it. Messages are acknowledged after the job
(``acks_late``) and given back if the worker dies, one at a time per worker process (prefetch 1):
a job interrupted by a deployment runs again, and the claim or the outbox's own claims keep it
from doing twice what must be done once.

Imported by the web processes (to send) without starting Django; the worker and the scheduler
start from :mod:`cchc.jobs.worker`, which sets Django up first.
"""

from __future__ import annotations

from celery import Celery

app = Celery("cchc")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="cchc.run_job", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job(key: str, request_id: str = "") -> dict:
    from cchc.common.logs import bound_request_id

    from . import services

    with bound_request_id(request_id):
        outcome = services.run(key)
    return {"key": outcome.key, "slot": outcome.slot, "ran": outcome.ran, "output": outcome.output}


def send(key: str) -> None:
    """Queue a run of ``key`` now, carrying the current request's id into the job's logs."""
    from cchc.common.logs import current_request_id

    run_job.apply_async(args=(key,), kwargs={"request_id": current_request_id()})
