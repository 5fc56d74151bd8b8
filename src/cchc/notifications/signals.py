"""Notify the applicant when a dossier event calls for it.

The dossiers app knows nothing of notifications: every action appends a ``DossierEvent``, and
this receiver turns the events that concern the applicant into outbox rows. ``post_save`` runs
inside the action's transaction, so a rolled-back action leaves no message behind.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from cchc.dossiers.models import DossierEvent

from .services import notify_applicant

KIND_BY_ACTION = {
    "received": "received",
    "supplement_requested": "supplement_requested",
    "apology_sent": "apology",
    "resolved": "result_ready",
}


@receiver(post_save, sender=DossierEvent, dispatch_uid="cchc-notify-applicant")
def notify_on_event(sender, instance: DossierEvent, created: bool, raw: bool = False, **kwargs):
    if not created or raw:
        return
    kind = KIND_BY_ACTION.get(instance.action)
    if kind is not None:
        notify_applicant(instance.dossier, kind, instance)
