"""Survey campaigns (đợt khảo sát): the sample drawn from real dossiers, invitations, responses.

A campaign asks one frozen questionnaire version of the people served by its units in a period of
transactions (QĐ 1001/QĐ-BNV 2023–2026: respondents are people who carried out an administrative
procedure in the survey year; par-sipas-plan-sources §B). Its lifecycle is a sealed chain like the
PAR INDEX rounds (``cchc verify-history`` covers ``surveys-campaigns``):

    draft → open → closed → published

* **draft** — the organiser sets the units, period, channels, the sample-size rule, and draws the
  sample: the frame (dossiers returned in the period at each unit) and the seed are recorded, so
  the draw can be reproduced and audited (``frame_fingerprint``, ``seed``);
* **open** — the questionnaire is frozen; invitations are sent, the QR code and the counter kiosk
  take answers; paper forms are typed in twice;
* **closed** — no more answers; the link between an invitation and its dossier and contact is
  erased (Decree 13/2023 on personal data: used only for sampling and de-duplication);
* **published** — results are public.

Privacy: a :class:`Response` holds answers, the unit, the channel and timing, never a name, phone,
ID number or dossier code; only an :class:`Invitation` holds the contact and the dossier, until
the campaign closes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cchc.history.models import ChainOwner
from cchc.organisations.models import OrganisationUnit
from cchc.workflow.history import WorkflowEvent

from .questionnaires import Questionnaire


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    PUBLISHED = "published", _("Published")


class SizeMethod(models.TextChoices):
    """The rule that sizes each unit's sample (engine.sampling)."""

    YAMANE = "yamane", _("Yamane n = N / (1 + N·e²)")
    COCHRAN = "cochran", _("Cochran with finite-population correction")
    QUOTA = "quota", _("Fixed quota per unit")
    TABLE = "table", _("Share by yearly volume")


class ResponseChannel(models.TextChoices):
    SMS = "sms", _("SMS invitation")
    EMAIL = "email", _("Email invitation")
    ZALO = "zalo", _("Zalo invitation")
    QR = "qr", _("QR code")
    KIOSK = "kiosk", _("Counter kiosk")
    PAPER = "paper", _("Paper form")


#: Channels that send a personal one-time link (an Invitation per sampled person).
INVITATION_CHANNELS = (ResponseChannel.SMS, ResponseChannel.EMAIL, ResponseChannel.ZALO)


class Campaign(ChainOwner):
    """Đợt khảo sát: one questionnaire version asked of the people served by a list of units."""

    code = models.SlugField(
        _("code"), max_length=64, unique=True, help_text=_("e.g. sipas-2026 (used in addresses).")
    )
    name = models.CharField(_("name"), max_length=255)
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    organiser = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        related_name="survey_campaigns",
        help_text=_("Usually the Department of Home Affairs (Sở Nội vụ)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=0)
    period_start = models.DateField(_("transactions from"))
    period_end = models.DateField(_("transactions to"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    channels = models.JSONField(
        _("channels"), default=list, help_text=_("Any of sms, email, zalo, qr, kiosk, paper.")
    )
    size_method = models.CharField(
        _("sample size rule"), max_length=10, choices=SizeMethod.choices, default=SizeMethod.YAMANE
    )
    margin = models.DecimalField(_("margin of error"), max_digits=4, decimal_places=3, default=0.05)
    confidence = models.DecimalField(_("confidence"), max_digits=4, decimal_places=3, default=0.95)
    quota = models.PositiveIntegerField(_("quota per unit"), null=True, blank=True)
    volume_table = models.JSONField(
        _("share by yearly volume"),
        default=list,
        blank=True,
        help_text=_("Upper bound and share, highest last: [[200, 1], [1000, 0.3], [null, 0.2]]."),
    )
    by_field = models.BooleanField(_("stratify by field too"), default=False)
    minimum_responses = models.PositiveIntegerField(
        _("minimum responses to rank a unit"), default=30
    )
    formula = models.CharField(
        _("index formula"),
        max_length=10,
        default="mean",
        choices=[("mean", _("Mean of item shares")), ("pooled", _("Pooled answers"))],
    )
    resamples = models.PositiveIntegerField(_("bootstrap resamples"), default=1000)
    seed = models.BigIntegerField(_("random seed"), null=True, blank=True)
    frame_fingerprint = models.CharField(_("frame fingerprint"), max_length=64, blank=True)
    drawn_at = models.DateTimeField(_("sample drawn at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-opens_on", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def unit(self) -> OrganisationUnit:
        """The unit whose reform staff run the campaign (the transition tables read ``unit``)."""
        return self.organiser


class CampaignEvent(WorkflowEvent):
    """One entry of a campaign's sealed history (sample drawn, opened, closed, published…)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    status_before = models.CharField(max_length=20, blank=True)
    status_after = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("campaign event")
        verbose_name_plural = _("campaign events")
        ordering = ["campaign_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "sequence"], name="unique_campaign_event_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}#{self.sequence} {self.action}"


CAMPAIGN_EVENT_SEALED_FIELDS = (
    "actor_id",
    "actor_name",
    "at",
    "unit",
    "note",
    "data",
    "action",
    "status_before",
    "status_after",
)


class CampaignUnit(models.Model):
    """A unit surveyed by the campaign: its sampling frame size and sample target."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(
        OrganisationUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    population = models.PositiveIntegerField(_("people served in the period"), default=0)
    target = models.PositiveIntegerField(_("sample size"), default=0)
    target_override = models.PositiveIntegerField(
        _("sample size set by hand"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("surveyed unit")
        verbose_name_plural = _("surveyed units")
        ordering = ["campaign_id", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="unique_campaign_unit")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.unit_id}"


class InvitationStatus(models.TextChoices):
    DRAWN = "drawn", _("Drawn, not sent")
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")
    EXPIRED = "expired", _("Expired")


class Invitation(models.Model):
    """A sampled person's one-time link. The contact and the dossier are kept only while the
    campaign is open (sampling and de-duplication), then erased (``erased_at``)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    unit = models.ForeignKey(OrganisationUnit, on_delete=models.PROTECT, related_name="+")
    field_code = models.CharField(_("field"), max_length=64, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)  # sha256 of the link's token
    channel = models.CharField(_("channel"), max_length=10, choices=ResponseChannel.choices)
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.CharField(_("contact"), max_length=254, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.DRAWN
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal link erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["campaign_id", "unit_id", "pk"]
        indexes = [models.Index(fields=["campaign", "unit", "status"], name="invitation_unit_idx")]

    def __str__(self) -> str:  # no contact, no dossier: an invitation is named by its number
        return f"{self.campaign_id}/{self.pk}"


class ReviewStatus(models.TextChoices):
    VALID = "valid", _("Counted")
    FLAGGED = "flagged", _("Flagged, to review")
    ACCEPTED = "accepted", _("Reviewed, counted")
    REJECTED = "rejected", _("Reviewed, not counted")


class Response(models.Model):
    """One respondent's answers. No personal data: answers, unit, channel and timing only
    (a question asking for contact details with consent is the one exception, in ``answers``)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="responses")
    unit = models.ForeignKey(OrganisationUnit, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=10, choices=ResponseChannel.choices)
    invitation = models.OneToOneField(  # one response per invitation, by the database
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    client_key = models.CharField(  # a kiosk's own id of the answer, sent again when offline
        max_length=64, blank=True
    )
    answers = models.JSONField(_("answers"), default=dict)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    seconds = models.PositiveIntegerField(_("seconds to answer"), null=True, blank=True)
    review = models.CharField(
        _("review"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.VALID
    )
    flags = models.JSONField(_("why flagged"), default=list, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["campaign_id", "unit_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "client_key"],
                condition=~Q(client_key=""),
                name="unique_response_client_key",
            )
        ]
        indexes = [models.Index(fields=["campaign", "unit", "review"], name="response_unit_idx")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.pk}"

    @property
    def counted(self) -> bool:
        return self.review in (ReviewStatus.VALID, ReviewStatus.ACCEPTED)


class PaperEntry(models.Model):
    """One typing of a paper form (double entry): two officers type the same form (``sheet``);
    when both typings agree a Response is made, otherwise the differences wait for resolution."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="paper_entries")
    unit = models.ForeignKey(OrganisationUnit, on_delete=models.PROTECT, related_name="+")
    sheet = models.CharField(_("form number"), max_length=40)
    entry = models.PositiveSmallIntegerField(_("typing"), choices=[(1, "1"), (2, "2")])
    answers = models.JSONField(_("answers"), default=dict)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    response = models.ForeignKey(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="paper_entries"
    )

    class Meta:
        verbose_name = _("paper form typing")
        verbose_name_plural = _("paper form typings")
        ordering = ["campaign_id", "unit_id", "sheet", "entry"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "unit", "sheet", "entry"], name="unique_paper_entry"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.sheet}#{self.entry}"
