from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..engine.parsing import parse_instant
from .serializers import DeadlineQuerySerializer


class DeadlineView(APIView):
    """Due time of a dossier received at ``received`` under one time limit.

    Public: it reveals nothing but the calendar, and citizens' pages use it for the
    "nộp hôm nay → dự kiến trả kết quả" preview.
    """

    permission_classes = [AllowAny]

    @extend_schema(parameters=[DeadlineQuerySerializer], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        query = DeadlineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        unit = services.find_unit(data.get("unit"))
        deadline = services.get_engine(unit).due(data["received"], data["limit"])
        return Response(services.deadline_payload(deadline, unit, explain=data["explain"]))


class DayView(APIView):
    """Is ``date`` a working day, and if not, why."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("date", str, description="dd/mm/yyyy or ISO 8601")],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        day = parse_instant(request.query_params.get("date", ""), "date").date()
        calendar = services.get_calendar()
        status = calendar.status(day)
        return Response(
            {
                **status.as_dict(),
                "working": status.working,
                "official": calendar.is_official_year(day.year),
                "next_working_day": calendar.next_working_day(day).isoformat(),
                "previous_working_day": calendar.previous_working_day(day).isoformat(),
            }
        )
