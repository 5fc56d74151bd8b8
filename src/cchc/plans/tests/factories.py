"""factory_boy factories of plans, fields and tasks (plain rows: the services' rules are tested
through the services; these build the world a test starts from)."""

from datetime import date

import factory
from factory.django import DjangoModelFactory

from cchc.organisations.tests.factories import OrganisationUnitFactory
from cchc.plans.models import Plan, PlanField, PlanStatus, Task, TaskOrigin, TaskStatus


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    unit = factory.SubFactory(OrganisationUnitFactory)
    year = 2026
    title = factory.LazyAttribute(lambda plan: f"Kế hoạch CCHC năm {plan.year}")
    status = PlanStatus.ISSUED
    document_number = factory.Sequence(lambda n: f"{n}/KH-UBND")
    issued_on = factory.LazyAttribute(lambda plan: date(plan.year - 1, 12, 28))
    signer = "Nguyễn Văn Ký"


class PlanFieldFactory(DjangoModelFactory):
    class Meta:
        model = PlanField

    plan = factory.SubFactory(PlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Lĩnh vực {n + 1}")


class TaskFactory(DjangoModelFactory):
    class Meta:
        model = Task

    origin = TaskOrigin.PLAN
    plan = factory.SubFactory(PlanFactory)
    field = factory.LazyAttribute(lambda task: PlanFieldFactory(plan=task.plan))
    issuer_unit = factory.LazyAttribute(lambda task: task.plan.unit)
    year = factory.LazyAttribute(lambda task: task.plan.year)
    code = factory.Sequence(lambda n: f"1.{n + 1}")
    content = factory.Sequence(lambda n: f"Nhiệm vụ thử nghiệm {n + 1}")
    lead_unit = factory.LazyAttribute(lambda task: task.plan.unit)
    deadline = factory.LazyAttribute(lambda task: date(task.year, 6, 30))
    expected_output = "Báo cáo kết quả thực hiện"
    status = TaskStatus.NOT_STARTED
