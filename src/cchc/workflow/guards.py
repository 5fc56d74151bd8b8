"""Who may act and in which state: the two checks every action starts with.

Both raise the application errors of the calling app (``error=``), so a caller catching its own
``DossierError`` or ``FeedbackError`` still catches them, and the API answers 403 and 409.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.utils.translation import gettext as _

from cchc.common.errors import ActionForbidden, TransitionNotAllowed
from cchc.organisations.permissions import has_role


def forbidden_message() -> str:
    return _("You do not have the role needed for this action in this unit.")


def require_role(
    actor, roles: Iterable[str], unit, *, error: type[ActionForbidden] = ActionForbidden
) -> None:
    """The actor holds one of ``roles`` in ``unit`` or a unit above it (or is a superuser)."""
    if not has_role(actor, list(roles), unit):
        raise error(forbidden_message())


def require_state(
    record,
    allowed: Collection,
    message: str,
    action_label: str,
    *,
    error: type[TransitionNotAllowed] = TransitionNotAllowed,
) -> None:
    """The record's ``status`` is one of ``allowed``.

    ``message`` is a translated template with ``%(action)s`` (``action_label``, what the user tried:
    "forward the dossier") and ``%(status)s`` (the record's status as displayed), so the refusal
    says what was tried and why it cannot be done now.
    """
    if record.status not in allowed:
        raise error(str(message) % {"action": action_label, "status": record.get_status_display()})
