"""A small province for the plans' tests: UBND tỉnh with Sở Tư pháp under it and a division
under the Sở, the people who act in them, and helpers that build plans through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.organisations.models import Role, UnitKind
from cchc.organisations.tests.factories import (
    OrganisationUnitFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from cchc.plans import services
from cchc.plans.models import Plan

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "ke-hoach.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def at(day: date, hour: int = 9):
    """The clock at ``day`` (Vietnam time), standing still."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False)


def person(unit, role, **extra):
    user = UserFactory(**extra)
    RoleAssignmentFactory(user=user, unit=unit, role=role)
    return user


@dataclass
class World:
    province: object
    justice: object
    division: object
    other: object
    noivu: object  # reform staff of the province
    leader: object  # leader of Sở Tư pháp
    officer: object  # processing officer of Sở Tư pháp (reports progress)
    other_officer: object  # processing officer of another department
    auditor: object

    def province_plan(self, year=2026, issue=True, tasks=1) -> Plan:
        plan = services.create_plan(self.noivu, unit=self.province, year=year)
        for number in range(tasks):
            self.task(plan, self.noivu, content=f"Nhiệm vụ tỉnh {number + 1}", lead=self.justice)
        if issue:
            self.issue(plan, self.noivu)
        return plan

    def justice_plan(self, year=2026, issue=True, tasks=2, parent=None) -> Plan:
        plan = services.create_plan(self.leader, unit=self.justice, year=year, parent=parent)
        for number in range(tasks):
            self.task(plan, self.leader, content=f"Nhiệm vụ Sở {number + 1}")
        if issue:
            self.issue(plan, self.leader)
        return plan

    def task(self, plan, actor, *, content="Nhiệm vụ", lead=None, deadline=None, **extra):
        field = extra.pop("field", None) or plan.fields.order_by("position").first()
        recurring = extra.pop("recurring", False)
        return services.add_task(
            actor,
            issuer_unit=plan.unit,
            year=plan.year,
            plan=plan,
            field=field,
            content=content,
            lead_unit=lead or plan.unit,
            deadline=None if recurring else (deadline or date(plan.year, 6, 30)),
            recurring=recurring,
            expected_output="Báo cáo kết quả",
            **extra,
        )

    def issue(self, plan, actor):
        return services.issue_plan(
            plan.pk,
            actor,
            document_number=f"{plan.pk}/KH-UBND",
            issued_on=date(plan.year - 1, 12, 20),
            signer="Nguyễn Văn Ký",
            upload=pdf(),
        )


def make_world() -> World:
    province = OrganisationUnitFactory(
        code="000.00.00.H99", name="UBND tỉnh An Bình", kind=UnitKind.PROVINCE_COMMITTEE
    )
    justice = OrganisationUnitFactory(code="000.00.15.H99", name="Sở Tư pháp", parent=province)
    division = OrganisationUnitFactory(
        code="000.15.01.H99",
        name="Phòng Hành chính tư pháp",
        kind=UnitKind.DIVISION,
        parent=justice,
    )
    other = OrganisationUnitFactory(code="000.00.16.H99", name="Sở Tài chính", parent=province)
    return World(
        province=province,
        justice=justice,
        division=division,
        other=other,
        noivu=person(province, Role.REFORM_STAFF, full_name="Bùi Thanh Tâm"),
        leader=person(justice, Role.LEADER, full_name="Đỗ Mạnh Hùng"),
        officer=person(justice, Role.PROCESSING_OFFICER, full_name="Phạm Thu Hà"),
        other_officer=person(other, Role.PROCESSING_OFFICER),
        auditor=person(province, Role.AUDITOR),
    )
