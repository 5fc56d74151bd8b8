"""Two submissions of one invitation link at the same instant: one response, one refusal."""

import pytest

from cchc.surveys import answering
from cchc.surveys.models import Invitation, InvitationStatus, Response
from cchc.workflow.testing import run_together

from .campaign_factories import sipas_answers
from .test_answer_services import invite, make_world, minutes_ago

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_response_per_invitation_under_a_race():
    world = make_world()
    invite(world)
    results = run_together(
        lambda: answering.submit_invitation("tok-abc-123", sipas_answers(4), minutes_ago(5)),
        lambda: answering.submit_invitation("tok-abc-123", sipas_answers(2), minutes_ago(5)),
    )
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], answering.AlreadyAnswered), results
    assert Response.objects.count() == 1
    assert Invitation.objects.get().status == InvitationStatus.ANSWERED


def test_one_response_per_kiosk_client_key_under_a_race():
    world = make_world()
    results = run_together(
        *[
            lambda: answering.submit_open(
                world.campaign, world.counter, "kiosk", sipas_answers(4), None, "tab:same-key"
            )
            for _ in range(2)
        ]
    )
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(r.created for r in results) == [False, True]
    assert Response.objects.count() == 1
