"""The transition tables and the services agree: each action is allowed from the statuses the
table lists and from no other (``cchc.workflow.testing.state_accepts``)."""

from datetime import date

import pytest

from cchc.parindex import services
from cchc.parindex.models import Assessment, AssessmentStatus, Round, RoundStatus
from cchc.parindex.transitions import ASSESSMENT_TRANSITIONS, ROUND_TRANSITIONS
from cchc.workflow.testing import state_accepts

from . import factories

clock, world = factories.clock, factories.world  # fixtures
pytestmark = pytest.mark.django_db

ROUND_CALLS = {
    "open": lambda w, r: services.open_round(r.pk, w.reform),
    "start_appraisal": lambda w, r: services.start_appraisal(r.pk, w.reform),
    "decide": lambda w, r: services.decide(r.pk, w.chair, "1/QĐ", date(2026, 1, 12)),
    "publish": lambda w, r: services.publish(r.pk, w.chair),
}


@pytest.mark.parametrize("status", RoundStatus.values)
@pytest.mark.parametrize("action", sorted(ROUND_CALLS))
def test_round_services_follow_the_table(world, status, action):
    round_ = world.draft_round()
    Round.objects.filter(pk=round_.pk).update(status=status)
    expected = status in ROUND_TRANSITIONS.sources(action)
    assert state_accepts(lambda: ROUND_CALLS[action](world, round_)) == expected


ASSESSMENT_CALLS = {
    "score": lambda w, a, leaf: services.score_leaf(leaf.pk, w.officer, value="kip_thoi"),
    "submit": lambda w, a, leaf: services.submit(a.pk, w.leader),
    "reopen": lambda w, a, leaf: services.reopen(a.pk, w.reform, "Lý do"),
    "appraise": lambda w, a, leaf: services.appraise_leaf(leaf.pk, w.chair),
    "answer": lambda w, a, leaf: services.answer_explanation(
        leaf.explanation_requests.get().pk, w.officer, "Trả lời"
    ),
}
PHASE = {  # the round's phase each assessment action belongs to
    "score": RoundStatus.SELF_ASSESSMENT,
    "submit": RoundStatus.SELF_ASSESSMENT,
    "reopen": RoundStatus.SELF_ASSESSMENT,
    "appraise": RoundStatus.APPRAISAL,
    "answer": RoundStatus.APPRAISAL,
}


@pytest.mark.parametrize("status", AssessmentStatus.values)
@pytest.mark.parametrize("action", sorted(ASSESSMENT_CALLS))
def test_assessment_services_follow_the_table(world, status, action):
    round_ = world.appraisal_round()
    leaf = world.leaf(round_, world.justice, "1.1")
    services.request_explanation(leaf.pk, world.chair, "Giải trình")
    Round.objects.filter(pk=round_.pk).update(status=PHASE[action])
    assessment = Assessment.objects.get(round=round_, unit=world.justice)
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    expected = status in ASSESSMENT_TRANSITIONS.sources(action)
    assert state_accepts(lambda: ASSESSMENT_CALLS[action](world, assessment, leaf)) == expected


def test_page_actions_come_from_the_table(world):
    from cchc.parindex import selectors

    round_ = world.open_round()
    assert selectors.round_actions(round_, world.reform) == ["start_appraisal"]
    assert selectors.round_actions(round_, world.leader) == []
    justice = Assessment.objects.get(round=round_, unit=world.justice)
    assert selectors.assessment_actions(justice, world.leader) == ["submit"]
    assert selectors.assessment_actions(justice, world.officer) == []
