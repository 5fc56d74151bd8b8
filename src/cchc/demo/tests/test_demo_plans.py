"""``cchc load-demo``: the reform plans of the province and Sở Tư pháp (issue 13).

Last year's department plan has 7 fields and 28 tasks, 26 done by the inspection day (some late);
this year's is in progress with overdue tasks. Made through the services, so the histories
verify; loading again makes nothing new. The clock is fixed (10/12/2026) so the test gives the
same plans on any day.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cchc.demo.plans import load_plans
from cchc.demo.province import load_units, load_users
from cchc.history import registry
from cchc.history.services import verify_owner
from cchc.plans import selectors
from cchc.plans.models import Plan, PlanStatus, Task, TaskEvent, TaskReport

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture
def demo():
    with time_machine.travel(NOW, tick=True):
        load_users(load_units())
        load_plans()
        yield


def test_last_year_department_plan_is_the_issue_s_26_of_28(demo):
    plan = Plan.objects.get(unit__code="000.00.15.H99", year=2025)
    assert plan.status == PlanStatus.ISSUED and plan.parent.unit.code == "000.00.00.H99"
    assert plan.fields.count() == 7 and plan.tasks.count() == 28
    result = selectors.plan_completion(plan, date(2025, 11, 20))
    assert (len(result.done), len(result.total)) == (26, 28)
    assert str(result.completion_percent) == "92.86"
    assert len(result.done_late) >= 2
    assert Task.objects.filter(plan=plan, implements__isnull=False).count() == 7


def test_this_year_plan_has_overdue_tasks(demo):
    plan = Plan.objects.get(unit__code="000.00.15.H99", year=2026)
    result = selectors.plan_completion(plan, date(2026, 12, 10))
    assert len(result.overdue) >= 2 and 0 < len(result.done) < len(result.total)
    assert Task.objects.filter(plan=plan, status="in_progress").exists()
    assert plan.parent.tasks.filter(status="done").exists()  # the province's, by Sở Nội vụ


def test_histories_verify_and_loading_again_adds_nothing(demo):
    counts = (Plan.objects.count(), Task.objects.count(), TaskReport.objects.count())
    events = TaskEvent.objects.count()
    load_plans()
    assert (Plan.objects.count(), Task.objects.count(), TaskReport.objects.count()) == counts
    assert TaskEvent.objects.count() == events
    for plan in Plan.objects.all():
        assert verify_owner(registry.get("plans"), plan) is None
    for task in Task.objects.all():
        assert verify_owner(registry.get("plans-tasks"), task) is None
