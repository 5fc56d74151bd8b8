"""``cchc load-demo``: the SIPAS survey campaigns (issue 12).

A published campaign with a few thousand counted responses over all six channels (flagged ones
reviewed, one rejected, paper forms typed twice, one unresolved mismatch, personal links erased at
closing, three units under the minimum) and an open one with invitations and a handful of
answers. The clock is fixed as in the PAR INDEX demo test, so the campaigns are the same on any
day; the synthetic history is kept small by the test settings.
"""

from collections import Counter
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count

from cchc.demo.surveys import SURVEYED, load_surveys
from cchc.surveys.models import (
    Campaign,
    CampaignStatus,
    Invitation,
    InvitationStatus,
    PaperEntry,
    Response,
    ResponseChannel,
    ReviewStatus,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 10, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
MINIMUM = 30


def _satisfied_share(responses) -> float:
    satisfied = valid = 0
    for answers in responses.values_list("answers", flat=True):
        for code, value in answers.items():
            if code.startswith("sv_") and isinstance(value, dict):
                satisfied += sum(int(level) >= 4 for level in value.values())
                valid += len(value)
    return satisfied / valid


def test_load_demo_has_a_published_and_an_open_campaign():
    with time_machine.travel(NOW, tick=True):
        call_command("load-demo", stdout=StringIO())

        published = Campaign.objects.get(status=CampaignStatus.PUBLISHED)
        counted = Response.objects.filter(
            campaign=published, review__in=(ReviewStatus.VALID, ReviewStatus.ACCEPTED)
        )
        assert counted.count() >= 2000
        assert set(counted.values_list("channel", flat=True)) == set(ResponseChannel.values)
        assert published.questionnaire.is_builtin and published.seed and published.frame_fingerprint
        assert published.opened_at < published.closed_at < published.published_at
        assert published.published_at < NOW
        assert published.units.count() == len(SURVEYED)

        # Flagged answers were reviewed: some counted, exactly one not.
        reviews = Counter(
            Response.objects.filter(campaign=published).values_list("review", flat=True)
        )
        assert reviews[ReviewStatus.REJECTED] == 1 and reviews[ReviewStatus.ACCEPTED] >= 3
        assert reviews[ReviewStatus.FLAGGED] == 0
        rejected = Response.objects.get(campaign=published, review=ReviewStatus.REJECTED)
        assert rejected.flags and rejected.seconds < 30 and rejected.reviewed_by is not None

        # Paper forms: every counted one typed twice alike; one pair differs and is not counted.
        paper = counted.filter(channel=ResponseChannel.PAPER)
        typings = PaperEntry.objects.filter(campaign=published)
        assert typings.filter(response__isnull=False).count() == 2 * paper.count()
        unresolved = typings.filter(response__isnull=True)
        assert unresolved.count() == 2
        first, second = unresolved.order_by("entry")
        assert first.sheet == second.sheet and first.answers != second.answers
        assert first.entered_by != second.entered_by

        # Decree 13/2023: at closing, no invitation keeps a contact or a dossier.
        invitations = Invitation.objects.filter(campaign=published)
        assert invitations.count() > counted.exclude(invitation=None).count() > 1000
        assert not invitations.exclude(contact="").exists()
        assert not invitations.filter(dossier__isnull=False).exists()
        assert not invitations.filter(erased_at__isnull=True).exists()
        assert set(invitations.values_list("status", flat=True)) == {
            InvitationStatus.ANSWERED,
            InvitationStatus.EXPIRED,
        }

        # Three small units under the minimum; the others differ in satisfaction.
        per_unit = dict(counted.values_list("unit").annotate(n=Count("pk")).order_by())
        assert sorted(n for n in per_unit.values() if n < MINIMUM) == [11, 17, 24]
        shares = [
            _satisfied_share(counted.filter(unit=unit))
            for unit, n in per_unit.items()
            if n >= MINIMUM
        ]
        assert len(shares) == 10 and max(shares) - min(shares) > 0.2

        # The open campaign: invitations with their contacts, a handful of answers, two flags.
        open_campaign = Campaign.objects.get(status=CampaignStatus.OPEN)
        assert open_campaign.opens_on < NOW.date() < open_campaign.closes_on
        assert open_campaign.closed_at is None
        sent = Invitation.objects.filter(campaign=open_campaign)
        assert sent.count() >= 100 and not sent.filter(contact="").exists()
        assert sent.filter(dossier__isnull=False).exists()  # Đông Thành's real dossiers
        assert sent.filter(status=InvitationStatus.ANSWERED).count() >= 10
        answers = Response.objects.filter(campaign=open_campaign)
        assert 10 <= answers.count() <= 100
        assert set(answers.values_list("channel", flat=True)) == set(ResponseChannel.values)
        assert answers.filter(review=ReviewStatus.FLAGGED).count() == 2
        assert all(r.submitted_at < NOW for r in answers)
        assert PaperEntry.objects.filter(campaign=open_campaign, response=None).count() == 2

        # Every history intact; no answer holds a contact or a dossier code.
        history = StringIO()
        call_command("verify-history", stdout=history, stderr=history)
        assert "2 đợt khảo sát" in history.getvalue()
        assert "0 đợt khảo sát có lịch sử bị phá vỡ" in history.getvalue()
        steps = ["created", "drawn", "opened", "invitations_sent"]
        assert list(published.events.values_list("action", flat=True)) == [
            *steps,
            "closed",
            "published",
        ]
        assert list(open_campaign.events.values_list("action", flat=True)) == steps
        drawn = published.events.get(action="drawn").data
        assert (
            drawn["seed"] == published.seed and drawn["fingerprint"] == published.frame_fingerprint
        )
        contacts = set(sent.values_list("contact", flat=True))
        stored = str(list(Response.objects.values_list("answers", flat=True)))
        assert not any(contact in stored for contact in contacts)

        # Loading again makes nothing new.
        responses = Response.objects.count()
        assert load_surveys() == 0
        assert Response.objects.count() == responses
