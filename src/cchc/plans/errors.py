"""The reform plans' refusals: application errors (``cchc.common.errors``), so the API maps them
(400, 403, 409) and the pages show their Vietnamese message."""

from cchc.common import errors


class PlanError(errors.ApplicationError):
    """A refused plan or task action; the message is translated and safe to show."""


class TransitionNotAllowed(PlanError, errors.TransitionNotAllowed):
    pass


class ActionForbidden(PlanError, errors.ActionForbidden):
    pass


class StaleRecord(PlanError, errors.StaleRecord):
    pass
