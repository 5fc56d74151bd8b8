"""PAR INDEX criteria sets under ``/api/v1/parindex/criteria-sets/``: the same reads and XLSX
import as the criteria-set pages (``views_criteria``).

Every staff member (any role) reads the sets; reform staff and system administrators import a
sheet (multipart: ``file``, ``year``, ``level``, ``name``, ``legal_basis``), all or nothing: a
400 lists every line's error under ``file`` and nothing is saved.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .. import selectors_criteria, sheets
from ..errors import CriteriaSetInvalid
from ..forms_criteria import CriteriaImportForm
from ..models import CriteriaSet, Criterion, Level
from ..views_criteria import can_import, can_read


class ParCriteriaSetSerializer(serializers.ModelSerializer):
    leaf_count = serializers.IntegerField(read_only=True)
    used = serializers.BooleanField(read_only=True, help_text="A round uses this set")

    class Meta:
        model = CriteriaSet
        fields = [
            "id",
            "name",
            "year",
            "level",
            "version",
            "declared_total",
            "legal_basis",
            "is_sample",
            "notes",
            "leaf_count",
            "used",
        ]


class ParCriterionSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", read_only=True, default=None)

    class Meta:
        model = Criterion
        fields = [
            "id",
            "code",
            "parent_code",
            "name",
            "max_points",
            "block",
            "aggregation",
            "method",
            "method_spec",
            "method_text",
            "evidence_required",
            "may_be_not_applicable",
            "responsible_hint",
        ]


class ParCriteriaSetDetailSerializer(ParCriteriaSetSerializer):
    valid = serializers.BooleanField(read_only=True)
    problems = serializers.ListField(child=serializers.CharField(), read_only=True)
    criteria = ParCriterionSerializer(many=True, read_only=True)

    class Meta(ParCriteriaSetSerializer.Meta):
        fields = [*ParCriteriaSetSerializer.Meta.fields, "valid", "problems", "criteria"]


class ParCriteriaImportSerializer(serializers.Serializer):
    """The import page's form (the same checks: .xlsx, size, content)."""

    file = serializers.FileField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    level = serializers.ChoiceField(choices=Level.choices)
    name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    legal_basis = serializers.CharField(required=False, allow_blank=True, max_length=500)


def _detail(criteria_set: CriteriaSet) -> dict:
    detail = selectors_criteria.criteria_set_detail(criteria_set)
    data = dict(ParCriteriaSetSerializer(criteria_set).data)
    data["leaf_count"] = detail.leaf_count
    data["used"] = bool(detail.rounds)
    rows = criteria_set.criteria.select_related("parent").order_by("position")
    data.update(
        valid=detail.valid,
        problems=[problem[2] for problem in detail.problems],
        criteria=ParCriterionSerializer(rows, many=True).data,
    )
    return data


class CriteriaSetViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Criteria sets, newest year first (any staff role reads); XLSX import (reform staff)."""

    permission_classes = [IsAuthenticated]
    serializer_class = ParCriteriaSetSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False) or not can_read(self.request.user):
            return CriteriaSet.objects.none()
        return selectors_criteria.criteria_sets()

    @extend_schema(responses={200: ParCriteriaSetDetailSerializer})
    def retrieve(self, request, pk=None):
        """One set: its rows in order (with the parent's code) and every validation problem."""
        return Response(_detail(self.get_object()))

    @extend_schema(
        request={"multipart/form-data": ParCriteriaImportSerializer},
        responses={201: ParCriteriaSetDetailSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def import_sheet(self, request):
        if not can_import(request.user):
            raise PermissionDenied
        ParCriteriaImportSerializer(data=request.data).is_valid(raise_exception=True)
        form = CriteriaImportForm(request.data, request.FILES)  # the page's checks of the file
        if not form.is_valid():
            raise serializers.ValidationError(
                {name: list(errors) for name, errors in form.errors.items()}
            )
        data = form.cleaned_data
        try:
            imported = sheets.import_sheet(
                data["file"].read(),
                year=data["year"],
                level=data["level"],
                name=data["name"],
                legal_basis=data["legal_basis"],
            )
        except CriteriaSetInvalid as error:
            raise serializers.ValidationError(
                {"file": [problem[2] for problem in error.problems]}
            ) from None
        return Response(_detail(imported), status=status.HTTP_201_CREATED)
