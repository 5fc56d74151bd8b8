"""Two officers answering one feedback: one wins, the other is told; codes never repeat."""

import pytest

from cchc.feedback import services
from cchc.feedback.models import Feedback, FeedbackStatus
from cchc.workflow.testing import run_together

from .conftest import submit


@pytest.mark.django_db
def test_a_stale_second_answer_is_refused(unit, officer, processor, clock):
    feedback, _ = submit(unit)
    feedback = services.classify(feedback.pk, officer, "other")
    seen = feedback.version  # both officers opened the page at this version
    services.answer(feedback.pk, officer, "Câu trả lời thứ nhất.", expected_version=seen)
    with pytest.raises(services.StaleFeedback):
        services.answer(feedback.pk, processor, "Câu trả lời thứ hai.", expected_version=seen)
    with pytest.raises(services.TransitionNotAllowed):  # and without a version: the state
        services.answer(feedback.pk, processor, "Câu trả lời thứ hai.")
    feedback.refresh_from_db()
    assert feedback.answer == "Câu trả lời thứ nhất." and feedback.answered_by == officer
    assert feedback.events.filter(action="answered").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_officers_answering_at_once(unit, officer, processor):
    feedback, _ = submit(unit)
    services.classify(feedback.pk, officer, "other")
    results = run_together(
        lambda: services.answer(feedback.pk, officer, "Trả lời của cán bộ một cửa."),
        lambda: services.answer(feedback.pk, processor, "Trả lời của chuyên viên."),
    )
    winners = [r for r in results if isinstance(r, Feedback)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], services.TransitionNotAllowed)
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ANSWERED
    assert feedback.answer == winners[0].answer
    assert feedback.events.filter(action="answered").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_never_share_a_code(unit):
    results = run_together(*[lambda: submit(unit)[0]] * 6)
    codes = [r.code for r in results if isinstance(r, Feedback)]
    assert len(codes) == 6, results
    assert len(set(codes)) == 6
