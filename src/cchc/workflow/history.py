"""A record's events: the common fields and the one way to append one to its sealed history.

Every change of a record with a lifecycle leaves one event saying who did what, when, and from
which status to which, sealed into the record's keyed hash chain (``cchc.history``: each entry's
HMAC covers the previous seal, and the record keeps the count and newest seal, so an edited,
removed or added entry is found). The time is always the server's: no action takes a time from
its caller. The app's event model adds what is its own (the action's length, the workflow step).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cchc.history import services as history
from cchc.history.models import SealedEntry


class WorkflowEvent(SealedEntry):
    """Who, when, in which unit, with which note and data: the fields every event has.

    ``status_before``/``status_after`` and ``action`` are declared by the app (the status is a
    number for dossiers, a word for feedback). Abstract: each app keeps its own table.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    actor_name = models.CharField(_("by"), max_length=255, blank=True)
    at = models.DateTimeField(_("at"))
    unit = models.CharField(_("unit"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True


def actor_name(actor) -> str:
    """The name an event keeps of its actor (an anonymous sender or the system: "")."""
    return (actor.get_full_name() if getattr(actor, "pk", None) else "") or ""


def record_event(owner, event, actor, *, status_before, note: str = "", data: dict | None = None):
    """Fill the common fields of the unsaved ``event`` and seal it into ``owner``'s history.

    Call inside the action's transaction, with ``owner`` as read under its row lock (or just
    created): its chain head gives the sequence and previous seal and moves with the event
    (``cchc.history.services.append``). ``status_after`` is the owner's status now.
    """
    event.actor = actor if getattr(actor, "pk", None) else None
    event.actor_name = actor_name(actor)
    event.at = timezone.now()
    event.status_before = status_before
    event.status_after = owner.status
    event.note = note
    event.data = data or {}
    history.append(owner, event)
    return event
