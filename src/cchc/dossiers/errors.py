"""The dossiers' refusals: the application errors (``cchc.common.errors``) of this app.

Kept apart from ``services`` so the transition table and the selectors can raise and name them
without importing the services. ``services`` re-exports them: ``services.DossierError`` and the
rest stay the names callers use.
"""

from cchc.common import errors


class DossierError(errors.ApplicationError):
    """A refused action on a dossier; the message is translated and safe to show."""


class TransitionNotAllowed(DossierError, errors.TransitionNotAllowed):
    pass


class ActionForbidden(DossierError, errors.ActionForbidden):
    pass


class StaleDossier(DossierError, errors.StaleRecord):
    pass
