"""The steering committee's refusals: application errors (``cchc.common.errors``), so the API
maps them (400, 403, 409) and the pages show their Vietnamese message."""

from cchc.common import errors


class CommitteeError(errors.ApplicationError):
    """A refused committee action; the message is translated and safe to show."""


class TransitionNotAllowed(CommitteeError, errors.TransitionNotAllowed):
    pass


class ActionForbidden(CommitteeError, errors.ActionForbidden):
    pass


class StaleRecord(CommitteeError, errors.StaleRecord):
    pass
