"""The world a committee test starts from: a province, its standing body and a department, the
people who act, and a committee established through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind
from cchc.organisations.tests.factories import PASSWORD, UserFactory
from cchc.plans.models import TaskStatus

from .. import services
from ..models import CommitteeRole

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "quyet-dinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@dataclass
class World:
    province: OrganisationUnit
    home_affairs: OrganisationUnit  # Sở Nội vụ, the standing body
    justice: OrganisationUnit  # Sở Tư pháp
    other: OrganisationUnit  # another province (out of scope)
    reform: object  # reform staff of the province: the committee's secretary
    standing: object  # reform staff of Sở Nội vụ only
    leader: object  # leader of the province
    officer: object  # processing officer of Sở Tư pháp
    auditor: object
    outsider: object  # reform staff of another province
    committee: object = None

    def seats(self):
        return list(self.committee.members.order_by("pk"))


def _person(username: str, name: str, unit, role):
    user = UserFactory(username=username, full_name=name)
    RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


def make_world(*, established: date = date(2025, 3, 1)) -> World:
    province = OrganisationUnit.objects.create(
        code="000.00.00.H98", kind=UnitKind.PROVINCE_COMMITTEE, name="Ủy ban nhân dân tỉnh Thử"
    )
    home_affairs = OrganisationUnit.objects.create(
        code="000.00.10.H98", kind=UnitKind.DEPARTMENT, name="Sở Nội vụ", parent=province
    )
    justice = OrganisationUnit.objects.create(
        code="000.00.15.H98", kind=UnitKind.DEPARTMENT, name="Sở Tư pháp", parent=province
    )
    other = OrganisationUnit.objects.create(
        code="000.00.00.H97", kind=UnitKind.PROVINCE_COMMITTEE, name="Ủy ban nhân dân tỉnh Khác"
    )
    world = World(
        province=province,
        home_affairs=home_affairs,
        justice=justice,
        other=other,
        reform=_person("thuky.bcd", "Bùi Thanh Tâm", province, Role.REFORM_STAFF),
        standing=_person("noivu.bcd", "Phan Thị Lan", home_affairs, Role.REFORM_STAFF),
        leader=_person("lanhdao.tinh", "Trần Quốc Bảo", province, Role.LEADER),
        officer=_person("chuyenvien.tp", "Lê Văn Minh", justice, Role.PROCESSING_OFFICER),
        auditor=_person("kiemtra.bcd", "Ngô Minh Khoa", province, Role.AUDITOR),
        outsider=_person("khac.bcd", "Đặng Văn Khác", other, Role.REFORM_STAFF),
    )
    committee = services.create_committee(
        world.reform,
        unit=province,
        name="Ban Chỉ đạo cải cách hành chính tỉnh Thử",
        standing_unit=home_affairs,
        decision_number="120/QĐ-UBND",
        decision_date=established,
        decision_signer="Nguyễn Văn Chủ tịch",
        decision_file=pdf(),
        rules_number="121/QĐ-BCĐ",
        rules_date=established,
        rules_file=pdf("quy-che.pdf"),
    )
    for name, position, organisation, role, user in (
        ("Nguyễn Văn Chủ tịch", "Chủ tịch", "UBND tỉnh", CommitteeRole.HEAD, None),
        ("Phạm Thị Giám đốc", "Giám đốc", "Sở Nội vụ", CommitteeRole.STANDING_DEPUTY, None),
        ("Đỗ Mạnh Hùng", "Giám đốc", "Sở Tư pháp", CommitteeRole.MEMBER, None),
        ("Bùi Thanh Tâm", "Chuyên viên", "Sở Nội vụ", CommitteeRole.SECRETARY, world.reform),
    ):
        services.add_member(
            world.reform,
            committee.pk,
            name=name,
            position=position,
            organisation=organisation,
            role=role,
            start_on=established,
            user=user,
        )
    committee.refresh_from_db()
    world.committee = committee
    return world


def plan(world, day: date, **options):
    return services.plan_meeting(
        world.reform,
        world.committee.pk,
        date=day,
        place=options.pop("place", "Hội trường UBND tỉnh"),
        online=options.pop("online", False),
        agenda=options.pop("agenda", ["Đánh giá kết quả CCHC quý I", "Nhiệm vụ trọng tâm"]),
    )


def hold(world, meeting, **options):
    return services.hold_meeting(
        options.pop("actor", world.reform),
        meeting.pk,
        absences=options.pop("absences", {}),
        guests=options.pop("guests", "Đại diện Văn phòng UBND tỉnh"),
        minutes=options.pop("minutes", "Biên bản phiên họp"),
        **options,
    )


def conclude(world, meeting, items, **options):
    return services.issue_conclusions(
        options.pop("actor", world.reform),
        meeting.pk,
        notice_number=options.pop("notice_number", "15/TB-BCĐ"),
        notice_date=options.pop("notice_date", meeting.date),
        items=[services.ConclusionInput(*item) for item in items],
        **options,
    )


def mark_done(task, day: date) -> None:
    """The task done on ``day`` (a test shortcut: the progress reports belong to the plans app)."""
    task.status, task.done_on, task.percent = TaskStatus.DONE, day, 100
    task.save(update_fields=["status", "done_on", "percent"])


__all__ = ["PASSWORD", "World", "conclude", "hold", "make_world", "mark_done", "pdf", "plan"]
