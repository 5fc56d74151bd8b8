"""``GET /api/v1/reports/period/``: the period report as ``cchc report`` prints it (same JSON);
``GET /api/v1/reports/period/dossiers/``: the dossiers behind one of its numbers, paged."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from cchc.organisations.permissions import HasAnyUnitRole

from ..selectors import build_report, drill
from . import serializers as s


class PeriodReportView(GenericAPIView):
    """Báo cáo tình hình tiếp nhận, giải quyết TTHC for a unit (and its descendants).

    The body is exactly ``build_report(...).to_dict()``, the JSON of ``cchc report``: ``total`` and
    ``groups[]`` carry the counters and ``rates`` (numerator, denominator, value, percent,
    definition), ``findings`` the identities that do not hold with the dossier codes behind them.
    Units outside your scope are refused like unknown ones (400).
    """

    permission_classes = [HasAnyUnitRole]
    pagination_class = None
    serializer_class = s.PeriodQuerySerializer

    @extend_schema(
        operation_id="reports_period",
        parameters=[s.PeriodQuerySerializer],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The report (as `cchc report`)"),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors"),
        },
    )
    def get(self, request):
        query = s.PeriodQuerySerializer(data=request.query_params, context={"user": request.user})
        query.is_valid(raise_exception=True)
        return Response(build_report(query.validated_data["request"]).to_dict())


class PeriodDossiersView(GenericAPIView):
    """The dossiers behind one number: the same query plus ``column`` and, for a row of a grouped
    report, ``group`` (its ``key``). Paged (``page``), oldest receipt first."""

    permission_classes = [HasAnyUnitRole]
    serializer_class = s.DrillDossierSerializer

    @extend_schema(
        operation_id="reports_period_dossiers",
        parameters=[s.DrillQuerySerializer],
        responses={
            200: s.DrillDossierSerializer(many=True),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors"),
        },
    )
    def get(self, request):
        query = s.DrillQuerySerializer(data=request.query_params, context={"user": request.user})
        query.is_valid(raise_exception=True)
        data = query.validated_data
        dossiers = drill(data["request"], data["column"], data.get("group"))
        page = self.paginate_queryset(dossiers)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
