"""The meeting's state machine and who runs it, written once (``cchc.workflow.transitions``).

A meeting is planned (dự kiến: date, place, agenda, documents), then held (đã họp: attendance,
guests, minutes), then its conclusion notice is issued (đã ban hành thông báo kết luận), whose
items become tasks (par-sipas-plan-sources.md §C4: "Thông báo kết luận" after each phiên họp).

Who manages a committee and its meetings: the reform staff or the leaders of the committee's unit
(the People's Committee it advises) or of its standing body (cơ quan thường trực, Sở Nội vụ), which
prepares the meetings and drafts the notice. A role held in a unit above covers it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cchc.organisations.models import Role
from cchc.organisations.permissions import has_role
from cchc.workflow.transitions import TransitionTable, transition

from .errors import ActionForbidden, TransitionNotAllowed
from .models import MeetingStatus

MANAGER_ROLES = (Role.REFORM_STAFF, Role.LEADER)


def manages(actor, committee) -> bool:
    """Reform staff or a leader of the committee's unit or of its standing body."""
    return has_role(actor, list(MANAGER_ROLES), committee.unit) or has_role(
        actor, list(MANAGER_ROLES), committee.standing_unit
    )


def _manages_meeting(actor, meeting, memo) -> bool:
    key = ("manages", meeting.committee_id, getattr(actor, "pk", None))
    if key not in memo:
        memo[key] = manages(actor, meeting.committee)
    return memo[key]


MEETING_TRANSITIONS = TransitionTable(
    (
        transition(
            "add_document",
            [MeetingStatus.PLANNED, MeetingStatus.HELD],
            _("add a document to the meeting"),
            who=_manages_meeting,
            offered=False,
        ),
        transition(
            "hold", [MeetingStatus.PLANNED], _("record the meeting as held"), who=_manages_meeting
        ),
        transition(
            "conclude",
            [MeetingStatus.HELD],
            _("issue the conclusion notice"),
            who=_manages_meeting,
        ),
    ),
    status_message=_("Cannot %(action)s: the meeting is “%(status)s”."),
    error=TransitionNotAllowed,
    forbidden=ActionForbidden,
)
