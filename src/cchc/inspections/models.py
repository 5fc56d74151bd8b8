"""Reform inspections (kiểm tra công tác CCHC): the yearly plan of an organising unit, the team
with its establishing decision, one record per inspected unit (checklist by PAR field with the
platform's figures frozen at filling, findings, recommendations), the conclusion notice and the
remediation the inspected unit reports. Rules and sources: docs/inspections.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.history.models import ChainOwner
from cchc.organisations.models import OrganisationUnit
from cchc.parindex.models import CriteriaSet
from cchc.workflow.history import WorkflowEvent


class InspectionPlan(models.Model):
    """Kế hoạch kiểm tra CCHC năm of an organising unit (UBND tỉnh, Sở Nội vụ, a department
    inspecting its own sub-units), with its issuing document."""

    organiser = models.ForeignKey(
        OrganisationUnit,
        on_delete=models.PROTECT,
        related_name="inspection_plans",
        verbose_name=_("organised by"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=255)
    document_number = models.CharField(_("number and symbol"), max_length=100, blank=True)
    document_date = models.DateField(_("issued on"), null=True, blank=True)
    document_file = models.FileField(_("document (PDF)"), upload_to="inspections/%Y/", blank=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "organiser__name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def unit(self) -> OrganisationUnit:
        return self.organiser


class InspectionTeam(models.Model):
    """Đoàn kiểm tra, set up by a decision (quyết định thành lập đoàn)."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=255)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_file = models.FileField(_("decision (PDF)"), upload_to="inspections/%Y/", blank=True)

    class Meta:
        verbose_name = _("inspection team")
        verbose_name_plural = _("inspection teams")
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return self.name


class TeamRole(models.TextChoices):
    HEAD = "head", _("Head of the team")  # trưởng đoàn
    MEMBER = "member", _("Team member")  # thành viên
    SECRETARY = "secretary", _("Team secretary")  # thư ký


class TeamMember(models.Model):
    team = models.ForeignKey(InspectionTeam, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspection_seats"
    )
    role = models.CharField(_("role"), max_length=10, choices=TeamRole.choices)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="unique_inspection_team_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class InspectionKind(models.TextChoices):
    REGULAR = "regular", _("Regular")  # định kỳ, theo kế hoạch
    SURPRISE = "surprise", _("Surprise")  # đột xuất


class InspectionMethod(models.TextChoices):
    DIRECT = "direct", _("Direct, at the unit")  # kiểm tra trực tiếp
    REPORTS = "reports", _("Through reports")  # kiểm tra qua báo cáo


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    RECORD_CLOSED = "record_closed", _("Record closed")  # biên bản kiểm tra đã lập
    CONCLUDED = "concluded", _("Conclusion issued")  # thông báo kết luận đã ban hành
    REMEDIATED = "remediated", _("Remediation closed")


DONE_STATUSES = (
    InspectionStatus.RECORD_CLOSED,
    InspectionStatus.CONCLUDED,
    InspectionStatus.REMEDIATED,
)
# The inspected unit reads its own record only once the conclusion is issued.
PUBLISHED_TO_UNIT = (InspectionStatus.CONCLUDED, InspectionStatus.REMEDIATED)


class Inspection(ChainOwner):
    """One planned inspection of one unit, and its record (biên bản) once it takes place."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="inspections")
    team = models.ForeignKey(
        InspectionTeam,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("inspection team"),
    )
    target = models.ForeignKey(
        OrganisationUnit,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("inspected unit"),
    )
    planned_start = models.DateField(_("planned from"))
    planned_end = models.DateField(_("planned to"))
    kind = models.CharField(
        _("kind"), max_length=10, choices=InspectionKind.choices, default=InspectionKind.REGULAR
    )
    method = models.CharField(
        _("method"),
        max_length=10,
        choices=InspectionMethod.choices,
        default=InspectionMethod.DIRECT,
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("PAR criteria set"),
    )
    field_codes = models.JSONField(_("PAR fields inspected"), default=list, blank=True)
    topic = models.CharField(_("topic"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PLANNED,
    )
    version = models.PositiveIntegerField(default=0)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    figures = models.JSONField(_("platform figures"), default=list, blank=True)
    figures_at = models.DateTimeField(_("figures read at"), null=True, blank=True)
    sipas = models.JSONField(_("SIPAS results"), default=dict, blank=True)
    conclusion_number = models.CharField(_("notice number"), max_length=100, blank=True)
    conclusion_date = models.DateField(_("notice date"), null=True, blank=True)
    conclusion_signer = models.CharField(_("signed by"), max_length=255, blank=True)
    remediation_due = models.DateField(_("remediation due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["planned_start", "target__name", "pk"]

    def __str__(self) -> str:
        return f"{self.plan.year} – {self.target.name}"

    @property
    def unit(self) -> OrganisationUnit:
        return self.target


class ChecklistResult(models.TextChoices):
    OK = "ok", _("Meets the requirements")  # đạt
    NOT_OK = "not_ok", _("Does not meet them")  # chưa đạt


class ChecklistRow(models.Model):
    """One PAR field of the set, checked: đạt / chưa đạt, with notes."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="checklist")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(_("code"), max_length=30)
    name = models.TextField(_("name"))
    result = models.CharField(
        _("result"), max_length=10, choices=ChecklistResult.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "code"], name="unique_checklist_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.result}"


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")  # ưu điểm
    WEAKNESS = "weakness", _("Shortcoming, limitation")  # tồn tại, hạn chế
    CAUSE = "cause", _("Cause")  # nguyên nhân


class Finding(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=10, choices=FindingKind.choices)
    text = models.TextField(_("finding"))
    criteria_codes = models.JSONField(_("PAR criteria affected"), default=list, blank=True)

    class Meta:
        ordering = ["inspection", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Not yet remedied")
    IN_PROGRESS = "in_progress", _("Being remedied")
    DONE = "done", _("Remedied")


class Recommendation(models.Model):
    """Kiến nghị: what the inspected unit (or another) must do, by when; remedied by reports."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField(_("recommendation"))
    responsible_unit = models.ForeignKey(
        OrganisationUnit,
        on_delete=models.PROTECT,
        related_name="inspection_recommendations",
        verbose_name=_("responsible unit"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )
    done_on = models.DateField(_("remedied on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["inspection", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def unit(self) -> OrganisationUnit:
        return self.responsible_unit

    @property
    def done_late(self) -> bool:
        return bool(self.done_on and self.deadline and self.done_on > self.deadline)

    def is_overdue(self, today) -> bool:
        return (
            self.status != RecommendationStatus.DONE
            and self.deadline is not None
            and today > self.deadline
        )


class RemediationReport(models.Model):
    """The inspected unit's report on one recommendation (append-only)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="reports"
    )
    status = models.CharField(_("status"), max_length=12, choices=RecommendationStatus.choices)
    text = models.TextField(_("what was done"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"))

    class Meta:
        ordering = ["recommendation", "reported_at", "pk"]

    def __str__(self) -> str:
        return f"{self.recommendation_id} {self.status}"


class RemediationEvidence(models.Model):
    report = models.ForeignKey(RemediationReport, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="inspections/remediation/%Y/")
    original_name = models.CharField(_("file name"), max_length=255)

    class Meta:
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.original_name


class InspectionEvent(WorkflowEvent):
    """One entry of an inspection's sealed history."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    status_before = models.CharField(max_length=20, blank=True)
    status_after = models.CharField(max_length=20, blank=True)

    class Meta:
        verbose_name = _("inspection event")
        verbose_name_plural = _("inspection events")
        ordering = ["inspection_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "sequence"], name="unique_inspection_event_sequence"
            )
        ]


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
