"""The counter kiosk: who may open it, the page (no menu) and its JSON endpoint, which stores each
client key once, so the tablet can resend answers it kept while offline."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cchc.organisations.models import Role, UnitKind
from cchc.surveys.models import CampaignStatus, Response, ResponseChannel

from .campaign_factories import campaign as make_campaign
from .campaign_factories import sipas_answers
from .factories import unit, user_with
from .test_answer_pages import as_post
from .test_answer_services import make_world

pytestmark = pytest.mark.django_db


def kiosk_url(world):
    return reverse("surveys:kiosk", args=[world.campaign.code, world.counter.code])


def submit_url(world):
    return reverse("surveys:kiosk_submit", args=[world.campaign.code, world.counter.code])


def payload(client_key="tablet01:0f6c7e3a-1", *, answers=None, started=None, submitted=None):
    fields = as_post(answers or sipas_answers(4))
    fields.pop("started")
    now = timezone.now()
    return json.dumps(
        {
            "client_key": client_key,
            "started_at": (started or now - timedelta(minutes=4)).isoformat(),
            "submitted_at": (submitted or now).isoformat(),
            "answers": fields,
        }
    )


def post(client, world, body):
    return client.post(submit_url(world), body, content_type="application/json")


def test_the_kiosk_needs_a_one_stop_officer_of_the_unit(client):
    world = make_world()
    assert client.get(kiosk_url(world)).status_code == 302  # to the login page
    client.force_login(world.reform)
    assert client.get(kiosk_url(world)).status_code == 403
    elsewhere = user_with(Role.ONE_STOP_OFFICER, unit("UBND xã Hòa Bình"))
    client.force_login(elsewhere)
    assert client.get(kiosk_url(world)).status_code == 403
    assert post(client, world, payload()).status_code == 403
    assert not Response.objects.exists()


def test_the_officer_of_the_ward_s_centre_runs_the_kiosk_of_the_ward_it_receives_for(client):
    """The ward committee is surveyed on the dossiers its centre received: the centre's one-stop
    officer serves those people at the counter (as motcua.dongthanh in the demo)."""
    world = make_world()
    ward = unit("UBND phường Đông Thành", kind=UnitKind.COMMUNE_COMMITTEE)
    centre = unit("Trung tâm phục vụ HCC phường", parent=ward, kind=UnitKind.SERVICE_CENTRE)
    today = timezone.localdate()
    surveyed = make_campaign(
        world.organiser,
        [ward],
        code="sipas-phuong",
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=9),
    )
    client.force_login(user_with(Role.ONE_STOP_OFFICER, centre))
    kiosk = reverse("surveys:kiosk", args=[surveyed.code, ward.code])
    paper = reverse("surveys:paper", args=[surveyed.code, ward.code])
    assert client.get(kiosk).status_code == 200
    assert client.get(paper).status_code == 200
    counter = client.get(reverse("surveys:counter")).content.decode()
    assert f'href="{kiosk}"' in counter and f'href="{paper}"' in counter
    assert client.get(kiosk_url(world)).status_code == 403  # not the province's counter


def test_the_kiosk_page_has_the_form_and_no_menu(client):
    world = make_world()
    client.force_login(world.officer)
    page = client.get(kiosk_url(world))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="kiosk"' in html and 'id="answer-form"' in html
    assert f'data-submit-url="{submit_url(world)}"' in html
    assert "surveys/kiosk.js" in html
    assert 'id="menu-main"' not in html and 'id="menu-account"' not in html
    assert 'id="kiosk-stored">0<' in html


def test_the_same_client_key_twice_stores_one_response(client):
    world = make_world()
    client.force_login(world.officer)
    first = post(client, world, payload("tablet01:answer-1"))
    again = post(client, world, payload("tablet01:answer-1"))
    assert first.status_code == 201 and first.json() == {
        "status": "ok",
        "created": True,
        "stored": 1,
    }
    assert again.status_code == 200 and again.json()["created"] is False
    assert Response.objects.filter(channel=ResponseChannel.KIOSK).count() == 1
    assert post(client, world, payload("tablet01:answer-2")).json()["stored"] == 2


def test_an_answer_kept_offline_arrives_later_with_its_original_times(client):
    world = make_world()
    client.force_login(world.officer)
    started = timezone.now() - timedelta(hours=2, minutes=6)
    submitted = timezone.now() - timedelta(hours=2)
    page = post(client, world, payload("tablet01:offline-1", started=started, submitted=submitted))
    assert page.status_code == 201
    response = Response.objects.get()
    assert abs((response.submitted_at - submitted).total_seconds()) < 1
    assert abs((response.started_at - started).total_seconds()) < 1
    assert response.seconds == 360
    assert response.client_key == "tablet01:offline-1"


def test_invalid_kiosk_answers_come_back_per_question(client):
    world = make_world()
    client.force_login(world.officer)
    answers = sipas_answers(4)
    del answers["o_channel"]
    page = post(client, world, payload(answers=answers))
    assert page.status_code == 400
    assert page.json()["errors"] == {"o_channel": "Vui lòng trả lời câu hỏi này."}
    assert post(client, world, "not json").status_code == 400
    assert post(client, world, json.dumps({"answers": {}, "client_key": "x"})).status_code == 400
    assert not Response.objects.exists()


def test_a_closed_campaign_refuses_kiosk_answers(client):
    world = make_world(CampaignStatus.CLOSED)
    client.force_login(world.officer)
    assert 'id="answer-form"' not in client.get(kiosk_url(world)).content.decode()
    assert post(client, world, payload()).status_code == 409
    assert not Response.objects.exists()


def test_the_kiosk_endpoint_needs_the_csrf_token():
    world = make_world()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.officer)
    assert post(strict, world, payload()).status_code == 403
    assert not Response.objects.exists()
