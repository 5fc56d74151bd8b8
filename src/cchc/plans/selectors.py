"""Reads of plans and tasks."""

from __future__ import annotations

from datetime import date

from cchc.organisations.models import OrganisationUnit

from .engine.completion import Completion, TaskFacts, completion
from .models import Plan, Task, TaskStatus


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
