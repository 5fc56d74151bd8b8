"""Steering committee API under ``/api/v1/committee/``: the same scopes and services as the pages.

Reads: committees, meetings and conclusions in the reader's scope (``selectors``). Writes (POST,
for the committee's managers): record a meeting as held, issue its conclusion notice. An optional
``version`` refuses an action taken on a stale read (409). Refusals: 400 with field errors, 403
not your role, 404 not in your scope, 409 wrong state or stale (``cchc.common.api``).
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cchc.common.text import as_id
from cchc.organisations.models import OrganisationUnit

from .. import selectors, services
from ..models import Committee, Conclusion, Meeting, Membership


class CommitteeMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "name", "position", "organisation", "role", "start_on", "end_on"]


class CommitteeSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    standing_unit_code = serializers.CharField(source="standing_unit.code", read_only=True)
    members = CommitteeMemberSerializer(many=True, read_only=True)

    class Meta:
        model = Committee
        fields = [
            "id",
            "name",
            "unit",
            "unit_code",
            "standing_unit",
            "standing_unit_code",
            "status",
            "version",
            "decision_number",
            "decision_date",
            "decision_signer",
            "rules_number",
            "rules_date",
            "members",
        ]


class CommitteeConclusionSerializer(serializers.ModelSerializer):
    meeting_number = serializers.IntegerField(source="meeting.number", read_only=True)
    committee = serializers.IntegerField(source="meeting.committee_id", read_only=True)
    content = serializers.CharField(source="task.content", read_only=True)
    lead_unit_code = serializers.CharField(source="task.lead_unit.code", read_only=True)
    deadline = serializers.DateField(source="task.deadline", read_only=True)
    task_status = serializers.CharField(source="task.status", read_only=True)
    done_on = serializers.DateField(source="task.done_on", read_only=True)
    state = serializers.SerializerMethodField()

    class Meta:
        model = Conclusion
        fields = [
            "id",
            "committee",
            "meeting",
            "meeting_number",
            "position",
            "task",
            "content",
            "lead_unit_code",
            "deadline",
            "task_status",
            "done_on",
            "state",
        ]

    def get_state(self, conclusion) -> str:
        """done_on_time, done_late, open or overdue as of today ("" when the task was cancelled)."""
        rows = selectors.summarise([conclusion], timezone.localdate()).rows
        return rows[0].state if rows else ""


class CommitteeMeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = [
            "id",
            "committee",
            "number",
            "date",
            "place",
            "online",
            "agenda",
            "status",
            "version",
            "guests",
            "minutes",
            "notice_number",
            "notice_date",
        ]


class VersionField(serializers.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(required=False, allow_null=True, min_value=0, **kwargs)


class CommitteeHoldSerializer(serializers.Serializer):
    absences = serializers.DictField(
        child=serializers.CharField(max_length=500), required=False, default=dict
    )  # member id → reason
    guests = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    minutes = serializers.CharField(required=False, allow_blank=True, max_length=50000)
    version = VersionField()


class CommitteeItemSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=5000)
    lead_unit = serializers.CharField(max_length=50)  # the unit's code
    deadline = serializers.DateField()
    expected_output = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    def validate_lead_unit(self, code):
        unit = OrganisationUnit.objects.filter(code=code, active=True).first()
        if unit is None:
            raise serializers.ValidationError("Không có đơn vị mang mã này.")
        return unit


class CommitteeConcludeSerializer(serializers.Serializer):
    notice_number = serializers.CharField(max_length=100)
    notice_date = serializers.DateField()
    items = CommitteeItemSerializer(many=True)
    version = VersionField()


class CommitteeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Committees of the units in the reader's scope, or on which the reader sits."""

    permission_classes = [IsAuthenticated]
    serializer_class = CommitteeSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Committee.objects.none()
        return selectors.visible_committees(self.request.user).prefetch_related("members")


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Meetings of the visible committees. Filters: ``committee``, ``status``."""

    permission_classes = [IsAuthenticated]
    serializer_class = CommitteeMeetingSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Meeting.objects.none()
        meetings = selectors.visible_meetings(self.request.user).order_by("committee_id", "number")
        params = self.request.query_params
        if as_id(params.get("committee")):
            meetings = meetings.filter(committee_id=as_id(params["committee"]))
        if params.get("status"):
            meetings = meetings.filter(status=params["status"])
        return meetings

    def _answer(self, meeting):
        meeting.refresh_from_db()
        return Response(CommitteeMeetingSerializer(meeting).data)

    @extend_schema(request=CommitteeHoldSerializer, responses={200: CommitteeMeetingSerializer})
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        meeting = self.get_object()
        payload = CommitteeHoldSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        absences = {}
        for key, reason in data["absences"].items():
            member = as_id(key)
            if member is None:
                raise serializers.ValidationError({"absences": ["Mã thành viên không hợp lệ."]})
            absences[member] = reason
        services.hold_meeting(
            request.user,
            meeting.pk,
            absences=absences,
            guests=data.get("guests", ""),
            minutes=data.get("minutes", ""),
            expected_version=data.get("version"),
        )
        return self._answer(meeting)

    @extend_schema(request=CommitteeConcludeSerializer, responses={200: CommitteeMeetingSerializer})
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        meeting = self.get_object()
        payload = CommitteeConcludeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.issue_conclusions(
            request.user,
            meeting.pk,
            notice_number=data["notice_number"],
            notice_date=data["notice_date"],
            items=[
                services.ConclusionInput(
                    content=item["content"],
                    lead_unit=item["lead_unit"],
                    deadline=item["deadline"],
                    expected_output=item.get("expected_output", ""),
                )
                for item in data["items"]
            ],
            expected_version=data.get("version"),
        )
        return self._answer(meeting)


class ConclusionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Conclusions of the visible committees. Filters: ``committee``, ``meeting``."""

    permission_classes = [IsAuthenticated]
    serializer_class = CommitteeConclusionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Conclusion.objects.none()
        conclusions = selectors.visible_conclusions(self.request.user).order_by(
            "meeting__committee_id", "meeting__number", "position"
        )
        params = self.request.query_params
        if as_id(params.get("committee")):
            conclusions = conclusions.filter(meeting__committee_id=as_id(params["committee"]))
        if as_id(params.get("meeting")):
            conclusions = conclusions.filter(meeting_id=as_id(params["meeting"]))
        return conclusions
