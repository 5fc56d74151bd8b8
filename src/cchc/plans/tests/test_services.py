"""The plans' services: plans, fields, issue, tasks, progress, completion effects, history."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.history import registry
from cchc.history.services import verify_owner
from cchc.plans import selectors, services
from cchc.plans.errors import ActionForbidden, PlanError, StaleRecord, TransitionNotAllowed
from cchc.plans.models import PlanEvent, PlanStatus, TaskEvent, TaskReport, TaskStatus

from .world import at, make_world, pdf

pytestmark = pytest.mark.django_db

OUTPUT = services.OutputInput(document_number="12/QĐ-STP", issued_on=date(2026, 3, 1))


@pytest.fixture
def world():
    return make_world()


def test_a_new_plan_starts_with_the_nine_default_fields(world):
    plan = services.create_plan(world.leader, unit=world.justice, year=2026)
    names = list(plan.fields.values_list("name", flat=True))
    assert names == list(services.DEFAULT_FIELDS)
    assert "Cải cách tài chính công" in names and len(names) == 9
    assert plan.status == PlanStatus.DRAFT and plan.title == "Kế hoạch cải cách hành chính năm 2026"


def test_the_year_s_fields_come_from_the_setting(world, settings):
    settings.CCHC_PLAN_DEFAULT_FIELDS = {2026: ["Chỉ đạo", "Thể chế"], "2027": ["Khác"]}
    plan = services.create_plan(world.leader, unit=world.justice, year=2026)
    assert list(plan.fields.values_list("name", flat=True)) == ["Chỉ đạo", "Thể chế"]
    plan = services.create_plan(world.leader, unit=world.justice, year=2025)
    assert plan.fields.count() == 9


def test_the_parent_plan_is_the_upper_unit_s_plan_of_the_year(world):
    upper = world.province_plan()
    plan = services.create_plan(world.leader, unit=world.justice, year=2026)
    assert plan.parent == upper
    assert services.create_plan(world.leader, unit=world.justice, year=2025).parent is None


def test_a_plan_of_another_year_or_unit_cannot_be_the_parent(world):
    upper = world.province_plan(year=2025)
    with pytest.raises(PlanError) as refused:
        services.create_plan(world.leader, unit=world.justice, year=2026, parent=upper)
    assert refused.value.field == "parent"
    sibling = services.create_plan(world.noivu, unit=world.other, year=2026)
    with pytest.raises(PlanError):
        services.create_plan(world.leader, unit=world.justice, year=2026, parent=sibling)


def test_only_the_unit_s_managers_make_its_plan_and_only_once(world):
    with pytest.raises(ActionForbidden):
        services.create_plan(world.officer, unit=world.justice, year=2026)
    with pytest.raises(ActionForbidden):
        services.create_plan(world.leader, unit=world.province, year=2026)
    services.create_plan(world.leader, unit=world.justice, year=2026)
    with pytest.raises(PlanError) as refused:
        services.create_plan(world.leader, unit=world.justice, year=2026)
    assert refused.value.field == "year"


def test_fields_are_added_renamed_reordered_and_removed_while_draft(world):
    plan = services.create_plan(world.leader, unit=world.justice, year=2026)
    first, second = plan.fields.order_by("position")[:2]
    services.save_fields(
        plan.pk, world.leader, [(second.pk, "Thể chế"), (first.pk, "Chỉ đạo"), (None, "Mới")]
    )
    assert list(plan.fields.order_by("position").values_list("name", flat=True)) == [
        "Thể chế",
        "Chỉ đạo",
        "Mới",
    ]
    with pytest.raises(PlanError) as refused:
        services.save_fields(plan.pk, world.leader, [(None, "A"), (None, "a")])
    assert refused.value.field == "fields"


def test_a_field_with_tasks_is_not_removed(world):
    plan = world.justice_plan(issue=False, tasks=1)
    kept = plan.fields.order_by("position")[1]
    with pytest.raises(PlanError):
        services.save_fields(plan.pk, world.leader, [(kept.pk, kept.name)])


def test_issuing_needs_the_document_and_a_pdf(world):
    plan = world.justice_plan(issue=False, tasks=1)
    base = {"document_number": "5/KH-STP", "issued_on": date(2025, 12, 20), "signer": "Ký"}
    with pytest.raises(PlanError) as refused:
        services.issue_plan(plan.pk, world.leader, **base, upload=None)
    assert refused.value.field == "document"
    fake = SimpleUploadedFile("ke-hoach.pdf", b"not a pdf at all")
    with pytest.raises(PlanError) as refused:
        services.issue_plan(plan.pk, world.leader, **base, upload=fake)
    assert refused.value.message == "Nội dung tệp không đúng với loại tệp."
    with pytest.raises(PlanError) as refused:
        services.issue_plan(plan.pk, world.leader, **{**base, "document_number": " "}, upload=pdf())
    assert refused.value.field == "document_number"
    with pytest.raises(ActionForbidden):
        services.issue_plan(plan.pk, world.officer, **base, upload=pdf())
    plan = services.issue_plan(plan.pk, world.leader, **base, upload=pdf())
    assert plan.status == PlanStatus.ISSUED and plan.document_name == "ke-hoach.pdf"
    with pytest.raises(TransitionNotAllowed):
        services.issue_plan(plan.pk, world.leader, **base, upload=pdf())


def test_an_empty_plan_is_not_issued(world):
    plan = services.create_plan(world.leader, unit=world.justice, year=2026)
    with pytest.raises(PlanError):
        world.issue(plan, world.leader)


def test_after_issue_fields_and_tasks_are_not_edited_but_tasks_are_added_and_cancelled(world):
    plan = world.justice_plan(tasks=1)
    task = plan.tasks.get()
    with pytest.raises(TransitionNotAllowed):
        services.save_fields(plan.pk, world.leader, [(None, "X")])
    with pytest.raises(PlanError):
        services.update_task(
            task.pk,
            world.leader,
            services.TaskInput(
                content="Sửa", lead_unit=world.justice, field=task.field, deadline=date(2026, 9, 1)
            ),
        )
    added = world.task(plan, world.leader, content="Bổ sung")
    services.cancel_task(task.pk, world.leader, "Không còn phù hợp")
    events = list(PlanEvent.objects.filter(plan=plan).values_list("action", "data"))
    assert ("task_added", {"task": added.pk, "code": added.code, "amendment": True}) in events
    assert events[-1][0] == "task_cancelled" and events[-1][1]["amendment"] is True
    with pytest.raises(PlanError) as refused:
        services.cancel_task(added.pk, world.leader, " ")
    assert refused.value.field == "reason"


def test_task_validation(world):
    plan = world.justice_plan(issue=False, tasks=0)
    field = plan.fields.first()
    base = dict(
        issuer_unit=world.justice, year=2026, plan=plan, field=field, lead_unit=world.justice
    )
    cases = [
        ({"content": " ", "deadline": date(2026, 5, 1)}, "content"),
        ({"content": "X"}, "deadline"),
        ({"content": "X", "deadline": date(2027, 1, 1)}, "deadline"),
        ({"content": "X", "recurring": True, "milestones": [date(2025, 6, 1)]}, "milestones"),
        ({"content": "X", "deadline": date(2026, 5, 1), "budget": Decimal(-1)}, "budget"),
        ({"content": "X", "deadline": date(2026, 5, 1), "lead_unit": world.other}, "lead_unit"),
        ({"content": "X", "deadline": date(2026, 5, 1), "field": None}, "field"),
    ]
    for extra, field_name in cases:
        with pytest.raises(PlanError) as refused:
            services.add_task(world.leader, **{**base, **extra})
        assert refused.value.field == field_name, extra


def test_a_recurring_task_has_no_deadline_and_keeps_its_milestones(world):
    plan = world.justice_plan(issue=False, tasks=0)
    task = world.task(
        plan,
        world.leader,
        recurring=True,
        milestones=[date(2026, 9, 14), date(2026, 6, 14), date(2026, 6, 14)],
    )
    assert task.deadline is None and task.milestones == ["2026-06-14", "2026-09-14"]
    assert task.code == "1.1"


def test_par_criteria_are_checked_against_the_year_s_set_when_there_is_one(world):
    from cchc.parindex.tests.factories import make_criteria_set

    plan = world.justice_plan(issue=False, tasks=0)
    assert world.task(plan, world.leader, par_criteria=["9.9"]).par_criteria == ["9.9"]
    make_criteria_set(year=2026, level="department")
    assert world.task(plan, world.leader, par_criteria=["1.2", "1.2"]).par_criteria == ["1.2"]
    with pytest.raises(PlanError) as refused:
        world.task(plan, world.leader, par_criteria=["1.2", "9.9"])
    assert refused.value.field == "par_criteria" and "9.9" in refused.value.message


def test_a_lower_task_implements_a_task_of_the_parent_plan_only(world):
    upper = world.province_plan(tasks=2)
    upper_task = upper.tasks.first()
    plan = world.justice_plan(issue=False, tasks=0)
    assert plan.parent == upper
    task = world.task(plan, world.leader, implements=upper_task)
    assert task.implements == upper_task and upper_task.implemented_by.get() == task
    other = world.justice_plan(year=2025, issue=False, tasks=1)
    with pytest.raises(PlanError) as refused:
        world.task(plan, world.leader, implements=other.tasks.get())
    assert refused.value.field == "implements"


def test_a_unit_edits_only_its_own_plan_s_tasks(world):
    upper = world.province_plan(issue=False)
    plan = world.justice_plan(issue=False, tasks=1)
    with pytest.raises(ActionForbidden):
        world.task(upper, world.leader)
    with pytest.raises(ActionForbidden):
        world.task(plan, world.officer)
    with pytest.raises(ActionForbidden):
        services.cancel_task(upper.tasks.get().pk, world.leader, "Không")
    task = plan.tasks.get()
    data = services.TaskInput(
        content="Nội dung mới",
        lead_unit=world.division,
        field=task.field,
        deadline=date(2026, 8, 1),
    )
    with pytest.raises(ActionForbidden):
        services.update_task(task.pk, world.other_officer, data)
    task = services.update_task(task.pk, world.leader, data)
    assert task.content == "Nội dung mới" and task.lead_unit == world.division


def _report_done(world, task, **extra):
    return services.report_progress(
        task.pk, world.officer, status=TaskStatus.DONE, percent=100, output=OUTPUT, **extra
    )


def test_a_task_is_done_only_with_its_output(world):
    task = world.justice_plan(tasks=1).tasks.get()
    with pytest.raises(PlanError) as refused:
        services.report_progress(task.pk, world.officer, status=TaskStatus.DONE, percent=100)
    assert refused.value.field == "output"
    assert refused.value.message.startswith("Nhiệm vụ chỉ hoàn thành khi có sản phẩm")
    assert TaskReport.objects.count() == 0
    with pytest.raises(PlanError) as refused:
        services.report_progress(task.pk, world.officer, status=TaskStatus.IN_PROGRESS, percent=100)
    assert refused.value.field == "percent"
    with at(date(2026, 3, 2)):
        report = services.report_progress(
            task.pk,
            world.officer,
            status=TaskStatus.DONE,
            percent=None,
            output=services.OutputInput(upload=pdf("quyet-dinh.pdf")),
        )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.percent == 100
    assert task.done_on == date(2026, 3, 2) == report.reported_on
    assert task.output_file_name == "quyet-dinh.pdf"


def test_only_the_lead_unit_reports_and_only_on_an_issued_plan(world):
    draft = world.justice_plan(issue=False, tasks=1)
    with pytest.raises(PlanError):
        services.report_progress(
            draft.tasks.get().pk, world.officer, status="in_progress", percent=10
        )
    task = world.province_plan().tasks.get()  # led by Sở Tư pháp
    with pytest.raises(ActionForbidden):
        services.report_progress(task.pk, world.other_officer, status="in_progress", percent=10)
    with pytest.raises(ActionForbidden):
        services.report_progress(task.pk, world.auditor, status="in_progress", percent=10)
    services.report_progress(
        task.pk,
        world.officer,
        status="in_progress",
        percent=40,
        text="Đang xây dựng dự thảo",
        evidence=[services.EvidenceInput(upload=pdf("du-thao.pdf")), services.EvidenceInput()],
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.IN_PROGRESS and task.percent == 40
    assert [e.original_name for e in TaskReport.objects.get().evidence.all()] == ["du-thao.pdf"]


def test_done_late_and_on_time_follow_from_the_deadline(world):
    plan = world.justice_plan(tasks=0, issue=False)
    early = world.task(plan, world.leader, deadline=date(2026, 3, 31))
    late = world.task(plan, world.leader, deadline=date(2026, 3, 31))
    world.issue(plan, world.leader)
    with at(date(2026, 3, 31)):
        _report_done(world, early)
    with at(date(2026, 4, 1)):
        _report_done(world, late)
    result = selectors.plan_completion(plan, date(2026, 4, 30))
    assert result.done_on_time == [early.pk] and result.done_late == [late.pk]
    assert TaskEvent.objects.filter(task=late, action="done").get().data["late"] is True


def test_reopening_clears_done_on(world):
    task = world.justice_plan(tasks=1).tasks.get()
    with at(date(2026, 3, 3)):
        _report_done(world, task)
    with pytest.raises(ActionForbidden):
        services.reopen_task(task.pk, world.officer, "Chưa đạt")
    with pytest.raises(PlanError):
        services.reopen_task(task.pk, world.leader, "")
    task = services.reopen_task(task.pk, world.leader, "Sản phẩm chưa đạt yêu cầu")
    assert task.status == TaskStatus.IN_PROGRESS and task.done_on is None and task.percent == 99
    with pytest.raises(TransitionNotAllowed):
        services.reopen_task(task.pk, world.leader, "Lần nữa")
    assert selectors.plan_completion(task.plan, date(2026, 12, 31)).done == []


def test_a_stale_version_is_refused(world):
    task = world.justice_plan(tasks=1).tasks.get()
    version = task.version
    services.report_progress(
        task.pk, world.officer, status="in_progress", percent=10, expected_version=version
    )
    with pytest.raises(StaleRecord):
        services.report_progress(
            task.pk, world.leader, status="in_progress", percent=20, expected_version=version
        )


def test_every_history_chain_verifies(world):
    plan = world.justice_plan(tasks=2)
    first, second = plan.tasks.all()
    _report_done(world, first)
    services.reopen_task(first.pk, world.leader, "Chưa đạt")
    services.cancel_task(second.pk, world.leader, "Điều chỉnh")
    assert verify_owner(registry.get("plans"), plan) is None
    for task in (first, second):
        task.refresh_from_db()
        assert verify_owner(registry.get("plans-tasks"), task) is None
    assert list(TaskEvent.objects.filter(task=first).values_list("action", flat=True)) == [
        "assigned",
        "done",
        "reopened",
    ]
    assert list(PlanEvent.objects.filter(plan=plan).values_list("action", flat=True)) == [
        "created",
        "task_added",
        "task_added",
        "issued",
        "task_cancelled",
    ]


def test_a_committee_conclusion_is_a_task_without_plan(world):
    task = services.add_task(
        world.noivu,
        issuer_unit=world.province,
        year=2026,
        content="Kết luận: đẩy nhanh số hóa hồ sơ",
        lead_unit=world.justice,
        deadline=date(2026, 9, 30),
        origin="conclusion",
    )
    assert task.plan is None and task.code == ""
    _report_done(world, task)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
