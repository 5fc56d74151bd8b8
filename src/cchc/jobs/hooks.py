"""With a queue configured (``CCHC_QUEUE_URL``), jobs asked for by ``request_run`` go to it and
``/readyz`` checks that its broker answers."""

from cchc.common.health import ReadinessCheck, readiness_checks
from cchc.common.jobs import jobs, set_dispatcher
from cchc.common.monitoring import Gauge, gauges
from cchc.conf import conf


def broker_answers() -> None:
    from .queue import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)


if conf.QUEUE_URL:
    from .queue import send

    set_dispatcher(send)
    readiness_checks.register(ReadinessCheck("queue", broker_answers, order=40))


def _failed_runs() -> dict:
    """Runs that failed in the last 24 hours, by job (0 for the others)."""
    from datetime import timedelta

    from django.db.models import Count
    from django.utils import timezone

    from .models import JobRun, RunStatus

    since = timezone.now() - timedelta(hours=24)
    failed = dict(
        JobRun.objects.filter(status=RunStatus.FAILED, started_at__gte=since)
        .values_list("key")
        .annotate(count=Count("id"))
    )
    return {(job.key,): failed.get(job.key, 0) for job in jobs}


def _queue_depth() -> float:
    """Messages waiting in the broker's queue (Redis: the length of its list)."""
    import redis

    from .queue import app

    client = redis.Redis.from_url(app.conf.broker_url, socket_connect_timeout=2)
    return client.llen(app.conf.task_default_queue)


gauges.register(
    Gauge("cchc_job_failed_runs", "Job runs failed in the last 24 hours.", _failed_runs, ("job",))
)
if conf.QUEUE_URL.startswith(("redis://", "rediss://")):
    gauges.register(Gauge("cchc_queue_depth", "Jobs waiting in the queue.", _queue_depth))
