"""The survey refusals: application errors (``cchc.common.errors``) of this app, so the API maps
them (400, 403, 409) and the pages show their Vietnamese message."""

from cchc.common import errors


class SurveyError(errors.ApplicationError):
    """A refused survey action; the message is translated and safe to show."""


class ActionForbidden(SurveyError, errors.ActionForbidden):
    pass


class QuestionnaireFrozen(SurveyError, errors.TransitionNotAllowed):
    """The version is frozen (in use): only a new version can change it."""


class StaleRecord(SurveyError, errors.StaleRecord):
    pass
