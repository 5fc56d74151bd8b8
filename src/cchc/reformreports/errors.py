"""The reform report refusals: the application errors of this app (400, 403, 409 in the API)."""

from cchc.common import errors


class ReformReportError(errors.ApplicationError):
    """A refused reform report action; the message is translated and safe to show."""


class TransitionNotAllowed(ReformReportError, errors.TransitionNotAllowed):
    pass


class ActionForbidden(ReformReportError, errors.ActionForbidden):
    pass


class StaleRecord(ReformReportError, errors.StaleRecord):
    pass
