"""The respondent's pages: the invitation link and the QR code (public, no login)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from cchc.surveys import flags
from cchc.surveys.forms_answers import ITEM_SEPARATOR, read_started, sign_started
from cchc.surveys.models import CampaignStatus, Invitation, InvitationStatus, Response

from .campaign_factories import sipas_answers
from .test_answer_services import invite, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def as_post(answers: dict, started_minutes: float = 5) -> dict:
    """The form fields a browser sends for ``answers``."""
    data = {"started": sign_started(timezone.now() - timedelta(minutes=started_minutes))}
    for code, value in answers.items():
        if isinstance(value, dict):
            for item, choice in value.items():
                data[f"{code}{ITEM_SEPARATOR}{item}"] = choice
        else:
            data[code] = value
    return data


def link(token="tok-abc-123"):
    return reverse("surveys:answer", args=[token])


def vi(text: str) -> str:
    with override("vi"):
        return _(text)


def test_the_link_page_shows_the_questionnaire_and_the_privacy_notice(client):
    world = make_world()
    invite(world)
    page = client.get(link())
    assert page.status_code == 200
    html = page.content.decode()
    assert world.counter.name in html
    assert 'id="privacy-notice"' in html
    assert vi("Your answers are anonymous") in html
    # A Likert matrix: one block per item, five big labelled options each.
    assert html.count('name="sv_access__sv_access_1"') == 5
    assert "Rất hài lòng" in html
    # The skip condition is in the page for the browser.
    assert "sv_feedback_made" in html and "data-show-when" in html
    assert 'id="menu-main"' not in html  # no site menu on the respondent's pages


def test_answering_from_the_link_stores_the_response_and_thanks(client):
    world = make_world()
    invite(world)
    page = client.post(link(), as_post(sipas_answers(4)))
    assert page.status_code == 302
    assert page["Location"] == reverse("surveys:answer_thanks")
    response = Response.objects.get()
    assert response.answers["sv_access"] == {f"sv_access_{n}": "4" for n in (1, 2, 3)}
    assert 295 <= response.seconds <= 305
    assert Invitation.objects.get().status == InvitationStatus.ANSWERED
    thanks = client.get(page["Location"])
    assert vi("Thank you!") in thanks.content.decode()
    again = client.get(link())
    assert vi("This survey link has already been used. Thank you.") in again.content.decode()
    assert Response.objects.count() == 1


def test_an_error_is_shown_next_to_its_question_and_the_answers_are_kept(client):
    world = make_world()
    invite(world)
    answers = sipas_answers(4)
    del answers["r_sex"]
    del answers["sv_officials"]["sv_officials_2"]
    page = client.post(link(), as_post(answers))
    assert page.status_code == 400
    html = page.content.decode()
    assert '<div class="answer-error invalid-feedback d-block" id="err-r_sex"' in html
    assert "Vui lòng trả lời câu hỏi này." in html
    assert "Vui lòng trả lời tất cả các ý của câu hỏi này." in html
    # What was answered is still chosen.
    assert 'id="r_age-31_45" value="31_45" checked' in html
    assert 'id="sv_officials__sv_officials_1-4" value="4" checked' in html
    assert not Response.objects.exists()


def test_a_started_time_that_was_tampered_with_is_ignored():
    assert read_started("2026-01-01T00:00:00+00:00") is None
    moment = timezone.now()
    assert read_started(sign_started(moment)) == moment


def test_an_unknown_link_is_a_clear_404(client):
    make_world()
    page = client.get(link("nope"))
    assert page.status_code == 404
    assert vi("This survey link is not valid.") in page.content.decode()


def test_a_closed_campaign_shows_a_clear_page_and_stores_nothing(client):
    world = make_world(CampaignStatus.CLOSED)
    invite(world)
    page = client.get(link())
    html = page.content.decode()
    assert vi("This survey is not taking answers now.") in html
    assert 'id="answer-form"' not in html
    client.post(link(), as_post(sipas_answers(4)))
    qr = reverse("surveys:answer_qr", args=[world.campaign.code, world.counter.code])
    client.post(qr, as_post(sipas_answers(4)))
    assert not Response.objects.exists()


def test_the_qr_page_stores_an_anonymous_qr_response(client):
    world = make_world()
    qr = reverse("surveys:answer_qr", args=[world.campaign.code, world.counter.code])
    assert client.get(qr).status_code == 200
    page = client.post(qr, as_post(sipas_answers(4)), REMOTE_ADDR="203.0.113.7")
    assert page.status_code == 302
    response = Response.objects.get()
    assert (response.channel, response.unit, response.invitation) == ("qr", world.counter, None)
    assert "203.0.113.7" not in repr(Response.objects.values().get())


def test_the_qr_page_of_a_unit_outside_the_campaign_is_404(client):
    world = make_world()
    assert client.get(f"/khao-sat/qr/{world.campaign.code}/KHONG-CO/").status_code == 404
    assert client.get(f"/khao-sat/qr/khong-co/{world.counter.code}/").status_code == 404


def test_too_many_qr_posts_from_one_address_answer_429_and_keep_the_answers(client, monkeypatch):
    monkeypatch.setattr(flags, "QR_POSTS_PER_ADDRESS", 2)
    world = make_world()
    qr = reverse("surveys:answer_qr", args=[world.campaign.code, world.counter.code])
    for _attempt in range(2):
        assert (
            client.post(qr, as_post(sipas_answers(4)), REMOTE_ADDR="203.0.113.7").status_code == 302
        )
    page = client.post(qr, as_post(sipas_answers(3)), REMOTE_ADDR="203.0.113.7")
    assert page.status_code == 429
    html = page.content.decode()
    assert 'id="rate-notice"' in html
    assert 'id="sv_access__sv_access_1-3" value="3" checked' in html
    assert Response.objects.count() == 2
    # Another address is not held back.
    assert client.post(qr, as_post(sipas_answers(4)), REMOTE_ADDR="198.51.100.9").status_code == 302
    assert Response.objects.count() == 3


def test_an_expired_link_shows_a_clear_page_and_refuses_answers(client):
    world = make_world()
    invitation = invite(world)
    invitation.status = InvitationStatus.EXPIRED
    invitation.save(update_fields=["status"])
    page = client.get(link())
    assert vi("This survey link has expired.") in page.content.decode()
    assert 'id="answer-form"' not in page.content.decode()
    client.post(link(), as_post(sipas_answers(4)))
    assert not Response.objects.exists()
