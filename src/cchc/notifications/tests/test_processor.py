"""Delivery: sent once, retried with backoff, recovered after a crash, never sent again once sent.

The processor refuses to run inside a transaction, so these tests use real transactions.
"""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connections, transaction

from cchc.notifications import processor, services
from cchc.notifications.models import OutboxMessage, OutboxStatus

from .conftest import RECEIVED_AT
from .fakes import ProcessKilled

pytestmark = pytest.mark.django_db(transaction=True)

T0 = RECEIVED_AT
FAKES = "cchc.notifications.tests.fakes"


def _email(n: int = 1, **fields) -> OutboxMessage:
    values = {
        "channel": "email",
        "recipient": f"nguoi{n}@example.com",
        "subject": f"Thông báo {n}",
        "body": f"Nội dung {n}",
        "dedup_key": f"test:{n}:email",
    } | fields
    return services.enqueue(**values)[0]


def _run(at, limit=100) -> processor.Summary:
    with time_machine.travel(at, tick=False):
        return processor.process_outbox(limit=limit)


def _fresh(message) -> OutboxMessage:
    return OutboxMessage.objects.get(pk=message.pk)


def test_a_due_message_is_sent_and_marked_sent():
    with time_machine.travel(T0, tick=False):
        message = _email()
    summary = _run(T0 + timedelta(seconds=5))
    assert (summary.sent, summary.processed) == (1, 1)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nguoi1@example.com"]
    assert mail.outbox[0].subject == "Thông báo 1" and mail.outbox[0].body == "Nội dung 1"
    assert mail.outbox[0].extra_headers["Message-ID"].startswith(f"<cchc-outbox.{message.pk}.")
    message = _fresh(message)
    assert message.status == OutboxStatus.SENT and message.attempts == 1
    assert message.sent_at == T0 + timedelta(seconds=5)


def test_oldest_first_and_limit():
    for n in (1, 2, 3):
        with time_machine.travel(T0 + timedelta(seconds=n), tick=False):
            _email(n)
    assert _run(T0 + timedelta(minutes=1), limit=2).sent == 2
    assert [m.to for m in mail.outbox] == [["nguoi1@example.com"], ["nguoi2@example.com"]]
    assert _run(T0 + timedelta(minutes=2)).sent == 1
    assert _run(T0 + timedelta(minutes=3)).processed == 0
    assert len(mail.outbox) == 3


def test_a_message_already_sent_is_never_sent_again():
    with time_machine.travel(T0, tick=False):
        message = _email()
    _run(T0)
    for later in (timedelta(minutes=11), timedelta(hours=7), timedelta(days=30)):
        assert _run(T0 + later).processed == 0
    assert services.retry_now([message.pk]) == 0  # the admin cannot resend it either
    assert _run(T0 + timedelta(days=31)).processed == 0
    assert len(mail.outbox) == 1
    assert _fresh(message).status == OutboxStatus.SENT


def test_nothing_is_lost_while_the_mail_server_is_down(settings):
    with time_machine.travel(T0, tick=False):
        message = _email()
    settings.EMAIL_BACKEND = f"{FAKES}.MailServerDown"
    summary = _run(T0)
    assert (summary.sent, summary.retrying) == (0, 1)
    message = _fresh(message)
    assert message.status == OutboxStatus.PENDING and message.attempts == 1
    assert message.next_attempt_at == T0 + timedelta(minutes=1)
    assert "SMTPConnectError" in message.last_error
    assert _run(T0 + timedelta(seconds=59)).processed == 0  # backing off

    assert _run(T0 + timedelta(minutes=1)).retrying == 1
    message = _fresh(message)
    assert message.attempts == 2
    assert message.next_attempt_at == T0 + timedelta(minutes=3)  # then 2 minutes

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # server is back
    assert _run(T0 + timedelta(minutes=2)).processed == 0
    assert _run(T0 + timedelta(minutes=3)).sent == 1
    assert len(mail.outbox) == 1
    message = _fresh(message)
    assert message.status == OutboxStatus.SENT and message.attempts == 3


def test_backoff_doubles_from_one_minute_up_to_six_hours():
    minutes = [processor.backoff(n) / timedelta(minutes=1) for n in range(1, 13)]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360, 360]


def test_dead_after_the_maximum_number_of_attempts(settings, backends):
    settings.CCHC_NOTIFICATION_MAX_ATTEMPTS = 3
    backends(sms=f"{FAKES}.FailingBackend")
    with time_machine.travel(T0, tick=False):
        message, _ = services.enqueue(
            channel="sms", recipient="0912345678", body="Hồ sơ đã tiếp nhận", dedup_key="s:1:sms"
        )
    assert _run(T0).retrying == 1
    assert _run(T0 + timedelta(minutes=1)).retrying == 1
    summary = _run(T0 + timedelta(minutes=3))
    assert (summary.retrying, summary.dead) == (0, 1)
    message = _fresh(message)
    assert message.status == OutboxStatus.DEAD and message.attempts == 3
    assert "provider unreachable" in message.last_error
    assert _run(T0 + timedelta(days=1)).processed == 0

    # "Retry now" from the admin: one more attempt, which succeeds once the provider is back.
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        assert services.retry_now([message.pk]) == 1
    backends(sms="cchc.notifications.backends.LoggingBackend")
    assert _run(T0 + timedelta(days=1, minutes=1)).sent == 1
    assert _fresh(message).status == OutboxStatus.SENT


def test_a_permanent_refusal_is_not_retried(settings):
    settings.EMAIL_BACKEND = f"{FAKES}.RefusingMailServer"
    with time_machine.travel(T0, tick=False):
        message = _email()
    assert _run(T0).failed == 1
    message = _fresh(message)
    assert message.status == OutboxStatus.FAILED and message.attempts == 1
    assert "550" in message.last_error
    assert _run(T0 + timedelta(days=1)).processed == 0


def test_crash_after_sending_sends_at_most_once_more(backends):
    """The process dies after the mail server accepted the message, before it was marked sent."""
    with time_machine.travel(T0, tick=False):
        message = _email()
    backends(email=f"{FAKES}.CrashAfterSending")
    with pytest.raises(ProcessKilled):
        _run(T0)
    assert len(mail.outbox) == 1
    assert _fresh(message).status == OutboxStatus.SENDING

    backends()  # the process is restarted with the normal backends
    # Within the lease the message is left to the (presumed still running) sender.
    assert _run(T0 + timedelta(minutes=9, seconds=59)).processed == 0
    assert len(mail.outbox) == 1
    # Once the lease has expired it is sent again: the one duplicate the outbox allows.
    assert _run(T0 + timedelta(minutes=10)).sent == 1
    assert len(mail.outbox) == 2
    assert mail.outbox[0].extra_headers["Message-ID"] == mail.outbox[1].extra_headers["Message-ID"]
    message = _fresh(message)
    assert message.status == OutboxStatus.SENT and message.attempts == 2
    # ... and never again.
    for later in (timedelta(minutes=30), timedelta(days=2)):
        assert _run(T0 + later).processed == 0
    assert len(mail.outbox) == 2


def test_crash_before_sending_sends_exactly_once(backends):
    with time_machine.travel(T0, tick=False):
        message = _email()
    backends(email=f"{FAKES}.CrashBeforeSending")
    with pytest.raises(ProcessKilled):
        _run(T0)
    assert mail.outbox == []
    backends()
    assert _run(T0 + timedelta(minutes=10)).sent == 1
    assert _run(T0 + timedelta(days=1)).processed == 0
    assert len(mail.outbox) == 1
    assert _fresh(message).status == OutboxStatus.SENT


def test_a_message_that_kills_every_sender_ends_dead(settings, backends):
    settings.CCHC_NOTIFICATION_MAX_ATTEMPTS = 2
    with time_machine.travel(T0, tick=False):
        message = _email()
    backends(email=f"{FAKES}.CrashBeforeSending")
    for minutes in (0, 10):
        with pytest.raises(ProcessKilled):
            _run(T0 + timedelta(minutes=minutes))
    assert _run(T0 + timedelta(minutes=20)).dead == 1
    message = _fresh(message)
    assert message.status == OutboxStatus.DEAD and message.attempts == 2
    assert "lease expired" in message.last_error


def test_a_late_failure_does_not_overwrite_another_runners_claim(backends):
    """A sender whose lease expired reports a failure after another run took the message over."""
    with time_machine.travel(T0, tick=False):
        message = _email()
        stale = processor._claim_next(connections["default"])
    assert stale.attempts == 1
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        current = processor._claim_next(connections["default"])
        assert current.pk == message.pk and current.attempts == 2
        processor._record_failure(stale, 1, ConnectionError("late"), OutboxStatus.PENDING)
    message = _fresh(message)
    assert message.status == OutboxStatus.SENDING and message.attempts == 2
    assert message.last_error == ""


def test_concurrent_runners_send_each_message_once(settings, backends):
    backends(email=f"{FAKES}.SlowEmailBackend")
    for n in range(30):
        _email(n)
    barrier = threading.Barrier(4)
    summaries = []

    def runner():
        try:
            barrier.wait(timeout=10)
            summaries.append(processor.process_outbox(limit=100))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(summary.sent for summary in summaries) == 30
    assert len(mail.outbox) == 30
    assert len({tuple(m.to) for m in mail.outbox}) == 30
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_refuses_to_run_inside_a_transaction():
    _email()
    with pytest.raises(RuntimeError), transaction.atomic():
        processor.process_outbox()
    assert mail.outbox == []


def test_stop_request_ends_the_run_between_messages():
    for n in range(3):
        _email(n)
    calls = []

    def stop():
        calls.append(1)
        return len(calls) > 1  # after the first message

    assert processor.process_outbox(stop=stop).sent == 1
    assert len(mail.outbox) == 1
