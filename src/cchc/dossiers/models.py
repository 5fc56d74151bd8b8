"""Dossiers (hồ sơ) received by the one-stop shop, their clock stops and their history.

The lifecycle (Nghị định 118/2025/NĐ-CP; Thông tư 03/2025/TT-VPCP; before 1/7/2025 Nghị định
61/2018/NĐ-CP and Thông tư 01/2018/TT-VPCP) is enforced by ``services``: models hold state, never
change it on their own. Status codes are the national portal's (TrangThaiHoSoId 1–10).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.catalog.models import Procedure, ProcedureComponent, WorkflowStep
from cchc.history.models import AppendOnlyError, ChainOwner, SealedEntry  # noqa: F401 (re-export)
from cchc.organisations.models import OrganisationUnit
from cchc.workflow.history import WorkflowEvent


class Status(models.IntegerChoices):
    DRAFT = 0, _("Draft")  # not a national code: an online dossier not yet submitted
    SUBMITTED = 1, _("Newly submitted")  # Mới đăng ký (online, awaiting check)
    RECEIVED = 2, _("Received")  # Được tiếp nhận
    NOT_RECEIVED = 3, _("Not received")  # Không được tiếp nhận (Mẫu 03)
    PROCESSING = 4, _("Processing")  # Đang xử lý
    SUPPLEMENT_REQUESTED = 5, _("Supplement requested")  # Yêu cầu bổ sung giấy tờ (Mẫu 02)
    FINANCIAL_OBLIGATION = 6, _("Awaiting financial obligation")  # Yêu cầu nghĩa vụ tài chính
    WITHDRAWN = 7, _("Withdrawn by the applicant")  # Công dân yêu cầu rút hồ sơ
    STOPPED = 8, _("Processing stopped")  # Dừng xử lý
    RESOLVED = 9, _("Resolved")  # Đã xử lý xong
    RETURNED = 10, _("Result returned")  # Đã trả kết quả


OPEN_STATUSES = (
    Status.SUBMITTED,
    Status.RECEIVED,
    Status.PROCESSING,
    Status.SUPPLEMENT_REQUESTED,
    Status.FINANCIAL_OBLIGATION,
)
CLOCK_STATUSES = (Status.RECEIVED, Status.PROCESSING)  # the legal clock runs in these only
# Received and not yet resolved or closed: the clock runs or is stopped (supplement, payment).
IN_HANDLING = (*CLOCK_STATUSES, Status.SUPPLEMENT_REQUESTED, Status.FINANCIAL_OBLIGATION)
FINAL_STATUSES = (
    Status.NOT_RECEIVED,
    Status.WITHDRAWN,
    Status.STOPPED,
    Status.RETURNED,
)


class Channel(models.IntegerChoices):
    """KenhThucHien of the national synchronisation."""

    COUNTER = 1, _("At the counter")
    ONLINE = 2, _("Online")
    POSTAL = 3, _("Public postal service")


class OnlineMode(models.TextChoices):
    FULL = "full", _("Fully online")
    PARTIAL = "partial", _("Partly online")


class ApplicantKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ORGANISATION = "organisation", _("Organisation")


class IdType(models.TextChoices):
    CITIZEN_ID = "cccd", _("Citizen identity card")  # CCCD / thẻ căn cước
    PASSPORT = "passport", _("Passport")
    TAX_CODE = "tax_code", _("Enterprise or tax code")
    OTHER = "other", _("Other document")


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    POSTAL = "postal", _("By post")
    ONLINE = "online", _("Online")


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused with reasons")


class PaymentGateway(models.IntegerChoices):
    """DuocThanhToanTrucTuyen of the national synchronisation."""

    NONE = 0, _("Not paid online")
    NATIONAL_PORTAL = 1, _("National public service portal")
    LOCAL_GATEWAY = 2, _("Local payment gateway")


class DossierQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Dossier(ChainOwner):
    """A dossier; ``history_count``/``history_head`` pin its sealed history (``cchc.history``)."""

    code = models.CharField(_("dossier code"), max_length=80, unique=True, null=True, blank=True)
    receiving_unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("receiving unit"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
    )
    current_unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("current unit"),
        on_delete=models.PROTECT,
        related_name="current_dossiers",
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="dossiers"
    )
    variant = models.ForeignKey(
        "catalog.ProcedureVariant",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    status = models.PositiveSmallIntegerField(
        _("status"), choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    channel = models.PositiveSmallIntegerField(_("channel"), choices=Channel.choices)
    online_mode = models.CharField(
        _("online mode"), max_length=10, choices=OnlineMode.choices, blank=True
    )

    # Applicant (người nộp hồ sơ) and authorised representative (người được ủy quyền).
    applicant_kind = models.CharField(
        _("applicant kind"), max_length=15, choices=ApplicantKind.choices
    )
    applicant_name = models.CharField(_("applicant name"), max_length=255)
    applicant_id_type = models.CharField(_("ID type"), max_length=10, choices=IdType.choices)
    applicant_id_number = models.CharField(_("ID number"), max_length=30, db_index=True)
    applicant_birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=500, blank=True)
    representative_name = models.CharField(_("representative"), max_length=255, blank=True)
    representative_id_number = models.CharField(
        _("representative ID number"), max_length=30, blank=True
    )
    representative_phone = models.CharField(_("representative phone"), max_length=20, blank=True)
    authorisation_document = models.CharField(
        _("authorisation document"), max_length=255, blank=True
    )
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="own_dossiers",
    )

    # Times: all set by services from the server clock.
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    effective_received_at = models.DateTimeField(_("clock starts at"), null=True, blank=True)
    due_at = models.DateTimeField(
        _("due at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Legal due time, moved only by clock stops and approved extensions."),
    )
    appointment_at = models.DateTimeField(
        _("appointment"),
        null=True,
        blank=True,
        help_text=_("Return date given to the applicant (changed by an apology letter)."),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    current_step = models.ForeignKey(
        WorkflowStep,
        verbose_name=_("current step"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    current_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("current handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_dossiers",
    )
    step_due_at = models.DateTimeField(_("step due at"), null=True, blank=True)

    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    result_number = models.CharField(_("result document number"), max_length=100, blank=True)
    result_signer = models.CharField(_("signed by"), max_length=255, blank=True)
    result_date = models.DateField(_("result date"), null=True, blank=True)
    result_file = models.FileField(_("result file"), upload_to="results/%Y/%m/", blank=True)
    result_electronic = models.BooleanField(_("electronic result"), default=False)
    return_method = models.CharField(
        _("return method"), max_length=10, choices=ReturnMethod.choices, blank=True
    )
    returned_to = models.CharField(_("result received by"), max_length=255, blank=True)

    fee_amount = models.PositiveBigIntegerField(_("fee (VND)"), default=0)
    fee_paid_online = models.BooleanField(_("fee paid online"), default=False)
    fee_paid_at = models.DateTimeField(_("fee paid at"), null=True, blank=True)

    payment_gateway = models.PositiveSmallIntegerField(
        _("online payment"), choices=PaymentGateway.choices, default=PaymentGateway.NONE
    )
    digitised = models.BooleanField(
        _("digitised dossier"), default=False, help_text=_("HoSoCoThanhPhanSoHoa")
    )
    imported = models.BooleanField(_("imported from another system"), default=False, editable=False)
    engine_due_at = models.DateTimeField(
        _("due time computed here"),
        null=True,
        blank=True,
        help_text=_("For imported dossiers: the engine's due time, shown beside the file's."),
    )

    supplement_count = models.PositiveSmallIntegerField(_("supplement requests"), default=0)
    pause_count = models.PositiveSmallIntegerField(_("clock stops"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("extensions"), default=0)
    late_by_rule = models.BooleanField(
        _("late by rule"),
        default=False,
        help_text=_("Counted as late whatever the times (e.g. a second supplement request)."),
    )
    close_reason = models.TextField(_("reason"), blank=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["current_unit", "status", "due_at"]),
            models.Index(fields=["receiving_unit", "status"]),
            # "All" queue: newest first within the units in scope (bench/queues.py). The id is
            # in the key because the lists sort by (submitted_at, id): without it a unit's slice
            # was sorted, and the planner, misjudging the rows, read a unit's 12,830 dossiers
            # from disk to keep 1,001 (66 ms, docs/benchmarks.md, issue 15).
            models.Index(
                fields=["receiving_unit", "-submitted_at", "-id"],
                condition=~models.Q(status=0),
                name="dossier_recv_newest",
            ),
            models.Index(
                fields=["current_unit", "-submitted_at", "-id"],
                condition=~models.Q(status=0),
                name="dossier_curr_newest",
            ),
            # Whole tree, newest first. The "all" lists never show citizens' drafts, whose empty
            # submission time sorts first in descending order: full indexes made the superuser's
            # page step over every draft (20,000 at 10,000,000 dossiers) before the first row,
            # and each unit's slice over that unit's drafts. So these three are partial.
            models.Index(
                fields=["-submitted_at", "-id"],
                condition=~models.Q(status=0),
                name="dossier_listed_submitted",
            ),
            # Work in process over the whole tree, by due time, without walking years of closed
            # dossiers' due times first.
            models.Index(
                fields=["due_at", "id"],
                condition=models.Q(status__in=[2, 4]),
                name="dossier_running_due",
            ),
            # Work queues of a unit (in process, by due time), and "mine or unassigned": small
            # partial indexes over the few percent of dossiers in process (bench/queues.py at
            # 10,000,000 dossiers, docs/benchmarks.md).
            models.Index(
                fields=["current_unit", "due_at", "id"],
                condition=models.Q(status__in=[2, 4]),
                name="dossier_run_unit_due",
            ),
            models.Index(
                fields=["current_unit", "current_handler", "due_at", "id"],
                condition=models.Q(status__in=[2, 4]),
                name="dossier_run_handler_due",
            ),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    def time_limit(self):
        """The legal limit of this dossier: its case's, or the procedure's."""
        return self.variant.time_limit() if self.variant_id else self.procedure.time_limit()


class DossierComponent(models.Model):
    """A document handed in, mapped to the procedure's required list, with its digitised flag."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    required = models.ForeignKey(
        ProcedureComponent, null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.TextField(_("name"))
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    file = models.FileField(_("file"), upload_to="dossiers/%Y/%m/", blank=True)
    digitised = models.BooleanField(_("digitised"), default=False)  # số hóa

    class Meta:
        verbose_name = _("submitted document")
        verbose_name_plural = _("submitted documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class PauseKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("Waiting for a supplement")
    FINANCIAL = "financial", _("Waiting for payment of financial obligations")
    OTHER = "other", _("Paused")


class DossierPause(models.Model):
    """A clock stop: its working time is added to the due time (766 formula excludes it too)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("kind"), max_length=12, choices=PauseKind.choices)
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("to"), null=True, blank=True)
    applicant_due_at = models.DateTimeField(_("applicant must answer by"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("clock stop")
        verbose_name_plural = _("clock stops")
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%d/%m/%Y %H:%M}"


class ApologyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, awaiting the leader")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent to the applicant")
    REJECTED = "rejected", _("Rejected by the leader")


class ApologyLetter(models.Model):
    """Phiếu/Văn bản xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04).

    Issued at the latest one working day before the due time, signed by the head of the processing
    agency; the appointment may be moved only once (NĐ 61/2018 as reproduced in provincial decisions
    of 2025; TT 03/2025 Mẫu 04 "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"). The
    original due time stays the reference for on-time statistics.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="apologies")
    status = models.CharField(
        _("status"), max_length=10, choices=ApologyStatus.choices, default=ApologyStatus.DRAFT
    )
    reason = models.TextField(_("reason for the delay"))
    original_appointment_at = models.DateTimeField(_("original appointment"))
    new_appointment_at = models.DateTimeField(_("new appointment"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    signer_name = models.CharField(_("signed by"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("drafted at"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("apology letter")
        verbose_name_plural = _("apology letters")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.dossier} – {self.get_status_display()}"


EVENT_LABELS = {
    "apology_drafted": _("Apology letter drafted"),
    "apology_approved": _("Apology letter approved"),
    "apology_rejected": _("Apology letter rejected"),
    "apology_sent": _("Apology letter sent, new appointment"),
    "imported": _("Imported from another system"),
    "rated": _("Rated by the applicant"),
    "draft_created": _("Draft created"),
    "submitted": _("Submitted online"),
    "received": _("Received"),
    "refused": _("Refused at intake"),
    "supplement_requested": _("Supplement requested"),
    "supplement_completed": _("Supplement received"),
    "forwarded": _("Forwarded"),
    "sent_back": _("Sent back"),
    "reassigned": _("Reassigned"),
    "handed_off": _("Handed over to another unit"),
    "financial_requested": _("Financial obligation requested"),
    "payment_recorded": _("Payment recorded"),
    "extended": _("Time limit extended"),
    "resolved": _("Result approved"),
    "returned": _("Result returned"),
    "withdrawn": _("Withdrawn at the applicant's request"),
    "stopped": _("Processing stopped"),
}


# The sealed content of an event besides dossier, sequence, key and previous seal (cchc.history).
EVENT_SEALED_FIELDS = (
    "action",
    "actor_id",
    "actor_name",
    "at",
    "status_before",
    "status_after",
    "step_before",
    "step_after",
    "unit",
    "note",
    "data",
)


class DossierEvent(WorkflowEvent):
    """One entry of a dossier's history: append-only and sealed with a keyed hash chain.

    Each event stores the HMAC of its content and of the previous event's seal; the dossier row
    keeps the count and newest seal. Editing, deleting or adding an event outside the services is
    reported by ``cchc verify-history`` (docs/security.md). ``at`` is always the server's clock.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=40)
    status_before = models.PositiveSmallIntegerField(null=True, blank=True)
    status_after = models.PositiveSmallIntegerField(null=True, blank=True)
    step_before = models.CharField(max_length=500, blank=True)
    step_after = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["dossier_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="unique_event_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.sequence} {self.action}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))


class DailySequence(models.Model):
    """Last dossier number issued by a unit on a day (the XXXX of the dossier code)."""

    unit = models.ForeignKey(OrganisationUnit, on_delete=models.CASCADE)
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="unique_sequence_per_unit_day")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}: {self.last_value}"


class Rating(models.IntegerChoices):
    VERY_DISSATISFIED = 1, _("Very dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    NEUTRAL = 3, _("Neither satisfied nor dissatisfied")
    SATISFIED = 4, _("Satisfied")
    VERY_SATISFIED = 5, _("Very satisfied")


class DossierRating(models.Model):
    """The applicant's satisfaction with one dossier, given once after the result."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="rating")
    score = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("rated at"))

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")

    def __str__(self) -> str:
        return f"{self.dossier}: {self.score}"
