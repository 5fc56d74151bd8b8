"""Periodic reform reports API under ``/api/v1/reform-reports/``: the same services and scopes as
the pages.

Reads: the reports of the reader's units (``?year=``, ``?kind=``, ``?unit=`` code), each with its
snapshot of figures and its narrative. Writes (POST, optional ``version``): ``refresh``,
``submit``, ``approve``, ``return`` (``reason``). Refusals: 400 with field errors, 403 not your
role, 404 not in your scope, 409 wrong state or stale.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cchc.common.text import as_id

from .. import selectors, services
from ..models import PeriodKind, ReformReport


class ReformReportSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = ReformReport
        fields = [
            "id",
            "unit",
            "unit_code",
            "unit_name",
            "year",
            "kind",
            "period_start",
            "period_end",
            "due_on",
            "status",
            "version",
            "snapshot",
            "assembled_at",
            "achievements",
            "shortcomings",
            "causes",
            "next_tasks",
            "document_number",
            "submitted_at",
            "approved_at",
            "return_reason",
        ]
        read_only_fields = fields


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, allow_null=True, min_value=0)


class ReturnSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=2000)


class ReformReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ReformReportSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        queryset = selectors.visible_reports(self.request.user).order_by("-year", "unit__code")
        params = self.request.query_params
        if "year" in params:
            year = as_id(params["year"])
            if year is None or not 2000 <= year <= 2100:
                raise ValidationError({"year": [_("Enter a year between 2000 and 2100.")]})
            queryset = queryset.filter(year=year)
        if "kind" in params:
            if params["kind"] not in PeriodKind.values:
                raise ValidationError({"kind": [_("Choose a report period.")]})
            queryset = queryset.filter(kind=params["kind"])
        if "unit" in params:
            queryset = queryset.filter(unit__code=params["unit"])
        return queryset

    def _version(self, serializer_class=VersionSerializer):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _answer(self, report):
        return Response(ReformReportSerializer(report).data)

    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        report = self.get_object()
        data = self._version()
        return self._answer(services.refresh_figures(request.user, report.pk, data.get("version")))

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        report = self.get_object()
        data = self._version()
        return self._answer(services.submit_report(request.user, report.pk, data.get("version")))

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        report = self.get_object()
        data = self._version()
        return self._answer(services.approve_report(request.user, report.pk, data.get("version")))

    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        report = self.get_object()
        data = self._version(ReturnSerializer)
        return self._answer(
            services.return_report(request.user, report.pk, data.get("version"), data["reason"])
        )
