"""The meeting's transition table against its services: in every state, a service gets past its
state guard exactly when the table allows the action, and the page offers what the table lists."""

from datetime import date

import pytest
import time_machine

from cchc.workflow.testing import state_accepts

from .. import selectors, services
from ..models import Meeting, MeetingStatus
from ..transitions import MEETING_TRANSITIONS
from .factories import conclude, hold, make_world, pdf, plan

pytestmark = pytest.mark.django_db


def _calls(world, meeting):
    return {
        "add_document": lambda: services.add_document(
            world.reform, meeting.pk, title="T", upload=pdf()
        ),
        "hold": lambda: hold(world, meeting),
        "conclude": lambda: conclude(world, meeting, [("A", world.justice, date(2026, 6, 1))]),
    }


@pytest.mark.parametrize("status", MeetingStatus.values)
def test_services_follow_the_table(status):
    with time_machine.travel(date(2026, 4, 20), tick=False):
        world = make_world()
        meeting = plan(world, date(2026, 4, 10))
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
        meeting.refresh_from_db()
        calls = _calls(world, meeting)
        assert set(calls) == {item.action for item in MEETING_TRANSITIONS}
        for action, call in calls.items():
            assert state_accepts(call) == MEETING_TRANSITIONS.allows(meeting, action), action
        offered = selectors.meeting_actions(meeting, world.reform)
        expected = [
            item.action for item in MEETING_TRANSITIONS if item.offered and status in item.sources
        ]
        assert offered == expected
        assert selectors.meeting_actions(meeting, world.auditor) == []
        assert selectors.meeting_actions(meeting, world.officer) == []
