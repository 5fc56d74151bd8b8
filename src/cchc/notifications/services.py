"""Writing notifications to the outbox, always in the caller's transaction.

``enqueue`` stores one message; ``notify_applicant`` composes the applicant's texts for a dossier
event and enqueues an email and a short text message. Neither sends anything: ``cchc
process-outbox`` does, after the caller's transaction has committed. A rolled-back dossier action
therefore leaves no message, and a message is never sent for an action that did not happen.

Call these inside the dossier action's transaction, after ``append_event``::

    event = append_event(dossier, actor, "received", status_before=None)
    notify_applicant(dossier, "received", event)

This module imports nothing from ``cchc.dossiers``: it reads the dossier's fields only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cchc.common.jobs import request_run
from cchc.common.public_url import public_url
from cchc.conf import conf

from .models import (
    RETRYABLE_STATUSES,
    NotificationChannel,
    NotificationKind,
    OutboxMessage,
    OutboxStatus,
)

PHONE_CHANNELS = (NotificationChannel.SMS, NotificationChannel.ZALO)
SHORT_ITEMS_LENGTH = 60


def enqueue(
    *,
    channel: str,
    recipient: str,
    body: str,
    dedup_key: str,
    kind: str = NotificationKind.OTHER,
    subject: str = "",
    dossier=None,
) -> tuple[OutboxMessage, bool]:
    """Store one message to send, in the current transaction; ``(message, created)``.

    ``dedup_key`` identifies the notification (e.g. ``f"{dossier.pk}:{event.sequence}:email"``):
    enqueuing it again returns the stored message and creates nothing.
    """
    if channel not in NotificationChannel.values:
        raise ValueError(f"Unknown notification channel {channel!r}.")
    if kind not in NotificationKind.values:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    recipient = (recipient or "").strip()
    if not recipient:
        raise ValueError("A notification needs a recipient.")
    if not dedup_key:
        raise ValueError("A notification needs a deduplication key.")
    now = timezone.now()
    message = OutboxMessage(
        dedup_key=dedup_key,
        channel=channel,
        recipient=recipient,
        subject=" ".join(subject.split())[:255],
        body=body,
        dossier=dossier,
        kind=kind,
        status=OutboxStatus.PENDING,
        next_attempt_at=now,
        created_at=now,
    )
    if _insert_unless_known(message):
        request_run("outbox")  # delivered within seconds after the commit, when a queue runs
        return message, True
    return OutboxMessage.objects.get(dedup_key=dedup_key), False


def _insert_unless_known(message: OutboxMessage) -> bool:
    """One ``INSERT … ON CONFLICT (dedup_key) DO NOTHING RETURNING id`` (intake sends two
    messages per dossier: four statements each with ``get_or_create``, one here)."""
    fields = [f for f in OutboxMessage._meta.concrete_fields if not f.primary_key]
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = [f.get_db_prep_save(getattr(message, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}) "
            f"ON CONFLICT ({connection.ops.quote_name('dedup_key')}) DO NOTHING RETURNING id",
            values,
        )
        row = cursor.fetchone()
    if row is None:
        return False
    message.pk = row[0]
    message._state.adding = False
    return True


def retry_now(ids: Iterable[int]) -> int:
    """Make waiting, failed or dead messages due at once (the admin's "retry now").

    Messages being sent or already sent are left alone. The attempt counter is kept: a dead message
    gets one more attempt, and is dead again if that fails. Returns the number of messages changed.
    """
    return OutboxMessage.objects.filter(pk__in=list(ids), status__in=RETRYABLE_STATUSES).update(
        status=OutboxStatus.PENDING, next_attempt_at=timezone.now()
    )


# -- staff emails from scheduled jobs ----------------------------------------------------------
@dataclass
class EmailTally:
    """What a job that emails staff, each once (a dedup key), did: messages queued now, found
    queued already (a re-run, another worker), recipients skipped for want of an address."""

    queued: int = 0
    already: int = 0
    no_email: int = 0

    def email(self, recipient: str, subject: str, body: str, dedup_key: str) -> None:
        _message, created = enqueue(
            channel=NotificationChannel.EMAIL,
            recipient=recipient,
            subject=subject,
            body=body,
            kind=NotificationKind.OTHER,
            dedup_key=dedup_key,
        )
        if created:
            self.queued += 1
        else:
            self.already += 1


# -- the applicant's notifications -------------------------------------------------------------
@dataclass
class Texts:
    subject: str
    body: str
    short: str  # SMS / Zalo


def notify_applicant(dossier, kind: str, event) -> list[OutboxMessage]:
    """Enqueue the applicant's notification of ``event`` (a ``DossierEvent`` of ``dossier``).

    An email when the dossier has ``applicant_email``; a short text to ``applicant_phone`` on each
    phone channel of ``CCHC_NOTIFICATION_CHANNELS`` (default: email and SMS). Texts are composed in
    ``LANGUAGE_CODE`` whatever the officer's language, and never contain the ID number. Returns
    the messages created (none when this event was already notified).
    """
    composer = COMPOSERS.get(kind)
    if composer is None:
        raise ValueError(f"No applicant notification for kind {kind!r}.")
    if event.dossier_id != dossier.pk:
        raise ValueError("The event belongs to another dossier.")
    with translation.override(settings.LANGUAGE_CODE):
        texts = composer(dossier, event)
    channels = conf.NOTIFICATION_CHANNELS
    wanted = []
    if NotificationChannel.EMAIL in channels and dossier.applicant_email:
        wanted.append((NotificationChannel.EMAIL, dossier.applicant_email, texts.body))
    if dossier.applicant_phone:
        wanted += [
            (channel, dossier.applicant_phone, texts.short)
            for channel in PHONE_CHANNELS
            if channel in channels
        ]
    created = []
    for channel, recipient, body in wanted:
        message, new = enqueue(
            channel=channel,
            recipient=recipient,
            subject=texts.subject if channel == NotificationChannel.EMAIL else "",
            body=body,
            dossier=dossier,
            kind=kind,
            dedup_key=f"{dossier.pk}:{event.sequence}:{channel}",
        )
        if new:
            created.append(message)
    return created


def _when(value) -> str:
    """dd/mm/yyyy HH:MM in local time; accepts a datetime or an ISO 8601 string."""
    if not value:
        return "—"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def _shorten(text: str, length: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def lookup_url(dossier, *, with_code: bool = True) -> str:
    """The public lookup page (pre-filled with the dossier code), when ``CCHC_PUBLIC_URL`` is set.

    ``""`` when it is not set: the texts then name the page instead of linking to it.
    """
    base = public_url()
    if not base:
        return ""
    try:
        path = reverse("lookup")
    except NoReverseMatch:
        return ""
    if not with_code:
        return f"{base}{path}"
    return f"{base}{path}?{urlencode({'ma': dossier.code or ''})}"


def _params(dossier) -> dict:
    return {
        "name": dossier.applicant_name,
        "code": dossier.code or f"#{dossier.pk}",
        "procedure": dossier.procedure.name,
        "unit": dossier.receiving_unit.name,
        "url": lookup_url(dossier),
        "short_url": lookup_url(dossier, with_code=False),  # the SMS names the code already
    }


def _email(params: dict, *lines: str) -> str:
    if params["url"]:
        hint = _(
            "Follow your dossier at %(url)s with the dossier code and the last 4 digits of your "
            "phone number or ID number."
        )
    else:
        hint = _(
            "Follow your dossier on the lookup page of the public service portal with the dossier "
            "code and the last 4 digits of your phone number or ID number."
        )
    parts = [
        _("Dear %(name)s,") % params,
        "",
        *lines,
        "",
        hint % params,
        "",
        params["unit"],
        _("This message was sent automatically; please do not reply to it."),
    ]
    return "\n".join(parts)


def _short(params: dict, text: str) -> str:
    if params["short_url"]:
        text = f"{text} {_('Look up: %(short_url)s') % params}"
    return text


def _received(dossier, event) -> Texts:
    params = _params(dossier) | {"appointment": _when(dossier.appointment_at or dossier.due_at)}
    return Texts(
        subject=_("Dossier %(code)s has been received") % params,
        body=_email(
            params,
            _("%(unit)s has received your dossier.") % params,
            _("Dossier code: %(code)s") % params,
            _("Procedure: %(procedure)s") % params,
            _("Appointment for the result: %(appointment)s") % params,
        ),
        short=_short(
            params, _("%(unit)s received dossier %(code)s. Result due %(appointment)s.") % params
        ),
    )


def _supplement_requested(dossier, event) -> Texts:
    items = (event.data.get("items") or "").strip()
    params = _params(dossier) | {
        "answer_by": _when(event.data.get("answer_by")),
        "reason": event.note.strip(),
        "items": _shorten(items, SHORT_ITEMS_LENGTH),
    }
    lines = [
        _(
            "Your dossier %(code)s (%(procedure)s) needs additional documents before it can be "
            "processed further."
        )
        % params,
        _("Documents to supplement:"),
        items,
    ]
    if params["reason"]:
        lines.append(_("Reason: %(reason)s") % params)
    lines.append(_("Please supplement them by %(answer_by)s.") % params)
    return Texts(
        subject=_("Dossier %(code)s: additional documents needed") % params,
        body=_email(params, *lines),
        short=_short(
            params,
            _("Dossier %(code)s needs additional documents by %(answer_by)s: %(items)s") % params,
        ),
    )


def _apology(dossier, event) -> Texts:
    params = _params(dossier) | {
        "reason": event.note.strip(),
        "appointment": _when(event.data.get("new_appointment") or dossier.appointment_at),
    }
    lines = [
        _(
            "We apologise: the result of your dossier %(code)s (%(procedure)s) will not be ready "
            "by the appointment given to you."
        )
        % params
    ]
    if params["reason"]:
        lines.append(_("Reason: %(reason)s") % params)
    lines.append(_("New appointment for the result: %(appointment)s") % params)
    return Texts(
        subject=_("Dossier %(code)s: apology and new appointment") % params,
        body=_email(params, *lines),
        short=_short(
            params,
            _("We apologise: dossier %(code)s is delayed. New appointment: %(appointment)s.")
            % params,
        ),
    )


def _result_ready(dossier, event) -> Texts:
    params = _params(dossier)
    return Texts(
        subject=_("Dossier %(code)s: the result is ready") % params,
        body=_email(
            params,
            _("The result of your dossier %(code)s (%(procedure)s) is ready.") % params,
            _(
                "You can collect it at the one-stop section of %(unit)s with your receipt and "
                "identity document, unless you asked for it to be sent to you."
            )
            % params,
        ),
        short=_short(params, _("The result of dossier %(code)s is ready at %(unit)s.") % params),
    )


COMPOSERS = {
    NotificationKind.RECEIVED: _received,
    NotificationKind.SUPPLEMENT_REQUESTED: _supplement_requested,
    NotificationKind.APOLOGY: _apology,
    NotificationKind.RESULT_READY: _result_ready,
}
