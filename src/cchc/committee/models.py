"""The administrative-reform steering committee (Ban chỉ đạo CCHC) of a level, its meetings and
the conclusions that become tracked tasks.

Structure (par-sipas-plan-sources.md §C4): at the Government level the Prime Minister heads the
committee, the Minister of Home Affairs is the standing deputy; at the provincial level the
Chairman of the People's Committee is the head, a Vice-Chairman a deputy, and the Department of
Home Affairs (Sở Nội vụ) its standing body (cơ quan thường trực). Meetings (phiên họp) end in a
conclusion notice (thông báo kết luận, e.g. TB 304/TB-VPCP of 02/8/2023 after Phiên 5) whose items
assign tasks. Whether the BCĐ CCHC was merged into another steering committee in 2025 is not
verified (TB 408/TB-VPCP, 8/8/2025), so the model is a generic committee of a unit.

A conclusion item is a :class:`cchc.plans.models.Task` (``origin = conclusion``): it is followed
up on the task's page by the lead unit's progress reports, like a plan task
(docs/steering-committee.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cchc.history.models import ChainOwner
from cchc.organisations.models import OrganisationUnit
from cchc.workflow.history import WorkflowEvent


class CommitteeStatus(models.TextChoices):
    ACTIVE = "active", _("Active")  # đang hoạt động
    DISSOLVED = "dissolved", _("Dissolved")  # đã giải thể


class Committee(ChainOwner):
    """The steering committee of one unit (a province's at its People's Committee, a commune's…)."""

    unit = models.OneToOneField(
        OrganisationUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="steering_committee",
    )
    name = models.CharField(_("name"), max_length=500)
    standing_unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("standing body"),
        on_delete=models.PROTECT,
        related_name="standing_committees",
    )  # cơ quan thường trực (Sở Nội vụ)
    status = models.CharField(
        _("status"), max_length=10, choices=CommitteeStatus.choices, default=CommitteeStatus.ACTIVE
    )
    # The establishing decision (quyết định thành lập).
    decision_number = models.CharField(_("number and symbol"), max_length=100)
    decision_date = models.DateField(_("signed on"))
    decision_signer = models.CharField(_("signed by"), max_length=255)
    decision_file = models.FileField(
        _("establishing decision (PDF)"), upload_to="committee/%Y/", blank=True
    )
    decision_file_name = models.CharField(_("file name"), max_length=255, blank=True)
    # The rules of operation (quy chế hoạt động), issued by a decision of their own.
    rules_number = models.CharField(_("rules: number and symbol"), max_length=100, blank=True)
    rules_date = models.DateField(_("rules: signed on"), null=True, blank=True)
    rules_file = models.FileField(
        _("rules of operation (PDF)"), upload_to="committee/%Y/", blank=True
    )
    rules_file_name = models.CharField(_("file name"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("steering committee")
        verbose_name_plural = _("steering committees")
        ordering = ["unit__code"]

    def __str__(self) -> str:
        return self.name


class CommitteeRole(models.TextChoices):
    HEAD = "head", _("Head")  # trưởng ban
    STANDING_DEPUTY = "standing_deputy", _("Standing deputy head")  # phó trưởng ban thường trực
    DEPUTY = "deputy", _("Deputy head")  # phó trưởng ban
    STANDING_MEMBER = "standing_member", _("Standing member")  # ủy viên thường trực
    MEMBER = "member", pgettext_lazy("committee role", "Member")  # ủy viên
    SECRETARY = "secretary", _("Secretary")  # thư ký


ROLE_ORDER = {value: index for index, value in enumerate(CommitteeRole.values)}


class Membership(models.Model):
    """A person's seat on the committee from one day to another (a change closes the seat and
    opens a new one, so the composition on any day stays known)."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(_("full name"), max_length=255)
    position = models.CharField(_("position"), max_length=255)  # chức vụ
    organisation = models.CharField(_("organisation"), max_length=255)  # cơ quan
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("platform user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_seats",
    )
    role = models.CharField(_("committee role"), max_length=20, choices=CommitteeRole.choices)
    start_on = models.DateField(_("from"))
    end_on = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "start_on", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    def active_on(self, day) -> bool:
        return self.start_on <= day and (self.end_on is None or self.end_on >= day)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")  # dự kiến
    HELD = "held", _("Held")  # đã họp
    CONCLUDED = "concluded", _("Conclusions issued")  # đã ban hành thông báo kết luận


class Meeting(ChainOwner):
    """A meeting (phiên họp) of the committee: agenda, attendance, documents, minutes and the
    conclusion notice."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    number = models.PositiveSmallIntegerField(_("meeting number"))  # Phiên thứ …
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    online = models.BooleanField(_("online"), default=False)
    agenda = models.JSONField(_("agenda"), default=list, blank=True)  # a list of items (text)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    guests = models.TextField(_("guests"), blank=True)  # khách mời: one per line
    minutes = models.TextField(_("minutes"), blank=True)  # biên bản
    minutes_file = models.FileField(
        _("minutes (PDF)"), upload_to="committee/minutes/%Y/", blank=True
    )
    minutes_file_name = models.CharField(_("file name"), max_length=255, blank=True)
    # The conclusion notice (thông báo kết luận).
    notice_number = models.CharField(_("notice number and symbol"), max_length=100, blank=True)
    notice_date = models.DateField(_("notice date"), null=True, blank=True)
    notice_file = models.FileField(
        _("conclusion notice (PDF)"), upload_to="committee/notices/%Y/", blank=True
    )
    notice_file_name = models.CharField(_("file name"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["committee", "date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "number"], name="unique_committee_meeting_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee} – {self.number}"


class Attendance(models.Model):
    """A member's presence at a held meeting (absent: with the reason given)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("present"), default=True)
    reason = models.CharField(_("reason for absence"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="unique_meeting_attendance")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.member_id} {'+' if self.present else '-'}"


class MeetingDocument(models.Model):
    """A document of the meeting (báo cáo, dự thảo, tài liệu phục vụ phiên họp)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=500)
    file = models.FileField(_("file"), upload_to="committee/documents/%Y/")
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.title


class Conclusion(models.Model):
    """An item of the conclusion notice; its follow-up is the task it became."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="conclusions")
    position = models.PositiveSmallIntegerField(_("position"))
    task = models.OneToOneField(
        "plans.Task", on_delete=models.PROTECT, related_name="committee_conclusion"
    )

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="unique_meeting_conclusion_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} #{self.position}"


class CommitteeEvent(WorkflowEvent):
    """One entry of a committee's sealed history (established, member seated or leaving…)."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    status_before = models.CharField(max_length=10, blank=True)
    status_after = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("committee event")
        verbose_name_plural = _("committee events")
        ordering = ["committee_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "sequence"], name="unique_committee_event_sequence"
            )
        ]


class MeetingEvent(WorkflowEvent):
    """One entry of a meeting's sealed history (planned, document added, held, concluded)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    status_before = models.CharField(max_length=10, blank=True)
    status_after = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("meeting event")
        verbose_name_plural = _("meeting events")
        ordering = ["meeting_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "sequence"], name="unique_meeting_event_sequence"
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
