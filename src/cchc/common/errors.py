"""The application's refusals: one family, so the API and the pages answer them alike.

Every service refuses bad input, a wrong state, a missing role or a stale page by raising one of
these before anything is written. The message is already translated and safe to show to the user;
``field`` names the form field it belongs to ("" for the whole form); ``code`` is the stable
machine-readable kind the API returns with it. Apps subclass them (``DossierError``,
``FeedbackError``…) so their callers may catch only their own, while ``cchc.common.api`` maps the
whole family without knowing any app: 400 by default, 403 for :class:`ActionForbidden`, 409 for
:class:`TransitionNotAllowed` and :class:`StaleRecord`. This module is the bottom layer: it imports
no cchc app.
"""

from __future__ import annotations


class ApplicationError(Exception):
    """A refused action; the message is translated and safe to show."""

    code = "invalid"

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class TransitionNotAllowed(ApplicationError):
    """The record is not in a state that allows the action (HTTP 409)."""

    code = "transition_not_allowed"


class ActionForbidden(ApplicationError):
    """The actor lacks the role, or is not the person, the action needs (HTTP 403)."""

    code = "forbidden"


class StaleRecord(ApplicationError):
    """The action was taken on a version of the record someone has changed since (HTTP 409)."""

    code = "stale"
