"""Inspections API under ``/api/v1/inspections/``: the same services and scopes as the pages.

Reads: plans, inspections and recommendations in the reader's scope (``selectors``). Write
(POST, multipart for files): ``recommendations/<id>/report/`` reports remediation. An optional
``version`` refuses a report made on a stale read (409). Refusals: 400 with field errors, 403 not
your role or unit, 404 not in your scope, 409 wrong state or stale.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .. import selectors, services
from ..models import Inspection, InspectionPlan, Recommendation


class InspectionPlanSerializer(serializers.ModelSerializer):
    organiser_code = serializers.CharField(source="organiser.code", read_only=True)
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)

    class Meta:
        model = InspectionPlan
        fields = [
            "id",
            "name",
            "year",
            "organiser",
            "organiser_code",
            "organiser_name",
            "document_number",
            "document_date",
            "version",
        ]


class RecommendationSerializer(serializers.ModelSerializer):
    responsible_unit_code = serializers.CharField(source="responsible_unit.code", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "inspection",
            "text",
            "responsible_unit",
            "responsible_unit_code",
            "deadline",
            "status",
            "done_on",
            "overdue",
            "version",
        ]

    def get_overdue(self, item) -> bool:
        from django.utils import timezone

        return item.is_overdue(timezone.localdate())


class InspectionSerializer(serializers.ModelSerializer):
    target_code = serializers.CharField(source="target.code", read_only=True)
    target_name = serializers.CharField(source="target.name", read_only=True)
    findings = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "id",
            "plan",
            "target",
            "target_code",
            "target_name",
            "planned_start",
            "planned_end",
            "kind",
            "method",
            "field_codes",
            "topic",
            "status",
            "version",
            "inspected_on",
            "figures",
            "figures_at",
            "sipas",
            "conclusion_number",
            "conclusion_date",
            "remediation_due",
            "findings",
        ]

    def get_findings(self, inspection) -> list[dict]:
        return [
            {"kind": item.kind, "text": item.text, "criteria_codes": item.criteria_codes}
            for item in inspection.findings.all()
        ]


class RemediationSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["in_progress", "done"])
    text = serializers.CharField(max_length=5000)
    files = serializers.ListField(child=serializers.FileField(), required=False, max_length=5)
    version = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Inspection plans in the reader's scope. Filter: ``year``."""

    permission_classes = [IsAuthenticated]
    serializer_class = InspectionPlanSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InspectionPlan.objects.none()
        plans = selectors.visible_plans(self.request.user).order_by("-year", "pk")
        year = self.request.query_params.get("year", "")
        return plans.filter(year=int(year)) if year.isdigit() else plans


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Inspections in the reader's scope (team, organiser, inspected unit after conclusion)."""

    permission_classes = [IsAuthenticated]
    serializer_class = InspectionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Inspection.objects.none()
        return (
            selectors.visible_inspections(self.request.user)
            .prefetch_related("findings")
            .order_by("planned_start", "pk")
        )


class RecommendationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Recommendations of issued conclusions in the reader's scope; POST ``report/``."""

    permission_classes = [IsAuthenticated]
    serializer_class = RecommendationSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Recommendation.objects.none()
        return selectors.visible_recommendations(self.request.user).order_by("deadline", "pk")

    @extend_schema(request=RemediationSerializer, responses={200: RecommendationSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        recommendation = self.get_object()
        payload = RemediationSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        services.report_remediation(
            recommendation.pk,
            request.user,
            data["status"],
            data["text"],
            data.get("files", []),
            data.get("version"),
        )
        recommendation.refresh_from_db()
        return Response(RecommendationSerializer(recommendation).data)
