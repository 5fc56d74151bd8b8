"""Who sees which committee, and how far the conclusions are done (the previous meeting's
summary "Kết luận phiên trước: 7/9 đã hoàn thành")."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.plans.models import TaskStatus

from .. import selectors
from ..selectors import DONE_LATE, DONE_ON_TIME, OPEN, OVERDUE
from .factories import conclude, hold, make_world, mark_done, plan


def _item(key, deadline, status=TaskStatus.NOT_STARTED, done_on=None):
    task = SimpleNamespace(
        pk=key, year=deadline.year, deadline=deadline, status=status, done_on=done_on
    )
    return SimpleNamespace(task_id=key, task=task)


def test_each_state_as_of_a_day():
    as_of = date(2026, 7, 1)
    items = [
        _item(1, date(2026, 6, 30), TaskStatus.DONE, date(2026, 6, 30)),  # on time
        _item(2, date(2026, 6, 15), TaskStatus.DONE, date(2026, 6, 20)),  # late
        _item(3, date(2026, 6, 30)),  # overdue
        _item(4, date(2026, 7, 1)),  # due today: still open
        _item(5, date(2026, 5, 1), TaskStatus.CANCELLED),  # counts nowhere
        _item(6, date(2026, 6, 30), TaskStatus.DONE, date(2026, 7, 2)),  # done after as_of
    ]
    summary = selectors.summarise(items, as_of)
    assert [(row.task.pk, row.state) for row in summary.rows] == [
        (1, DONE_ON_TIME),
        (2, DONE_LATE),
        (3, OVERDUE),
        (4, OPEN),
        (6, OVERDUE),
    ]
    assert (summary.total, summary.done, summary.open, summary.overdue) == (5, 2, 3, 2)
    assert (summary.done_on_time, summary.done_late) == (1, 1)


days = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(st.tuples(days, st.one_of(st.none(), days)), min_size=1, max_size=12),
    days,
)
def test_states_partition_the_conclusions(rows, as_of):
    items = [
        _item(index, deadline, TaskStatus.DONE if done else TaskStatus.IN_PROGRESS, done)
        for index, (deadline, done) in enumerate(rows)
    ]
    summary = selectors.summarise(items, as_of)
    assert summary.total == len(rows)
    assert summary.done + summary.open == summary.total
    assert summary.done_on_time + summary.done_late == summary.done
    for row, (deadline, done) in zip(summary.rows, rows, strict=True):
        finished = done is not None and done <= as_of
        expected = (
            (DONE_LATE if done > deadline else DONE_ON_TIME)
            if finished
            else (OVERDUE if deadline < as_of else OPEN)
        )
        assert row.state == expected


@pytest.mark.django_db
def test_the_next_meeting_shows_the_previous_conclusions():
    with time_machine.travel(date(2026, 4, 20), tick=False):
        world = make_world()
        first = plan(world, date(2026, 4, 10))
        hold(world, first)
        deadlines = [date(2026, 5, 31)] * 5 + [date(2026, 9, 30)] * 4
        items = [(f"Kết luận {n}", world.justice, day) for n, day in enumerate(deadlines, 1)]
        conclusions = conclude(world, first, items)
        second = plan(world, date(2026, 7, 15))
        assert selectors.previous_meeting(first) is None
    for item in conclusions[:4]:
        mark_done(item.task, date(2026, 5, 20))
    mark_done(conclusions[4].task, date(2026, 6, 10))  # late
    mark_done(conclusions[5].task, date(2026, 6, 1))
    mark_done(conclusions[6].task, date(2026, 7, 1))
    previous, summary = selectors.previous_conclusions(second, today=date(2026, 7, 10))
    assert previous == first
    assert (summary.done, summary.total) == (7, 9)
    assert (summary.done_on_time, summary.done_late, summary.overdue) == (6, 1, 0)
    # A planned meeting looks at today: on 05/06 conclusion 5 (due 31/05) was still undone.
    _previous, before = selectors.previous_conclusions(second, today=date(2026, 6, 5))
    assert (before.done, before.overdue) == (5, 1)


@pytest.mark.django_db
def test_scope_of_reading():
    world = make_world()
    visible = selectors.visible_committees
    for person in (world.reform, world.standing, world.leader, world.auditor):
        assert list(visible(person)) == [world.committee]
    assert list(visible(world.officer)) == []
    assert list(visible(world.outsider)) == []
    seat = world.seats()[2]
    seat.user = world.officer  # a member linked to a platform user reads the committee
    seat.save()
    assert list(visible(world.officer)) == [world.committee]


def test_summary_day():
    planned = SimpleNamespace(status="planned", date=date(2026, 7, 15))
    held = SimpleNamespace(status="held", date=date(2026, 7, 15))
    today = date(2026, 8, 1)
    assert selectors.summary_day(planned, today) == today
    assert selectors.summary_day(held, today) == date(2026, 7, 15)
    assert selectors.summary_day(held, today - timedelta(days=30)) == today - timedelta(days=30)
