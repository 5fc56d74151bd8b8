"""Responses through the services: invitation links (one response each), QR and kiosk answers
(a kiosk resend stores once), the server-side skip logic, the opening days, flags, privacy."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from cchc.organisations.models import Role
from cchc.surveys import answering, flags
from cchc.surveys.models import (
    CampaignStatus,
    Invitation,
    InvitationStatus,
    Response,
    ResponseChannel,
    ReviewStatus,
)

from .campaign_factories import campaign as make_campaign
from .campaign_factories import sipas_answers
from .factories import reform_staff, unit, user_with

pytestmark = pytest.mark.django_db


@dataclass
class World:
    organiser: object
    counter: object
    campaign: object
    officer: object
    second_officer: object
    reform: object


def make_world(status=CampaignStatus.OPEN, **extra) -> World:
    """A campaign open today at one counter, with two one-stop officers and the organiser's
    reform staff."""
    organiser = unit("Sở Nội vụ tỉnh An Bình")
    counter = unit("Trung tâm Phục vụ hành chính công tỉnh", code="TTPVHCC")
    today = timezone.localdate()
    values = {"opens_on": today - timedelta(days=3), "closes_on": today + timedelta(days=30)}
    values.update(extra)
    found = make_campaign(organiser, [counter], status=status, **values)
    return World(
        organiser=organiser,
        counter=counter,
        campaign=found,
        officer=user_with(Role.ONE_STOP_OFFICER, counter),
        second_officer=user_with(Role.ONE_STOP_OFFICER, counter),
        reform=reform_staff(organiser),
    )


def invite(world: World, token: str = "tok-abc-123", **extra) -> Invitation:
    values = {"channel": ResponseChannel.SMS, "contact": "0912345678"}
    values.update(extra)
    return Invitation.objects.create(
        campaign=world.campaign,
        unit=world.counter,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        status=InvitationStatus.SENT,
        **values,
    )


def minutes_ago(minutes: float):
    return timezone.now() - timedelta(minutes=minutes)


# -- invitation links ---------------------------------------------------------------------------
def test_an_invitation_link_stores_one_response_and_marks_the_invitation_answered():
    world = make_world()
    invitation = invite(world)
    response = answering.submit_invitation("tok-abc-123", sipas_answers(), minutes_ago(6))
    assert response.channel == ResponseChannel.SMS
    assert response.unit == world.counter
    assert response.invitation == invitation
    assert 355 <= response.seconds <= 365
    assert response.review == ReviewStatus.VALID and response.counted
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ANSWERED
    assert invitation.answered_at == response.submitted_at


def test_a_second_submission_of_the_same_link_is_refused_as_already_answered():
    world = make_world()
    invite(world)
    answering.submit_invitation("tok-abc-123", sipas_answers(), minutes_ago(5))
    with pytest.raises(answering.AlreadyAnswered):
        answering.submit_invitation("tok-abc-123", sipas_answers(level=2), minutes_ago(5))
    assert Response.objects.count() == 1


def test_an_unknown_token_is_refused():
    world = make_world()
    invite(world)
    with pytest.raises(answering.UnknownLink):
        answering.submit_invitation("tok-abc-124", sipas_answers(), None)
    assert answering.invitation_for("") is None
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("status", "days"),
    [
        (CampaignStatus.DRAFT, (-3, 30)),
        (CampaignStatus.CLOSED, (-3, 30)),
        (CampaignStatus.PUBLISHED, (-3, 30)),
        (CampaignStatus.OPEN, (1, 30)),  # opens tomorrow
        (CampaignStatus.OPEN, (-30, -1)),  # closed yesterday
    ],
)
def test_a_campaign_not_open_today_refuses_answers(status, days):
    today = timezone.localdate()
    world = make_world(
        status,
        opens_on=today + timedelta(days=days[0]),
        closes_on=today + timedelta(days=days[1]),
    )
    invite(world)
    with pytest.raises(answering.CampaignNotAccepting):
        answering.submit_invitation("tok-abc-123", sipas_answers(), None)
    with pytest.raises(answering.CampaignNotAccepting):
        answering.submit_open(world.campaign, world.counter, "qr", sipas_answers(), None)
    assert not Response.objects.exists()


def test_the_first_and_last_days_take_answers():
    today = timezone.localdate()
    assert answering.accepting(make_world(opens_on=today, closes_on=today).campaign)


# -- the server applies the skip logic ------------------------------------------------------------
def test_skip_logic_is_checked_by_the_server():
    world = make_world()
    answers = sipas_answers(4)
    # Feedback not made: the feedback matrix is hidden, an answer to it is dropped, not an error.
    answers["sv_feedback"] = {"sv_feedback_1": "1", "sv_feedback_2": "1", "sv_feedback_3": "1"}
    stored = answering.submit_open(world.campaign, world.counter, "qr", answers, minutes_ago(4))
    assert "sv_feedback" not in stored.response.answers
    # Feedback made: the matrix is shown and required.
    answers = sipas_answers(4, feedback=True)
    del answers["sv_feedback"]
    with pytest.raises(answering.AnswersInvalid) as refused:
        answering.submit_open(world.campaign, world.counter, "qr", answers, minutes_ago(4))
    assert refused.value.errors == {"sv_feedback": "Vui lòng trả lời câu hỏi này."}


def test_missing_and_wrong_answers_are_listed_per_question():
    world = make_world()
    invite(world)
    answers = sipas_answers(4)
    del answers["r_age"]
    answers["sv_access"]["sv_access_2"] = "9"
    with pytest.raises(answering.AnswersInvalid) as refused:
        answering.submit_invitation("tok-abc-123", answers, None)
    assert set(refused.value.errors) == {"r_age", "sv_access"}
    assert Invitation.objects.get().status == InvitationStatus.SENT


# -- QR and kiosk ----------------------------------------------------------------------------------
def test_the_same_kiosk_client_key_twice_stores_one_response():
    world = make_world()
    first = answering.submit_open(
        world.campaign, world.counter, "kiosk", sipas_answers(), minutes_ago(5), "k1:abc-def-1"
    )
    again = answering.submit_open(
        world.campaign, world.counter, "kiosk", sipas_answers(), minutes_ago(5), "k1:abc-def-1"
    )
    assert first.created and not again.created
    assert again.response.pk == first.response.pk
    assert Response.objects.count() == 1


def test_an_offline_kiosk_answer_arriving_later_keeps_its_own_times():
    world = make_world()
    started, submitted = minutes_ago(125), minutes_ago(120)
    stored = answering.submit_open(
        world.campaign,
        world.counter,
        "kiosk",
        sipas_answers(),
        started,
        "k1:late-answer",
        submitted_at=submitted,
    )
    response = stored.response
    assert response.submitted_at == submitted
    assert response.started_at == started
    assert response.seconds == 300
    assert response.received_at > submitted + timedelta(minutes=119)


def test_a_submission_time_in_the_future_or_too_old_is_not_believed():
    now = timezone.now()
    assert answering.submission_time(now + timedelta(hours=1), now) == now
    assert answering.submission_time(now - timedelta(days=30), now) == now
    assert answering.submission_time(None, now) == now
    earlier = now - timedelta(hours=3)
    assert answering.submission_time(earlier, now) == earlier


def test_open_answers_need_a_channel_of_the_campaign_and_one_of_its_units():
    world = make_world(channels=("sms", "qr"))
    with pytest.raises(answering.AnswerRefused):
        answering.submit_open(world.campaign, world.counter, "kiosk", sipas_answers(), None, "k:1")
    with pytest.raises(answering.AnswerRefused):
        answering.submit_open(world.campaign, world.organiser, "qr", sipas_answers(), None)
    with pytest.raises(answering.AnswerRefused):
        answering.submit_open(world.campaign, world.counter, "paper", sipas_answers(), None)
    assert not Response.objects.exists()


# -- flags ---------------------------------------------------------------------------------------
def test_a_form_completed_too_fast_is_stored_flagged():
    world = make_world()
    started = timezone.now() - timedelta(seconds=flags.MIN_SECONDS - 5)
    response = answering.submit_open(
        world.campaign, world.counter, "qr", sipas_answers(), started
    ).response
    assert response.review == ReviewStatus.FLAGGED
    assert response.flags == [flags.TOO_FAST]
    assert not response.counted


def test_straight_lining_is_flagged_from_ten_items():
    world = make_world()
    response = answering.submit_open(
        world.campaign, world.counter, "qr", sipas_answers(5), minutes_ago(5)
    ).response  # 13 service items, all 5
    assert response.flags == [flags.STRAIGHT_LINE]
    spec = answering.spec_of(world.campaign)
    nine = {"sv_access": {f"sv_access_{n}": "5" for n in (1, 2, 3)}}
    nine["sv_procedures"] = {f"sv_procedures_{n}": "5" for n in (1, 2, 3, 4)}
    nine["sv_officials"] = {"sv_officials_1": "5", "sv_officials_2": "5"}
    assert len(flags.scale_values(spec, nine)) == 9
    assert not flags.is_straight_line(spec, nine)
    varied = sipas_answers(5)
    varied["sv_results"]["sv_results_1"] = "4"
    assert not flags.is_straight_line(spec, varied)


def test_too_many_qr_answers_from_one_unit_in_a_short_window_are_flagged(monkeypatch):
    monkeypatch.setattr(flags, "BURST_LIMIT", 3)
    world = make_world()
    stored = [
        answering.submit_open(
            world.campaign, world.counter, "qr", sipas_answers(), minutes_ago(5)
        ).response
        for _ in range(4)
    ]
    assert [r.flags for r in stored] == [[], [], [], [flags.BURST]]
    # Outside the window (three hours earlier), the count starts again.
    earlier = answering.submit_open(
        world.campaign,
        world.counter,
        "qr",
        sipas_answers(),
        None,
        submitted_at=timezone.now() - timedelta(hours=3),
    )
    assert earlier.response.flags == []


def test_a_kiosk_burst_is_counted_per_tablet(monkeypatch):
    monkeypatch.setattr(flags, "KIOSK_BURST_LIMIT", 2)
    world = make_world()

    def from_tablet(tablet, n):
        return answering.submit_open(
            world.campaign, world.counter, "kiosk", sipas_answers(), minutes_ago(3), f"{tablet}:{n}"
        ).response

    assert from_tablet("aaa", 1).flags == []
    assert from_tablet("aaa", 2).flags == []
    assert from_tablet("bbb", 1).flags == []  # another tablet at the same counter
    assert from_tablet("aaa", 3).flags == [flags.BURST]


def test_flagged_responses_are_never_dropped():
    world = make_world()
    for _ in range(3):
        answering.submit_open(world.campaign, world.counter, "qr", sipas_answers(1), None)
    assert Response.objects.filter(review=ReviewStatus.FLAGGED).count() == 3


# -- privacy -------------------------------------------------------------------------------------
def test_no_personal_data_is_stored_in_responses():
    world = make_world()
    invite(world, contact="0912345678")
    answering.submit_invitation("tok-abc-123", sipas_answers(), minutes_ago(5))
    answering.submit_open(world.campaign, world.counter, "qr", sipas_answers(), None)
    field_names = {field.name for field in Response._meta.get_fields()}
    for personal in ("name", "phone", "contact", "ip", "ip_address", "user_agent", "dossier"):
        assert personal not in field_names
    for row in Response.objects.values():
        text = repr(row)
        assert "0912345678" not in text
        assert "127.0.0.1" not in text
        assert "tok-abc-123" not in text
