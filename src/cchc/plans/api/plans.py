"""Reform plans API under ``/api/v1/plans/``: the same services and scopes as the pages.

Reads: plans and tasks in the reader's scope (``selectors``), a task's progress reports. Writes:
create a task in a plan (JSON), report progress on a task (multipart: ``evidence`` and
``output_file`` files). An optional ``version`` refuses an action taken on a stale read (409).
Refusals: 400 with field errors, 403 not your role, 404 not in your scope, 409 wrong state or
stale (``cchc.common.api``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cchc.common.text import as_id
from cchc.organisations.models import OrganisationUnit

from .. import selectors, services
from ..models import Plan, PlanField, Task, TaskEvidence, TaskReport, TaskStatus


class PlanFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanField
        fields = ["id", "position", "name"]


class PlanSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    fields = PlanFieldSerializer(many=True, read_only=True)
    status = serializers.CharField(read_only=True)  # PlanStatus values

    class Meta:
        model = Plan
        fields = [
            "id",
            "unit",
            "unit_code",
            "unit_name",
            "year",
            "title",
            "parent",
            "status",
            "version",
            "document_number",
            "issued_on",
            "signer",
            "fields",
        ]


class TaskSerializer(serializers.ModelSerializer):
    lead_unit_code = serializers.CharField(source="lead_unit.code", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", read_only=True)
    issuer_unit_code = serializers.CharField(source="issuer_unit.code", read_only=True)
    field_name = serializers.CharField(source="field.name", read_only=True, default="")
    status = serializers.CharField(read_only=True)  # TaskStatus values
    coordinating_units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "origin",
            "plan",
            "field",
            "field_name",
            "year",
            "code",
            "content",
            "issuer_unit",
            "issuer_unit_code",
            "lead_unit",
            "lead_unit_code",
            "lead_unit_name",
            "coordinating_units",
            "deadline",
            "recurring",
            "milestones",
            "expected_output",
            "budget",
            "implements",
            "par_criteria",
            "status",
            "percent",
            "done_on",
            "output_number",
            "output_issued_on",
            "output_summary",
            "output_file_name",
            "version",
        ]


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = TaskEvidence
        fields = ["id", "original_name", "document_number", "issued_on", "summary"]


class ReportSerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = TaskReport
        fields = ["id", "status", "percent", "text", "reported_on", "reported_at", "evidence"]


class TaskCreateSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    field = serializers.IntegerField()
    content = serializers.CharField(max_length=5000)
    lead_unit = serializers.CharField(max_length=40, help_text="unit code or id")
    coordinating_units = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list
    )
    deadline = serializers.DateField(required=False, allow_null=True)
    recurring = serializers.BooleanField(required=False, default=False)
    milestones = serializers.ListField(
        child=serializers.DateField(), required=False, default=list, max_length=24
    )
    expected_output = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    budget = serializers.DecimalField(
        max_digits=16, decimal_places=0, required=False, allow_null=True
    )
    implements = serializers.IntegerField(required=False, allow_null=True)
    par_criteria = serializers.ListField(
        child=serializers.CharField(max_length=30), required=False, default=list, max_length=50
    )
    code = serializers.CharField(required=False, allow_blank=True, max_length=20)


class ReportInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE]
    )
    percent = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=100)
    text = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    evidence = serializers.ListField(child=serializers.FileField(), required=False, max_length=5)
    evidence_number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    evidence_issued_on = serializers.DateField(required=False, allow_null=True)
    output_file = serializers.FileField(required=False, allow_null=True)
    output_number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    output_issued_on = serializers.DateField(required=False, allow_null=True)
    output_summary = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    version = serializers.IntegerField(required=False, allow_null=True, min_value=0)


def _valid(serializer_class, request):
    payload = serializer_class(data=request.data)
    payload.is_valid(raise_exception=True)
    return payload.validated_data


def _unit(value: str, field: str) -> OrganisationUnit:
    unit = OrganisationUnit.objects.filter(code=value).first()
    if unit is None and as_id(value):
        unit = OrganisationUnit.objects.filter(pk=as_id(value)).first()
    if unit is None:
        raise serializers.ValidationError({field: [_("This unit does not exist.")]})
    return unit


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Plans in the reader's scope. Filters: ``year``, ``unit`` (code)."""

    permission_classes = [IsAuthenticated]
    serializer_class = PlanSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Plan.objects.none()
        plans = (
            selectors.visible_plans(self.request.user)
            .prefetch_related("fields")
            .order_by("-year", "unit__code")
        )
        params = self.request.query_params
        if as_id(params.get("year")):
            plans = plans.filter(year=as_id(params["year"]))
        if params.get("unit"):
            plans = plans.filter(unit__code=params["unit"])
        return plans


class TaskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Tasks in the reader's scope (assigned, led or coordinated by their units). Filters:
    ``plan``, ``year``, ``lead_unit`` (code), ``status``."""

    permission_classes = [IsAuthenticated]
    serializer_class = TaskSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Task.objects.none()
        tasks = (
            selectors.visible_tasks(self.request.user)
            .prefetch_related("coordinating_units")
            .order_by("year", "plan_id", "field__position", "position", "pk")
        )
        params = self.request.query_params
        if as_id(params.get("plan")):
            tasks = tasks.filter(plan_id=as_id(params["plan"]))
        if as_id(params.get("year")):
            tasks = tasks.filter(year=as_id(params["year"]))
        if params.get("lead_unit"):
            tasks = tasks.filter(lead_unit__code=params["lead_unit"])
        if params.get("status"):
            tasks = tasks.filter(status=params["status"])
        return tasks

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid(TaskCreateSerializer, request)
        # Not found or not in scope: a field error (the list has no object to answer 404 for).
        plan = selectors.visible_plans(request.user).filter(pk=data["plan"]).first()
        if plan is None:
            raise serializers.ValidationError({"plan": [_("This plan does not exist.")]})
        field = PlanField.objects.filter(plan=plan, pk=data["field"]).first()
        if field is None:
            raise serializers.ValidationError({"field": [_("Choose a field of this plan.")]})
        implements = None
        if data.get("implements"):
            implements = Task.objects.filter(pk=data["implements"]).first()
            if implements is None:
                raise serializers.ValidationError({"implements": [_("This task does not exist.")]})
        task = services.add_task(
            request.user,
            issuer_unit=plan.unit,
            year=plan.year,
            plan=plan,
            field=field,
            code=data.get("code", ""),
            content=data["content"],
            lead_unit=_unit(data["lead_unit"], "lead_unit"),
            coordinating_units=[
                _unit(code, "coordinating_units") for code in data["coordinating_units"]
            ],
            deadline=data.get("deadline"),
            recurring=data["recurring"],
            milestones=data["milestones"],
            expected_output=data.get("expected_output", ""),
            budget=data.get("budget"),
            implements=implements,
            par_criteria=data["par_criteria"],
        )
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: ReportSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def reports(self, request, pk=None):
        task = self.get_object()
        return Response(ReportSerializer(selectors.task_reports(task), many=True).data)

    @extend_schema(request=ReportInputSerializer, responses={201: ReportSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        task = self.get_object()
        data = _valid(ReportInputSerializer, request)
        evidence = [services.EvidenceInput(upload=upload) for upload in data.get("evidence", [])]
        if data.get("evidence_number"):
            evidence.append(
                services.EvidenceInput(
                    document_number=data["evidence_number"],
                    issued_on=data.get("evidence_issued_on"),
                )
            )
        report = services.report_progress(
            task.pk,
            request.user,
            status=data["status"],
            percent=data.get("percent"),
            text=data.get("text", ""),
            evidence=evidence,
            output=services.OutputInput(
                upload=data.get("output_file"),
                document_number=data.get("output_number", ""),
                issued_on=data.get("output_issued_on"),
                summary=data.get("output_summary", ""),
            ),
            expected_version=data.get("version"),
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)
