"""Yearly administrative-reform plans (Kế hoạch CCHC năm) and their tasks.

A plan belongs to a unit and a year and is issued as a document (số/ký hiệu, ngày ban hành, người
ký, the PDF). Plans cascade: the province's plan, then each department's and commune's plan that
implements it; a task of a lower plan may name the upper task it implements. Tasks are grouped by
field (lĩnh vực): by default "chỉ đạo, điều hành", the six reform areas of Nghị quyết 76/NQ-CP
(15/7/2021) and "tuyên truyền", "kiểm tra" (docs/plans.md).

A task is also what a steering-committee conclusion becomes (``origin = conclusion``, no plan):
both are followed up the same way, by progress reports of the lead unit (``TaskReport``). A task
is done only with its output (sản phẩm), and the day it was done is kept, so completion can be
computed as of any date and "done late" kept apart from "done on time".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.history.models import ChainOwner
from cchc.organisations.models import OrganisationUnit
from cchc.workflow.history import WorkflowEvent


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # dự thảo
    ISSUED = "issued", _("Issued")  # đã ban hành


class Plan(ChainOwner):
    """Kế hoạch CCHC năm of one unit."""

    unit = models.ForeignKey(
        OrganisationUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=500)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("implements the plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # The issuing document (văn bản ban hành kế hoạch).
    document_number = models.CharField(_("number and symbol"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    signer = models.CharField(_("signed by"), max_length=255, blank=True)
    document = models.FileField(_("issuing document (PDF)"), upload_to="plans/%Y/", blank=True)
    document_name = models.CharField(_("file name"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("reform plan")
        verbose_name_plural = _("reform plans")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="unique_plan_unit_year")
        ]

    def __str__(self) -> str:
        return self.title


class PlanField(models.Model):
    """A field (lĩnh vực) of a plan; tasks are grouped and completion is reported by field."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=255)

    class Meta:
        verbose_name = _("plan field")
        verbose_name_plural = _("plan fields")
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="unique_plan_field_position")
        ]

    def __str__(self) -> str:
        return self.name


class TaskOrigin(models.TextChoices):
    PLAN = "plan", _("Plan task")  # nhiệm vụ trong kế hoạch
    CONCLUSION = "conclusion", _("Steering committee conclusion")  # kết luận của Ban chỉ đạo


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")  # chưa triển khai
    IN_PROGRESS = "in_progress", _("In progress")  # đang thực hiện
    DONE = "done", _("Done")  # đã hoàn thành
    CANCELLED = "cancelled", _("Cancelled")  # không thực hiện (điều chỉnh kế hoạch)


class Task(ChainOwner):
    """A task (nhiệm vụ) with a lead unit, a deadline and an expected output.

    ``issuer_unit`` is the unit that assigned the task (the plan's unit, or the committee's unit for
    a conclusion): it scopes who manages the task; ``lead_unit`` reports progress on it.
    ``deadline`` is empty for a recurring task (thường xuyên), which is due at the end of the year
    and reports at ``milestones`` (a list of ISO dates).
    """

    origin = models.CharField(
        _("origin"), max_length=12, choices=TaskOrigin.choices, default=TaskOrigin.PLAN
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    field = models.ForeignKey(
        PlanField,
        verbose_name=_("field"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    issuer_unit = models.ForeignKey(
        OrganisationUnit, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.CharField(_("number"), max_length=20, blank=True)  # "1.3"
    position = models.PositiveIntegerField(_("position"), default=0)
    content = models.TextField(_("content"))
    lead_unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    coordinating_units = models.ManyToManyField(
        OrganisationUnit, verbose_name=_("coordinating units"), blank=True, related_name="+"
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    recurring = models.BooleanField(_("recurring (thường xuyên)"), default=False)
    milestones = models.JSONField(_("reporting milestones"), default=list, blank=True)
    expected_output = models.TextField(_("expected output"), blank=True)  # sản phẩm
    budget = models.DecimalField(
        _("budget (VND)"), max_digits=16, decimal_places=0, null=True, blank=True
    )
    implements = models.ForeignKey(
        "self",
        verbose_name=_("implements the upper task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="implemented_by",
    )
    par_criteria = models.JSONField(
        _("PAR INDEX criteria it should raise"), default=list, blank=True
    )  # criterion codes of the year's criteria set ("1.2", "1.3.1")
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(_("percent done"), default=0)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # The output (sản phẩm) that makes the task done: a file and/or the issued document.
    output_number = models.CharField(_("output number and symbol"), max_length=100, blank=True)
    output_issued_on = models.DateField(_("output issued on"), null=True, blank=True)
    output_summary = models.TextField(_("output summary"), blank=True)
    output_file = models.FileField(_("output document"), upload_to="plans/tasks/%Y/", blank=True)
    output_file_name = models.CharField(_("file name"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["year", "plan_id", "position", "pk"]
        indexes = [
            models.Index(fields=["lead_unit", "year"], name="plan_task_lead_year"),
            models.Index(fields=["issuer_unit", "year"], name="plan_task_issuer_year"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.content[:60]}".strip()


class TaskReport(models.Model):
    """A progress report of the lead unit on a task (báo cáo tiến độ); append-only."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices)
    percent = models.PositiveSmallIntegerField(_("percent done"))
    text = models.TextField(_("progress"), blank=True)
    reported_on = models.DateField(_("as of"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["task", "reported_at", "pk"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.reported_on} {self.percent}%"


class TaskEvidence(models.Model):
    """A document attached to a progress report (tài liệu kiểm chứng)."""

    report = models.ForeignKey(TaskReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="plans/evidence/%Y/", blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    document_number = models.CharField(_("number and symbol"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["report", "pk"]

    def __str__(self) -> str:
        return self.document_number or self.original_name or str(self.pk)


class PlanEvent(WorkflowEvent):
    """One entry of a plan's sealed history (created, issued, field or task added or changed)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    status_before = models.CharField(max_length=12, blank=True)
    status_after = models.CharField(max_length=12, blank=True)

    class Meta:
        verbose_name = _("plan event")
        verbose_name_plural = _("plan events")
        ordering = ["plan_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "sequence"], name="unique_plan_event_sequence")
        ]


class TaskEvent(WorkflowEvent):
    """One entry of a task's sealed history (assigned, progress reported, done, reopened…)."""

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    status_before = models.CharField(max_length=12, blank=True)
    status_after = models.CharField(max_length=12, blank=True)

    class Meta:
        verbose_name = _("task event")
        verbose_name_plural = _("task events")
        ordering = ["task_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["task", "sequence"], name="unique_task_event_sequence")
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


class TaskReminder(models.Model):
    """A deadline reminder already queued for a task, so the daily run never sends one twice."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    deadline = models.DateField()  # the deadline or milestone reminded of
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task", "deadline", "days_before"], name="unique_task_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.deadline} -{self.days_before}"
