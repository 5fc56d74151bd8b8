"""Building blocks of a sealed history and the checkpoints that pin it down.

- ``ChainOwner``: the protected row (a dossier, a feedback) keeps its history's length and newest
  seal, written in the same transaction as each entry, so a missing tail or a history deleted whole
  no longer looks like a shorter, intact chain.
- ``SealedEntry``: an entry of the history, append-only in the ORM (and on PostgreSQL by trigger).
- ``Checkpoint``: a signed digest of every chain head at one moment, to publish or archive outside
  the database (``cchc history-checkpoint``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .chain import GENESIS

HEAD_FIELDS = ("history_count", "history_head")


class AppendOnlyError(Exception):
    pass


class ChainOwner(models.Model):
    history_count = models.PositiveIntegerField(_("history entries"), default=0, editable=False)
    history_head = models.CharField(
        _("newest history seal"), max_length=64, default=GENESIS, editable=False
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The head is written only by ``cchc.history.services.append`` (a guarded UPDATE): an
        # ordinary save of a copy loaded before the last entry must not set it back.
        if (
            not self._state.adding
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in HEAD_FIELDS
            ]
        super().save(*args, **kwargs)


class SealedEntry(models.Model):
    sequence = models.PositiveIntegerField()
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("History is append-only: an entry cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("History is append-only: an entry cannot be deleted.")


class Checkpoint(models.Model):
    """Chain heads of every registered history at one moment, signed with the history key.

    ``chains`` maps each history's name to ``{"upto": newest entry id, "owners": n, "entries": m,
    "digest": sha256 of "id:count:head" lines, "blocks": {block: digest}}``; ``digest`` is the
    SHA-256 of the canonical ``chains``; ``signature`` the HMAC of ``created_at`` and ``digest``.
    """

    created_at = models.DateTimeField(_("written at"))
    chains = models.JSONField(default=dict)
    digest = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("history checkpoint")
        verbose_name_plural = _("history checkpoints")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.digest[:16]}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("A checkpoint cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("A checkpoint cannot be deleted.")
