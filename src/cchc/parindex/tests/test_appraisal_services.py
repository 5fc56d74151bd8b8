"""The appraisal through its services: the council accepts or adjusts with a reason, a member
only in the assigned fields, explanations answered once before the decision, decision and
publication; every change recorded (from, to, why) in the sealed history."""

from datetime import date
from decimal import Decimal

import pytest

from cchc.history import registry
from cchc.history.services import verify_owner
from cchc.parindex import services
from cchc.parindex.errors import ActionForbidden, ParIndexError, TransitionNotAllowed
from cchc.parindex.events import assessment_changed
from cchc.parindex.models import (
    AppraisalState,
    Assessment,
    AssessmentEvent,
    LeafScore,
    Round,
    RoundStatus,
)

from . import factories

clock, world = factories.clock, factories.world  # fixtures

pytestmark = pytest.mark.django_db


def _assessment(round_, unit) -> Assessment:
    return Assessment.objects.get(round=round_, unit=unit)


def _verify(owner):
    spec = registry.get(
        "parindex-assessments" if isinstance(owner, Assessment) else "parindex-rounds"
    )
    return verify_owner(spec, owner)


# -- appraisal ------------------------------------------------------------------------------------
def test_appraise_accept_or_adjust_with_a_reason(world):
    round_ = world.appraisal_round()
    leaf = world.leaf(round_, world.justice, "1.2")
    with pytest.raises(ParIndexError) as caught:
        services.appraise_leaf(leaf.pk, world.member, accept=False, score="1")
    assert caught.value.field == "reason"
    with pytest.raises(ParIndexError) as caught:
        services.appraise_leaf(leaf.pk, world.member, accept=False, score="4", reason="x")
    assert caught.value.field == "score"
    leaf = services.appraise_leaf(
        leaf.pk, world.member, accept=False, score="1,5", reason="Kế hoạch đạt 85%"
    )
    assert leaf.appraisal_state == AppraisalState.ADJUSTED
    assert (leaf.self_score, leaf.appraised_score) == (Decimal("3.00"), Decimal("1.50"))
    accepted = services.appraise_leaf(world.leaf(round_, world.justice, "1.1").pk, world.member)
    assert accepted.appraised_score == accepted.self_score == Decimal("2.00")
    event = AssessmentEvent.objects.get(action="appraised", criterion_code="1.2")
    assert event.data == {
        "from": None,
        "to": "1.50",
        "reason": "Kế hoạch đạt 85%",
        "self_score": "3.00",
        "state": "adjusted",
    }
    assert event.actor == world.member
    assert _verify(_assessment(round_, world.justice)) is None


def test_a_member_appraises_only_assigned_fields(world):
    round_ = world.appraisal_round()
    field_two = world.leaf(round_, world.justice, "2.1")
    with pytest.raises(ActionForbidden):
        services.appraise_leaf(field_two.pk, world.member)
    with pytest.raises(ActionForbidden):
        services.request_explanation(field_two.pk, world.member, "Vì sao?")
    with pytest.raises(ActionForbidden):
        services.appraise_leaf(field_two.pk, world.leader)
    services.appraise_leaf(field_two.pk, world.secretary)  # the secretary sees every field
    with pytest.raises(ParIndexError):
        services.appraise_leaf(world.leaf(round_, world.justice, "2.2").pk, world.chair)


def test_appraisal_only_during_the_appraisal(world):
    round_ = world.submitted_round()
    with pytest.raises(TransitionNotAllowed):
        services.appraise_leaf(world.leaf(round_, world.justice, "1.1").pk, world.chair)


def test_explanation_is_answered_once_before_the_decision(world):
    round_ = world.appraisal_round()
    leaf = world.leaf(round_, world.justice, "1.2")
    request = services.request_explanation(leaf.pk, world.member, "Cung cấp báo cáo kết quả")
    assert request.due_on == date(2026, 1, 19)  # 5 working days after Monday 12/01/2026
    with pytest.raises(ParIndexError):
        services.request_explanation(leaf.pk, world.member, "Lần hai")
    with pytest.raises(ActionForbidden):
        services.answer_explanation(request.pk, world.building_officer, "x")
    with pytest.raises(ParIndexError) as caught:
        services.answer_explanation(request.pk, world.officer, " ")
    assert caught.value.field == "answer"
    answered = services.answer_explanation(request.pk, world.officer, "Đính kèm báo cáo số 5")
    assert answered.answered_by == world.officer
    with pytest.raises(TransitionNotAllowed):
        services.answer_explanation(request.pk, world.leader, "Lần nữa")
    second = services.request_explanation(leaf.pk, world.chair, "Bổ sung")
    services.decide(round_.pk, world.chair, "15/QĐ-HĐTĐ", date(2026, 1, 12))
    with pytest.raises(TransitionNotAllowed):
        services.answer_explanation(second.pk, world.officer, "Muộn")


def test_decide_accepts_pending_leaves_and_publish(world):
    round_ = world.appraisal_round()
    services.appraise_leaf(
        world.leaf(round_, world.justice, "1.2").pk,
        world.member,
        accept=False,
        score="0",
        reason="Không có tài liệu",
    )
    with pytest.raises(ActionForbidden):
        services.decide(round_.pk, world.member, "15/QĐ", date(2026, 1, 12))
    with pytest.raises(ParIndexError) as caught:
        services.decide(round_.pk, world.chair, "", date(2026, 1, 12))
    assert caught.value.field == "decision_number"
    with pytest.raises(ParIndexError) as caught:
        services.decide(round_.pk, world.chair, "15/QĐ", date(2026, 2, 1))
    assert caught.value.field == "decision_date"
    round_ = services.decide(round_.pk, world.secretary, "15/QĐ-HĐTĐ", date(2026, 1, 12))
    assert round_.status == RoundStatus.DECIDED
    leaves = LeafScore.objects.filter(assessment__round=round_).exclude(criterion__method="survey")
    assert not leaves.filter(appraisal_state=AppraisalState.PENDING).exists()
    assert leaves.get(assessment__unit=world.justice, criterion__code="1.2").appraised_score == 0
    accepted = AssessmentEvent.objects.filter(action="appraised", note__contains="tự chấm")
    assert accepted.count() == 2 * 5 - 1
    with pytest.raises(ActionForbidden):
        services.publish(round_.pk, world.leader)
    with assessment_changed.observe() as seen:
        round_ = services.publish(round_.pk, world.chair)
    assert round_.status == RoundStatus.PUBLISHED and round_.published_at
    assert {a.status for a in Assessment.objects.filter(round=round_)} == {"published"}
    assert [payload["action"] for payload in seen] == ["published", "published"]
    for assessment in Assessment.objects.filter(round=round_):
        assert _verify(assessment) is None
    assert _verify(Round.objects.get(pk=round_.pk)) is None


def test_an_edited_reason_breaks_the_chain(world):
    """The appraised score's why cannot be rewritten afterwards: the sealed chain finds it."""
    round_ = world.appraisal_round()
    services.appraise_leaf(
        world.leaf(round_, world.justice, "1.2").pk,
        world.member,
        accept=False,
        score="1",
        reason="Thiếu báo cáo quý IV",
    )
    assessment = _assessment(round_, world.justice)
    assert _verify(assessment) is None
    event = AssessmentEvent.objects.get(action="appraised", criterion_code="1.2")
    AssessmentEvent.objects.filter(pk=event.pk).update(data={**event.data, "reason": "Khác"})
    problem = _verify(assessment)
    assert problem is not None and problem.sequence == event.sequence
