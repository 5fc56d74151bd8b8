"""``GET /api/v1/index766/``: the 766 index as ``cchc index766 --json`` prints it;
``GET /api/v1/index766/ranking/``: the receiving units ranked over the same period."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from cchc.organisations.permissions import HasAnyUnitRole
from cchc.reports.api.serializers import PeriodQuerySerializer
from cchc.reports.parsing import BadPeriod

from ..scores import check_index_period, compute_index, ranking
from .serializers import RankingRowSerializer

RESPONSES = {
    200: OpenApiResponse(OpenApiTypes.OBJECT, description="Groups and indicators with points"),
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors"),
}


def _period(request):
    query = PeriodQuerySerializer(data=request.query_params, context={"user": request.user})
    query.is_valid(raise_exception=True)
    req = query.validated_data["request"]
    try:
        check_index_period(req.end)
    except BadPeriod as error:
        raise ValidationError({"to": [str(error)]}) from None
    return req


class IndexView(GenericAPIView):
    """Each group and indicator with numerator, denominator, rate, points and maximum; missing
    data is ``state: "missing"`` with ``points: null``. Parameters ``unit`` (code; its
    descendants are included), ``from`` and ``to`` (YYYY-MM-DD)."""

    permission_classes = [HasAnyUnitRole]
    serializer_class = PeriodQuerySerializer
    pagination_class = None

    @extend_schema(parameters=[PeriodQuerySerializer], responses=RESPONSES)
    def get(self, request):
        req = _period(request)
        return Response(compute_index(req.unit, req.start, req.end))


class RankingView(GenericAPIView):
    """Receiving units under ``unit`` (default: your scope) ranked by score; ties share a rank."""

    permission_classes = [HasAnyUnitRole]
    serializer_class = PeriodQuerySerializer
    pagination_class = None

    @extend_schema(
        parameters=[PeriodQuerySerializer],
        responses={**RESPONSES, 200: RankingRowSerializer(many=True)},
    )
    def get(self, request):
        req = _period(request)
        return Response(ranking(req.start, req.end, parent=req.unit))
