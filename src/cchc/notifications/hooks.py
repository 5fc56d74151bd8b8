"""The notifications app's background job (``cchc.common.jobs``): deliver the outbox."""

from django.utils.translation import gettext_lazy as _

from cchc.common.jobs import Job, jobs
from cchc.common.monitoring import Gauge, gauges

OUTBOX_BATCH = 500


def deliver(now) -> str:
    from .processor import process_outbox, waiting_count

    summary = process_outbox(limit=OUTBOX_BATCH)
    return (
        f"sent {summary.sent}, retrying {summary.retrying}, failed {summary.failed}, "
        f"dead {summary.dead}; waiting {waiting_count()}"
    )


# Every minute as a sweep; besides, each queued message asks for a run after its commit
# (services.enqueue), so messages leave within seconds when a queue is configured. Any number of
# runs at once is safe: messages are claimed one by one (docs/notifications.md).
jobs.register(
    Job("outbox", deliver, "* * * * *", _("Deliver queued notifications (email, SMS, Zalo)."))
)


def _backlog() -> dict:
    from django.db.models import Count

    from .models import OutboxMessage, OutboxStatus

    unsent = [status for status in OutboxStatus.values if status != OutboxStatus.SENT]
    counts = dict(
        OutboxMessage.objects.filter(status__in=unsent)  # the (status, created_at) index
        .values_list("status")
        .annotate(count=Count("id"))
    )
    return {(status,): counts.get(status, 0) for status in unsent}


gauges.register(
    Gauge(
        "cchc_outbox_messages",
        "Notifications not sent: waiting (pending, sending) or given up (failed, dead).",
        _backlog,
        labels=("status",),
    )
)
