"""Reminders before deadlines and milestones, and one notice after the deadline: each once."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.notifications.models import OutboxMessage
from cchc.plans import services
from cchc.plans.models import TaskReminder

from .world import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_reminders_are_sent_once_to_the_lead_unit(world):
    plan = world.justice_plan(tasks=0, issue=False)
    task = world.task(plan, world.leader, deadline=date(2026, 6, 30))
    world.issue(plan, world.leader)
    assert services.send_reminders(date(2026, 6, 22)) == 0
    sent = services.send_reminders(date(2026, 6, 23))  # 7 days before
    recipients = set(OutboxMessage.objects.values_list("recipient", flat=True))
    assert sent == 2 and recipients == {world.leader.email, world.officer.email}
    assert services.send_reminders(date(2026, 6, 23)) == 0
    assert services.send_reminders(date(2026, 6, 24)) == 0
    assert services.send_reminders(date(2026, 6, 29)) == 2  # 1 day before
    assert services.send_reminders(date(2026, 6, 30)) == 0
    subject = OutboxMessage.objects.order_by("pk").first().subject
    assert subject.startswith("Nhiệm vụ đến hạn ngày 30/06/2026")
    assert services.send_reminders(date(2026, 7, 1)) == 2  # overdue: the day after
    assert services.send_reminders(date(2026, 7, 2)) == 0
    reminders = TaskReminder.objects.filter(task=task).order_by("pk")
    assert list(reminders.values_list("days_before", flat=True)) == [7, 1, 0]


def test_a_missed_day_sends_the_nearer_reminder_only(world):
    world.justice_plan(tasks=1)  # due 30/06
    assert services.send_reminders(date(2026, 6, 25)) == 2  # the 7-day reminder, late
    assert services.send_reminders(date(2026, 6, 26)) == 0
    assert services.send_reminders(date(2026, 6, 29)) == 2
    assert sorted(TaskReminder.objects.values_list("days_before", flat=True)) == [1, 7]


def test_milestones_of_a_recurring_task_are_reminded(world):
    plan = world.justice_plan(tasks=0, issue=False)
    world.task(plan, world.leader, recurring=True, milestones=[date(2026, 6, 14)])
    world.issue(plan, world.leader)
    assert services.send_reminders(date(2026, 6, 13)) == 2
    assert OutboxMessage.objects.first().subject.startswith("Hạn báo cáo tiến độ ngày 14/06/2026")


def test_done_cancelled_and_draft_tasks_are_not_reminded(world):
    draft = world.justice_plan(year=2026, tasks=1, issue=False)
    plan = world.province_plan(tasks=2)
    done, cancelled = plan.tasks.all()
    services.report_progress(
        done.pk,
        world.officer,
        status="done",
        percent=100,
        output=services.OutputInput(document_number="1/BC", issued_on=date(2026, 1, 5)),
    )
    services.cancel_task(cancelled.pk, world.noivu, "Điều chỉnh")
    assert services.send_reminders(date(2026, 6, 29)) == 0
    assert draft.tasks.count() == 1


def test_the_command_takes_a_date(world, capsys):
    world.justice_plan(tasks=1)
    call_command("plan-reminders", "--date", "2026-06-23")
    assert "2" in capsys.readouterr().out
    assert OutboxMessage.objects.count() == 2


@settings(max_examples=30, deadline=None)
@given(days_left=st.integers(min_value=-5, max_value=30))
def test_the_tightest_reminder(days_left):
    lead = services._tightest(days_left, (1, 7))
    if days_left < 0 or days_left > 7:
        assert lead is None
    else:
        assert lead == (1 if days_left <= 1 else 7)
        assert lead >= days_left and timedelta(days=lead) >= timedelta(days=days_left)
