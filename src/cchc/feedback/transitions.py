"""The feedback's state machine and its roles: from which statuses each officer's action is
allowed, and who may take it in the feedback's responsible unit.

Written once: ``services`` guards every action with :data:`TRANSITIONS` and
``selectors.available_actions`` lists a page's buttons from it. The roles live here, not in the
services, so the selectors (read by reports and the dashboard) never import the services.
Lifecycle: Nghị định 20/2008/NĐ-CP as amended by Nghị định 92/2017/NĐ-CP (``services``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cchc.organisations.models import Role
from cchc.workflow.transitions import TransitionTable, transition

from .errors import ActionForbidden, TransitionNotAllowed
from .models import UNANSWERED_STATUSES, FeedbackStatus

HANDLING_ROLES = (Role.ONE_STOP_OFFICER, Role.PROCESSING_OFFICER, Role.LEADER)
REJECTING_ROLES = (Role.ONE_STOP_OFFICER, Role.LEADER)
PUBLISHING_ROLES = (Role.LEADER,)

# Until the answer the classification may be set or corrected, and the feedback forwarded to the
# competent unit or refused as not within competence.
BEFORE_ANSWER = UNANSWERED_STATUSES

TRANSITIONS = TransitionTable(
    (
        transition(
            "classify", BEFORE_ANSWER, _("classify the feedback"), roles=HANDLING_ROLES, unit="unit"
        ),
        transition(
            "forward", BEFORE_ANSWER, _("forward the feedback"), roles=HANDLING_ROLES, unit="unit"
        ),
        transition(
            "answer",
            [FeedbackStatus.CLASSIFIED],
            _("answer the feedback"),
            roles=HANDLING_ROLES,
            unit="unit",
        ),
        transition(
            "publish",
            [FeedbackStatus.ANSWERED],
            _("publish the answer"),
            roles=PUBLISHING_ROLES,
            unit="unit",
        ),
        transition(
            "reject", BEFORE_ANSWER, _("refuse the feedback"), roles=REJECTING_ROLES, unit="unit"
        ),
    ),
    status_message=_("Cannot %(action)s: the feedback is “%(status)s”."),
    error=TransitionNotAllowed,
    forbidden=ActionForbidden,
)
