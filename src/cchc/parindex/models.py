"""PAR INDEX records: criteria sets (data, versioned by year and level), rounds, each unit's
assessment with its leaf scores and evidence, the appraisal council, and the sealed history.

The criteria tree is stored as nodes (``Criterion``) and read into the pure engine
(:mod:`cchc.parindex.engine`) for validation and results. Sources and formulas: docs/parindex.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.history.models import ChainOwner
from cchc.organisations.models import OrganisationUnit
from cchc.workflow.history import WorkflowEvent

from . import engine

POINTS = {"max_digits": 7, "decimal_places": 2}


class Level(models.TextChoices):
    """The kind of unit a criteria set assesses. Since the two-tier local government (Decree
    118/2025, from 1/7/2025) provincial schemes cover sở, ban, ngành and UBND xã, phường (Sơn La
    2211/QĐ-UBND, Hà Nội 5666/QĐ-UBND 2025); the national index covers provinces and ministries."""

    PROVINCE = "province", _("Province (national index)")
    MINISTRY = "ministry", _("Ministry (national index)")
    DEPARTMENT = "department", _("Department, agency (sở, ban, ngành)")
    COMMUNE = "commune", _("Commune, ward (xã, phường)")
    DISTRICT = "district", _("District (before 1/7/2025)")


class Method(models.TextChoices):
    LEVELS = engine.LEVELS, _("Choice among levels")
    BANDS = engine.BANDS, _("Percentage bands")
    DEDUCTION = engine.DEDUCTION, _("Deduction rule")
    NUMBER = engine.NUMBER, _("Points entered")
    COMPUTED = engine.COMPUTED, _("From platform data")
    SURVEY = engine.SURVEY, _("By survey")


class Block(models.TextChoices):
    MAIN = engine.MAIN, _("Index criteria")
    BONUS = engine.BONUS, _("Bonus points")  # điểm thưởng
    PENALTY = engine.PENALTY, _("Penalty points")  # điểm trừ


class Aggregation(models.TextChoices):
    SUM = engine.SUM, _("Parts add up to the maximum")
    CAP = engine.CAP, _("Parts are capped at the maximum")


class CriteriaSet(models.Model):
    """Bộ tiêu chí: one version of the criteria for one year and one level."""

    name = models.CharField(_("name"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    declared_total = models.DecimalField(_("declared total"), default=100, **POINTS)
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    is_sample = models.BooleanField(
        _("sample"), default=False, help_text=_("Demo data built from published examples.")
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["-year", "level", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "level", "version"], name="unique_criteria_set_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year}, v{self.version})"

    @property
    def in_use(self) -> bool:
        return self.rounds.exists()

    def tree(self) -> list[engine.Node]:
        """The set as engine nodes (top-level nodes in order), read in one query."""
        nodes = {}
        roots = []
        for row in self.criteria.order_by("position"):
            node = row.as_node()
            nodes[row.pk] = node
            if row.parent_id is None:
                roots.append(node)
            else:
                nodes[row.parent_id].children.append(node)
        return roots


class Criterion(models.Model):
    """One node of the tree: field, criterion, sub-criterion… Leaves carry the scoring method."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(_("position"))  # depth-first order within the set
    code = models.CharField(_("code"), max_length=30)
    name = models.TextField(_("name"))
    max_points = models.DecimalField(_("maximum points"), **POINTS)
    block = models.CharField(_("block"), max_length=10, choices=Block.choices, default=Block.MAIN)
    aggregation = models.CharField(
        _("adds up"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    method = models.CharField(
        _("scoring method"), max_length=12, choices=Method.choices, blank=True
    )
    method_spec = models.JSONField(_("scoring rule"), default=dict, blank=True)
    method_text = models.TextField(_("how it is scored"), blank=True)  # cách chấm, as written
    evidence_required = models.TextField(_("evidence required"), blank=True)  # tài liệu kiểm chứng
    may_be_not_applicable = models.BooleanField(_("may be not applicable"), default=False)
    responsible_hint = models.CharField(
        _("responsible office"), max_length=255, blank=True
    )  # e.g. "Văn phòng" — the office that usually answers for it

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "position"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="unique_criterion_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    @property
    def is_leaf(self) -> bool:
        return bool(self.method)

    @property
    def depth(self) -> int:
        return self.code.count(".")

    def as_node(self) -> engine.Node:
        return engine.Node(
            code=self.code,
            name=self.name,
            max_points=self.max_points,
            block=self.block,
            aggregation=self.aggregation,
            method=self.method,
            spec=self.method_spec or {},
            may_be_not_applicable=self.may_be_not_applicable,
        )


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")  # tự đánh giá
    APPRAISAL = "appraisal", _("Appraisal")  # thẩm định
    DECIDED = "decided", _("Appraisal closed")  # council's decision taken
    PUBLISHED = "published", _("Published")  # công bố


class Round(ChainOwner):
    """Kỳ đánh giá: a criteria set applied to a list of units for one year, with its calendar."""

    name = models.CharField(_("name"), max_length=255)
    year = models.PositiveSmallIntegerField(_("assessment year"))
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="rounds")
    organiser = models.ForeignKey(
        OrganisationUnit,
        on_delete=models.PROTECT,
        related_name="par_rounds",
        verbose_name=_("organised by"),
        help_text=_("Usually the Department of Home Affairs (Sở Nội vụ)."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=0)
    self_assessment_opens = models.DateField(_("self-assessment opens"))
    self_assessment_closes = models.DateField(_("self-assessment closes"))
    appraisal_closes = models.DateField(_("appraisal closes"))
    explanation_days = models.PositiveSmallIntegerField(
        _("working days to answer an explanation request"), default=5
    )
    publication_date = models.DateField(_("planned publication"), null=True, blank=True)
    grade_bands = models.JSONField(
        _("grade bands"),
        default=list,
        blank=True,
        help_text=_('Highest first: [{"label": "A", "minimum": "90"}, …, {"label": "D"}].'),
    )
    survey_scale = models.DecimalField(
        _("survey points conversion"),
        default=100,
        help_text=_("A satisfaction index is converted to points as index ÷ this × maximum."),
        **POINTS,
    )
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "criteria_set", "organiser"], name="unique_round_per_set_year"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        return self.criteria_set.level

    @property
    def unit(self) -> OrganisationUnit:
        """The unit whose reform staff run the round (the transition tables read ``unit``)."""
        return self.organiser

    def bands(self) -> tuple[engine.GradeBand, ...]:
        if not self.grade_bands:
            return engine.DEFAULT_GRADE_BANDS
        return tuple(
            engine.GradeBand(
                band["label"],
                None if band.get("minimum") in (None, "") else engine.to_decimal(band["minimum"]),
            )
            for band in self.grade_bands
        )


class RoundEvent(WorkflowEvent):
    """One entry of a round's sealed history (opened, closed with a decision, published…)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    status_before = models.CharField(max_length=20, blank=True)
    status_after = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("round event")
        verbose_name_plural = _("round events")
        ordering = ["round_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "sequence"], name="unique_round_event_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id}#{self.sequence} {self.action}"


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("Chair")  # chủ tịch hội đồng
    SECRETARY = "secretary", _("Secretary")  # thư ký
    MEMBER = "member", _("Member")  # thành viên


class CouncilMember(models.Model):
    """A member of the round's appraisal council (hội đồng thẩm định) and the fields assigned."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="council")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="par_council_seats"
    )
    role = models.CharField(_("role"), max_length=10, choices=CouncilRole.choices)
    fields = models.ManyToManyField(
        Criterion,
        blank=True,
        related_name="council_members",
        verbose_name=_("fields assigned"),
        help_text=_("Top-level criteria; the chair and secretary see every field."),
    )

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="unique_council_seat")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Self-assessing")
    SUBMITTED = "submitted", _("Submitted")  # locked for the unit
    APPRAISED = "appraised", _("Appraised")
    PUBLISHED = "published", _("Published")


class Assessment(ChainOwner):
    """One assessed unit in one round: its self-assessment, appraisal and survey points."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey(
        OrganisationUnit, on_delete=models.PROTECT, related_name="par_assessments"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(_("difficulties and recommendations"), blank=True)

    class Meta:
        verbose_name = _("unit assessment")
        verbose_name_plural = _("unit assessments")
        ordering = ["round", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "unit"], name="unique_assessment_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.round} — {self.unit}"

    @property
    def code(self) -> str:
        return f"{self.round.year}-{self.unit.code}"


class AppraisalState(models.TextChoices):
    PENDING = "pending", _("Not yet appraised")
    ACCEPTED = "accepted", _("Accepted")
    ADJUSTED = "adjusted", _("Adjusted")


class LeafScore(models.Model):
    """One leaf of one assessment: what the unit entered, what the council decided.

    Both the self score and the appraised score are kept forever; every change of either is an
    event of the assessment's sealed history (who, when, from, to, why).
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    responsible_unit = models.ForeignKey(
        OrganisationUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible office"),
    )
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    value = models.JSONField(_("value entered"), null=True, blank=True)  # level key, %, points
    self_score = models.DecimalField(_("self score"), null=True, blank=True, **POINTS)
    explanation = models.TextField(_("explanation"), blank=True)  # giải trình
    computed_value = models.DecimalField(
        _("platform figure"), max_digits=9, decimal_places=4, null=True, blank=True
    )
    computed_detail = models.JSONField(default=dict, blank=True)  # numerator, denominator…
    contested = models.BooleanField(_("contested"), default=False)
    survey_score = models.DecimalField(_("survey points"), null=True, blank=True, **POINTS)
    survey_source = models.CharField(_("survey source"), max_length=255, blank=True)
    appraisal_state = models.CharField(
        _("appraisal"),
        max_length=10,
        choices=AppraisalState.choices,
        default=AppraisalState.PENDING,
    )
    appraised_score = models.DecimalField(_("appraised score"), null=True, blank=True, **POINTS)
    appraisal_reason = models.TextField(_("appraisal reason"), blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("leaf score")
        verbose_name_plural = _("leaf scores")
        ordering = ["assessment", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="unique_leaf_score_per_assessment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} / {self.criterion.code}"

    def as_input(self) -> engine.LeafInput:
        return engine.LeafInput(
            self_score=self.self_score,
            appraised_score=self.appraised_score,
            survey=self.survey_score,
            not_applicable=self.not_applicable,
        )


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Uploaded document")
    DOCUMENT = "document", _("Issued document reference")  # số/ký hiệu, ngày, trích yếu
    RECORD = "record", _("Platform record")  # a report, a plan task, an inspection


class Evidence(models.Model):
    """Tài liệu kiểm chứng attached to a leaf."""

    leaf = models.ForeignKey(LeafScore, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(_("file"), upload_to="parindex/%Y/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    document_number = models.CharField(_("number and symbol"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)  # trích yếu
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    record_type = models.CharField(_("record type"), max_length=40, blank=True)
    record_reference = models.CharField(_("record"), max_length=255, blank=True)
    record_url = models.CharField(_("record link"), max_length=500, blank=True)
    outside_year = models.BooleanField(_("dated outside the assessment year"), default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["leaf", "added_at", "pk"]

    def __str__(self) -> str:
        return self.document_number or self.original_name or self.record_reference or str(self.pk)


class ExplanationRequest(models.Model):
    """The council asks the unit to explain a leaf (yêu cầu giải trình); answered once."""

    leaf = models.ForeignKey(
        LeafScore, on_delete=models.CASCADE, related_name="explanation_requests"
    )
    message = models.TextField(_("request"))
    due_on = models.DateField(_("answer by"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("explanation request")
        verbose_name_plural = _("explanation requests")
        ordering = ["leaf", "requested_at"]

    def __str__(self) -> str:
        return f"{self.leaf} ({self.requested_at:%d/%m/%Y})"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class AssessmentEvent(WorkflowEvent):
    """One entry of an assessment's sealed history: a score entered or changed (who, when, from,
    to, why in ``data``), evidence added, submission, appraisal, explanation."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    status_before = models.CharField(max_length=12, blank=True)
    status_after = models.CharField(max_length=12, blank=True)
    criterion_code = models.CharField(_("criterion"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("assessment event")
        verbose_name_plural = _("assessment events")
        ordering = ["assessment_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "sequence"], name="unique_assessment_event_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}#{self.sequence} {self.action}"


EVENT_SEALED_FIELDS = (
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
ASSESSMENT_EVENT_SEALED_FIELDS = (*EVENT_SEALED_FIELDS, "criterion_code")


class ReminderSent(models.Model):
    """A deadline reminder already queued, so the daily run never sends one twice."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(OrganisationUnit, on_delete=models.CASCADE, related_name="+")
    deadline = models.CharField(max_length=30)  # "self_assessment_closes", "explanation:<id>"
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit", "deadline", "days_before"], name="unique_par_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.unit} {self.deadline} −{self.days_before}"
