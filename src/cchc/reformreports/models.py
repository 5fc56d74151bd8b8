"""The periodic administrative-reform report (báo cáo CCHC định kỳ: quý I, 6 tháng, quý III, năm).

A unit reports for a year and a period kind; the period's data window and due date come from
``CCHC_REFORM_REPORT_PERIODS`` (CV 581/BNV-CCHC defaults, :mod:`.engine.periods`) and are kept on
the report when it is created. The figures are a **snapshot** of the registered report sections
(``cchc.common.report_sections``) assembled from the platform's data for the unit's subtree; the
officers write the narrative (kết quả đạt được, tồn tại hạn chế, nguyên nhân, phương hướng nhiệm
vụ kỳ tới) and the unit's leader approves it. Every change is sealed into the report's history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.history.models import ChainOwner
from cchc.organisations.models import OrganisationUnit
from cchc.workflow.history import WorkflowEvent


class PeriodKind(models.TextChoices):
    Q1 = "q1", _("first quarter")  # quý I
    H1 = "h1", _("six months")  # 6 tháng
    Q3 = "q3", _("third quarter")  # quý III
    YEAR = "year", _("year")  # năm


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # dự thảo
    SUBMITTED = "submitted", _("Submitted for approval")  # trình lãnh đạo duyệt
    APPROVED = "approved", _("Approved and sent")  # đã duyệt, gửi


NARRATIVE_FIELDS = ("achievements", "shortcomings", "causes", "next_tasks")


class ReformReport(ChainOwner):
    """One unit's report for one period of one year."""

    unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="reform_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("figures from"))
    period_end = models.DateField(_("figures to"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    snapshot = models.JSONField(_("figures"), default=dict, blank=True)
    assembled_at = models.DateTimeField(_("figures as of"), null=True, blank=True)
    achievements = models.TextField(_("results achieved"), blank=True)  # kết quả đạt được
    shortcomings = models.TextField(_("shortcomings and limitations"), blank=True)  # tồn tại
    causes = models.TextField(_("causes"), blank=True)  # nguyên nhân
    next_tasks = models.TextField(_("tasks for the next period"), blank=True)  # phương hướng
    document_number = models.CharField(_("number and symbol"), max_length=100, blank=True)
    place = models.CharField(_("place name"), max_length=100, blank=True)  # địa danh
    recipients = models.TextField(_("recipients"), blank=True)  # nơi nhận
    signer_title = models.CharField(_("signer's title"), max_length=255, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=255, blank=True)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("periodic reform report")
        verbose_name_plural = _("periodic reform reports")
        ordering = ["-year", "-period_end", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "kind"], name="unique_reform_report_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.get_kind_display()} {self.year}"

    @property
    def title(self) -> str:
        return str(self)


class ReformReportEvent(WorkflowEvent):
    """One entry of a report's sealed history (created, figures refreshed, edited, submitted…)."""

    report = models.ForeignKey(ReformReport, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    status_before = models.CharField(max_length=12, blank=True)
    status_after = models.CharField(max_length=12, blank=True)

    class Meta:
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        ordering = ["report_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "sequence"], name="unique_reform_report_event_sequence"
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
