"""Two organisers act on one campaign at once: one wins, the other is refused, nothing doubles."""

import pytest

from cchc.notifications.models import OutboxMessage
from cchc.surveys import campaigns as services
from cchc.surveys.errors import SurveyError
from cchc.surveys.models import CampaignEvent, CampaignStatus
from cchc.surveys.tests import factories
from cchc.workflow.testing import run_together

from .campaign_world import make_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_opens_with_the_same_version_one_is_refused():
    world = make_world()
    campaign = world.campaign(channels=("qr",))
    second = factories.reform_staff(world.province)
    results = run_together(
        lambda: services.open_campaign(world.reform, campaign.pk, expected_version=0),
        lambda: services.open_campaign(second, campaign.pk, expected_version=0),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], SurveyError), results
    assert CampaignEvent.objects.filter(action="opened").count() == 1
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN


def test_invitations_are_sent_once_under_a_race():
    world = make_world()
    world.dossiers(world.centre_a, 4)
    campaign = world.campaign(size_method="quota", quota=10)
    services.draw_sample(world.reform, campaign)
    services.open_campaign(world.reform, campaign)
    second = factories.reform_staff(world.province)
    results = run_together(
        lambda: services.send_invitations(world.reform, campaign.pk),
        lambda: services.send_invitations(second, campaign.pk),
    )
    assert sorted(r if isinstance(r, int) else -1 for r in results) == [-1, 4], results
    assert OutboxMessage.objects.count() == 4
