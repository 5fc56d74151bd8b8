"""Test data of the PAR INDEX workflow: a small criteria set, a province's units and people, a
round at any stage. Fixtures are defined here and imported by the test modules that use them.

The set (100 points) has one leaf of each method::

    1   Chỉ đạo, điều hành (10)
      1.1  levels     2   kịp thời 2 / không kịp thời 1 / không ban hành 0
      1.2  bands      3   > 90%: 3; 70–90%: 1,5; below: 0
      1.3  number     2   may be not applicable
      1.4  deduction  3   nhẹ −50% / nặng −100%
    2   Tác động (90)
      2.1  computed   5   figure "test.on_time", bands as 1.2 scaled
      2.2  survey    85
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind
from cchc.organisations.tests.factories import PASSWORD, UserFactory
from cchc.parindex import services
from cchc.parindex.metrics import Figure, Metric, metrics
from cchc.parindex.models import CouncilRole, CriteriaSet, Criterion, LeafScore, Round

VN = ZoneInfo("Asia/Ho_Chi_Minh")
YEAR = 2025
NOW = datetime(2026, 1, 12, 9, 0, tzinfo=VN)  # a Monday in the self-assessment window
METRIC_KEY = "test.on_time"

LEVELS_SPEC = {
    "levels": [
        {"key": "kip_thoi", "label": "Ban hành kịp thời", "points": "2"},
        {"key": "khong_kip_thoi", "label": "Ban hành không kịp thời", "points": "1"},
        {"key": "khong", "label": "Không ban hành", "points": "0"},
    ]
}
BANDS_SPEC = {
    "bands": [
        {"above": "90", "inclusive": False, "points": "3"},
        {"above": "70", "inclusive": True, "points": "1.5"},
        {"above": None, "points": "0"},
    ]
}
DEDUCTION_SPEC = {
    "deductions": [
        {"key": "khong", "label": "Không vi phạm", "percent": "0"},
        {"key": "nhe", "label": "Vi phạm nhẹ", "percent": "50"},
        {"key": "nang", "label": "Vi phạm nghiêm trọng", "percent": "100"},
    ]
}
COMPUTED_SPEC = {
    "metric": METRIC_KEY,
    "bands": [
        {"above": "90", "inclusive": False, "points": "5"},
        {"above": "70", "inclusive": True, "points": "2.5"},
        {"above": None, "points": "0"},
    ],
}


def make_criteria_set(year: int = YEAR, level: str = "department") -> CriteriaSet:
    criteria_set = CriteriaSet.objects.create(
        name=f"Bộ tiêu chí sở, ban, ngành {year} (mẫu)", year=year, level=level, is_sample=True
    )
    position = iter(range(1, 100))

    def node(code, name, points, parent=None, **leaf):
        return Criterion.objects.create(
            criteria_set=criteria_set,
            parent=parent,
            position=next(position),
            code=code,
            name=name,
            max_points=Decimal(points),
            **leaf,
        )

    first = node("1", "Công tác chỉ đạo, điều hành CCHC", "10")
    node(
        "1.1",
        "Ban hành kế hoạch CCHC năm",
        "2",
        first,
        method="levels",
        method_spec=LEVELS_SPEC,
        evidence_required="Kế hoạch CCHC năm",
    )
    node("1.2", "Mức độ hoàn thành kế hoạch", "3", first, method="bands", method_spec=BANDS_SPEC)
    node(
        "1.3",
        "Tổ chức đối thoại",
        "2",
        first,
        method="number",
        method_spec={},
        may_be_not_applicable=True,
    )
    node(
        "1.4",
        "Chấp hành kỷ luật báo cáo",
        "3",
        first,
        method="deduction",
        method_spec=DEDUCTION_SPEC,
    )
    second = node("2", "Tác động của CCHC", "90")
    node(
        "2.1",
        "Tỷ lệ hồ sơ giải quyết đúng hạn",
        "5",
        second,
        method="computed",
        method_spec=COMPUTED_SPEC,
    )
    node("2.2", "Sự hài lòng của người dân", "85", second, method="survey", method_spec={})
    return criteria_set


def on_time_metric(percent="95.5", numerator=191, denominator=200) -> Metric:
    return Metric(
        key=METRIC_KEY,
        label="Tỷ lệ đúng hạn (thử)",
        compute=lambda unit, year: Figure(
            percent=None if percent is None else Decimal(percent),
            numerator=numerator,
            denominator=denominator,
            drilldown_url=f"/ho-so/?don_vi={unit.code}&nam={year}",
        ),
    )


def user(username: str, role: str | None = None, unit: OrganisationUnit | None = None):
    person = UserFactory(username=username, full_name=username.replace(".", " ").title())
    if role is not None:
        RoleAssignment.objects.create(user=person, unit=unit, role=role)
    return person


@dataclass
class World:
    """A province, its home affairs department (the organiser), two assessed departments (one
    with an office), and the people of each role."""

    province: OrganisationUnit
    organiser: OrganisationUnit
    justice: OrganisationUnit
    justice_office: OrganisationUnit
    building: OrganisationUnit
    reform: object  # reform staff of the organiser
    leader: object  # leader of justice
    officer: object  # processing officer of justice
    office_officer: object  # processing officer of justice's office only
    building_officer: object
    building_leader: object
    chair: object
    secretary: object
    member: object  # assigned field 1 only
    criteria_set: CriteriaSet
    extra: dict = field(default_factory=dict)

    def setup(self, **changes) -> services.RoundSetup:
        values = {
            "name": f"Chỉ số CCHC sở, ban, ngành năm {YEAR}",
            "year": YEAR,
            "criteria_set": self.criteria_set,
            "organiser": self.organiser,
            "units": [self.justice, self.building],
            "self_assessment_opens": date(2026, 1, 5),
            "self_assessment_closes": date(2026, 1, 20),
            "appraisal_closes": date(2026, 2, 27),
            "explanation_days": 5,
            "publication_date": date(2026, 3, 10),
            "grade_bands": "abc",
            "survey_scale": Decimal(100),
        }
        values.update(changes)
        return services.RoundSetup(**values)

    def draft_round(self) -> Round:
        round_ = services.create_round(self.reform, self.setup())
        first = self.criteria_set.criteria.get(code="1")
        services.set_council_member(round_.pk, self.reform, self.chair, CouncilRole.CHAIR)
        services.set_council_member(round_.pk, self.reform, self.secretary, CouncilRole.SECRETARY)
        services.set_council_member(
            round_.pk, self.reform, self.member, CouncilRole.MEMBER, [first]
        )
        return Round.objects.get(pk=round_.pk)

    def open_round(self) -> Round:
        round_ = self.draft_round()
        with metrics.temporarily(on_time_metric()):
            services.open_round(round_.pk, self.reform)
        return Round.objects.get(pk=round_.pk)

    def leaf(self, round_: Round, unit: OrganisationUnit, code: str) -> LeafScore:
        return LeafScore.objects.select_related("criterion", "assessment").get(
            assessment__round=round_, assessment__unit=unit, criterion__code=code
        )

    def fill(self, round_: Round, unit: OrganisationUnit, actor) -> None:
        """Score every self-scored leaf of ``unit`` with an explanation, ready to submit."""
        values = {"1.1": "kip_thoi", "1.2": "92", "1.3": "1.5", "1.4": "nhe"}
        for code, value in values.items():
            services.score_leaf(
                self.leaf(round_, unit, code).pk,
                actor,
                value=value,
                explanation=f"Giải trình tiêu chí {code}",
            )

    def submitted_round(self) -> Round:
        round_ = self.open_round()
        self.fill(round_, self.justice, self.officer)
        self.fill(round_, self.building, self.building_officer)
        services.submit(round_.assessments.get(unit=self.justice).pk, self.leader)
        services.submit(round_.assessments.get(unit=self.building).pk, self.building_leader)
        return Round.objects.get(pk=round_.pk)

    def appraisal_round(self) -> Round:
        round_ = self.submitted_round()
        services.start_appraisal(round_.pk, self.reform)
        return Round.objects.get(pk=round_.pk)


def make_world() -> World:
    province = OrganisationUnit.objects.create(
        kind=UnitKind.PROVINCE_COMMITTEE, name="UBND tỉnh An Bình", code="000.00.00.H99"
    )
    organiser = OrganisationUnit.objects.create(
        kind=UnitKind.DEPARTMENT, name="Sở Nội vụ", code="000.00.10.H99", parent=province
    )
    justice = OrganisationUnit.objects.create(
        kind=UnitKind.DEPARTMENT, name="Sở Tư pháp", code="000.00.15.H99", parent=province
    )
    justice_office = OrganisationUnit.objects.create(
        kind=UnitKind.DIVISION,
        name="Văn phòng Sở Tư pháp",
        code="000.01.15.H99",
        parent=justice,
    )
    building = OrganisationUnit.objects.create(
        kind=UnitKind.DEPARTMENT, name="Sở Xây dựng", code="000.00.20.H99", parent=province
    )
    return World(
        province=province,
        organiser=organiser,
        justice=justice,
        justice_office=justice_office,
        building=building,
        reform=user("cchc.noivu", Role.REFORM_STAFF, organiser),
        leader=user("lanhdao.tuphap", Role.LEADER, justice),
        officer=user("chuyenvien.tuphap", Role.PROCESSING_OFFICER, justice),
        office_officer=user("vanphong.tuphap", Role.ONE_STOP_OFFICER, justice_office),
        building_officer=user("chuyenvien.xaydung", Role.PROCESSING_OFFICER, building),
        building_leader=user("lanhdao.xaydung", Role.LEADER, building),
        chair=user("chutich.hoidong"),
        secretary=user("thuky.hoidong"),
        member=user("thanhvien.hoidong"),
        criteria_set=make_criteria_set(),
    )


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db, clock):
    return make_world()


__all__ = ["PASSWORD", "World", "clock", "make_criteria_set", "make_world", "world"]
