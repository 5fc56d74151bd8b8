"""Campaign reads: who sees which campaign, the sampling preview, live progress, the history,
the invitation behind a token and the public addresses of the answering pages.

Scope: a campaign is read by the reform staff, leaders and system administrators holding the role
in its organising unit or above it, or in one of its surveyed units or above it (a commune's
leader follows the campaign that surveys the commune). Only the organiser's reform staff and
system administrators act on it (:mod:`.transitions`).

The answering pages (``khao-sat/tra-loi/<token>/`` and ``khao-sat/qr/<campaign>/<unit>/``) belong
to the answers part of the app; their addresses are built here so the invitations, the printed QR
codes and those pages agree.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from urllib.parse import quote

from django.db.models import Count, Q, QuerySet

from cchc.common.public_url import LOCAL_URL, public_url
from cchc.organisations.models import OrganisationUnit
from cchc.organisations.permissions import assigned_paths, has_role, sees_everything, units_for

from .models import (
    Campaign,
    CampaignStatus,
    Invitation,
    InvitationStatus,
    Response,
    ResponseChannel,
    ReviewStatus,
)
from .transitions import CAMPAIGN_TRANSITIONS, ORGANISER_ROLES, READER_ROLES

ANSWER_PATH = "/khao-sat/tra-loi/{token}/"
QR_PATH = "/khao-sat/qr/{campaign}/{unit}/"
TOKEN_MAX = 100


# -- addresses -----------------------------------------------------------------------------------
def _base() -> str:
    """``CCHC_PUBLIC_URL``; links leave the site, so without it the demo's address
    (``cchc check --deploy`` warns about the missing setting)."""
    return public_url() or LOCAL_URL


def invitation_url(token: str) -> str:
    """The one-time answering link of an invitation's token."""
    return _base() + ANSWER_PATH.format(token=quote(token, safe=""))


def qr_url(campaign: Campaign, unit: OrganisationUnit) -> str:
    """The address a unit's printed QR code points to (the campaign's code and the unit's)."""
    return _base() + QR_PATH.format(
        campaign=quote(campaign.code, safe=""), unit=quote(unit.code, safe="")
    )


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation whose link carries ``token`` (looked up by its SHA-256), or None.

    Whether it may still be answered (campaign open, status sent) is the caller's decision."""
    token = (token or "").strip()
    if not token or len(token) > TOKEN_MAX:
        return None
    digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
    return (
        Invitation.objects.select_related("campaign", "unit", "campaign__questionnaire")
        .filter(token_hash=digest)
        .first()
    )


# -- who sees what -------------------------------------------------------------------------------
def visible_campaigns(user) -> QuerySet[Campaign]:
    queryset = Campaign.objects.select_related("organiser", "questionnaire")
    if sees_everything(user):
        return queryset
    paths = assigned_paths(user, list(READER_ROLES))
    if not paths:
        return queryset.none()
    scope = Q(pk__in=[])
    for path in paths:
        scope |= Q(organiser__path__startswith=path) | Q(units__unit__path__startswith=path)
    return queryset.filter(scope).distinct()


def may_read_campaigns(user) -> bool:
    return has_role(user, list(READER_ROLES))


def runs(user, campaign: Campaign) -> bool:
    """Reform staff or system administrator of the organising unit (or above)."""
    return has_role(user, list(ORGANISER_ROLES), campaign.organiser)


def organiser_units(user) -> QuerySet[OrganisationUnit]:
    """The units ``user`` may organise a campaign for."""
    return units_for(user, list(ORGANISER_ROLES)).filter(active=True)


def campaign_actions(campaign: Campaign, user) -> list[str]:
    """The buttons of the campaign's page (the table's offered actions)."""
    return CAMPAIGN_TRANSITIONS.available(campaign, user)


def history(campaign: Campaign):
    return campaign.events.select_related("actor").order_by("sequence")


# -- the sample and the progress -----------------------------------------------------------------
def _last_draw(campaign: Campaign) -> dict:
    if campaign.drawn_at is None:
        return {}
    event = campaign.events.filter(action="drawn").order_by("-sequence").first()
    return (event.data or {}).get("units", {}) if event else {}


def sampling_preview(campaign: Campaign) -> list[dict]:
    """Per surveyed unit: population, rule, target, invited and without contact (last draw)."""
    drawn = _last_draw(campaign)
    rows = []
    for cu in campaign.units.select_related("unit").order_by("unit__name"):
        found = drawn.get(cu.unit.code, {})
        rows.append(
            {
                "unit": cu.unit,
                "population": cu.population,
                "target": cu.target,
                "target_override": cu.target_override,
                "rule": found.get("rule", ""),
                "invited": found.get("invited", 0),
                "no_contact": found.get("no_contact", 0),
            }
        )
    return rows


def progress(campaign: Campaign) -> dict:
    """Live progress per unit: invitations sent, responses by channel (rejected ones left out),
    the response rate against the target and the share of sent invitations answered."""
    sent_statuses = (InvitationStatus.SENT, InvitationStatus.ANSWERED, InvitationStatus.EXPIRED)
    invitations = defaultdict(lambda: {"sent": 0, "answered": 0})
    for row in (
        Invitation.objects.filter(campaign=campaign, sent_at__isnull=False)
        .values("unit_id", "status")
        .annotate(n=Count("pk"))
    ):
        if row["status"] in sent_statuses:
            invitations[row["unit_id"]]["sent"] += row["n"]
        if row["status"] == InvitationStatus.ANSWERED:
            invitations[row["unit_id"]]["answered"] += row["n"]
    answered = defaultdict(dict)
    for row in (
        Response.objects.filter(campaign=campaign)
        .exclude(review=ReviewStatus.REJECTED)
        .values("unit_id", "channel")
        .annotate(n=Count("pk"))
    ):
        answered[row["unit_id"]][row["channel"]] = row["n"]
    channels = [c for c in ResponseChannel.values if c in campaign.channels] or list(
        ResponseChannel.values
    )
    units, totals = [], {"sent": 0, "answered_invitations": 0, "responses": 0, "target": 0}
    totals["by_channel"] = [0] * len(channels)
    for cu in campaign.units.select_related("unit").order_by("unit__name"):
        by_channel = answered.get(cu.unit_id, {})
        responses = sum(by_channel.values())
        sent = invitations[cu.unit_id]["sent"]
        units.append(
            {
                "unit": cu.unit,
                "target": cu.target,
                "sent": sent,
                "answered_invitations": invitations[cu.unit_id]["answered"],
                "by_channel": [by_channel.get(c, 0) for c in channels],
                "responses": responses,
                "rate": (100 * responses / cu.target) if cu.target else None,
                "invitation_rate": (100 * invitations[cu.unit_id]["answered"] / sent)
                if sent
                else None,
            }
        )
        totals["sent"] += sent
        totals["answered_invitations"] += invitations[cu.unit_id]["answered"]
        totals["by_channel"] = [
            a + b for a, b in zip(totals["by_channel"], units[-1]["by_channel"], strict=True)
        ]
        totals["responses"] += responses
        totals["target"] += cu.target
    totals["rate"] = (100 * totals["responses"] / totals["target"]) if totals["target"] else None
    totals["invitation_rate"] = (
        (100 * totals["answered_invitations"] / totals["sent"]) if totals["sent"] else None
    )
    labels = dict(ResponseChannel.choices)
    return {"channels": [labels[c] for c in channels], "units": units, "totals": totals}


def channel_labels(campaign: Campaign) -> list[str]:
    labels = dict(ResponseChannel.choices)
    return [str(labels[c]) for c in campaign.channels if c in labels]


def shows_progress(campaign: Campaign) -> bool:
    return campaign.status != CampaignStatus.DRAFT


def flagged_count(campaign: Campaign) -> int:
    """Responses of the campaign waiting for review (the badge of the campaign page)."""
    return campaign.responses.filter(review=ReviewStatus.FLAGGED).count()
