"""``load_feedback``: about thirty records in every state, made through the services, once."""

import pytest
import time_machine

from cchc.demo.feedback import load_feedback
from cchc.feedback import selectors
from cchc.feedback.models import Feedback, FeedbackStatus
from cchc.feedback.tests.conftest import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_province():
    """The demo province with a few weeks of dossiers, on a Sunday (recent feedback then falls on
    the last working day, not in the future)."""
    with time_machine.travel(local(2025, 11, 23, 10, 0), tick=False):
        yield _load_province()


def _load_province():
    from cchc.demo import dossiers as dossier_demo
    from cchc.demo import province as demo

    units = demo.load_units()
    demo.load_users(units)
    demo.load_catalog(units)
    cast = dossier_demo.cast_for(
        demo.DEMO_DOSSIER_UNIT,
        "motcua.dongthanh",
        "chuyenvien.dongthanh",
        "lanhdao.dongthanh",
        citizen=demo.DEMO_CITIZEN,
    )
    dossier_demo.load_dossiers(cast, count=40)


def test_demo_feedback_covers_every_state_and_loads_once(demo_province):
    created = load_feedback()
    assert created == 30 and Feedback.objects.count() == created
    statuses = set(Feedback.objects.values_list("status", flat=True))
    assert statuses == set(FeedbackStatus.values)
    assert Feedback.objects.filter(dossier__isnull=False).exists()
    assert Feedback.objects.filter(forward_count__gt=0).exists()
    assert Feedback.objects.filter(rating="dissatisfied").exists()
    overdue = [f for f in Feedback.objects.all() if selectors.is_overdue(f)]
    assert overdue, "some feedback should be late, for the queues and the 766 index"
    for feedback in Feedback.objects.filter(status__in=["published", "rated"]):
        assert feedback.public_content and feedback.public_answer
        assert feedback.sender_phone not in feedback.public_content
    assert load_feedback() == 0
    assert Feedback.objects.count() == created


def test_without_the_demo_province_nothing_is_loaded():
    assert load_feedback() == 0
