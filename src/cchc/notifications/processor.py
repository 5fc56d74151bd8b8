"""Delivering the outbox: claim one due message, send it outside any transaction, record the result.

Claiming is one short transaction per message: the row is picked (on PostgreSQL with
``SELECT … FOR UPDATE SKIP LOCKED``, so concurrent runners take different rows; on SQLite the write
transaction serialises runners) and switched to "sending" with a lease, ``next_attempt_at = now +
lease``, by a compare-and-set update, so two runners can never both win the same row. The attempt
counter is raised at claim time and serves as the claim's token.

After the backend returns the row is marked sent at once, by one UPDATE. A sender that dies between
the backend's return and that UPDATE leaves the row "sending"; once the lease has expired the next
run sends it again. That is the only way a message can go out twice (see docs/notifications.md).
A failure puts the row back to "pending" with exponential backoff, or "dead" after
``CCHC_NOTIFICATION_MAX_ATTEMPTS`` attempts; a ``PermanentError`` marks it "failed" at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import connections, router, transaction
from django.utils import timezone

from cchc.conf import conf

from .backends import PermanentError, load_backends
from .models import DUE_STATUSES, OutboxMessage, OutboxStatus

logger = logging.getLogger("cchc.notifications")

BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
ERROR_LENGTH = 2000


def max_attempts() -> int:
    return conf.NOTIFICATION_MAX_ATTEMPTS


def lease() -> timedelta:
    return timedelta(seconds=conf.NOTIFICATION_LEASE_SECONDS)


def backoff(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed attempt: 1, 2, 4, 8 … minutes, at most 6 hours."""
    exponent = min(max(attempts, 1) - 1, 16)
    return min(BACKOFF_BASE * 2**exponent, BACKOFF_CAP)


@dataclass
class Summary:
    sent: int = 0
    retrying: int = 0  # failed this time, will be retried
    failed: int = 0  # permanent failure
    dead: int = 0  # attempts exhausted

    @property
    def processed(self) -> int:
        return self.sent + self.retrying + self.failed + self.dead


def waiting_count() -> int:
    """Messages not yet delivered nor given up (pending or being sent)."""
    return OutboxMessage.objects.filter(status__in=DUE_STATUSES).count()


def process_outbox(limit: int = 100, *, stop: Callable[[], bool] | None = None) -> Summary:
    """Send up to ``limit`` due messages; safe to run from several processes at once.

    ``stop`` is asked before each message; when it returns true the run ends after the message in
    hand (the command sets it on SIGTERM, so a deployment does not cut a send in half).
    Must not run inside a transaction: a rollback after sending would forget that it was sent.
    """
    connection = connections[router.db_for_write(OutboxMessage)]
    if connection.in_atomic_block:
        raise RuntimeError("process_outbox() must run outside any transaction.")
    backends = load_backends()
    summary = Summary()
    for _ in range(limit):
        if stop is not None and stop():
            break
        message = _claim_next(connection)
        if message is None:
            break
        if message.status == OutboxStatus.DEAD:
            summary.dead += 1
            continue
        _deliver(message, backends, summary)
    return summary


def _claim_next(connection) -> OutboxMessage | None:
    """The oldest due message, now "sending" under this run's lease (or "dead", see below)."""
    for _race in range(20):
        now = timezone.now()
        with transaction.atomic(using=connection.alias):
            due = OutboxMessage.objects.filter(
                status__in=DUE_STATUSES, next_attempt_at__lte=now
            ).order_by("next_attempt_at", "id")
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            message = due.first()
            if message is None:
                return None
            lease_expired = message.status == OutboxStatus.SENDING
            if lease_expired and message.attempts >= max_attempts():
                # Its last attempt never reported back: give up rather than loop on a message
                # that may be crashing the sender.
                changes = {
                    "status": OutboxStatus.DEAD,
                    "last_error": "The sender stopped during the last attempt (lease expired).",
                }
            else:
                changes = {
                    "status": OutboxStatus.SENDING,
                    "attempts": message.attempts + 1,
                    "next_attempt_at": now + lease(),
                }
            won = OutboxMessage.objects.filter(
                pk=message.pk, status=message.status, attempts=message.attempts
            ).update(**changes)
        if not won:
            continue  # another runner changed the row between our read and our write
        if lease_expired:
            logger.warning(
                "Notification #%s: the sender of attempt %s did not report back; %s.",
                message.pk,
                message.attempts,
                "giving up" if changes["status"] == OutboxStatus.DEAD else "sending again",
            )
        for field, value in changes.items():
            setattr(message, field, value)
        return message
    return None


def _deliver(message: OutboxMessage, backends: dict, summary: Summary) -> None:
    token = message.attempts
    try:
        backends[message.channel].send(message)
    except PermanentError as error:
        _record_failure(message, token, error, OutboxStatus.FAILED)
        summary.failed += 1
    except Exception as error:
        status = OutboxStatus.DEAD if token >= max_attempts() else OutboxStatus.PENDING
        _record_failure(message, token, error, status)
        if status == OutboxStatus.DEAD:
            summary.dead += 1
        else:
            summary.retrying += 1
    else:
        # Nothing between the backend's return and this UPDATE: it is the at-least-once window.
        OutboxMessage.objects.filter(pk=message.pk).exclude(status=OutboxStatus.SENT).update(
            status=OutboxStatus.SENT, sent_at=timezone.now()
        )
        summary.sent += 1


def _record_failure(message: OutboxMessage, token: int, error: Exception, status: str) -> None:
    now = timezone.now()
    text = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    changes = {"status": status, "last_error": text}
    if status == OutboxStatus.PENDING:
        changes["next_attempt_at"] = now + backoff(token)
    # Only while this run still holds the claim: if the lease expired and another run took the
    # message meanwhile, that run's outcome is the one to keep.
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.SENDING, attempts=token).update(
        **changes
    )
    if status == OutboxStatus.PENDING:
        logger.warning(
            "Notification #%s (%s) attempt %s failed, retry after %s: %s",
            message.pk,
            message.channel,
            token,
            timezone.localtime(changes["next_attempt_at"]).isoformat(timespec="seconds"),
            text,
        )
    else:
        logger.error(
            "Notification #%s (%s) %s after attempt %s: %s",
            message.pk,
            message.channel,
            status,
            token,
            text,
        )
