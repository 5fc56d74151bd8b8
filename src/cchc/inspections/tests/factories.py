"""Test data: a province with Sở Nội vụ and two departments, a criteria set, a plan, a team and
an inspection at any stage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from cchc.inspections import services
from cchc.inspections.models import Inspection, InspectionPlan, InspectionTeam, TeamRole
from cchc.organisations.models import OrganisationUnit, Role, UnitKind
from cchc.parindex.metrics import Figure, Metric
from cchc.parindex.tests.factories import make_criteria_set, user

VN = ZoneInfo("Asia/Ho_Chi_Minh")
YEAR = 2025
INSPECTED = datetime(2025, 11, 20, 9, 0, tzinfo=VN)
CONCLUDED = date(2025, 11, 28)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def fake_metric(percent="87.50", numerator=175, denominator=200) -> Metric:
    return Metric(
        key="test.inspection_figure",
        label="Chỉ số thử nghiệm",
        compute=lambda unit, year: Figure(
            percent=Decimal(percent), numerator=numerator, denominator=denominator
        ),
    )


@dataclass
class World:
    province: OrganisationUnit
    home_affairs: OrganisationUnit
    justice: OrganisationUnit
    building: OrganisationUnit
    reform: object
    head: object
    member: object
    secretary: object
    justice_officer: object
    justice_leader: object
    building_officer: object
    outsider: object
    plan: InspectionPlan
    team: InspectionTeam

    def plan_inspection(self, target=None, **options) -> Inspection:
        options.setdefault("field_codes", ["1", "2"])
        with time_machine.travel(datetime(2025, 3, 1, 9, 0, tzinfo=VN), tick=False):
            return services.plan_inspection(
                self.plan,
                self.reform,
                target or self.justice,
                date(2025, 11, 20),
                date(2025, 11, 21),
                team=self.team,
                **options,
            )

    def in_progress(self) -> Inspection:
        from cchc.parindex.metrics import metrics

        inspection = self.plan_inspection()
        with (
            time_machine.travel(INSPECTED, tick=False),
            metrics.temporarily(fake_metric()),
        ):
            services.start(inspection.pk, self.secretary)
        return Inspection.objects.get(pk=inspection.pk)

    def record_closed(self) -> Inspection:
        inspection = self.in_progress()
        with time_machine.travel(INSPECTED, tick=False):
            services.save_checklist(
                inspection.pk,
                self.secretary,
                {"1": ("ok", "Ban hành kế hoạch đúng hạn"), "2": ("not_ok", "Tỷ lệ trễ hạn cao")},
            )
            services.add_finding(
                inspection.pk, self.secretary, "strength", "Ban hành kế hoạch CCHC kịp thời"
            )
            services.add_finding(
                inspection.pk,
                self.secretary,
                "weakness",
                "Còn hồ sơ giải quyết trễ hạn",
                ["2.1"],
            )
            services.add_finding(inspection.pk, self.secretary, "cause", "Thiếu công chức")
            services.add_recommendation(
                inspection.pk, self.secretary, "Rà soát hồ sơ trễ hạn", self.justice
            )
            services.add_recommendation(
                inspection.pk,
                self.secretary,
                "Cập nhật phần mềm một cửa",
                self.justice,
                date(2025, 12, 31),
            )
            services.close_record(inspection.pk, self.secretary)
        return Inspection.objects.get(pk=inspection.pk)

    def concluded(self, issued_on=CONCLUDED) -> Inspection:
        inspection = self.record_closed()
        moment = datetime.combine(issued_on, datetime.min.time(), VN).replace(hour=10)
        with time_machine.travel(moment, tick=False):
            services.conclude(inspection.pk, self.head, "15/TB-ĐKT", issued_on, "Hoàng Văn Thành")
        return Inspection.objects.get(pk=inspection.pk)


def make_world() -> World:
    province = OrganisationUnit.objects.create(
        name="UBND tỉnh An Bình", code="000.00.00.H99", kind=UnitKind.PROVINCE_COMMITTEE
    )
    home = OrganisationUnit.objects.create(
        name="Sở Nội vụ", code="000.00.10.H99", kind=UnitKind.DEPARTMENT, parent=province
    )
    justice = OrganisationUnit.objects.create(
        name="Sở Tư pháp", code="000.00.15.H99", kind=UnitKind.DEPARTMENT, parent=province
    )
    building = OrganisationUnit.objects.create(
        name="Sở Xây dựng", code="000.00.16.H99", kind=UnitKind.DEPARTMENT, parent=province
    )
    make_criteria_set(YEAR, "department")
    reform = user("cchc.noivu", Role.REFORM_STAFF, province)
    head = user("truong.doan", Role.LEADER, home)
    member = user("thanh.vien", Role.PROCESSING_OFFICER, home)
    secretary = user("thu.ky", Role.PROCESSING_OFFICER, home)
    with time_machine.travel(datetime(2025, 2, 10, 9, 0, tzinfo=VN), tick=False):
        plan = services.create_plan(
            reform, province, YEAR, "Kế hoạch kiểm tra CCHC năm 2025", document_number="25/KH-UBND"
        )
        team = services.create_team(
            plan,
            reform,
            "Đoàn kiểm tra CCHC số 1",
            [(head, TeamRole.HEAD), (member, TeamRole.MEMBER), (secretary, TeamRole.SECRETARY)],
            decision_number="432/QĐ-UBND",
            decision_date=date(2025, 2, 10),
        )
    return World(
        province=province,
        home_affairs=home,
        justice=justice,
        building=building,
        reform=reform,
        head=head,
        member=member,
        secretary=secretary,
        justice_officer=user("chuyenvien.tuphap", Role.PROCESSING_OFFICER, justice),
        justice_leader=user("lanhdao.tuphap", Role.LEADER, justice),
        building_officer=user("chuyenvien.xaydung", Role.PROCESSING_OFFICER, building),
        outsider=user("nguoi.ngoai", Role.PROCESSING_OFFICER, home),
        plan=plan,
        team=team,
    )
