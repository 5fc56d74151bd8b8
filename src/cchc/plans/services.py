"""Every write of reform plans and their tasks, each checking actor, state and input first.

Each action runs in one transaction: the record locked (``cchc.workflow.locking``), the actor and
the input checked, the change saved as a new version, a sealed event appended (``record_event``)
and the topic of ``events`` published. A refusal raises a :class:`~.errors.PlanError` before
anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cchc.organisations.models import OrganisationUnit, Role
from cchc.organisations.permissions import has_role
from cchc.workflow.history import record_event

from .errors import ActionForbidden, PlanError
from .events import task_changed
from .models import Plan, PlanField, Task, TaskEvent, TaskOrigin

# Who assigns tasks in a unit: its reform staff and its leaders.
MANAGER_ROLES = (Role.REFORM_STAFF, Role.LEADER)
CONTENT_MAX = 5000


@transaction.atomic
def add_task(
    actor,
    *,
    issuer_unit: OrganisationUnit,
    year: int,
    content: str,
    lead_unit: OrganisationUnit,
    deadline: date | None = None,
    recurring: bool = False,
    milestones: Iterable[date] = (),
    expected_output: str = "",
    budget: Decimal | None = None,
    plan: Plan | None = None,
    field: PlanField | None = None,
    code: str = "",
    coordinating_units: Iterable[OrganisationUnit] = (),
    implements: Task | None = None,
    par_criteria: Iterable[str] = (),
    origin: str = TaskOrigin.PLAN,
    note: str = "",
) -> Task:
    """Assign a task: a plan task, or a steering-committee conclusion (``origin``, no plan).

    A task has either a deadline within its year or is recurring (thường xuyên: due at the end of
    the year, reported at its milestones).
    """
    if not has_role(actor, MANAGER_ROLES, issuer_unit):
        raise ActionForbidden(_("Only the unit's reform staff or leaders can assign its tasks."))
    content = (content or "").strip()
    if not content:
        raise PlanError(field="content", message=_("Enter the task's content."))
    if len(content) > CONTENT_MAX:
        raise PlanError(field="content", message=_("The content is too long."))
    if plan is not None and (plan.unit_id != issuer_unit.pk or plan.year != year):
        raise PlanError(
            field="plan", message=_("The task must belong to the unit's plan of that year.")
        )
    if field is not None and (plan is None or field.plan_id != plan.pk):
        raise PlanError(field="field", message=_("Choose a field of this plan."))
    if recurring:
        deadline = None
    elif deadline is None:
        raise PlanError(
            field="deadline", message=_("Enter a deadline, or mark the task as recurring.")
        )
    elif deadline.year != year:
        raise PlanError(
            field="deadline", message=_("The deadline must fall within the plan's year.")
        )
    milestones = sorted(set(milestones))
    if any(day.year != year for day in milestones):
        raise PlanError(
            field="milestones", message=_("Reporting milestones must fall within the year.")
        )
    if budget is not None and budget < 0:
        raise PlanError(field="budget", message=_("The budget cannot be negative."))
    task = Task.objects.create(
        origin=origin,
        plan=plan,
        field=field,
        issuer_unit=issuer_unit,
        year=year,
        code=code.strip(),
        position=Task.objects.filter(plan=plan, issuer_unit=issuer_unit, year=year).count() + 1,
        content=content,
        lead_unit=lead_unit,
        deadline=deadline,
        recurring=recurring,
        milestones=[day.isoformat() for day in milestones],
        expected_output=(expected_output or "").strip(),
        budget=budget,
        implements=implements,
        par_criteria=[code.strip() for code in par_criteria if code.strip()],
    )
    task.coordinating_units.set([unit for unit in coordinating_units if unit.pk != lead_unit.pk])
    record_event(
        task,
        TaskEvent(action="assigned", unit=issuer_unit.name),
        actor,
        status_before="",
        note=note,
        data={"lead_unit": lead_unit.code, "deadline": deadline.isoformat() if deadline else ""},
    )
    task_changed.publish(task=task)
    return task
