"""The transition tables say what the services do: every action in every state."""

from datetime import date

import pytest

from cchc.plans import services
from cchc.plans.models import Plan, PlanStatus, Task, TaskStatus
from cchc.plans.transitions import PLAN_TRANSITIONS, TASK_TRANSITIONS
from cchc.workflow.testing import state_accepts

from .world import make_world, pdf

pytestmark = pytest.mark.django_db

OUTPUT = services.OutputInput(document_number="1/BC", issued_on=date(2026, 1, 2))


def _task_calls(world, task):
    data = services.TaskInput(
        content="Sửa", lead_unit=world.justice, field=task.field, deadline=date(2026, 9, 1)
    )
    return {
        "report": lambda: services.report_progress(
            task.pk, world.leader, status="done", percent=100, output=OUTPUT
        ),
        "edit": lambda: services.update_task(task.pk, world.leader, data),
        "cancel": lambda: services.cancel_task(task.pk, world.leader, "Lý do"),
        "reopen": lambda: services.reopen_task(task.pk, world.leader, "Lý do"),
    }


@pytest.mark.parametrize("status", TaskStatus.values)
def test_task_services_follow_the_table(status):
    world = make_world()
    task = world.justice_plan(tasks=1).tasks.get()
    Task.objects.filter(pk=task.pk).update(status=status)
    task.refresh_from_db()
    for action, call in _task_calls(world, task).items():
        assert state_accepts(call) == TASK_TRANSITIONS.allows(task, action), (status, action)


@pytest.mark.parametrize("status", PlanStatus.values)
def test_plan_services_follow_the_table(status):
    world = make_world()
    plan = world.justice_plan(tasks=1, issue=False)
    Plan.objects.filter(pk=plan.pk).update(status=status)
    plan.refresh_from_db()
    calls = {
        "edit": lambda: services.update_plan(plan.pk, world.leader, title="Mới", parent=None),
        "issue": lambda: services.issue_plan(
            plan.pk,
            world.leader,
            document_number="1/KH",
            issued_on=date(2025, 12, 1),
            signer="Ký",
            upload=pdf(),
        ),
        "add_task": lambda: world.task(plan, world.leader),
    }
    for action, call in calls.items():
        assert state_accepts(call) == PLAN_TRANSITIONS.allows(plan, action), (status, action)


def test_the_page_offers_what_the_actor_may_do():
    world = make_world()
    task = world.province_plan().tasks.get()  # assigned by the province, led by Sở Tư pháp
    assert TASK_TRANSITIONS.available(task, world.officer) == ["report"]
    assert set(TASK_TRANSITIONS.available(task, world.noivu)) == {"report", "edit", "cancel"}
    assert TASK_TRANSITIONS.available(task, world.other_officer) == []
