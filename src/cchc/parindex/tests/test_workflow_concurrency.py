"""Two people act at once: one wins, the other is refused and nothing is half-written."""

import pytest

from cchc.parindex import services
from cchc.parindex.errors import ParIndexError
from cchc.parindex.models import AssessmentEvent, ExplanationRequest
from cchc.workflow.testing import run_together

from .factories import make_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_officers_score_the_same_leaf_with_the_same_version():
    world = make_world()
    round_ = world.open_round()
    leaf = world.leaf(round_, world.justice, "1.1")
    results = run_together(
        lambda: services.score_leaf(leaf.pk, world.officer, value="kip_thoi", expected_version=0),
        lambda: services.score_leaf(leaf.pk, world.leader, value="khong", expected_version=0),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], ParIndexError), results
    assert AssessmentEvent.objects.filter(action="scored").count() == 1


def test_an_explanation_is_answered_once_under_a_race():
    world = make_world()
    round_ = world.appraisal_round()
    leaf = world.leaf(round_, world.justice, "1.2")
    request = services.request_explanation(leaf.pk, world.chair, "Gửi báo cáo")
    results = run_together(
        lambda: services.answer_explanation(request.pk, world.officer, "Trả lời A"),
        lambda: services.answer_explanation(request.pk, world.leader, "Trả lời B"),
    )
    assert sum(isinstance(r, Exception) for r in results) == 1, results
    assert ExplanationRequest.objects.get(pk=request.pk).answer in ("Trả lời A", "Trả lời B")
    assert AssessmentEvent.objects.filter(action="explanation_answered").count() == 1
