"""Reads of plans and tasks: the completion contract, and what each user may see (scope)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from cchc.organisations.models import OrganisationUnit
from cchc.organisations.permissions import assigned_paths, has_role, sees_everything

from .engine.completion import Completion, TaskFacts, completion
from .models import Plan, Task, TaskReport, TaskStatus

OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)


def task_facts(tasks) -> list[TaskFacts]:
    return [
        TaskFacts(
            key=task.pk,
            field=task.field.name if task.field_id else "",
            year=task.year,
            deadline=None if task.recurring else task.deadline,
            done_on=task.done_on if task.status == TaskStatus.DONE else None,
            cancelled=task.status == TaskStatus.CANCELLED,
        )
        for task in tasks
    ]


def plan_completion(plan: Plan | None, as_of: date) -> Completion:
    """The plan's completion as of a day (the keys in it are task ids)."""
    if plan is None:
        return completion([], as_of)
    tasks = (
        Task.objects.filter(plan=plan)
        .select_related("field")
        .order_by("field__position", "position", "pk")
    )
    return completion(task_facts(tasks), as_of)


def _number(value):
    return None if value is None else float(value)


def plan_progress(unit: OrganisationUnit, year: int, as_of: date) -> dict:
    """The contract of ``cchc plan-progress --json`` and ``GET /api/v1/plans/progress/``.

    ``completion_percent`` = 100 × tasks_done ÷ tasks_total, rounded half up to 2 decimals (a
    JSON number, ``null`` when the plan has no task). The keys are exactly those of the issue's
    contract: nothing more (the rounding rule is documented, docs/plans-progress.md).
    """
    plan = Plan.objects.filter(unit=unit, year=year).first()
    result = plan_completion(plan, as_of)
    return {
        "unit": unit.code,
        "year": year,
        "as_of": as_of.isoformat(),
        "tasks_total": len(result.total),
        "tasks_due": len(result.due),
        "tasks_done": len(result.done),
        "tasks_done_on_time": len(result.done_on_time),
        "tasks_done_late": len(result.done_late),
        "tasks_overdue": len(result.overdue),
        "completion_percent": _number(result.completion_percent),
        "fields": [
            {
                "name": row.name,
                "tasks_total": row.tasks_total,
                "tasks_done": row.tasks_done,
                "completion_percent": _number(row.completion_percent),
            }
            for row in result.fields
        ],
    }


# -- scope ----------------------------------------------------------------------------------------
def _in_scope(user, field_name: str) -> Q:
    """Rows whose unit ``field_name`` the user holds any role in (or above)."""
    if sees_everything(user):
        return Q()
    query = Q(pk__in=[])
    for path in assigned_paths(user):
        query |= Q(**{f"{field_name}__path__startswith": path})
    return query


def is_staff(user) -> bool:
    return has_role(user)


def visible_plans(user):
    """Plans of the units in the user's scope, and plans with a task led by one of them."""
    if not getattr(user, "is_authenticated", False):
        return Plan.objects.none()
    led = Task.objects.filter(_in_scope(user, "lead_unit")).values("plan_id")
    return (
        Plan.objects.filter(_in_scope(user, "unit") | Q(pk__in=led))
        .select_related("unit", "parent", "parent__unit")
        .distinct()
    )


def visible_tasks(user):
    """Tasks the user's units assigned, lead or coordinate."""
    if not getattr(user, "is_authenticated", False):
        return Task.objects.none()
    coordinated = Task.objects.filter(_in_scope(user, "coordinating_units")).values("pk")
    return Task.objects.filter(
        _in_scope(user, "issuer_unit") | _in_scope(user, "lead_unit") | Q(pk__in=coordinated)
    ).select_related("plan", "field", "issuer_unit", "lead_unit", "implements")


def plan_tasks(plan: Plan):
    return (
        Task.objects.filter(plan=plan)
        .select_related("field", "lead_unit", "implements")
        .order_by("field__position", "position", "pk")
    )


def plan_table(plan: Plan, today: date) -> list[dict]:
    """The plan page: each field with its tasks, each task with its due day and flags."""
    rows = {item.pk: {"field": item, "tasks": []} for item in plan.fields.all()}
    loose = {"field": None, "tasks": []}
    for task in plan_tasks(plan):
        rows.get(task.field_id, loose)["tasks"].append(task_flags(task, today))
    result = list(rows.values())
    if loose["tasks"]:
        result.append(loose)
    return result


def task_flags(task: Task, today: date) -> Task:
    """Mark the task with its due day, done, done late and overdue as of ``today`` (the
    engine's rules, docs/plans.md "Completion rules")."""
    due = task.deadline or date(task.year, 12, 31)
    task.due_on = due
    task.is_done = task.status == TaskStatus.DONE
    task.is_late = task.is_done and task.done_on is not None and task.done_on > due
    task.is_overdue = task.status in OPEN_STATUSES and due < today
    return task


def task_reports(task: Task):
    return (
        TaskReport.objects.filter(task=task)
        .select_related("reported_by")
        .prefetch_related("evidence")
        .order_by("-reported_at", "-pk")
    )


def implementable_tasks(plan: Plan | None):
    """Tasks of the plan ``plan`` implements (a lower task may name the one it implements)."""
    if plan is None or plan.parent_id is None:
        return Task.objects.none()
    return (
        Task.objects.filter(plan_id=plan.parent_id)
        .exclude(status=TaskStatus.CANCELLED)
        .order_by("field__position", "position", "pk")
    )
