"""Citizen feedback (phản ánh, kiến nghị — PAKN) about a procedure, a dossier or an officer.

Legal frame: Nghị định 20/2008/NĐ-CP on receiving and handling feedback on administrative
regulations (amended by Nghị định 92/2017/NĐ-CP), and the real-time service index of Quyết định
766/QĐ-TTg (indicators 5.1–5.4), which counts these records. The lifecycle is enforced by
``services``: models hold state, never change it on their own. Times are always the server's.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.catalog.models import Procedure
from cchc.dossiers.models import ApplicantKind, Dossier
from cchc.history.models import AppendOnlyError, ChainOwner, SealedEntry  # noqa: F401 (re-export)
from cchc.organisations.models import OrganisationUnit
from cchc.workflow.history import WorkflowEvent


class SubjectKind(models.TextChoices):
    PROCEDURE = "procedure", _("An administrative procedure")
    DOSSIER = "dossier", _("A dossier")
    OFFICER = "officer", _("An officer")
    OTHER = "other", _("Something else")


class Category(models.TextChoices):
    """Classification set by the officer (766 indicator 5.1 counts classified feedback)."""

    PROCEDURE_CONTENT = "procedure_content", _("About the content of a procedure or regulation")
    OFFICER_CONDUCT = "officer_conduct", _("About an officer's attitude or conduct")
    PROCESSING_TIME = "processing_time", _("About processing time or late results")
    FEES = "fees", _("About fees and charges")
    ONLINE_SERVICE = "online_service", _("About online public services")
    OTHER = "other", _("Other")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("Received, awaiting classification")
    CLASSIFIED = "classified", _("Classified, being handled")
    ANSWERED = "answered", _("Answered, awaiting publication")
    PUBLISHED = "published", _("Answer published")
    REJECTED = "rejected", _("Not within competence")
    RATED = "rated", _("Answer published and rated")


# The answer deadline runs in these (publication of the answer ends it, see selectors.index_counts).
OPEN_STATUSES = (FeedbackStatus.RECEIVED, FeedbackStatus.CLASSIFIED, FeedbackStatus.ANSWERED)
UNANSWERED_STATUSES = (FeedbackStatus.RECEIVED, FeedbackStatus.CLASSIFIED)
PUBLIC_STATUSES = (FeedbackStatus.PUBLISHED, FeedbackStatus.RATED)


class FeedbackRating(models.TextChoices):
    """The sender's judgement of the answer: like / no opinion / dislike (766 indicator 5.3)."""

    SATISFIED = "satisfied", _("Satisfied")
    NEUTRAL = "neutral", _("Neither satisfied nor dissatisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


def token_digest(token: str) -> str:
    """The stored form of a rating token: only its hash is kept, the sender holds the token."""
    return hashlib.sha256((token or "").encode()).hexdigest()


class Feedback(ChainOwner):
    """A feedback; ``history_count``/``history_head`` pin its sealed history (``cchc.history``)."""

    code = models.CharField(_("feedback code"), max_length=30, unique=True)
    subject_kind = models.CharField(_("about"), max_length=10, choices=SubjectKind.choices)
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("procedure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    officer_name = models.CharField(_("officer concerned"), max_length=255, blank=True)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"), max_length=5000)

    # Personal data: shown to the responsible officers only, never on public pages.
    sender_kind = models.CharField(
        _("sender"), max_length=15, choices=ApplicantKind.choices, default=ApplicantKind.INDIVIDUAL
    )
    sender_name = models.CharField(_("sender's name"), max_length=255)
    sender_phone = models.CharField(_("phone"), max_length=20, blank=True)
    sender_email = models.EmailField(_("email"), blank=True)
    sender_address = models.CharField(_("address"), max_length=500, blank=True)
    sender_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sender's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="own_feedback",
    )
    rating_token_hash = models.CharField(max_length=64, editable=False)

    unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    category = models.CharField(
        _("classification"), max_length=20, choices=Category.choices, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=FeedbackStatus.choices,
        default=FeedbackStatus.RECEIVED,
        db_index=True,
    )

    received_at = models.DateTimeField(_("received at"), db_index=True)
    due_at = models.DateTimeField(_("answer due at"), db_index=True)
    classified_at = models.DateTimeField(_("classified at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    public_title = models.CharField(
        _("published title"),
        max_length=200,
        blank=True,
        help_text=_("The title as published, without any personal data."),
    )
    public_content = models.TextField(
        _("published question"),
        blank=True,
        help_text=_("The question as published, without any personal data."),
    )
    public_answer = models.TextField(
        _("published answer"),
        blank=True,
        help_text=_("The answer as published, without any personal data."),
    )
    rejected_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    reject_reason = models.TextField(_("reason"), blank=True)
    rating = models.CharField(
        _("sender's rating"), max_length=12, choices=FeedbackRating.choices, blank=True
    )
    rating_comment = models.TextField(_("comment"), blank=True, max_length=2000)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    forward_count = models.PositiveSmallIntegerField(_("times forwarded"), default=0)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status", "due_at"]),
            models.Index(fields=["unit", "received_at"]),
        ]
        constraints = [
            # A published answer is listed by its title: never an empty link (services.publish
            # derives one when the leader leaves it empty; generators write one).
            models.CheckConstraint(
                condition=~models.Q(status__in=["published", "rated"]) | ~models.Q(public_title=""),
                name="published_feedback_has_a_title",
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def sender_initials(self) -> str:
        """ "Nguyễn Văn An" → "N.V.A.": what public pages may say about the sender."""
        return "".join(f"{word[0].upper()}." for word in self.sender_name.split() if word)

    def token_matches(self, token: str) -> bool:
        import hmac

        return bool(token) and hmac.compare_digest(self.rating_token_hash, token_digest(token))


EVENT_LABELS = {
    "submitted": _("Feedback received"),
    "classified": _("Classified"),
    "forwarded": _("Forwarded to another unit"),
    "answered": _("Answered"),
    "published": _("Answer published"),
    "rejected": _("Refused: not within competence"),
    "rated": _("Rated by the sender"),
}


# The sealed content of an event besides feedback, sequence, key and previous seal (cchc.history).
EVENT_SEALED_FIELDS = (
    "action",
    "actor_id",
    "actor_name",
    "at",
    "status_before",
    "status_after",
    "unit",
    "note",
    "data",
)


class FeedbackEvent(WorkflowEvent):
    """One entry of a feedback's history: who, when, what; append-only and sealed.

    Sealed like a dossier's history (keyed hash chain, head on the feedback row): the answer
    deadline of the 766 index (indicators 5.1–5.4) is judged from these times, so an edit or a
    deletion made in the database is reported by ``cchc verify-history`` (docs/security.md).
    """

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=20)
    status_before = models.CharField(max_length=12, blank=True)
    status_after = models.CharField(max_length=12, blank=True)

    class Meta:
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")
        ordering = ["feedback_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "sequence"], name="unique_feedback_event_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.feedback_id}#{self.sequence} {self.action}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))

    @property
    def status_before_label(self) -> str:
        return _status_label(self.status_before)

    @property
    def status_after_label(self) -> str:
        return _status_label(self.status_after)


def _status_label(value: str) -> str:
    try:
        return str(FeedbackStatus(value).label)
    except ValueError:
        return ""


class FeedbackSequence(models.Model):
    """Last feedback number issued on a day (the NNNN of PA-YYMMDD-NNNN)."""

    day = models.DateField(unique=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last_value}"
