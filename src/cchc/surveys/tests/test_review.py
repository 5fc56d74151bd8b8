"""Review of flagged responses by the organiser's reform staff: accepted ones count, rejected
ones do not; the reasons stay recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.history import registry
from cchc.history.services import verify_owner
from cchc.surveys import answering, flags
from cchc.surveys.errors import ActionForbidden
from cchc.surveys.models import Response, ReviewStatus

from .campaign_factories import response as make_response
from .campaign_factories import sipas_answers
from .factories import reform_staff, unit
from .test_answer_services import make_world

pytestmark = pytest.mark.django_db


def flagged(world, *reasons):
    return make_response(
        world.campaign,
        world.counter,
        sipas_answers(5),
        review=ReviewStatus.FLAGGED,
        flags=list(reasons) or [flags.STRAIGHT_LINE],
        seconds=12,
    )


def test_reform_staff_accept_or_reject_a_flagged_response():
    world = make_world()
    kept, dropped = flagged(world), flagged(world, flags.TOO_FAST)
    answering.review_response(world.campaign, kept.pk, world.reform, accept=True)
    with pytest.raises(answering.AnswerRefused):  # a rejection says why
        answering.review_response(world.campaign, dropped.pk, world.reform, accept=False)
    answering.review_response(
        world.campaign, dropped.pk, world.reform, accept=False, note="Điền trong 12 giây"
    )
    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert kept.review == ReviewStatus.ACCEPTED and kept.counted
    assert dropped.review == ReviewStatus.REJECTED and not dropped.counted
    assert dropped.reviewed_by == world.reform and dropped.reviewed_at is not None
    assert dropped.review_note == "Điền trong 12 giây"
    assert dropped.flags == [flags.TOO_FAST]
    with pytest.raises(answering.AnswerRefused):  # decided once
        answering.review_response(world.campaign, kept.pk, world.reform, accept=False, note="x")
    # Each decision is an entry of the campaign's sealed history, with who, why and which response.
    events = list(world.campaign.events.order_by("sequence"))
    assert [(e.action, e.data["response"], e.note) for e in events[-2:]] == [
        ("response_accepted", kept.pk, ""),
        ("response_rejected", dropped.pk, "Điền trong 12 giây"),
    ]
    assert all(e.actor_id == world.reform.pk for e in events[-2:])
    world.campaign.refresh_from_db()
    assert verify_owner(registry.get("surveys-campaigns"), world.campaign) is None


def test_only_reform_staff_of_the_organiser_review():
    world = make_world()
    row = flagged(world)
    for user in (world.officer, reform_staff(unit("Sở Tư pháp"))):
        with pytest.raises(ActionForbidden):
            answering.review_response(world.campaign, row.pk, user, accept=True)
    assert Response.objects.get().review == ReviewStatus.FLAGGED


def test_the_review_page_lists_flagged_responses_with_reasons_and_decides(client):
    world = make_world()
    row = flagged(world, flags.TOO_FAST, flags.STRAIGHT_LINE)
    make_response(world.campaign, world.counter)  # valid: not listed
    url = reverse("surveys:review", args=[world.campaign.code])
    client.force_login(world.officer)
    assert client.get(url).status_code == 403
    client.force_login(world.reform)
    html = client.get(url).content.decode()
    assert html.count('class="card mb-3 review-item"') == 1
    assert f'id="response-{row.pk}"' in html
    assert flags.reason_label(flags.TOO_FAST) in html
    assert flags.reason_label(flags.STRAIGHT_LINE) in html
    assert world.counter.name in html
    assert "5 – " in html  # answers read as labels, not bare codes
    assert 'data-confirm="' in html
    decide = reverse("surveys:review_decide", args=[world.campaign.code, row.pk])
    client.post(decide, {"decision": "reject", "note": "Trả lời giống nhau"})
    assert Response.objects.get(pk=row.pk).review == ReviewStatus.REJECTED
    html = client.get(url).content.decode()
    assert 'id="no-flagged"' in html and "Trả lời giống nhau" in html
