"""The PAR INDEX refusals: the application errors (``cchc.common.errors``) of this app, so the API
maps them (400, 403, 409) and the pages show their Vietnamese message."""

from cchc.common import errors


class ParIndexError(errors.ApplicationError):
    """A refused PAR INDEX action; the message is translated and safe to show."""


class TransitionNotAllowed(ParIndexError, errors.TransitionNotAllowed):
    pass


class ActionForbidden(ParIndexError, errors.ActionForbidden):
    pass


class StaleRecord(ParIndexError, errors.StaleRecord):
    pass


class CriteriaSetInvalid(ParIndexError):
    """Every problem of a criteria set (or of an imported sheet) at once: ``problems`` is a list
    of ``(line or None, code, message)``; nothing was saved."""

    def __init__(self, problems: list[tuple]):
        message = problems[0][2]
        super().__init__(message, "file")
        self.problems = list(problems)
