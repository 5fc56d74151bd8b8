"""The inspections refusals: the application errors (``cchc.common.errors``) of this app, so the
API maps them (400, 403, 409) and the pages show their Vietnamese message."""

from cchc.common import errors


class InspectionError(errors.ApplicationError):
    """A refused inspection action; the message is translated and safe to show."""


class TransitionNotAllowed(InspectionError, errors.TransitionNotAllowed):
    pass


class ActionForbidden(InspectionError, errors.ActionForbidden):
    pass


class StaleRecord(InspectionError, errors.StaleRecord):
    pass
