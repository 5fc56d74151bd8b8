"""Two officers at once: one wins, the other is refused and nothing is half-written."""

import pytest

from cchc.plans import services
from cchc.plans.errors import PlanError
from cchc.plans.models import TaskEvent, TaskReport
from cchc.workflow.testing import run_together

from .world import make_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_officers_report_on_the_same_version():
    world = make_world()
    task = world.justice_plan(tasks=1).tasks.get()
    version = task.version
    results = run_together(
        lambda: services.report_progress(
            task.pk, world.officer, status="in_progress", percent=30, expected_version=version
        ),
        lambda: services.report_progress(
            task.pk, world.leader, status="in_progress", percent=50, expected_version=version
        ),
    )
    errors = [result for result in results if isinstance(result, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], PlanError), results
    assert TaskReport.objects.count() == 1
    assert TaskEvent.objects.filter(action="reported").count() == 1


def test_a_task_is_cancelled_once_under_a_race():
    world = make_world()
    task = world.justice_plan(tasks=1).tasks.get()
    results = run_together(
        lambda: services.cancel_task(task.pk, world.leader, "A"),
        lambda: services.cancel_task(task.pk, world.leader, "B"),
    )
    assert sum(isinstance(result, Exception) for result in results) == 1, results
    assert TaskEvent.objects.filter(action="cancelled").count() == 1
