"""The PAR INDEX figures ``plans.completion`` and ``plans.issued_on_time``, and a "from platform
data" criterion scored from them when a round opens (parindex's computed-criterion path)."""

from datetime import date, datetime
from decimal import Decimal

import time_machine
from django.test import override_settings

from cchc.parindex import services
from cchc.parindex.metrics import metrics
from cchc.parindex.models import CouncilRole, LeafScore, Round
from cchc.plans.models import PlanStatus

from . import progress_world
from .progress_world import VN, make_department_criteria

clock = progress_world.clock  # the fixture
pworld = progress_world.pworld  # the fixture


def test_completion_is_the_plan_as_of_31_12(pworld):
    figure = metrics.get("plans.completion").compute(pworld.justice, 2026)
    # By 31/12 the recurring task is still open and the overdue one too: 26/28.
    assert figure.percent == Decimal("92.86")
    assert (figure.numerator, figure.denominator) == (26, 28)
    assert figure.drilldown_url.startswith("/ke-hoach-cchc/tien-do/?don_vi=000.00.15.H99")
    assert "ngay=31%2F12%2F2026" in figure.drilldown_url


def test_no_plan_no_figure(pworld):
    assert metrics.get("plans.completion").compute(pworld.home, 2026).percent is None
    assert metrics.get("plans.issued_on_time").compute(pworld.home, 2026).percent is None


def test_issued_by_31_12_of_the_previous_year(pworld):
    issued = metrics.get("plans.issued_on_time")
    assert issued.compute(pworld.justice, 2026).percent == Decimal(100)  # 20/12/2025
    assert issued.compute(pworld.building, 2026).percent == Decimal(0)  # 20/01/2026


def test_the_deadline_is_configurable_and_inclusive(pworld):
    issued = metrics.get("plans.issued_on_time")
    with override_settings(CCHC_PLAN_ISSUE_DEADLINE="12-20"):
        assert issued.compute(pworld.justice, 2026).percent == Decimal(100)
        assert issued.compute(pworld.justice, 2026).detail["deadline"] == "2025-12-20"
    with override_settings(CCHC_PLAN_ISSUE_DEADLINE="12-19"):
        assert issued.compute(pworld.justice, 2026).percent == Decimal(0)


def test_a_draft_plan_is_not_issued(pworld):
    pworld.plan.status = PlanStatus.DRAFT
    pworld.plan.save()
    assert metrics.get("plans.issued_on_time").compute(pworld.justice, 2026).percent == 0


def test_computed_criteria_score_issuance_and_completion_when_the_round_opens(pworld):
    criteria_set = make_department_criteria(2026)
    with time_machine.travel(datetime(2027, 1, 10, 9, 0, tzinfo=VN), tick=False):
        round_ = services.create_round(
            pworld.reform,
            services.RoundSetup(
                name="Chỉ số CCHC sở, ban, ngành năm 2026",
                year=2026,
                criteria_set=criteria_set,
                organiser=pworld.province,
                units=[pworld.justice, pworld.building],
                self_assessment_opens=date(2027, 1, 11),
                self_assessment_closes=date(2027, 1, 25),
                appraisal_closes=date(2027, 2, 26),
                explanation_days=5,
                publication_date=date(2027, 3, 10),
                grade_bands="abc",
                survey_scale=Decimal(100),
            ),
        )
        services.set_council_member(round_.pk, pworld.reform, pworld.nobody, CouncilRole.CHAIR)
        services.open_round(round_.pk, pworld.reform)
    round_ = Round.objects.get(pk=round_.pk)

    def leaf(unit, code):
        return LeafScore.objects.get(
            assessment__round=round_, assessment__unit=unit, criterion__code=code
        )

    justice_completion = leaf(pworld.justice, "1.3")
    assert justice_completion.computed_value == Decimal("92.86")
    assert justice_completion.self_score == Decimal("2.00")  # trên 90 %: 2
    assert justice_completion.computed_detail["numerator"] == 26
    assert justice_completion.computed_detail["denominator"] == 28
    assert leaf(pworld.justice, "1.1").self_score == Decimal("1.00")
    building_completion = leaf(pworld.building, "1.3")
    assert building_completion.computed_value == Decimal("25.00")
    assert building_completion.self_score == Decimal("0.00")  # dưới 70 %: 0
    assert leaf(pworld.building, "1.1").self_score == Decimal("0.00")  # issued late
