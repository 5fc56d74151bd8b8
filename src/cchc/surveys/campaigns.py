"""Campaign services: setup, the seeded draw, opening, invitations, closing and publication.

Every action runs in one transaction: the campaign's row locked and checked against the version
the actor saw (``cchc.workflow.locking``), the actor and the state checked with the transition
table (:mod:`.transitions`), the input checked, the change saved as a new version and one entry
appended to the campaign's sealed history (``record_event``; chain ``surveys-campaigns``). A
refusal raises a :class:`~.errors.SurveyError` before anything is written.

Tokens. An invitation's link carries a one-time token; only its SHA-256 is stored
(``Invitation.token_hash``), so the database alone cannot answer in someone's name. The token is
therefore made when the invitation is **sent**, not when it is drawn: :func:`send_invitations`
sets a fresh token, stores its hash and enqueues the message holding the link in the same
transaction, so a message exists exactly when its hash does. A drawn invitation holds the hash of
a random token nobody keeps (the column is unique and required), which no link can match. An
invitation already sent is never sent again (its token would change and the first link break).
The clear token then lives only in the outbox message (``cchc.notifications``) until it is sent.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.notifications import services as outbox
from cchc.notifications.models import NotificationKind
from cchc.organisations.models import OrganisationUnit
from cchc.organisations.permissions import has_role
from cchc.workflow.history import record_event
from cchc.workflow.locking import locked, save_new_version

from . import frame as frames
from . import selectors, services
from .engine import sampling
from .errors import ActionForbidden, StaleRecord, SurveyError
from .models import (
    Campaign,
    CampaignEvent,
    CampaignStatus,
    CampaignUnit,
    Invitation,
    InvitationStatus,
    Questionnaire,
    ResponseChannel,
    SizeMethod,
)
from .models.campaigns import INVITATION_CHANNELS
from .selectors_campaigns import invitation_url
from .transitions import CAMPAIGN_TRANSITIONS, ORGANISER_ROLES

CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CODE_MAX = 64
NAME_MAX = 255


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _unusable_hash() -> str:
    """The hash of a token nobody keeps: a drawn invitation's link does not exist yet."""
    return token_hash(secrets.token_urlsafe(32))


# -- setup ---------------------------------------------------------------------------------------
@dataclass
class CampaignSetup:
    """What the organiser sets while the campaign is a draft."""

    code: str
    name: str
    questionnaire: Questionnaire | None
    organiser: OrganisationUnit | None
    units: list
    period_start: date
    period_end: date
    opens_on: date
    closes_on: date
    channels: list
    size_method: str = SizeMethod.YAMANE
    margin: object = 0.05
    confidence: object = 0.95
    quota: int | None = None
    volume_table: list = field(default_factory=list)
    by_field: bool = False
    minimum_responses: int = 30
    seed: int | None = None
    targets: dict = field(default_factory=dict)  # unit pk → sample size set by hand (or None)


def _in_unit(value, low: float = 0.0, high: float = 1.0) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return low < number < high


def _validate(actor, setup: CampaignSetup, campaign: Campaign | None = None) -> None:
    code = (setup.code or "").strip()
    if not code or len(code) > CODE_MAX or not CODE.match(code):
        raise SurveyError(
            _("The code is made of lower-case letters, digits and hyphens (e.g. sipas-2026)."),
            "code",
        )
    clash = Campaign.objects.filter(code=code)
    if campaign is not None:
        clash = clash.exclude(pk=campaign.pk)
    if clash.exists():
        raise SurveyError(_("Another campaign already has this code."), "code")
    name = (setup.name or "").strip()
    if not name:
        raise SurveyError(_("Enter the campaign's name."), "name")
    if len(name) > NAME_MAX:
        raise SurveyError(
            _("This text is too long (at most %(n)d characters).") % {"n": NAME_MAX}, "name"
        )
    if setup.questionnaire is None or not selectors.can_view(actor, setup.questionnaire):
        raise SurveyError(_("Choose a questionnaire you may use."), "questionnaire")
    if not setup.units:
        raise SurveyError(_("Choose at least one unit to survey."), "units")
    # The organiser's tree as the actor holds it: a unit is surveyed by someone holding an
    # organising role in it or above it (Sở Nội vụ staff are assigned at the province's root).
    if any(not has_role(actor, list(ORGANISER_ROLES), unit) for unit in setup.units):
        raise SurveyError(_("You may survey only units where you run campaigns."), "units")
    if setup.period_end < setup.period_start:
        raise SurveyError(
            _("The end of the transaction period comes on or after its start."), "period_end"
        )
    if setup.closes_on < setup.opens_on:
        raise SurveyError(_("The campaign closes on or after the day it opens."), "closes_on")
    channels = list(setup.channels or [])
    if not channels or any(c not in ResponseChannel.values for c in channels):
        raise SurveyError(_("Choose at least one way of answering."), "channels")
    _validate_rule(setup)
    for unit_id, target in (setup.targets or {}).items():
        if target is not None and (not isinstance(target, int) or target < 0):
            raise SurveyError(_("A sample size set by hand is a whole number ≥ 0."), "targets")
        if unit_id not in {unit.pk for unit in setup.units}:
            raise SurveyError(_("A sample size set by hand names a unit not surveyed."), "targets")


def _validate_rule(setup: CampaignSetup) -> None:
    if setup.size_method not in SizeMethod.values:
        raise SurveyError(_("Choose a sample size rule."), "size_method")
    if not _in_unit(setup.margin):
        raise SurveyError(_("The margin of error is between 0 and 1 (e.g. 0.05)."), "margin")
    if not _in_unit(setup.confidence):
        raise SurveyError(_("The confidence level is between 0 and 1 (e.g. 0.95)."), "confidence")
    if setup.size_method == SizeMethod.QUOTA and not (setup.quota and setup.quota > 0):
        raise SurveyError(_("The quota rule needs the number of people per unit."), "quota")
    if setup.size_method == SizeMethod.TABLE and setup.volume_table:
        try:
            sampling.check_volume_table(
                (bound, float(share)) for bound, share in setup.volume_table
            )
        except (TypeError, ValueError):
            raise SurveyError(
                _("The volume table is made of bands “upper bound = share”, the last open."),
                "volume_table",
            ) from None
    if setup.minimum_responses is None or setup.minimum_responses < 1:
        raise SurveyError(_("Enter a whole number of at least 1."), "minimum_responses")


def _apply(campaign: Campaign, setup: CampaignSetup) -> None:
    campaign.code = setup.code.strip()
    campaign.name = setup.name.strip()
    campaign.questionnaire = setup.questionnaire
    campaign.period_start = setup.period_start
    campaign.period_end = setup.period_end
    campaign.opens_on = setup.opens_on
    campaign.closes_on = setup.closes_on
    campaign.channels = [c for c in ResponseChannel.values if c in setup.channels]
    campaign.size_method = setup.size_method
    campaign.margin = setup.margin
    campaign.confidence = setup.confidence
    campaign.quota = setup.quota
    campaign.volume_table = [list(row) for row in setup.volume_table or []]
    campaign.by_field = bool(setup.by_field)
    campaign.minimum_responses = setup.minimum_responses
    campaign.seed = setup.seed


def _set_units(campaign: Campaign, units, targets: dict) -> None:
    wanted = {unit.pk for unit in units}
    campaign.units.exclude(unit_id__in=wanted).delete()
    known = {cu.unit_id: cu for cu in campaign.units.all()}
    for unit_id in sorted(wanted):
        override = (targets or {}).get(unit_id)
        if unit_id in known:
            if known[unit_id].target_override != override:
                known[unit_id].target_override = override
                known[unit_id].save(update_fields=["target_override"])
        else:
            CampaignUnit.objects.create(
                campaign=campaign, unit_id=unit_id, target_override=override
            )


def _event(campaign: Campaign, actor, action: str, *, status_before: str, note="", data=None):
    event = CampaignEvent(campaign=campaign, action=action, unit=campaign.organiser.name)
    return record_event(campaign, event, actor, status_before=status_before, note=note, data=data)


def record_decision(campaign: Campaign, actor, action: str, *, note: str = "", data=None):
    """Append a decision taken while answers come in (a flagged response counted or not, a paper
    form's two typings settled) to the campaign's sealed history. Call it inside the decision's
    transaction: the campaign's row is locked here, so entries keep their order."""
    owner = Campaign.objects.select_for_update().get(pk=campaign.pk)
    return _event(owner, actor, action, status_before=owner.status, note=note, data=data)


def _stale() -> StaleRecord:
    return StaleRecord(_("Someone else has just changed this campaign. Reload the page and check."))


def _lock(campaign, expected_version=None) -> Campaign:
    return locked(
        Campaign.objects.select_related("organiser", "questionnaire"),
        getattr(campaign, "pk", campaign),
        expected_version,
        stale_error=_stale(),
        missing_error=SurveyError(_("This campaign does not exist.")),
    )


def _guarded(actor, campaign, action: str, expected_version=None) -> Campaign:
    """The campaign locked, after the actor and its state are checked for ``action``."""
    row = _lock(campaign, expected_version)
    CAMPAIGN_TRANSITIONS.require(actor, row, action)
    CAMPAIGN_TRANSITIONS.check(row, action)
    return row


@transaction.atomic
def create_campaign(actor, setup: CampaignSetup) -> Campaign:
    """A new campaign in draft, set up by the reform staff of the organising unit."""
    if setup.organiser is None or not has_role(actor, list(ORGANISER_ROLES), setup.organiser):
        raise ActionForbidden(_("Only the reform staff of the organising unit may do this."))
    _validate(actor, setup)
    campaign = Campaign(
        organiser=setup.organiser,
        status=CampaignStatus.DRAFT,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    _apply(campaign, setup)
    try:
        with transaction.atomic():  # two organisers choosing the same code at once
            campaign.save()
    except IntegrityError:
        raise SurveyError(_("Another campaign already has this code."), "code") from None
    _set_units(campaign, setup.units, setup.targets)
    _event(campaign, actor, "created", status_before="", data={"units": len(setup.units)})
    return campaign


def _clear_draw(campaign: Campaign) -> bool:
    """Forget the draw (the setup it came from changed). True when there was one."""
    had = campaign.drawn_at is not None
    campaign.invitations.all().delete()  # draft: none was sent
    campaign.units.update(population=0, target=0)
    campaign.drawn_at = None
    campaign.frame_fingerprint = ""
    return had


@transaction.atomic
def update_campaign(actor, campaign, setup: CampaignSetup, *, expected_version=None) -> Campaign:
    """Change the setup of a draft. A drawn sample is forgotten: draw again."""
    campaign = _guarded(actor, campaign, "edit", expected_version)
    if setup.organiser is not None and setup.organiser.pk != campaign.organiser_id:
        raise SurveyError(_("The organising unit of a campaign does not change."), "organiser")
    setup.organiser = campaign.organiser
    _validate(actor, setup, campaign)
    _apply(campaign, setup)
    cleared = _clear_draw(campaign)
    save_new_version(campaign)
    _set_units(campaign, setup.units, setup.targets)
    _event(
        campaign, actor, "updated", status_before=campaign.status, data={"draw_cleared": cleared}
    )
    return campaign


# -- the draw ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitDraw:
    unit_code: str
    population: int
    target: int
    rule: str
    invited: int
    no_contact: int


@dataclass(frozen=True)
class DrawReport:
    seed: int
    fingerprint: str
    units: tuple[UnitDraw, ...]

    @property
    def invited(self) -> int:
        return sum(u.invited for u in self.units)

    @property
    def no_contact(self) -> int:
        return sum(u.no_contact for u in self.units)


def _rule_text(campaign: Campaign, campaign_unit: CampaignUnit) -> str:
    """The rule of a unit with nobody in the frame, worded as the engine words it."""
    if campaign_unit.target_override is not None:
        return f"target {campaign_unit.target_override}"
    return frames.size_rule(campaign).describe()


@transaction.atomic
def draw_sample(actor, campaign, *, expected_version=None) -> DrawReport:
    """Draw the sample from the dossiers (:mod:`.frame`): per unit the population and the target
    by the campaign's rule (or the size set by hand), the seeded draw, and an invitation for
    every drawn person with a usable contact. Drawing again replaces the previous draw."""
    campaign = _guarded(actor, campaign, "draw", expected_version)
    frame = frames.build_frame(campaign)
    seed = campaign.seed if campaign.seed is not None else secrets.randbelow(2**31)
    try:
        result = frames.draw(campaign, frame, seed)
    except ValueError:
        raise SurveyError(
            _("The sample size rule is incomplete: check the quota or the volume table.")
        ) from None
    campaign.invitations.all().delete()  # draft: the previous draw's, none sent
    channels = [c for c in campaign.channels if c in INVITATION_CHANNELS]
    drawn_by_unit = {summary.unit: summary for summary in result.units}
    invitations, report_units, rows = [], [], []
    for campaign_unit in campaign.units.select_related("unit"):
        key = frame.unit_keys[campaign_unit.unit_id]
        summary = drawn_by_unit.get(key)
        invited = no_contact = 0
        for record_id in result.ids(key) if summary else ():
            person = frame.people[record_id]
            found = frames.contact_for(person, channels) if channels else None
            if found is None:
                no_contact += 1 if channels else 0
                continue
            channel, contact = found
            invited += 1
            invitations.append(
                Invitation(
                    campaign=campaign,
                    unit_id=person.unit_id,
                    field_code=person.field_code[:64],
                    token_hash=_unusable_hash(),
                    channel=channel,
                    dossier_id=person.dossier_id,
                    contact=contact,
                )
            )
        campaign_unit.population = summary.population if summary else 0
        campaign_unit.target = summary.sample_size if summary else 0
        rows.append(campaign_unit)
        report_units.append(
            UnitDraw(
                unit_code=key,
                population=campaign_unit.population,
                target=campaign_unit.target,
                rule=summary.rule if summary else _rule_text(campaign, campaign_unit),
                invited=invited,
                no_contact=no_contact,
            )
        )
    Invitation.objects.bulk_create(invitations, batch_size=1000)
    CampaignUnit.objects.bulk_update(rows, ["population", "target"])
    campaign.seed = seed
    campaign.frame_fingerprint = result.fingerprint
    campaign.drawn_at = timezone.now()
    save_new_version(campaign)
    report = DrawReport(seed, result.fingerprint, tuple(report_units))
    _event(
        campaign,
        actor,
        "drawn",
        status_before=campaign.status,
        data={
            "seed": seed,
            "fingerprint": result.fingerprint,
            "by_field": campaign.by_field,
            "units": {
                u.unit_code: {
                    "population": u.population,
                    "target": u.target,
                    "rule": u.rule,
                    "invited": u.invited,
                    "no_contact": u.no_contact,
                }
                for u in report.units
            },
        },
    )
    return report


# -- the lifecycle -------------------------------------------------------------------------------
@transaction.atomic
def open_campaign(actor, campaign, *, expected_version=None) -> Campaign:
    """Open: the questionnaire version is frozen; invitations need a drawn sample."""
    campaign = _guarded(actor, campaign, "open", expected_version)
    sends = any(c in INVITATION_CHANNELS for c in campaign.channels)
    if sends and campaign.drawn_at is None:
        raise SurveyError(
            _("Draw the sample first: this campaign sends invitations to the people drawn.")
        )
    services.freeze(actor, campaign.questionnaire)
    before = campaign.status
    campaign.status = CampaignStatus.OPEN
    campaign.opened_at = timezone.now()
    save_new_version(campaign)
    _event(
        campaign,
        actor,
        "opened",
        status_before=before,
        data={
            "questionnaire": campaign.questionnaire.code,
            "version": campaign.questionnaire.version,
        },
    )
    return campaign


def _message(campaign: Campaign, channel: str, link: str) -> tuple[str, str]:
    """(subject, body) of an invitation: short, no personal data but the link."""
    params = {"unit": campaign.organiser.name, "url": link}
    body = (
        _(
            "%(unit)s asks you to rate the administrative service you received: %(url)s "
            "(a one-time link, anonymous answers)."
        )
        % params
    )
    subject = _("Survey of satisfaction with public services") if channel == "email" else ""
    return subject, body


@transaction.atomic
def send_invitations(actor, campaign, *, expected_version=None) -> int:
    """Enqueue one outbox message per invitation not yet sent; returns how many.

    Each one gets its token here (see the module's docstring); an invitation already sent is
    skipped, and sending when none is left is refused."""
    campaign = _guarded(actor, campaign, "send", expected_version)
    waiting = list(
        campaign.invitations.select_for_update()
        .filter(status=InvitationStatus.DRAWN)
        .exclude(contact="")
        .order_by("pk")
    )
    if not waiting:
        raise SurveyError(_("Every invitation of this campaign has already been sent."))
    now = timezone.now()
    for invitation in waiting:
        token = secrets.token_urlsafe(24)
        invitation.token_hash = token_hash(token)
        invitation.status = InvitationStatus.SENT
        invitation.sent_at = now
        subject, body = _message(campaign, invitation.channel, invitation_url(token))
        outbox.enqueue(
            channel=invitation.channel,
            recipient=invitation.contact,
            body=body,
            subject=subject,
            dedup_key=f"survey:{campaign.pk}:{invitation.pk}",
            kind=NotificationKind.OTHER,
        )
    Invitation.objects.bulk_update(waiting, ["token_hash", "status", "sent_at"], batch_size=1000)
    save_new_version(campaign)
    _event(
        campaign,
        actor,
        "invitations_sent",
        status_before=campaign.status,
        data={"count": len(waiting)},
    )
    return len(waiting)


@transaction.atomic
def close_campaign(actor, campaign, *, expected_version=None) -> Campaign:
    """Close: no more answers; every invitation's contact and dossier link is erased and the
    unanswered ones expire (Decree 13/2023/NĐ-CP: kept only as long as the purpose needs)."""
    campaign = _guarded(actor, campaign, "close", expected_version)
    now = timezone.now()
    expired = campaign.invitations.filter(
        status__in=(InvitationStatus.DRAWN, InvitationStatus.SENT)
    ).update(status=InvitationStatus.EXPIRED)
    erased = campaign.invitations.filter(erased_at__isnull=True).update(
        contact="", dossier=None, erased_at=now
    )
    before = campaign.status
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = now
    save_new_version(campaign)
    _event(
        campaign, actor, "closed", status_before=before, data={"erased": erased, "expired": expired}
    )
    return campaign


@transaction.atomic
def publish_campaign(actor, campaign, *, expected_version=None) -> Campaign:
    campaign = _guarded(actor, campaign, "publish", expected_version)
    before = campaign.status
    campaign.status = CampaignStatus.PUBLISHED
    campaign.published_at = timezone.now()
    save_new_version(campaign)
    _event(campaign, actor, "published", status_before=before)
    return campaign


ACTIONS = {
    "draw": draw_sample,
    "open": open_campaign,
    "send": send_invitations,
    "close": close_campaign,
    "publish": publish_campaign,
}
