"""Two officers recording the same meeting at once: one wins, the other is refused."""

from datetime import date

import pytest

from cchc.common.errors import ApplicationError
from cchc.workflow.testing import run_together

from ..models import Meeting, MeetingStatus
from .factories import conclude, hold, make_world, plan

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_of_two_holds_wins():
    world = make_world()
    meeting = plan(world, date(2025, 4, 10))
    version = meeting.version
    results = run_together(
        lambda: hold(world, meeting, expected_version=version),
        lambda: hold(world, meeting, actor=world.standing, expected_version=version),
    )
    assert sum(isinstance(result, Meeting) for result in results) == 1
    assert sum(isinstance(result, ApplicationError) for result in results) == 1
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.attendance.count() == 4
    assert meeting.events.filter(action="held").count() == 1


def test_one_of_two_notices_wins():
    world = make_world()
    meeting = plan(world, date(2025, 4, 10))
    hold(world, meeting)
    meeting.refresh_from_db()
    item = [("A", world.justice, date(2025, 6, 1))]
    results = run_together(
        lambda: conclude(world, meeting, item),
        lambda: conclude(world, meeting, item, actor=world.leader),
    )
    assert sum(isinstance(result, list) for result in results) == 1
    assert meeting.conclusions.count() == 1
