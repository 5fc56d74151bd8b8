"""Backends: chosen by setting with defaults in code; email through Django; SMS/Zalo logged."""

import logging

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from cchc.notifications import backends
from cchc.notifications.models import OutboxMessage

from .fakes import FailingBackend


def _message(**fields) -> OutboxMessage:
    values = {
        "pk": 41,
        "channel": "sms",
        "recipient": "0912345678",
        "subject": "",
        "body": "Hồ sơ 000.00.31.H99-250303-0001 đã được tiếp nhận.",
        "dedup_key": "1:1:sms",
    } | fields
    return OutboxMessage(**values)


def test_defaults_without_the_setting(settings):
    del settings.CCHC_NOTIFICATION_BACKENDS
    loaded = backends.load_backends()
    assert isinstance(loaded["email"], backends.EmailBackend)
    assert isinstance(loaded["sms"], backends.LoggingBackend)
    assert isinstance(loaded["zalo"], backends.LoggingBackend)


def test_the_setting_overrides_one_channel_and_keeps_the_other_defaults(settings):
    settings.CCHC_NOTIFICATION_BACKENDS = {"sms": "cchc.notifications.tests.fakes.FailingBackend"}
    loaded = backends.load_backends()
    assert isinstance(loaded["sms"], FailingBackend)
    assert isinstance(loaded["email"], backends.EmailBackend)


def test_a_wrong_path_fails_loudly(settings):
    settings.CCHC_NOTIFICATION_BACKENDS = {"zalo": "cchc.nowhere.ZaloBackend"}
    with pytest.raises(ImproperlyConfigured, match="zalo"):
        backends.load_backends()


def test_logging_backend_logs_the_text_and_masks_the_number(caplog):
    with caplog.at_level(logging.INFO, logger="cchc.notifications"):
        backends.LoggingBackend().send(_message())
    assert "000.00.31.H99-250303-0001 đã được tiếp nhận" in caplog.text
    assert "091****678" in caplog.text
    assert "0912345678" not in caplog.text


def test_mask():
    assert backends.mask("an@example.com") == "a***@example.com"
    assert backends.mask("0912345678") == "091****678"
    assert backends.mask("12345") == "*****"


def test_email_backend_sends_through_django_mail():
    from django.utils import timezone

    message = _message(
        channel="email",
        recipient="an@example.com",
        subject="Hồ sơ đã được tiếp nhận",
        created_at=timezone.now(),
    )
    backends.EmailBackend().send(message)
    backends.EmailBackend().send(message)
    assert [m.to for m in mail.outbox] == [["an@example.com"], ["an@example.com"]]
    assert mail.outbox[0].subject == "Hồ sơ đã được tiếp nhận"
    # The same outbox row always gets the same Message-ID.
    ids = {m.message()["Message-ID"] for m in mail.outbox}
    assert len(ids) == 1 and ids.pop().startswith("<cchc-outbox.41.")


def test_email_without_recipient_is_a_permanent_error():
    with pytest.raises(backends.PermanentError):
        backends.EmailBackend().send(_message(channel="email", recipient=""))
