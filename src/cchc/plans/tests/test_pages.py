"""The plan pages: scope, the plan table and its completion, the forms and their refusals."""

from datetime import date

import pytest
from django.urls import reverse

from cchc.organisations.tests.factories import UserFactory
from cchc.plans import services
from cchc.plans.models import PlanStatus, Task, TaskStatus

from .world import at, make_world, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _login(client, user):
    client.force_login(user)
    return client


def test_the_list_is_scoped(client, world):
    upper = world.province_plan()
    own = world.justice_plan()
    other = services.create_plan(world.noivu, unit=world.other, year=2026)
    page = _login(client, world.officer).get(reverse("plans:list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert reverse("plans:plan", args=[own.pk]) in text
    assert reverse("plans:plan", args=[upper.pk]) in text  # a task of it is led by the Sở
    assert reverse("plans:plan", args=[other.pk]) not in text
    assert client.get(reverse("plans:plan", args=[other.pk])).status_code == 404


def test_a_visitor_sees_nothing(client, world):
    plan = world.justice_plan()
    assert client.get(reverse("plans:plan", args=[plan.pk])).status_code == 302
    citizen = UserFactory()
    client.force_login(citizen)
    assert client.get(reverse("plans:plan", args=[plan.pk])).status_code == 404


def test_the_plan_page_shows_the_tasks_and_the_completion(client, world):
    plan = world.justice_plan(tasks=0, issue=False)
    first = world.task(plan, world.leader, content="Ban hành kế hoạch tuyên truyền")
    world.task(plan, world.leader, content="Rà soát TTHC", recurring=True)
    world.task(plan, world.leader, content="Kiểm tra", deadline=date(2026, 3, 31))
    world.issue(plan, world.leader)
    with at(date(2026, 7, 2)):
        services.report_progress(
            first.pk,
            world.officer,
            status="done",
            percent=100,
            output=services.OutputInput(document_number="3/KH-STP", issued_on=date(2026, 7, 1)),
        )
        page = _login(client, world.leader).get(reverse("plans:plan", args=[plan.pk]))
    text = page.content.decode()
    assert "33,33 %" in text and "1/3" in text
    assert "Thường xuyên" in text
    assert "Quá hạn" in text  # the 31/03 task
    assert "trễ hạn" in text  # the first task was due 30/06, done 02/07
    assert "Ban hành kế hoạch tuyên truyền" in text


def test_create_a_plan_and_issue_it_from_the_pages(client, world):
    _login(client, world.leader)
    page = client.post(reverse("plans:plan_create"), {"unit": world.justice.pk, "year": 2026})
    plan = world.justice.plans.get()
    assert page.status_code == 302 and plan.fields.count() == 9
    field = plan.fields.first()
    page = client.post(
        reverse("plans:task_create", args=[plan.pk]),
        {
            "field": field.pk,
            "content": "Xây dựng kế hoạch kiểm tra",
            "lead_unit": world.division.pk,
            "deadline": "30/06/2026",
            "expected_output": "Kế hoạch",
            "par_criteria": "",
            "milestones": "",
        },
    )
    task = Task.objects.get()
    assert page.status_code == 302 and task.lead_unit == world.division
    page = client.post(
        reverse("plans:task_create", args=[plan.pk]),
        {"field": field.pk, "content": "X", "lead_unit": world.justice.pk, "deadline": ""},
    )
    assert page.status_code == 400
    assert "Nhập thời hạn" in page.content.decode()
    plan.refresh_from_db()
    page = client.post(
        reverse("plans:plan_issue", args=[plan.pk]),
        {
            "document_number": "15/KH-STP",
            "issued_on": "20/12/2025",
            "signer": "Đỗ Mạnh Hùng",
            "document": pdf(),
            "version": plan.version,
        },
    )
    plan.refresh_from_db()
    assert page.status_code == 302, page.content.decode()[:2000]
    assert plan.status == PlanStatus.ISSUED
    assert client.get(reverse("plans:plan_document", args=[plan.pk])).status_code == 200


def test_fields_are_renamed_and_reordered_from_the_page(client, world):
    plan = world.justice_plan(tasks=0, issue=False)
    first, second = plan.fields.order_by("position")[:2]
    data = {"part": "fields", "version": plan.version}
    for item in plan.fields.all():
        data[f"position-{item.pk}"] = item.position
        data[f"name-{item.pk}"] = item.name
    data[f"position-{first.pk}"] = 2
    data[f"position-{second.pk}"] = 1
    data[f"name-{second.pk}"] = "Thể chế"
    data["new_name"] = "Chuyển đổi số"
    page = _login(client, world.leader).post(reverse("plans:plan_edit", args=[plan.pk]), data)
    assert page.status_code == 302
    names = list(plan.fields.order_by("position").values_list("name", flat=True))
    assert names[:2] == ["Thể chế", "Công tác chỉ đạo, điều hành"] and names[-1] == "Chuyển đổi số"


def test_the_lead_unit_reports_with_an_output_and_the_task_is_done(client, world):
    task = world.province_plan().tasks.get()
    _login(client, world.officer)
    page = client.get(reverse("plans:task", args=[task.pk]))
    assert 'id="report-form"' in page.content.decode()
    url = reverse("plans:task_act", args=[task.pk, "report"])
    page = client.post(url, {"status": "done", "percent": "100", "version": task.version})
    assert page.status_code == 400
    assert "Nhiệm vụ chỉ hoàn thành khi có sản phẩm" in page.content.decode()
    with at(date(2026, 5, 4)):
        page = client.post(
            url,
            {
                "status": "done",
                "percent": "100",
                "text": "Đã ban hành",
                "output_file": pdf("ket-qua.pdf"),
                "evidence_file": pdf("minh-chung.pdf"),
                "version": task.version,
            },
        )
    assert page.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.done_on == date(2026, 5, 4)
    page = client.get(reverse("plans:task", args=[task.pk]))
    text = page.content.decode()
    assert "ket-qua.pdf" in text and "minh-chung.pdf" in text and "đúng hạn" in text
    evidence = task.reports.get().evidence.get()
    assert client.get(reverse("plans:evidence_file", args=[evidence.pk])).status_code == 200
    assert client.get(reverse("plans:task_output", args=[task.pk])).status_code == 200
    client.force_login(world.other_officer)
    assert client.get(reverse("plans:task_output", args=[task.pk])).status_code == 404
    assert client.get(reverse("plans:evidence_file", args=[evidence.pk])).status_code == 404


def test_another_unit_cannot_report(client, world):
    task = world.justice_plan(tasks=1).tasks.get()
    _login(client, world.other_officer)
    url = reverse("plans:task_act", args=[task.pk, "report"])
    assert client.post(url, {"status": "in_progress", "percent": "10"}).status_code == 404


def test_cancel_and_reopen_from_the_page(client, world):
    plan = world.justice_plan(tasks=2)
    first, second = plan.tasks.all()
    _login(client, world.leader)
    page = client.post(reverse("plans:task_act", args=[first.pk, "cancel"]), {"reason": ""})
    assert page.status_code == 400
    page = client.post(
        reverse("plans:task_act", args=[first.pk, "cancel"]), {"reason": "Không còn phù hợp"}
    )
    assert page.status_code == 302
    history = client.get(reverse("plans:plan_history", args=[plan.pk])).content.decode()
    assert "Không còn phù hợp" in history and "điều chỉnh" in history
    services.report_progress(
        second.pk,
        world.officer,
        status="done",
        percent=100,
        output=services.OutputInput(document_number="1/BC", issued_on=date(2026, 1, 5)),
    )
    page = client.post(
        reverse("plans:task_act", args=[second.pk, "reopen"]), {"reason": "Thiếu sản phẩm"}
    )
    second.refresh_from_db()
    assert page.status_code == 302 and second.done_on is None


def test_the_menu_has_the_plans_entry(client, world):
    page = _login(client, world.officer).get(reverse("plans:list"))
    assert "Kế hoạch CCHC" in page.content.decode()
