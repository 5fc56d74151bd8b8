"""PAR INDEX workflow API under ``/api/v1/parindex/``: the same services and scopes as the pages.

Reads: rounds and assessments in the reader's scope (``selectors``), the leaves of an assessment
(a council member: the fields assigned). Writes (POST): score a leaf, submit, appraise a leaf,
request and answer an explanation, open / start the appraisal / decide / publish a round. An
optional ``version`` refuses an action taken on a stale read (409). Refusals: 400 with field
errors, 403 not your role, 404 not in your scope, 409 wrong state or stale.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cchc.common.text import as_id

from .. import selectors, services
from ..models import Assessment, ExplanationRequest, LeafScore, Round


# -- serializers ----------------------------------------------------------------------------------
class ParRoundSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="criteria_set.level", read_only=True)
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)
    status = serializers.CharField(read_only=True)  # RoundStatus values

    class Meta:
        model = Round
        fields = [
            "id",
            "name",
            "year",
            "level",
            "criteria_set",
            "organiser",
            "organiser_name",
            "status",
            "version",
            "self_assessment_opens",
            "self_assessment_closes",
            "appraisal_closes",
            "explanation_days",
            "publication_date",
            "grade_bands",
            "survey_scale",
            "decision_number",
            "decision_date",
            "published_at",
        ]


class ParAssessmentSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status = serializers.CharField(read_only=True)  # AssessmentStatus values

    class Meta:
        model = Assessment
        fields = [
            "id",
            "round",
            "unit",
            "unit_code",
            "unit_name",
            "status",
            "version",
            "submitted_at",
            "summary",
        ]


class ParRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExplanationRequest
        fields = ["id", "message", "due_on", "requested_at", "answer", "answered_at"]


class ParLeafSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="criterion.code", read_only=True)
    name = serializers.CharField(source="criterion.name", read_only=True)
    method = serializers.CharField(source="criterion.method", read_only=True)
    max_points = serializers.DecimalField(
        source="criterion.max_points", max_digits=7, decimal_places=2, read_only=True
    )
    responsible_unit_name = serializers.CharField(
        source="responsible_unit.name", read_only=True, default=""
    )
    evidence_count = serializers.SerializerMethodField()
    explanation_requests = ParRequestSerializer(many=True, read_only=True)

    class Meta:
        model = LeafScore
        fields = [
            "id",
            "code",
            "name",
            "method",
            "max_points",
            "responsible_unit",
            "responsible_unit_name",
            "not_applicable",
            "value",
            "self_score",
            "explanation",
            "computed_value",
            "computed_detail",
            "contested",
            "survey_score",
            "appraisal_state",
            "appraised_score",
            "appraisal_reason",
            "version",
            "evidence_count",
            "explanation_requests",
        ]

    def get_evidence_count(self, leaf) -> int:
        return len(leaf.evidence.all())


class VersionField(serializers.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(required=False, allow_null=True, min_value=0, **kwargs)


class ParScoreSerializer(serializers.Serializer):
    value = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=20)
    explanation = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    not_applicable = serializers.BooleanField(required=False, default=False)
    version = VersionField()


class ParSubmitSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = VersionField()


class ParAppraiseSerializer(serializers.Serializer):
    accept = serializers.BooleanField(default=True)
    score = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=20)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = VersionField()


class ParExplanationRequestSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=5000)
    due_on = serializers.DateField(required=False, allow_null=True)


class ParAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=5000)


class ParDecideSerializer(serializers.Serializer):
    decision_number = serializers.CharField(max_length=100)
    decision_date = serializers.DateField()
    version = VersionField()


class ParRoundActionSerializer(serializers.Serializer):
    version = VersionField()


def _valid(serializer_class, request):
    payload = serializer_class(data=request.data)
    payload.is_valid(raise_exception=True)
    return payload.validated_data


# -- views ----------------------------------------------------------------------------------------
class RoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Rounds the user organises, sits on the council of, or whose assessment they may read.
    Filters: ``year``, ``status``."""

    permission_classes = [IsAuthenticated]
    serializer_class = ParRoundSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Round.objects.none()
        rounds = selectors.visible_rounds(self.request.user).order_by("-year", "name")
        params = self.request.query_params
        if as_id(params.get("year")):
            rounds = rounds.filter(year=as_id(params["year"]))
        if params.get("status"):
            rounds = rounds.filter(status=params["status"])
        return rounds

    def _act(self, request, call, serializer_class=ParRoundActionSerializer):
        round_ = self.get_object()
        data = _valid(serializer_class, request)
        call(round_, data)
        round_.refresh_from_db()
        return Response(ParRoundSerializer(round_).data)

    @extend_schema(request=ParRoundActionSerializer, responses={200: ParRoundSerializer})
    @action(detail=True, methods=["post"], url_path="open")
    def open(self, request, pk=None):
        return self._act(
            request, lambda r, d: services.open_round(r.pk, request.user, d.get("version"))
        )

    @extend_schema(request=ParRoundActionSerializer, responses={200: ParRoundSerializer})
    @action(detail=True, methods=["post"], url_path="start-appraisal")
    def start_appraisal(self, request, pk=None):
        return self._act(
            request, lambda r, d: services.start_appraisal(r.pk, request.user, d.get("version"))
        )

    @extend_schema(request=ParDecideSerializer, responses={200: ParRoundSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self._act(
            request,
            lambda r, d: services.decide(
                r.pk, request.user, d["decision_number"], d["decision_date"], d.get("version")
            ),
            ParDecideSerializer,
        )

    @extend_schema(request=ParRoundActionSerializer, responses={200: ParRoundSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._act(
            request, lambda r, d: services.publish(r.pk, request.user, d.get("version"))
        )


class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assessments in the user's scope (a unit's own until publication). Filter: ``round``."""

    permission_classes = [IsAuthenticated]
    serializer_class = ParAssessmentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Assessment.objects.none()
        assessments = selectors.visible_assessments(self.request.user).order_by(
            "-round__year", "unit__name"
        )
        round_id = as_id(self.request.query_params.get("round"))
        return assessments.filter(round_id=round_id) if round_id else assessments

    @extend_schema(responses={200: ParLeafSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def leaves(self, request, pk=None):
        assessment = self.get_object()
        leaves = selectors.visible_leaves(request.user, assessment)
        return Response(ParLeafSerializer(leaves, many=True).data)

    @extend_schema(request=ParSubmitSerializer, responses={200: ParAssessmentSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        assessment = self.get_object()
        data = _valid(ParSubmitSerializer, request)
        assessment = services.submit(
            assessment.pk, request.user, data.get("summary"), data.get("version")
        )
        return Response(ParAssessmentSerializer(assessment).data)


class LeafViewSet(viewsets.GenericViewSet):
    """One leaf of an assessment in scope: score it (the unit), appraise it or ask for an
    explanation (the council)."""

    permission_classes = [IsAuthenticated]
    serializer_class = ParLeafSerializer

    def get_queryset(self):
        return LeafScore.objects.none()

    def _leaf(self, pk) -> LeafScore:
        leaf = get_object_or_404(LeafScore.objects.select_related("criterion"), pk=as_id(pk))
        assessment = get_object_or_404(
            selectors.visible_assessments(self.request.user), pk=leaf.assessment_id
        )
        return get_object_or_404(selectors.visible_leaves(self.request.user, assessment), pk=pk)

    def _leaf_response(self, leaf):
        leaf = LeafScore.objects.prefetch_related("evidence", "explanation_requests").get(
            pk=leaf.pk
        )
        return Response(ParLeafSerializer(leaf).data)

    @extend_schema(responses={200: ParLeafSerializer})
    def retrieve(self, request, pk=None):
        return self._leaf_response(self._leaf(pk))

    @extend_schema(request=ParScoreSerializer, responses={200: ParLeafSerializer})
    @action(detail=True, methods=["post"])
    def score(self, request, pk=None):
        leaf = self._leaf(pk)
        data = _valid(ParScoreSerializer, request)
        leaf = services.score_leaf(
            leaf.pk,
            request.user,
            value=data.get("value"),
            explanation=data.get("explanation"),
            not_applicable=data.get("not_applicable", False),
            expected_version=data.get("version"),
        )
        return self._leaf_response(leaf)

    @extend_schema(request=ParAppraiseSerializer, responses={200: ParLeafSerializer})
    @action(detail=True, methods=["post"])
    def appraise(self, request, pk=None):
        leaf = self._leaf(pk)
        data = _valid(ParAppraiseSerializer, request)
        leaf = services.appraise_leaf(
            leaf.pk,
            request.user,
            accept=data["accept"],
            score=data.get("score"),
            reason=data.get("reason", ""),
            expected_version=data.get("version"),
        )
        return self._leaf_response(leaf)

    @extend_schema(request=ParExplanationRequestSerializer, responses={201: ParRequestSerializer})
    @action(detail=True, methods=["post"], url_path="request-explanation")
    def request_explanation(self, request, pk=None):
        leaf = self._leaf(pk)
        data = _valid(ParExplanationRequestSerializer, request)
        created = services.request_explanation(
            leaf.pk, request.user, data["message"], data.get("due_on")
        )
        return Response(ParRequestSerializer(created).data, status=201)


class ExplanationViewSet(viewsets.GenericViewSet):
    """The unit answers an explanation request once."""

    permission_classes = [IsAuthenticated]
    serializer_class = ParRequestSerializer

    def get_queryset(self):
        return ExplanationRequest.objects.none()

    @extend_schema(request=ParAnswerSerializer, responses={200: ParRequestSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        item = get_object_or_404(ExplanationRequest.objects.select_related("leaf"), pk=as_id(pk))
        get_object_or_404(selectors.visible_assessments(request.user), pk=item.leaf.assessment_id)
        data = _valid(ParAnswerSerializer, request)
        answered = services.answer_explanation(item.pk, request.user, data["answer"])
        return Response(ParRequestSerializer(answered).data)
