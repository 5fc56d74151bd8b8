"""Writes to the catalog that enforce a rule."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.workdays import services as workdays
from cchc.workdays.engine import Deadline, Rule

from .models import HOURS_PER_UNIT, SAME_DAY_HOURS, Procedure, WorkflowStep


def legal_hours_for(unit: str, amount: int) -> Decimal:
    rule = Rule(unit)
    if rule == Rule.SAME_DAY:
        return Decimal(SAME_DAY_HOURS)
    return Decimal(amount * HOURS_PER_UNIT[rule])


def check_workflow_total(hours: Iterable[Decimal], unit: str, amount: int) -> None:
    """The internal workflow's budgets must add up to the legal time limit (in working hours).

    Provinces publish internal procedures whose step times sum to the legal limit exactly; a
    workflow that needs more would break the law, one that needs less misstates the limit.
    """
    total = sum(hours, Decimal(0))
    expected = legal_hours_for(unit, amount)
    if total != expected:
        raise ValidationError(
            _(
                "The workflow steps add up to %(total)s working hours but the legal time limit "
                "is %(expected)s working hours."
            )
            % {"total": f"{total.normalize():f}", "expected": f"{expected.normalize():f}"}
        )


class WorkflowInUse(ValidationError):
    """A step cannot be removed while dossiers stand at it."""


def sync_workflow_steps(procedure: Procedure, steps: list[dict]) -> list[WorkflowStep]:
    """Make the procedure's steps equal ``steps`` (name, role, hours, unit), in order.

    Steps are updated in place, so dossiers standing at step N stay at step N (with its new name
    or budget); only surplus steps are deleted, and one that a dossier stands at cannot be.
    """
    existing = list(procedure.workflow_steps.order_by("order", "id"))
    result = []
    for index, data in enumerate(steps):
        step = existing[index] if index < len(existing) else WorkflowStep(procedure=procedure)
        step.order = index
        step.name = data["name"]
        step.role = data["role"]
        step.hours = Decimal(str(data["hours"]))
        step.responsible_unit = data.get("unit")
        step.save()
        result.append(step)
    for step in existing[len(steps) :]:
        try:
            step.delete()
        except ProtectedError:
            raise WorkflowInUse(
                _("Step “%(step)s” cannot be removed: dossiers are being processed at it.")
                % {"step": step.name}
            ) from None
    return result


@transaction.atomic
def set_workflow(procedure: Procedure, steps: list[dict]) -> list[WorkflowStep]:
    """Replace the internal workflow of ``procedure`` (steps: name, role, hours, unit)."""
    check_workflow_total(
        (Decimal(str(step["hours"])) for step in steps),
        procedure.time_limit_unit,
        procedure.time_limit_amount,
    )
    return sync_workflow_steps(procedure, steps)


def preview_due(procedure: Procedure, submitted: datetime | None = None, unit=None) -> Deadline:
    """ "Nộp hôm nay → dự kiến trả kết quả": the due time if submitted at ``submitted`` (now)."""
    submitted = submitted or timezone.now()
    return workdays.compute_deadline(submitted, procedure.time_limit(), unit)
