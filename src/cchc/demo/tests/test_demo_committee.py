"""``cchc load-demo``: the provincial steering committee (issue 13).

The committee of tỉnh An Bình with Sở Nội vụ as its standing body and ``cchc.noivu`` as its
secretary; the first meeting's conclusion notice of nine items assigned to the departments (Sở Tư
pháp among them), seven done by the second meeting, whose page shows "Kết luận phiên trước: 7/9
đã hoàn thành". The clock is fixed (as in the other demo tests) so the data are the same any day.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cchc.committee import selectors
from cchc.committee.models import Committee, CommitteeRole, MeetingStatus
from cchc.demo.committee import load_committee
from cchc.demo.province import load_units, load_users
from cchc.history import registry
from cchc.history.services import verify_owner
from cchc.plans.models import Task, TaskEvent, TaskOrigin, TaskStatus

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def demo():
    with time_machine.travel(NOW, tick=False):
        load_users(load_units())
        committee = load_committee()
    return committee


def test_the_provincial_committee_and_its_meetings(demo, client):
    committee = demo
    assert committee.unit.code == "000.00.00.H99"
    assert committee.standing_unit.code == "000.00.10.H99"
    seats = {seat.role: seat for seat in committee.members.all()}
    assert seats[CommitteeRole.HEAD].position == "Chủ tịch UBND tỉnh"
    assert seats[CommitteeRole.SECRETARY].user.username == "cchc.noivu"
    first, second = committee.meetings.order_by("number")
    assert (first.date, second.date) == (date(2026, 1, 20), date(2026, 7, 15))
    assert first.status == MeetingStatus.CONCLUDED and second.status == MeetingStatus.HELD
    tasks = Task.objects.filter(committee_conclusion__meeting=first)
    assert tasks.count() == 9
    assert set(tasks.values_list("origin", flat=True)) == {TaskOrigin.CONCLUSION}
    assert tasks.filter(lead_unit__code="000.00.15.H99").count() == 2
    assert tasks.filter(status=TaskStatus.DONE).count() == 7
    assert TaskEvent.objects.filter(task__in=tasks, action="done").count() == 7
    previous, summary = selectors.previous_conclusions(second, today=NOW.date())
    assert previous == first
    assert (summary.done, summary.total, summary.done_late, summary.overdue) == (7, 9, 1, 1)
    for meeting in (first, second):
        assert verify_owner(registry.get("committee-meetings"), meeting) is None
    assert verify_owner(registry.get("committee"), committee) is None
    for task in tasks:
        assert verify_owner(registry.get("plans-tasks"), task) is None
    with time_machine.travel(NOW, tick=False):
        client.force_login(seats[CommitteeRole.SECRETARY].user)
        html = client.get(f"/ban-chi-dao/phien-hop/{second.pk}/").content.decode()
    assert "Kết luận phiên trước: 7/9 đã hoàn thành" in html


def test_loading_again_makes_nothing_new(demo):
    with time_machine.travel(NOW, tick=False):
        assert load_committee() == demo
    assert Committee.objects.count() == 1
    assert Task.objects.count() == 9


def test_before_the_second_meeting_it_is_planned():
    early = datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(early, tick=False):
        load_users(load_units())
        committee = load_committee()
    second = committee.meetings.get(number=2)
    assert second.status == MeetingStatus.PLANNED
    done = Task.objects.filter(status=TaskStatus.DONE).count()
    assert done == 1  # only the inspection plan (20/02) was done by 01/03
