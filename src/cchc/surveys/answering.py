"""Storing a respondent's answers: from a one-time invitation link, the QR code and the kiosk.

Every channel ends in :func:`store_response`: the answers are checked by
``engine.answers.validate`` (the authority: the skip logic in the browser is only a convenience),
the implausibility flags are computed (:mod:`.flags`) and one :class:`~.models.Response` row is
written with the channel and the timing. A response holds no personal data (Nghị định
13/2023/NĐ-CP on personal data protection): no name, phone, ID number, dossier code, client
address or user agent — the views never pass them here, and the model has no field for them.

* **Invitation** (:func:`submit_invitation`): the link carries a token; only its sha256 is stored
  (``Invitation.token_hash``). One response per invitation, even when two submissions race: the
  invitation row is locked (``select_for_update``) and ``Response.invitation`` is one-to-one, so
  the second submission is refused with "already answered".
* **QR and kiosk** (:func:`submit_open`): anyone at the unit may answer. A kiosk sends its own
  ``client_key`` with each answer and sends it again when the connection failed; the key is
  unique per campaign, so a resend stores nothing new and answers OK.

Answers are accepted only while the campaign is open and today is between ``opens_on`` and
``closes_on`` (:func:`accepting`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.organisations.models import Role
from cchc.organisations.permissions import has_role
from cchc.organisations.selectors import counter_unit_ids

from . import campaigns
from .engine.answers import validate
from .engine.form import FormSpec
from .errors import ActionForbidden, SurveyError
from .flags import reasons
from .models import (
    Campaign,
    CampaignStatus,
    Invitation,
    InvitationStatus,
    Response,
    ResponseChannel,
    ReviewStatus,
)

#: A client's own submission time is believed when it is at most this far in the future (clock
#: drift of a tablet); later, the server's time is used.
CLOCK_TOLERANCE = timedelta(minutes=5)
#: A kiosk may hold answers offline for a while; older "submitted" times are not believed.
OFFLINE_MAX_AGE = timedelta(days=7)


class AnswerRefused(SurveyError):
    """The answers cannot be taken (campaign closed, link used or unknown…)."""


class CampaignNotAccepting(AnswerRefused):
    code = "not_accepting"


class AlreadyAnswered(AnswerRefused):
    code = "already_answered"


class UnknownLink(AnswerRefused):
    code = "unknown_link"


class AnswersInvalid(AnswerRefused):
    """Some answers are missing or wrong: ``errors`` {question code: Vietnamese message}."""

    code = "answers_invalid"

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Some answers are missing or not valid."))
        self.errors = errors


@dataclass
class Stored:
    """What a submission did: the response, and whether it was new (False: a kiosk resend)."""

    response: Response
    created: bool


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for(token: str) -> Invitation | None:
    """The invitation of a link's token, or None (no personal data is read here)."""
    if not token or len(token) > 200:
        return None
    return (
        Invitation.objects.select_related("campaign", "unit")
        .filter(token_hash=token_hash(token))
        .first()
    )


def accepting(campaign: Campaign, today=None) -> bool:
    """Does the campaign take answers today (open, and between its opening and closing days)?"""
    today = today or timezone.localdate()
    return (
        campaign.status == CampaignStatus.OPEN and campaign.opens_on <= today <= campaign.closes_on
    )


def stored_at_kiosk(campaign: Campaign, unit) -> int:
    """How many answers the unit's counter kiosk has stored (the count the tablet shows)."""
    return Response.objects.filter(
        campaign=campaign, unit=unit, channel=ResponseChannel.KIOSK
    ).count()


def refusal_if_closed(campaign: Campaign) -> None:
    if not accepting(campaign):
        raise CampaignNotAccepting(_("This survey is not taking answers now."))


def spec_of(campaign: Campaign) -> FormSpec:
    return campaign.questionnaire.as_spec()


def submission_time(claimed: datetime | None, now: datetime) -> datetime:
    """The client's submission time when believable (an offline kiosk), else ``now``."""
    if claimed is None or timezone.is_naive(claimed):
        return now
    if claimed > now + CLOCK_TOLERANCE or claimed < now - OFFLINE_MAX_AGE:
        return now
    return min(claimed, now)


def _seconds(started_at: datetime | None, submitted_at: datetime) -> int | None:
    if started_at is None or timezone.is_naive(started_at) or started_at > submitted_at:
        return None
    return int((submitted_at - started_at).total_seconds())


def check(spec: FormSpec, answers: dict) -> dict:
    """The cleaned answers, or :class:`AnswersInvalid` with a message per question."""
    result = validate(spec, answers)
    if not result.valid:
        raise AnswersInvalid(result.errors)
    return result.cleaned


def store_response(
    campaign: Campaign,
    unit,
    channel: str,
    cleaned: dict,
    *,
    spec: FormSpec,
    started_at: datetime | None,
    submitted_at: datetime,
    invitation: Invitation | None = None,
    client_key: str = "",
) -> Response:
    seconds = _seconds(started_at, submitted_at)
    found = reasons(
        spec,
        cleaned,
        seconds=seconds,
        campaign=campaign,
        unit=unit,
        channel=channel,
        client_key=client_key,
        submitted_at=submitted_at,
    )
    return Response.objects.create(
        campaign=campaign,
        unit=unit,
        channel=channel,
        invitation=invitation,
        client_key=client_key,
        answers=cleaned,
        started_at=started_at if seconds is not None else None,
        submitted_at=submitted_at,
        seconds=seconds,
        review=ReviewStatus.FLAGGED if found else ReviewStatus.VALID,
        flags=found,
    )


def submit_invitation(
    token: str, answers: dict, started_at: datetime | None, *, now: datetime | None = None
) -> Response:
    """Store the answers of an invitation link; refused when the link was already used."""
    now = now or timezone.now()
    found = invitation_for(token)
    if found is None:
        raise UnknownLink(_("This survey link is not valid."))
    refusal_if_closed(found.campaign)
    spec = spec_of(found.campaign)
    cleaned = check(spec, answers)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.select_for_update().get(pk=found.pk)
            if invitation.status == InvitationStatus.ANSWERED or _has_response(invitation):
                raise AlreadyAnswered(_("This survey link has already been used. Thank you."))
            if invitation.status == InvitationStatus.EXPIRED or invitation.erased_at:
                raise CampaignNotAccepting(_("This survey link has expired."))
            response = store_response(
                found.campaign,
                invitation.unit,
                invitation.channel,
                cleaned,
                spec=spec,
                started_at=started_at,
                submitted_at=now,
                invitation=invitation,
            )
            invitation.status = InvitationStatus.ANSWERED
            invitation.answered_at = now
            invitation.save(update_fields=["status", "answered_at"])
    except IntegrityError as error:  # the one-to-one caught a race the lock did not
        raise AlreadyAnswered(_("This survey link has already been used. Thank you.")) from error
    return response


def _has_response(invitation: Invitation) -> bool:
    return Response.objects.filter(invitation=invitation).exists()


OPEN_CHANNELS = (ResponseChannel.QR, ResponseChannel.KIOSK)


def unit_of(campaign: Campaign, unit_code: str):
    """The surveyed unit with this code, or None when the campaign does not survey it."""
    link = campaign.units.select_related("unit").filter(unit__code=unit_code).first()
    return link.unit if link else None


def submit_open(
    campaign: Campaign,
    unit,
    channel: str,
    answers: dict,
    started_at: datetime | None,
    client_key: str = "",
    *,
    submitted_at: datetime | None = None,
    now: datetime | None = None,
) -> Stored:
    """Store the answers of a QR or kiosk respondent. With a ``client_key`` (the kiosk), the same
    key twice stores one response: the second call returns it with ``created=False``."""
    if channel not in OPEN_CHANNELS:
        raise AnswerRefused(_("This channel does not take open answers."))
    client_key = (client_key or "").strip()[:64]
    if client_key:
        existing = Response.objects.filter(campaign=campaign, client_key=client_key).first()
        if existing is not None:  # a resend of an answer already stored: nothing new
            return Stored(existing, False)
    refusal_if_closed(campaign)
    if channel not in (campaign.channels or []):
        raise AnswerRefused(_("This survey does not take answers through this channel."))
    if not campaign.units.filter(unit=unit).exists():
        raise AnswerRefused(_("This unit is not part of the survey."))
    now = now or timezone.now()
    spec = spec_of(campaign)
    cleaned = check(spec, answers)
    try:
        with transaction.atomic():
            response = store_response(
                campaign,
                unit,
                channel,
                cleaned,
                spec=spec,
                started_at=started_at,
                submitted_at=submission_time(submitted_at, now),
                client_key=client_key,
            )
    except IntegrityError:
        if not client_key:
            raise
        # Two resends of one kiosk answer raced: the other one stored it.
        return Stored(Response.objects.get(campaign=campaign, client_key=client_key), False)
    return Stored(response, True)


def may_run_kiosk(user, unit) -> bool:
    """A one-stop officer who serves the unit's people at the counter runs its kiosk: one of the
    unit itself (or above it), or of the one-stop unit that receives its dossiers — the ward
    centre's officer serves the people the ward committee is surveyed on (the frame takes the
    dossiers received below the surveyed unit, docs/surveys.md). The same rule as
    ``acts_at_counter``, read from the user's counter units, which a request computes once: the
    counter page asks it for every surveyed unit of every open campaign."""
    units = counter_unit_ids(user)
    return units is None or unit.pk in units


# -- review of flagged responses ----------------------------------------------------------------
def may_review(user, campaign: Campaign) -> bool:
    """Reform staff of the organiser review the flagged responses of its campaigns."""
    return has_role(user, Role.REFORM_STAFF, campaign.organiser)


def review_response(campaign: Campaign, pk: int, user, *, accept: bool, note: str = "") -> Response:
    """Accept (counted) or reject (not counted) a flagged response; the reasons stay recorded."""
    if not may_review(user, campaign):
        raise ActionForbidden(_("Only administrative reform staff of the organiser may review."))
    with transaction.atomic():
        response = Response.objects.select_for_update().filter(campaign=campaign, pk=pk).first()
        if response is None:
            raise AnswerRefused(_("This response does not exist."))
        if response.review != ReviewStatus.FLAGGED:
            raise AnswerRefused(_("This response has already been reviewed."))
        note = (note or "").strip()
        if not accept and not note:
            raise AnswerRefused(_("Say why the response is not counted."), field="note")
        response.review = ReviewStatus.ACCEPTED if accept else ReviewStatus.REJECTED
        response.reviewed_by = user
        response.reviewed_at = timezone.now()
        response.review_note = note[:2000]
        response.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note"])
        campaigns.record_decision(
            campaign,
            user,
            "response_accepted" if accept else "response_rejected",
            note=response.review_note,
            data={"response": response.pk, "flags": list(response.flags or [])},
        )
    return response
