"""Notifications to applicants, written to a transactional outbox.

A dossier action writes its notifications as ``OutboxMessage`` rows in its own transaction
(``services.enqueue`` / ``services.notify_applicant``): if the action rolls back, nothing is sent.
``processor.process_outbox`` (``cchc process-outbox``, run from cron) delivers them later through
the channel's backend, retrying with backoff. See ``docs/notifications.md``.

The dossier is referenced by name ("dossiers.Dossier"), never imported: this app depends on
``dossiers``, and ``dossiers.services`` may call ``notifications.services`` without an import cycle.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")


class NotificationKind(models.TextChoices):
    RECEIVED = "received", _("Dossier received")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplement requested")
    APOLOGY = "apology", _("Apology and new appointment")
    RESULT_READY = "result_ready", _("Result ready")
    OTHER = "other", _("Other")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, not retried")  # the backend said it can never succeed
    DEAD = "dead", _("Given up after repeated failures")


# Rows the processor may pick up: due pending ones, and "sending" ones whose lease has expired.
DUE_STATUSES = (OutboxStatus.PENDING, OutboxStatus.SENDING)
# Rows an administrator may send again at once ("retry now").
RETRYABLE_STATUSES = (OutboxStatus.PENDING, OutboxStatus.FAILED, OutboxStatus.DEAD)


class OutboxMessage(models.Model):
    channel = models.CharField(_("channel"), max_length=10, choices=NotificationChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("message"))
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    kind = models.CharField(_("event"), max_length=40, choices=NotificationKind.choices)
    dedup_key = models.CharField(
        _("deduplication key"),
        max_length=200,
        unique=True,
        help_text=_("The same notification enqueued twice is stored once."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(
        _("next attempt at"),
        help_text=_(
            "While being sent: when the sender's lease expires and another run may retry it."
        ),
    )
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing notification")
        verbose_name_plural = _("outgoing notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The processor's query: status IN (pending, sending) AND next_attempt_at <= now,
            # oldest first. Partial, so it stays small however many sent rows accumulate.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(status__in=["pending", "sending"]),
                name="outbox_due_idx",
            ),
            models.Index(fields=["status", "created_at"], name="outbox_status_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.recipient} ({self.get_status_display()})"
