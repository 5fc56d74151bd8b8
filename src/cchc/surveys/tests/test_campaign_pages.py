"""Campaign pages as the organiser's reform staff: list, setup, the page with its buttons, sample
and progress, the actions, the QR code; 404 outside the scope and 403 for a reader."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.notifications.models import OutboxMessage
from cchc.organisations.models import Role
from cchc.surveys import campaigns as services
from cchc.surveys.models import Campaign, CampaignStatus, Invitation, ResponseChannel
from cchc.surveys.tests import campaign_factories, factories

from .campaign_world import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return make_world()


def _client(client, user):
    client.force_login(user)
    return client


def _form_data(world, **change):
    data = {
        "code": "sipas-2026",
        "name": "Khảo sát SIPAS 2026",
        "questionnaire": str(services.services.ensure_builtin().pk),
        "organiser": str(world.province.pk),
        "units": [str(world.commune_a.pk), str(world.commune_b.pk)],
        "period_start": "01/01/2026",
        "period_end": "30/09/2026",
        "opens_on": "01/10/2026",
        "closes_on": "30/11/2026",
        "channels": ["sms", "qr"],
        "size_method": "yamane",
        "margin": "0.05",
        "confidence": "0.95",
        "minimum_responses": "30",
        "targets": f"{world.commune_b.code} = 12",
    }
    data.update(change)
    return data


def test_the_list_shows_the_campaigns_in_scope(world, client):
    campaign = world.campaign()
    page = _client(client, world.reform).get(reverse("surveys:campaigns"))
    assert page.status_code == 200
    assert campaign.name in page.content.decode()
    assert reverse("surveys:campaign_create") in page.content.decode()
    leader = _client(client, world.commune_leader).get(reverse("surveys:campaigns"))
    assert campaign.name in leader.content.decode()  # the surveyed commune's leader follows it
    assert reverse("surveys:campaign_create") not in leader.content.decode()
    outsider = _client(client, world.other_reform).get(reverse("surveys:campaigns"))
    assert campaign.name not in outsider.content.decode()
    clerk = factories.user_with(Role.ONE_STOP_OFFICER, world.commune_a)
    assert _client(client, clerk).get(reverse("surveys:campaigns")).status_code == 404


def test_the_menu_offers_the_campaigns(world, client):
    page = _client(client, world.reform).get(reverse("surveys:campaigns"))
    assert page.content.decode().count(reverse("surveys:campaigns")) >= 2  # menu and page


def test_create_a_campaign_through_the_form(world, client):
    response = _client(client, world.reform).post(
        reverse("surveys:campaign_create"), _form_data(world)
    )
    campaign = Campaign.objects.get(code="sipas-2026")
    assert response.status_code == 302
    assert response.url == reverse("surveys:campaign", args=[campaign.pk])
    assert campaign.channels == ["sms", "qr"] and campaign.status == CampaignStatus.DRAFT
    assert campaign.units.get(unit=world.commune_b).target_override == 12


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"period_end": "31/12/2025"}, "period_end"),
        ({"closes_on": "01/09/2026"}, "closes_on"),
        ({"size_method": "quota"}, "quota"),
        ({"margin": "1.5"}, "margin"),
        ({"targets": "khong-co = 5"}, "targets"),
    ],
)
def test_the_form_says_what_is_wrong(world, client, change, field):
    response = _client(client, world.reform).post(
        reverse("surveys:campaign_create"), _form_data(world, **change)
    )
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_the_form_offers_only_the_organisers_units(world, client):
    page = _client(client, world.reform).get(reverse("surveys:campaign_create"))
    units = page.context["form"].fields["units"].queryset
    assert world.commune_a in units and world.outsider_unit not in units
    assert (
        _client(client, world.commune_leader).get(reverse("surveys:campaign_create")).status_code
        == 403
    )


def test_the_page_offers_the_buttons_of_its_status_with_a_confirm(world, client):
    world.dossiers(world.centre_a, 5)
    campaign = world.campaign(size_method="quota", quota=3)
    url = reverse("surveys:campaign", args=[campaign.pk])
    page = _client(client, world.reform).get(url).content.decode()
    assert re.search(r'id="draw-form"[^>]*data-confirm=', page)
    assert 'id="open-form"' in page and 'id="close-form"' not in page
    response = client.post(
        reverse("surveys:campaign_act", args=[campaign.pk, "draw"]), {"version": "0"}
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(campaign=campaign).count() == 3
    page = client.get(url).content.decode()
    sample = page[page.index('id="sample"') :]
    assert re.search(r"<td>UBND xã Đông Thành</td>\s*<td[^>]*>5</td>", sample)
    assert "quota 3" in sample
    reader = _client(client, world.commune_leader).get(url)
    assert reader.status_code == 200 and 'id="draw-form"' not in reader.content.decode()


def test_actions_from_the_page_run_the_lifecycle(world, client):
    world.dossiers(world.centre_a, 2)
    campaign = world.campaign(size_method="quota", quota=5)
    _client(client, world.reform)
    for action in ("draw", "open", "send", "close", "publish"):
        campaign.refresh_from_db()
        response = client.post(
            reverse("surveys:campaign_act", args=[campaign.pk, action]),
            {"version": str(campaign.version)},
            follow=True,
        )
        assert response.status_code == 200
        assert not [m for m in response.context["messages"] if m.level_tag == "error"], action
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PUBLISHED
    assert OutboxMessage.objects.count() == 2
    history = response.content.decode()
    assert history.count('class="list-group-item"') == 5  # drawn, opened, sent, closed, published


def test_a_stale_page_is_refused_with_a_message(world, client):
    campaign = world.campaign(channels=("qr",))
    response = _client(client, world.reform).post(
        reverse("surveys:campaign_act", args=[campaign.pk, "open"]), {"version": "7"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_readers_cannot_act_and_outsiders_do_not_see(world, client):
    campaign = world.campaign(channels=("qr",))
    act = reverse("surveys:campaign_act", args=[campaign.pk, "open"])
    assert _client(client, world.commune_leader).post(act).status_code == 403
    assert _client(client, world.other_reform).post(act).status_code == 404
    assert client.get(reverse("surveys:campaign", args=[campaign.pk])).status_code == 404
    assert _client(client, world.reform).get(act).status_code == 405
    assert (
        client.post(reverse("surveys:campaign_act", args=[campaign.pk, "xoa"])).status_code == 404
    )
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_progress_counts_responses_by_unit_and_channel(world, client):
    campaign = world.campaign()
    campaign.units.filter(unit=world.commune_a).update(target=4)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.OPEN)
    for channel in (ResponseChannel.QR, ResponseChannel.QR, ResponseChannel.SMS):
        campaign_factories.response(campaign, world.commune_a, channel=channel)
    campaign_factories.response(campaign, world.commune_a, review="rejected")
    for number, status in enumerate(("sent", "answered", "drawn")):
        Invitation.objects.create(
            campaign=campaign,
            unit=world.commune_a,
            token_hash=f"{number:064d}",
            channel="sms",
            status=status,
            sent_at=None if status == "drawn" else timezone.now(),
        )
    page = _client(client, world.reform).get(reverse("surveys:campaign", args=[campaign.pk]))
    progress = page.context["progress"]
    row = next(r for r in progress["units"] if r["unit"] == world.commune_a)
    assert row["responses"] == 3 and row["rate"] == 75
    assert dict(zip(progress["channels"], row["by_channel"], strict=True)) == {
        "Mời qua SMS": 1,
        "Mã QR": 2,
    }
    assert (row["sent"], row["answered_invitations"], row["invitation_rate"]) == (2, 1, 50)
    assert progress["totals"]["by_channel"] == row["by_channel"]  # the other commune has none
    assert progress["totals"]["responses"] == 3
    body = page.content.decode()
    assert "75,0 %" in body and "50,0 %" in body


def test_the_qr_page_prints_the_units_code(world, client, settings):
    settings.CCHC_PUBLIC_URL = "https://dichvucong.anbinh.gov.vn"
    campaign = world.campaign()
    url = reverse("surveys:campaign_qr", args=[campaign.pk, world.commune_a.pk])
    page = _client(client, world.commune_leader).get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body
    assert f"https://dichvucong.anbinh.gov.vn/khao-sat/qr/sipas-thu/{world.commune_a.code}/" in body
    other = reverse("surveys:campaign_qr", args=[campaign.pk, world.outsider_unit.pk])
    assert client.get(other).status_code == 404


def test_edit_a_draft_and_not_an_open_campaign(world, client):
    campaign = world.create()
    url = reverse("surveys:campaign_edit", args=[campaign.pk])
    _client(client, world.reform)
    assert client.get(url).context["form"].initial["code"] == "sipas-2026"
    data = _form_data(world, name="Tên mới", version=str(campaign.version))
    assert client.post(url, data).status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "Tên mới"
    services.draw_sample(world.reform, campaign)
    services.open_campaign(world.reform, campaign)
    response = client.get(url)
    assert response.status_code == 302
    assert _client(client, world.commune_leader).get(url).status_code == 403
