"""Delivery backends: one per channel, chosen by ``CCHC_NOTIFICATION_BACKENDS``.

The interface is one method::

    class MyBackend:
        def send(self, message: OutboxMessage) -> None: ...

``send`` returns when the provider has accepted the message and raises on failure:
``PermanentError`` when retrying cannot help (the address or number is refused), any other exception
for a temporary failure (the processor retries with backoff). A backend is instantiated once per
processor run, with no arguments; it reads its own settings. Keep its network timeouts well below
the lease (``CCHC_NOTIFICATION_LEASE_SECONDS``, 10 minutes by default).

A provider that accepts an idempotency key should be given ``message.dedup_key`` (or
``message.pk``): it then drops the duplicate of a message retried after a crash.
"""

from __future__ import annotations

import logging
import smtplib
from typing import TYPE_CHECKING, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.utils.module_loading import import_string

from cchc.conf import conf

if TYPE_CHECKING:
    from .models import OutboxMessage

logger = logging.getLogger("cchc.notifications")

DEFAULT_BACKENDS = {
    "email": "cchc.notifications.backends.EmailBackend",
    "sms": "cchc.notifications.backends.LoggingBackend",
    "zalo": "cchc.notifications.backends.LoggingBackend",
}


class PermanentError(Exception):
    """Raised by a backend when the message can never be delivered (no retry)."""


class Backend(Protocol):
    def send(self, message: OutboxMessage) -> None: ...


def backend_paths() -> dict[str, str]:
    """Dotted paths per channel: the defaults, overridden by ``CCHC_NOTIFICATION_BACKENDS``."""
    return {**DEFAULT_BACKENDS, **conf.NOTIFICATION_BACKENDS}


def load_backends() -> dict[str, Backend]:
    """One instance per channel; a wrong path fails loudly before any message is claimed."""
    backends = {}
    for channel, path in backend_paths().items():
        try:
            backends[channel] = import_string(path)()
        except ImportError as error:
            raise ImproperlyConfigured(
                f"CCHC_NOTIFICATION_BACKENDS[{channel!r}]: cannot import {path!r} ({error})."
            ) from error
    return backends


class EmailBackend:
    """Email through Django's mail framework (``EMAIL_BACKEND``, ``EMAIL_HOST``, ``EMAIL_PORT``,
    ``EMAIL_HOST_USER``/``_PASSWORD``, ``EMAIL_USE_TLS``/``_SSL``, ``EMAIL_TIMEOUT``;
    sender ``DEFAULT_FROM_EMAIL``).

    The Message-ID is derived from the outbox row, so a copy sent again after a crash carries the
    same Message-ID as the first and many mail clients show it once.
    """

    def send(self, message: OutboxMessage) -> None:
        if not message.recipient:
            raise PermanentError("No recipient address.")
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[message.recipient],
            headers={"Message-ID": message_id(message)},
        )
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _text in error.recipients.values()]
            if codes and all(500 <= code < 600 for code in codes):
                raise PermanentError(f"Recipient refused: {codes}") from error
            raise


def message_id(message: OutboxMessage) -> str:
    stamp = int(message.created_at.timestamp()) if message.created_at else 0
    return f"<cchc-outbox.{message.pk}.{stamp}@{DNS_NAME}>"


def mask(recipient: str) -> str:
    """``0912345678`` → ``091****678``; ``an@example.com`` → ``a***@example.com``."""
    if "@" in recipient:
        name, _at, domain = recipient.partition("@")
        return f"{name[:1]}***@{domain}"
    if len(recipient) <= 6:
        return "*" * len(recipient)
    return recipient[:3] + "*" * (len(recipient) - 6) + recipient[-3:]


class LoggingBackend:
    """Writes the message to the ``cchc.notifications`` log instead of sending it.

    The default for SMS and Zalo: agencies replace it with their provider's backend. The recipient
    is masked in the log; the text is logged in full so it can be checked.
    """

    def send(self, message: OutboxMessage) -> None:
        logger.info(
            "Notification #%s (%s) to %s not sent (logging backend): %s",
            message.pk,
            message.channel,
            mask(message.recipient),
            message.body,
        )
