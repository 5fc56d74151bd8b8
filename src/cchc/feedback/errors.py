"""The feedback's refusals: the application errors (``cchc.common.errors``) of this app.

Kept apart from ``services`` so the transition table and the selectors can raise and name them
without importing the services; ``services`` re-exports them.
"""

from cchc.common import errors


class FeedbackError(errors.ApplicationError):
    """A refused action on a feedback; the message is translated and safe to show."""


class TransitionNotAllowed(FeedbackError, errors.TransitionNotAllowed):
    pass


class ActionForbidden(FeedbackError, errors.ActionForbidden):
    pass


class StaleFeedback(FeedbackError, errors.StaleRecord):
    pass


class SubmissionInvalid(FeedbackError):
    """Every problem of a submission at once: ``errors`` maps a field ("" for the whole form) to
    its message. The first one is also ``message``/``field``, like any :class:`FeedbackError`."""

    def __init__(self, errors: dict[str, str]):
        field, message = next(iter(errors.items()))
        super().__init__(message, field)
        self.errors = dict(errors)
