"""Background jobs, registered by the app that owns each (docs/jobs.md, ADR 0014).

An app registers what must run in the background — deliver the outbox, send reminders, sign the
histories' checkpoint, verify the statistics — as a :class:`Job` in its ``hooks.py``. The jobs app
(``cchc.jobs``) runs them on the task queue (Celery) at their schedule, each under a claim so that
a job meant to run once per day or minute runs once however many workers and schedulers there
are; without a queue, ``cchc run-job KEY`` runs one from cron or a systemd timer.

``request_run(key)`` asks for a run soon after the current transaction commits (the outbox after a
message is queued); it does nothing when no queue is configured (cron then runs the job).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction

from .registry import Registry


@dataclass(frozen=True)
class Job:
    key: str  # stable: schedules, `cchc run-job KEY` and the metrics name it
    run: Callable[[datetime], str]  # (the run's time) -> one line saying what was done
    schedule: str  # default cron expression "minute hour day month weekday" (server time zone)
    description: str = ""
    once_per: str = ""  # "day", "hour", "minute": at most one run per such slot; "": any number
    order: int = 0


jobs: Registry[Job] = Registry("background jobs")

_dispatch: list[Callable[[str], None]] = []


def set_dispatcher(dispatcher: Callable[[str], None] | None) -> None:
    """The queue's way to start a job soon (set by ``cchc.jobs`` when a queue is configured)."""
    _dispatch.clear()
    if dispatcher is not None:
        _dispatch.append(dispatcher)


def queue_configured() -> bool:
    """Whether a task queue runs the jobs (``request_run`` starts them soon)."""
    return bool(_dispatch)


def request_run(key: str) -> None:
    """Start ``key`` soon after the current transaction commits, if a queue is configured."""
    if not _dispatch:
        return
    # One run per key and transaction, however many records asked (an import queues hundreds of
    # messages): a callback already waiting for this commit covers them all.
    for entry in connection.run_on_commit:
        if getattr(entry[1], "job_key", None) == key:
            return
    dispatcher = _dispatch[0]

    def start() -> None:
        dispatcher(key)

    start.job_key = key
    transaction.on_commit(start)
