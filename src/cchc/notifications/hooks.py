"""The notifications app's background jobs (``cchc.common.jobs``): deliver the outbox, and the
officers' morning digest of their dossiers near due and overdue."""

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


def near_due_digest(now) -> str:
    from .near_due import send_digests

    return send_digests(now).line()


# Working days in the morning, before office hours (Saturday included: a make-up Saturday is a
# working day; the job itself skips the calendar's days off). Once per day: with the outbox's
# per-officer-and-day key, a second run sends nothing (docs/notifications.md).
jobs.register(
    Job(
        "dossier-near-due",
        near_due_digest,
        "0 7 * * 1-6",
        _("Officers' morning digest of their dossiers near due and overdue (working days)."),
        once_per="day",
    )
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
