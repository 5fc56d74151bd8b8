"""``GET /api/v1/plans/progress/?unit=CODE&year=Y[&as_of=DATE]``: a unit's plan completion as
``cchc plan-progress --json`` prints it (the same dict, ``cchc.plans.selectors.plan_progress``).

Signed-in role holders only, and only for a unit in their scope (the unit or one above it where
they hold a role): another unit is a 404, as if it did not exist. A missing or bad parameter is a
400 with a Vietnamese message on the field (``unit``, ``year``, ``as_of``).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from cchc.organisations.permissions import HasAnyUnitRole

from ..selectors import plan_progress
from ..selectors_progress import (
    ProgressQueryError,
    find_unit,
    parse_as_of,
    parse_year,
    unit_visible,
)


class ProgressQuerySerializer(serializers.Serializer):
    unit = serializers.CharField(
        help_text="Unit code (mã định danh).",
        error_messages={
            "required": _("Enter the unit code."),
            "blank": _("Enter the unit code."),
        },
    )
    year = serializers.CharField(
        help_text="The plan's year, e.g. 2026.",
        error_messages={
            "required": _("Enter the year, for example 2025."),
            "blank": _("Enter the year, for example 2025."),
        },
    )
    as_of = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="As of, dd/mm/yyyy or YYYY-MM-DD (default: today; 31/12 for a past year).",
    )


class FieldProgressSerializer(serializers.Serializer):
    name = serializers.CharField()
    tasks_total = serializers.IntegerField()
    tasks_done = serializers.IntegerField()
    completion_percent = serializers.FloatField(allow_null=True)


class ProgressSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="Unit code")
    year = serializers.IntegerField()
    as_of = serializers.DateField()
    tasks_total = serializers.IntegerField(help_text="Tasks of the plan, cancelled ones left out")
    tasks_due = serializers.IntegerField(help_text="Due on or before as_of")
    tasks_done = serializers.IntegerField(help_text="Done on or before as_of")
    tasks_done_on_time = serializers.IntegerField()
    tasks_done_late = serializers.IntegerField(help_text="Done after their due day")
    tasks_overdue = serializers.IntegerField(help_text="Due before as_of and not done")
    completion_percent = serializers.FloatField(
        allow_null=True,
        help_text="100 × tasks_done ÷ tasks_total, rounded half up to 2 decimals",
    )
    fields = FieldProgressSerializer(many=True)


class ProgressView(GenericAPIView):
    """Completion of the unit's plan of the year as of a day: counts, and per field."""

    permission_classes = [HasAnyUnitRole]
    serializer_class = ProgressQuerySerializer
    pagination_class = None

    @extend_schema(
        parameters=[ProgressQuerySerializer],
        responses={
            200: ProgressSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors"),
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="Unit not in your scope"),
        },
    )
    def get(self, request):
        query = ProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        errors = {}
        year = unit = as_of = None
        try:
            year = parse_year(data["year"])
        except ProgressQueryError as error:
            errors[error.field] = [error.message]
        try:
            unit = find_unit(data["unit"])
        except ProgressQueryError as error:
            errors[error.field] = [error.message]
        if year is not None:
            try:
                as_of = parse_as_of(data.get("as_of"), year)
            except ProgressQueryError as error:
                errors[error.field] = [error.message]
        if errors:
            raise ValidationError(errors)
        if not unit_visible(request.user, unit):
            raise NotFound(_("There is no unit with this code in your scope."))
        return Response(plan_progress(unit, year, as_of))
