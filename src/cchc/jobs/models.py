"""The claims of background jobs that must run once per slot (a day, an hour, a minute)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobRun(models.Model):
    """One run of a job in its slot. The unique (key, slot) is the claim: of two workers given the
    same slot's job (two schedulers by mistake, a message redelivered), the second finds the row
    and does nothing. A failed run, or one still "running" after its lease (its worker died), may
    be taken over by a later attempt in the same slot."""

    key = models.CharField(_("job"), max_length=60)
    slot = models.CharField(_("slot"), max_length=20)  # "2026-12-05", "2026-12-05T07"…
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    worker = models.CharField(_("worker"), max_length=255, blank=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    output = models.TextField(_("output"), blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["key", "slot"], name="unique_job_slot")]

    def __str__(self) -> str:
        return f"{self.key} {self.slot} {self.status}"
