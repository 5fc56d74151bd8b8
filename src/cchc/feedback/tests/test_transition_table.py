"""The page offers an officer's action exactly in the statuses where its service accepts it.

For every status and every action the page offers, the service is called as a superuser (every
role, so only the state decides) on a feedback put in that status, and rolled back. The service
refuses the state with ``TransitionNotAllowed`` exactly when the selectors do not list the action:
both read ``transitions.TRANSITIONS``, and this keeps them from drifting apart.
"""

import pytest

from cchc.feedback import selectors, services
from cchc.feedback.models import Feedback, FeedbackStatus
from cchc.feedback.transitions import TRANSITIONS
from cchc.workflow.testing import state_accepts

from .conftest import submit


def calls(feedback, su, other_unit):
    return {
        "classify": lambda: services.classify(feedback.pk, su, "administrative"),
        "forward": lambda: services.forward(feedback.pk, su, other_unit, "Đúng thẩm quyền."),
        "answer": lambda: services.answer(feedback.pk, su, "Phường đã bố trí thêm ghế chờ."),
        "publish": lambda: services.publish(
            feedback.pk, su, "Khu vực chờ thường quá tải.", "Phường đã bố trí thêm ghế chờ."
        ),
        "reject": lambda: services.reject(feedback.pk, su, "Không thuộc thẩm quyền."),
    }


@pytest.mark.django_db
def test_every_offered_action_is_listed_exactly_where_its_service_accepts_the_status(
    django_user_model, unit, other_unit, clock
):
    su = django_user_model.objects.create_superuser("quantri", password="pw-123456")
    feedback, _token = submit(unit)
    offered = [item.action for item in TRANSITIONS if item.offered]
    assert set(offered) == set(calls(feedback, su, other_unit))
    for status in FeedbackStatus:
        Feedback.objects.filter(pk=feedback.pk).update(status=status, public_title="Ghế chờ")
        feedback.refresh_from_db()
        listed = selectors.available_actions(feedback, su)
        accepted = [
            action for action in offered if state_accepts(calls(feedback, su, other_unit)[action])
        ]
        assert listed == accepted, status.label
