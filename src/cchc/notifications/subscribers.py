"""Notify the applicant when a dossier event calls for it.

The dossiers app knows nothing of notifications: every action publishes ``dossier_changed`` with
the event it appended, and this handler (subscribed in ``apps.NotificationsConfig.ready``) turns
the events that concern the applicant into outbox rows. It runs inside the action's transaction,
so a rolled-back action leaves no message behind.
"""

from .services import notify_applicant

KEY = "notifications.notify_applicant"  # the subscription; tests mute it by this key

KIND_BY_ACTION = {
    "received": "received",
    "supplement_requested": "supplement_requested",
    "apology_sent": "apology",
    "resolved": "result_ready",
}


def notify_on_event(*, dossier, event, **_) -> None:
    kind = KIND_BY_ACTION.get(event.action)
    if kind is not None:
        notify_applicant(dossier, kind, event)
