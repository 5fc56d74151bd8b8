"""What the personal-data rules record: every export, and every record anonymised.

Both are append-only: an export log that could be edited would not show who read whose data
(Nghị định 13/2023/NĐ-CP, Điều 14: the data subject's access; the controller keeps a record of
the processing). Neither holds the person's identifier in clear: only a keyed hash of it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("This log is append-only: an entry cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("This log is append-only: an entry cannot be deleted.")


class ExportChannel(models.TextChoices):
    CONSOLE = "console", _("Console command")
    CITIZEN_PAGE = "citizen_page", _("Citizen's own page")


class IdentifierKind(models.TextChoices):
    ID_NUMBER = "id_number", _("ID number")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    ACCOUNT = "account", _("Citizen account")


class ExportRecord(AppendOnly):
    """One export of a person's data: who asked, when, and whose identifier (hashed)."""

    at = models.DateTimeField(_("exported at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("exported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("exported by"), max_length=255, blank=True)
    channel = models.CharField(_("channel"), max_length=15, choices=ExportChannel.choices)
    identifier_kind = models.CharField(
        _("identifier"), max_length=10, choices=IdentifierKind.choices
    )
    identifier_hash = models.CharField(_("identifier (keyed hash)"), max_length=64, db_index=True)
    records = models.PositiveIntegerField(_("records exported"), default=0)

    class Meta:
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_identifier_kind_display()}"


class RecordKind(models.TextChoices):
    DOSSIERS = "dossiers", _("Dossier")
    DRAFTS = "drafts", _("Online draft never submitted")
    FEEDBACK = "feedback", _("Feedback")
    SURVEY_CONTACTS = "survey_contacts", _("Survey invitation")
    OUTBOX = "outbox", _("Notification sent")


class AnonymisedRecord(AppendOnly):
    """A record whose personal data was replaced (``cchc anonymise-expired``): done once."""

    kind = models.CharField(_("kind of record"), max_length=20, choices=RecordKind.choices)
    record_id = models.PositiveBigIntegerField(_("record number"))
    closed_on = models.DateField(_("closed on"))
    years = models.PositiveSmallIntegerField(_("retention (years)"))
    at = models.DateTimeField(_("anonymised at"))

    class Meta:
        verbose_name = _("anonymised record")
        verbose_name_plural = _("anonymised records")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="anonymised_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.record_id}"
