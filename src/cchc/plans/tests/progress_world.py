"""The world of the reading-side tests: a province, Sở Tư pháp with its yearly plan of 2026 (7
fields, 28 tasks: 24 done on time, 2 done late, 1 overdue, 1 recurring still open: 26/28 done,
the seeds' figure), Sở Xây dựng with a weaker plan, and the people who read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind
from cchc.organisations.tests.factories import PASSWORD, UserFactory
from cchc.parindex.models import CriteriaSet, Criterion
from cchc.plans.models import Plan, Task, TaskStatus

from .factories import PlanFactory, PlanFieldFactory, TaskFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
YEAR = 2026
TODAY = date(2026, 10, 15)
NOW = datetime(2026, 10, 15, 9, 0, tzinfo=VN)
BANDS_90_70 = {
    "bands": [
        {"above": "90", "inclusive": False, "points": "2"},
        {"above": "70", "inclusive": True, "points": "1"},
        {"above": None, "points": "0"},
    ]
}


def person(username: str, role: str | None = None, unit: OrganisationUnit | None = None):
    user = UserFactory(username=username, full_name=username.replace(".", " ").title())
    if role is not None:
        RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


@dataclass
class ProgressWorld:
    province: OrganisationUnit
    home: OrganisationUnit
    justice: OrganisationUnit
    building: OrganisationUnit
    plan: Plan
    building_plan: Plan
    overdue: Task  # the justice task past its deadline
    recurring: Task  # the justice recurring task still open
    late: list  # the two justice tasks done late
    reform: object  # reform staff of the province
    leader: object  # leader of Sở Tư pháp
    officer: object  # processing officer of Sở Tư pháp
    building_leader: object
    nobody: object  # signed in, no role


def make_progress_world() -> ProgressWorld:
    province = OrganisationUnit.objects.create(
        kind=UnitKind.PROVINCE_COMMITTEE, name="UBND tỉnh An Bình", code="000.00.00.H99"
    )
    home = OrganisationUnit.objects.create(
        kind=UnitKind.DEPARTMENT, name="Sở Nội vụ", code="000.00.10.H99", parent=province
    )
    justice = OrganisationUnit.objects.create(
        kind=UnitKind.DEPARTMENT, name="Sở Tư pháp", code="000.00.15.H99", parent=province
    )
    building = OrganisationUnit.objects.create(
        kind=UnitKind.DEPARTMENT, name="Sở Xây dựng", code="000.00.20.H99", parent=province
    )
    plan = PlanFactory(
        unit=justice,
        year=YEAR,
        title="Kế hoạch CCHC năm 2026 của Sở Tư pháp",
        issued_on=date(2025, 12, 20),
    )
    fields = [PlanFieldFactory(plan=plan, position=n, name=f"Lĩnh vực {n}") for n in range(1, 8)]
    tasks = []
    for index in range(28):
        tasks.append(
            TaskFactory(
                plan=plan,
                field=fields[index // 4],
                code=f"{index // 4 + 1}.{index % 4 + 1}",
                position=index,
                content=f"Nhiệm vụ {index + 1} của Sở Tư pháp",
                deadline=date(YEAR, 6, 30),
                status=TaskStatus.DONE,
                percent=100,
                done_on=date(YEAR, 6, 20),
                par_criteria=["1.2"] if index < 4 else [],
            )
        )
    late = tasks[4:6]
    for task in late:
        task.done_on = date(YEAR, 7, 10)
        task.save()
    overdue = tasks[26]
    overdue.content = "Rà soát thủ tục hành chính lĩnh vực hộ tịch"
    overdue.deadline = date(YEAR, 9, 30)
    overdue.status, overdue.percent, overdue.done_on = TaskStatus.IN_PROGRESS, 60, None
    overdue.par_criteria = ["1.2"]
    overdue.save()
    recurring = tasks[27]
    recurring.deadline, recurring.recurring = None, True
    recurring.status, recurring.percent, recurring.done_on = TaskStatus.IN_PROGRESS, 50, None
    recurring.save()
    building_plan = PlanFactory(unit=building, year=YEAR, issued_on=date(2026, 1, 20))
    building_field = PlanFieldFactory(plan=building_plan, position=1, name="Chỉ đạo, điều hành")
    for index in range(4):
        TaskFactory(
            plan=building_plan,
            field=building_field,
            code=f"1.{index + 1}",
            position=index,
            content=f"Nhiệm vụ {index + 1} của Sở Xây dựng",
            deadline=date(YEAR, 3, 31),
            status=TaskStatus.DONE if index == 0 else TaskStatus.NOT_STARTED,
            done_on=date(YEAR, 3, 1) if index == 0 else None,
        )
    return ProgressWorld(
        province=province,
        home=home,
        justice=justice,
        building=building,
        plan=plan,
        building_plan=building_plan,
        overdue=overdue,
        recurring=recurring,
        late=late,
        reform=person("cchc.noivu", Role.REFORM_STAFF, province),
        leader=person("lanhdao.tuphap", Role.LEADER, justice),
        officer=person("chuyenvien.tuphap", Role.PROCESSING_OFFICER, justice),
        building_leader=person("lanhdao.xaydung", Role.LEADER, building),
        nobody=person("khong.vai.tro"),
    )


def make_department_criteria(year: int = YEAR) -> CriteriaSet:
    """A department criteria set whose field 1 scores plan issuance and completion from the
    platform's figures, and a self-scored band criterion linked to tasks."""
    criteria_set = CriteriaSet.objects.create(
        name=f"Bộ tiêu chí sở, ban, ngành {year}",
        year=year,
        level="department",
        declared_total=Decimal(7),
    )
    first = Criterion.objects.create(
        criteria_set=criteria_set,
        position=1,
        code="1",
        name="Chỉ đạo, điều hành",
        max_points=Decimal(7),
    )
    Criterion.objects.create(
        criteria_set=criteria_set,
        parent=first,
        position=2,
        code="1.1",
        name="Ban hành kế hoạch CCHC năm kịp thời",
        max_points=Decimal(1),
        method="computed",
        method_spec={
            "metric": "plans.issued_on_time",
            "bands": [
                {"above": "99", "inclusive": False, "points": "1"},
                {"above": None, "points": "0"},
            ],
        },
    )
    Criterion.objects.create(
        criteria_set=criteria_set,
        parent=first,
        position=3,
        code="1.2",
        name="Mức độ thực hiện các nhiệm vụ nhóm 1",
        max_points=Decimal(2),
        method="bands",
        method_spec=BANDS_90_70,
    )
    Criterion.objects.create(
        criteria_set=criteria_set,
        parent=first,
        position=4,
        code="1.3",
        name="Mức độ hoàn thành kế hoạch CCHC",
        max_points=Decimal(2),
        method="computed",
        method_spec={"metric": "plans.completion", **BANDS_90_70},
    )
    Criterion.objects.create(
        criteria_set=criteria_set,
        parent=first,
        position=5,
        code="1.4",
        name="Tổ chức đối thoại",
        max_points=Decimal(2),
        method="number",
        method_spec={},
    )
    return criteria_set


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def pworld(db, clock):
    return make_progress_world()


__all__ = ["PASSWORD", "ProgressWorld", "make_department_criteria", "make_progress_world"]
