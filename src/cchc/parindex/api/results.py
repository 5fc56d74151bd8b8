"""``GET /api/v1/parindex/results/?year=Y[&level=LEVEL]``: a round's results as
``cchc par-results --json`` prints them (the same dict, ``cchc.parindex.results.results_payload``).

Published rounds are public (no login needed). Before publication the organiser's reform staff
and the council see every unit, a unit's staff only its own row, anyone else gets 403. A missing
or bad ``year`` (or an unknown ``level``) is a 400 with a Vietnamese message on the field.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from ..models import Level
from ..results import ResultsQueryError, results_payload


class ResultsQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=2000,
        max_value=2100,
        help_text="Assessment year, e.g. 2025.",
        error_messages={
            "required": _("Enter the year, for example 2025."),
            "invalid": _("Enter the year as four digits, for example 2025."),
            "min_value": _("Enter a year between 2000 and 2100."),
            "max_value": _("Enter a year between 2000 and 2100."),
        },
    )
    level = serializers.ChoiceField(
        choices=Level.choices,
        required=False,
        allow_blank=True,
        help_text="Kind of unit assessed (department, commune…); needed when the year has several.",
        error_messages={"invalid_choice": _("Choose a level from the list.")},
    )


class ResultFieldSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    max = serializers.FloatField()
    score = serializers.FloatField()
    index = serializers.FloatField(allow_null=True)


class UnitRowSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="Unit code (mã định danh)")
    unit_name = serializers.CharField()
    max_points = serializers.FloatField(help_text="Applicable maximum")
    self_score = serializers.FloatField()
    appraised_score = serializers.FloatField()
    survey_score = serializers.FloatField()
    bonus = serializers.FloatField(help_text="Bonus minus penalty")
    total = serializers.FloatField()
    index = serializers.FloatField(allow_null=True, help_text="total ÷ max_points × 100")
    rank = serializers.IntegerField(allow_null=True)
    grade = serializers.CharField()
    rank_change = serializers.IntegerField(allow_null=True, help_text="Positive: moved up")
    fields = ResultFieldSerializer(many=True)


class ResultsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    level = serializers.CharField()
    criteria_set = serializers.CharField()
    units = UnitRowSerializer(many=True)


class ResultsView(GenericAPIView):
    """Every unit the reader may see: maximum, self, appraised, survey, bonus, total, index,
    rank (ties share one), grade, change of rank since last year, field sub-indices."""

    permission_classes = [AllowAny]
    serializer_class = ResultsQuerySerializer
    pagination_class = None

    @extend_schema(
        parameters=[ResultsQuerySerializer],
        responses={
            200: ResultsSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors"),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="Not published yet"),
        },
    )
    def get(self, request):
        query = ResultsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            data = results_payload(
                query.validated_data["year"],
                query.validated_data.get("level") or None,
                request.user,
            )
        except ResultsQueryError as error:
            raise ValidationError({error.field or "year": [error.message]}) from None
        return Response(data)
