"""Running a registered job (``cchc.common.jobs``) once per slot, whoever asks.

The queue's task, the scheduler and ``cchc run-job`` all call :func:`run`. A job with
``once_per`` first claims its slot by inserting a :class:`~.models.JobRun` (unique key and slot);
the claim is committed before the job starts, so a second worker in the same slot sees it and
returns without running. A job without ``once_per`` (the outbox, whose messages are claimed one by
one) runs every time it is asked.
"""

from __future__ import annotations

import logging
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from cchc.common.jobs import Job, jobs

from .models import JobRun, RunStatus

logger = logging.getLogger(__name__)

SLOT_FORMATS = {"day": "%Y-%m-%d", "hour": "%Y-%m-%dT%H", "minute": "%Y-%m-%dT%H:%M"}
LEASES = {"day": timedelta(hours=2), "hour": timedelta(minutes=30), "minute": timedelta(minutes=5)}


@dataclass(frozen=True)
class Outcome:
    key: str
    slot: str
    ran: bool  # False: another worker holds (or has done) this slot
    output: str = ""


def slot_for(job: Job, moment: datetime) -> str:
    """The slot of a run at ``moment`` (local time): "" when the job may run any number of times."""
    if not job.once_per:
        return ""
    return timezone.localtime(moment).strftime(SLOT_FORMATS[job.once_per])


def _claim(job: Job, slot: str, now: datetime, worker: str) -> bool:
    try:
        with transaction.atomic():
            JobRun.objects.create(
                key=job.key, slot=slot, status=RunStatus.RUNNING, started_at=now, worker=worker
            )
        return True
    except IntegrityError:
        pass
    # Taken: retry a failed run, or one whose worker died (still running after the lease).
    stale = now - LEASES[job.once_per]
    taken = (
        JobRun.objects.filter(key=job.key, slot=slot)
        .filter(Q(status=RunStatus.FAILED) | Q(status=RunStatus.RUNNING, started_at__lt=stale))
        .update(
            status=RunStatus.RUNNING,
            started_at=now,
            finished_at=None,
            worker=worker,
            attempts=F("attempts") + 1,
            error="",
        )
    )
    return taken == 1


def run(key: str, *, now: datetime | None = None, worker: str = "") -> Outcome:
    """Run the job ``key`` in the slot of ``now``; raises what the job raised, once recorded."""
    job = jobs[key]
    now = now or timezone.now()
    worker = worker or socket.gethostname()
    slot = slot_for(job, now)
    if slot and not _claim(job, slot, now, worker):
        logger.info("job %s: slot %s already taken", key, slot)
        return Outcome(key, slot, ran=False)
    try:
        output = job.run(now) or ""
    except Exception as error:
        logger.exception("job %s failed (slot %s)", key, slot or "-")
        if slot:
            JobRun.objects.filter(key=key, slot=slot).update(
                status=RunStatus.FAILED, finished_at=timezone.now(), error=repr(error)[:2000]
            )
        raise
    if slot:
        JobRun.objects.filter(key=key, slot=slot).update(
            status=RunStatus.DONE, finished_at=timezone.now(), output=output[:5000]
        )
    logger.info("job %s done (slot %s): %s", key, slot or "-", output)
    return Outcome(key, slot, ran=True, output=output)
