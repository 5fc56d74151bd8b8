"""Backends that fail or crash on purpose."""

import smtplib
import time

from django.core.mail.backends.base import BaseEmailBackend

from cchc.notifications.backends import EmailBackend


class MailServerDown(BaseEmailBackend):
    """A Django mail backend whose SMTP server cannot be reached."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPConnectError(421, b"Service not available")


class RefusingMailServer(BaseEmailBackend):
    """A mail server that refuses the recipient for good (5xx)."""

    def send_messages(self, email_messages):
        recipients = {address: (550, b"No such user") for m in email_messages for address in m.to}
        raise smtplib.SMTPRecipientsRefused(recipients)


class FailingBackend:
    """A notification backend whose provider is unreachable."""

    calls = 0

    def send(self, message) -> None:
        FailingBackend.calls += 1
        raise ConnectionError("provider unreachable")


class ProcessKilled(BaseException):
    """The process dying: not an ``Exception``, so nothing in the processor catches it."""


class CrashAfterSending(EmailBackend):
    """Delivers the email, then the process dies before the outbox row is marked sent."""

    def send(self, message) -> None:
        super().send(message)
        raise ProcessKilled


class CrashBeforeSending(EmailBackend):
    """The process dies while connecting: nothing was delivered."""

    def send(self, message) -> None:
        raise ProcessKilled


class SlowEmailBackend(EmailBackend):
    """Takes a little time per message, so concurrent runners overlap."""

    def send(self, message) -> None:
        time.sleep(0.01)
        super().send(message)
