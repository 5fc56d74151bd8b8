"""The task forms: edit while the plan is a draft, amendments after issue, refusals in place."""

from datetime import date

import pytest
from django.urls import reverse

from cchc.plans.models import PlanEvent

from .world import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_a_draft_task_is_edited_from_its_page(client, world):
    plan = world.justice_plan(tasks=1, issue=False)
    task = plan.tasks.get()
    client.force_login(world.leader)
    url = reverse("plans:task_edit", args=[task.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Sửa nhiệm vụ" in page.content.decode()
    data = {
        "field": task.field_id,
        "code": "1.1",
        "content": "Nội dung đã sửa",
        "lead_unit": world.division.pk,
        "recurring": "on",
        "milestones": "14/06/2026, 14/09/2026",
        "expected_output": "Báo cáo",
        "budget": "15000000",
        "par_criteria": "",
        "version": task.version,
    }
    assert client.post(url, data).status_code == 302
    task.refresh_from_db()
    assert task.recurring and task.deadline is None
    assert task.milestones == ["2026-06-14", "2026-09-14"] and task.budget == 15000000
    page = client.post(url, {**data, "milestones": "ngày mai", "version": task.version})
    assert page.status_code == 400 and "dd/mm/yyyy" in page.content.decode()
    page = client.post(url, {**data, "version": task.version - 1})
    assert page.status_code == 400
    assert "Người khác vừa thay đổi" in page.content.decode()


def test_an_issued_plan_takes_amendments_only(client, world):
    plan = world.justice_plan(tasks=1)
    task = plan.tasks.get()
    client.force_login(world.leader)
    assert client.get(reverse("plans:task_edit", args=[task.pk])).status_code == 404
    assert client.get(reverse("plans:plan_edit", args=[plan.pk])).status_code == 404
    page = client.get(reverse("plans:task_create", args=[plan.pk]))
    assert "nội dung điều chỉnh, bổ sung" in page.content.decode()
    page = client.post(
        reverse("plans:task_create", args=[plan.pk]),
        {
            "field": plan.fields.first().pk,
            "content": "Nhiệm vụ bổ sung",
            "lead_unit": world.justice.pk,
            "deadline": "30/09/2026",
        },
    )
    assert page.status_code == 302
    assert PlanEvent.objects.filter(plan=plan, action="task_added").last().data["amendment"]


def test_the_officer_cannot_add_tasks_or_issue(client, world):
    plan = world.justice_plan(tasks=1, issue=False)
    client.force_login(world.officer)
    assert client.get(reverse("plans:task_create", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plans:plan_issue", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plans:plan_create")).status_code == 404
    page = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "Ban hành kế hoạch" not in page and date(2026, 6, 30).strftime("%d/%m/%Y") in page


def test_duplicate_field_names_are_refused_on_the_page(client, world):
    plan = world.justice_plan(tasks=0, issue=False)
    data = {"part": "fields", "version": plan.version, "new_name": plan.fields.first().name}
    for item in plan.fields.all():
        data[f"position-{item.pk}"] = item.position
        data[f"name-{item.pk}"] = item.name
    client.force_login(world.leader)
    page = client.post(reverse("plans:plan_edit", args=[plan.pk]), data)
    assert page.status_code == 400 and "Có hai lĩnh vực trùng tên." in page.content.decode()
