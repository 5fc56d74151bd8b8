"""Writes to the catalog that enforce a rule."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
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


@transaction.atomic
def set_workflow(procedure: Procedure, steps: list[dict]) -> list[WorkflowStep]:
    """Replace the internal workflow of ``procedure`` (steps: name, role, hours, unit)."""
    check_workflow_total(
        (Decimal(str(step["hours"])) for step in steps),
        procedure.time_limit_unit,
        procedure.time_limit_amount,
    )
    procedure.workflow_steps.all().delete()
    return WorkflowStep.objects.bulk_create(
        WorkflowStep(
            procedure=procedure,
            order=index,
            name=step["name"],
            role=step["role"],
            hours=Decimal(str(step["hours"])),
            responsible_unit=step.get("unit"),
        )
        for index, step in enumerate(steps)
    )


def preview_due(procedure: Procedure, submitted: datetime | None = None, unit=None) -> Deadline:
    """ "Nộp hôm nay → dự kiến trả kết quả": the due time if submitted at ``submitted`` (now)."""
    submitted = submitted or timezone.now()
    return workdays.compute_deadline(submitted, procedure.time_limit(), unit)
