"""PAR INDEX workflow API under ``/api/v1/parindex/``: the same services and scopes as the pages.

Reads: rounds and assessments in the reader's scope (``selectors``), the leaves of an assessment
(a council member: the fields assigned), a leaf's evidence, a round's council and where points are
lost (scoped as the results pages). Writes (POST): score a leaf, add evidence (DELETE removes it),
assign a leaf to an office, contest a computed figure, submit, return (reopen), appraise a leaf,
request and answer an explanation; create a round, change its setup, seat or unseat the council,
import survey points, open / start the appraisal / decide / publish a round. Each calls the
service the page's button calls. An
optional ``version`` refuses an action taken on a stale read (409). Refusals: 400 with field
errors, 403 not your role, 404 not in your scope, 409 wrong state or stale.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cchc.common.text import as_id
from cchc.organisations.models import OrganisationUnit

from .. import results as par_results
from .. import selectors, services, survey
from ..errors import ActionForbidden
from ..models import (
    Assessment,
    CouncilMember,
    CouncilRole,
    CriteriaSet,
    Criterion,
    Evidence,
    EvidenceKind,
    ExplanationRequest,
    LeafScore,
    Round,
)


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


class ParContestSerializer(serializers.Serializer):
    explanation = serializers.CharField(max_length=5000)
    version = VersionField()


class ParAssignSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=OrganisationUnit.objects.filter(active=True))
    version = VersionField()


class ParReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)
    version = VersionField()


class ParEvidenceSerializer(serializers.ModelSerializer):
    added_by_name = serializers.CharField(
        source="added_by.get_full_name", read_only=True, default=""
    )
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "kind",
            "original_name",
            "file_url",
            "document_number",
            "issued_on",
            "summary",
            "issuer",
            "record_type",
            "record_reference",
            "record_url",
            "outside_year",
            "added_by_name",
            "added_at",
        ]

    def get_file_url(self, evidence) -> str:
        return reverse("parindex:evidence_file", args=[evidence.pk]) if evidence.file else ""


def _record_types() -> list[str]:
    from ..forms import EvidenceForm  # the page's list of record types, one place

    return [key for key, _label in EvidenceForm.base_fields["record_type"].choices if key]


class ParEvidenceInputSerializer(serializers.Serializer):
    """As the leaf page's evidence form: a file, an issued document's reference or a record."""

    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    file = serializers.FileField(required=False, allow_null=True)
    document_number = serializers.CharField(required=False, allow_blank=True, max_length=100)
    issued_on = serializers.DateField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    issuer = serializers.CharField(required=False, allow_blank=True, max_length=255)
    record_type = serializers.ChoiceField(choices=[], required=False, allow_blank=True)
    record_reference = serializers.CharField(required=False, allow_blank=True, max_length=255)
    record_url = serializers.CharField(required=False, allow_blank=True, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = _record_types()


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "enum": ["abc", "good_fair"]},
            {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "label": {"type": "string"},
                        "minimum": {"type": "string", "nullable": True},
                    },
                },
            },
        ]
    }
)
class GradeBandsField(serializers.JSONField):
    """A preset name (``abc``, ``good_fair``) or the bands highest first, each ``{"label",
    "minimum"}``, the last without a minimum; the service checks the values."""

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if isinstance(data, str):
            return data
        scalar = (str, int, float, type(None))
        if isinstance(data, list) and all(
            isinstance(band, dict)
            and isinstance(band.get("label", ""), str)
            and isinstance(band.get("minimum"), scalar)
            and not isinstance(band.get("minimum"), bool)
            for band in data
        ):
            return [
                {"label": band.get("label", ""), "minimum": band.get("minimum")} for band in data
            ]
        raise serializers.ValidationError(
            _("A preset name, or a list of bands each with a label and a minimum.")
        )


class ParRoundSetupSerializer(serializers.Serializer):
    """The round's setup, as the page's form (the service checks the rules)."""

    name = serializers.CharField(max_length=255)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    criteria_set = serializers.PrimaryKeyRelatedField(queryset=CriteriaSet.objects.all())
    organiser = serializers.PrimaryKeyRelatedField(
        queryset=OrganisationUnit.objects.filter(active=True)
    )
    units = serializers.PrimaryKeyRelatedField(
        queryset=OrganisationUnit.objects.filter(active=True), many=True
    )
    self_assessment_opens = serializers.DateField()
    self_assessment_closes = serializers.DateField()
    appraisal_closes = serializers.DateField()
    explanation_days = serializers.IntegerField(min_value=1, max_value=60, default=5)
    publication_date = serializers.DateField(required=False, allow_null=True)
    grade_bands = GradeBandsField(required=False, default="abc")
    survey_scale = serializers.DecimalField(
        max_digits=7, decimal_places=2, min_value=0, required=False, default=100
    )


class ParRoundSetupChangeSerializer(ParRoundSetupSerializer):
    version = VersionField()


def _setup(data) -> services.RoundSetup:
    return services.RoundSetup(
        name=data["name"],
        year=data["year"],
        criteria_set=data["criteria_set"],
        organiser=data["organiser"],
        units=list(data["units"]),
        self_assessment_opens=data["self_assessment_opens"],
        self_assessment_closes=data["self_assessment_closes"],
        appraisal_closes=data["appraisal_closes"],
        explanation_days=data["explanation_days"],
        publication_date=data.get("publication_date"),
        grade_bands=data["grade_bands"],
        survey_scale=data["survey_scale"],
    )


class ParCouncilMemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    full_name = serializers.CharField(source="user.get_full_name", read_only=True)
    fields = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = CouncilMember
        fields = ["id", "user", "username", "full_name", "role", "fields"]


class ParCouncilSeatSerializer(serializers.Serializer):
    """Seat a user on the council (or change their role and fields): the fields are the ids of
    top-level criteria of the round's set; a member needs at least one."""

    username = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=CouncilRole.choices)
    fields = serializers.PrimaryKeyRelatedField(
        queryset=Criterion.objects.filter(parent__isnull=True), many=True, required=False
    )
    version = VersionField()

    def validate_username(self, value):
        user = get_user_model().objects.filter(username=value.strip(), is_active=True).first()
        if user is None:
            raise serializers.ValidationError(_("No active user has this user name."))
        return user


class ParCouncilRemoveSerializer(serializers.Serializer):
    member = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    version = VersionField()


class ParSurveyPointsSerializer(serializers.Serializer):
    """A CSV/XLSX ``file`` of survey points, or a registered ``source`` (e.g. ``sipas``) with the
    survey ``criterion`` code when the set has several."""

    file = serializers.FileField(required=False, allow_null=True)
    source = serializers.CharField(required=False, allow_blank=True, max_length=100)
    criterion = serializers.CharField(required=False, allow_blank=True, max_length=30)

    def validate(self, attrs):
        if not attrs.get("file") and not attrs.get("source"):
            raise serializers.ValidationError({"file": [_("Choose a CSV or XLSX file.")]})
        return attrs


class ParSurveyOutcomeSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    changes = serializers.ListField(child=serializers.DictField())


class ParLossSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    max = serializers.FloatField()
    score = serializers.FloatField()
    lost = serializers.FloatField(help_text="Maximum minus score")
    best = serializers.FloatField(allow_null=True, help_text="Best score of the round's units")
    behind_best = serializers.FloatField(allow_null=True)
    units_losing = serializers.IntegerField(help_text="Province view: units losing points here")
    reason = serializers.CharField(help_text="The council's appraisal reason (a unit's view)")


class ParLossesSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    unit = serializers.CharField(allow_null=True, help_text="Unit code, or null: the province")
    unit_count = serializers.IntegerField()
    losses = ParLossSerializer(many=True)


def _loss(loss, reason: str = "", show_best: bool = True) -> dict:
    return {
        "code": loss.code,
        "name": loss.name,
        "max": loss.max,
        "score": loss.score,
        "lost": loss.lost,
        "best": loss.best if show_best else None,
        "behind_best": loss.behind_best if show_best else None,
        "units_losing": loss.units_losing,
        "reason": reason,
    }


MULTIPART = [JSONParser, MultiPartParser, FormParser]


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

    @extend_schema(request=ParRoundSetupSerializer, responses={201: ParRoundSerializer})
    def create(self, request, *args, **kwargs):
        """A new round in draft (the organising unit's reform staff), as the "create" page."""
        data = _valid(ParRoundSetupSerializer, request)
        round_ = services.create_round(request.user, _setup(data))
        return Response(ParRoundSerializer(round_).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ParRoundSetupChangeSerializer, responses={200: ParRoundSerializer})
    @action(detail=True, methods=["post"])
    def setup(self, request, pk=None):
        """Change the setup of a round still in draft (the organiser), as the "edit" page."""
        return self._act(
            request,
            lambda r, d: services.update_round(r.pk, request.user, _setup(d), d.get("version")),
            ParRoundSetupChangeSerializer,
        )

    def _council(self, round_):
        seats = round_.council.select_related("user").prefetch_related("fields").order_by("pk")
        return Response(ParCouncilMemberSerializer(seats, many=True).data)

    @extend_schema(
        methods=["GET"], request=None, responses={200: ParCouncilMemberSerializer(many=True)}
    )
    @extend_schema(
        methods=["POST"],
        request=ParCouncilSeatSerializer,
        responses={200: ParCouncilMemberSerializer(many=True)},
    )
    @action(detail=True, methods=["get", "post"])
    def council(self, request, pk=None):
        """The appraisal council; POST seats a member or changes their role and fields."""
        round_ = self.get_object()
        if request.method == "POST":
            data = _valid(ParCouncilSeatSerializer, request)
            services.set_council_member(
                round_.pk,
                request.user,
                data["username"],
                data["role"],
                data.get("fields", []),
                data.get("version"),
            )
        return self._council(round_)

    @extend_schema(
        request=ParCouncilRemoveSerializer, responses={200: ParCouncilMemberSerializer(many=True)}
    )
    @action(detail=True, methods=["post"], url_path="council/remove", url_name="council-remove")
    def council_remove(self, request, pk=None):
        round_ = self.get_object()
        data = _valid(ParCouncilRemoveSerializer, request)
        services.remove_council_member(round_.pk, request.user, data["member"], data.get("version"))
        return self._council(round_)

    @extend_schema(
        request={
            "multipart/form-data": ParSurveyPointsSerializer,
            "application/json": ParSurveyPointsSerializer,
        },
        responses={200: ParSurveyOutcomeSerializer},
    )
    @action(detail=True, methods=["post"], url_path="survey-points", parser_classes=MULTIPART)
    def survey_points(self, request, pk=None):
        """Survey points for the round's units, all or nothing: a 400 lists every line's error."""
        round_ = self.get_object()
        data = _valid(ParSurveyPointsSerializer, request)
        try:
            if data.get("source"):
                outcome = survey.import_from_source(
                    round_.pk, data["source"], request.user, data.get("criterion", "")
                )
            else:
                upload = data["file"]
                outcome = survey.import_file(round_.pk, upload.name, upload.read(), request.user)
        except survey.SurveyImportInvalid as error:
            raise serializers.ValidationError(
                {"file": [str(row_error) for row_error in error.errors]}
            ) from None
        return Response(
            {
                "rows": outcome.rows,
                "changed": outcome.changed,
                "unchanged": outcome.unchanged,
                "changes": outcome.changes,
            }
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", str, description="A unit's code: where it loses points")
        ],
        responses={200: ParLossesSerializer},
    )
    @action(detail=True, methods=["get"])
    def losses(self, request, pk=None):
        """Where points are lost, as the results pages: for one unit (``unit``: its code) the
        leaves it lost most on, with the council's reasons (the best unit's score only to those
        who see every unit); without ``unit``, the leaves most units lose (those who see every
        unit)."""
        round_ = get_object_or_404(
            Round.objects.select_related("criteria_set", "organiser"), pk=as_id(pk)
        )
        results = par_results.round_results(round_)
        try:
            rows = par_results.scoped_rows(results, request.user)
        except ActionForbidden:
            raise NotFound from None
        everything = len(rows) == len(results.results)
        code = request.query_params.get("unit") or ""
        if code:
            row = next((row for row in rows if row.unit == code), None)
            if row is None:
                raise NotFound
            losses = [
                _loss(item.loss, item.reason, everything)
                for item in par_results.unit_losses(results, row.extra["unit_id"])
            ]
        elif everything:
            losses = [_loss(loss) for loss in par_results.province_losses(results)]
        else:
            raise NotFound
        return Response(
            {
                "round": round_.pk,
                "unit": code or None,
                "unit_count": results.unit_count,
                "losses": losses,
            }
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

    @extend_schema(request=ParReasonSerializer, responses={200: ParAssessmentSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """The organiser returns a submitted self-assessment to the unit, with the reason."""
        assessment = self.get_object()
        data = _valid(ParReasonSerializer, request)
        assessment = services.reopen(
            assessment.pk, request.user, data["reason"], data.get("version")
        )
        return Response(ParAssessmentSerializer(assessment).data)


def visible_leaf(user, pk) -> LeafScore:
    """The leaf if ``user`` may read it (a council member: the fields assigned), else 404."""
    leaf = get_object_or_404(LeafScore.objects.select_related("criterion"), pk=as_id(pk))
    assessment = get_object_or_404(selectors.visible_assessments(user), pk=leaf.assessment_id)
    return get_object_or_404(selectors.visible_leaves(user, assessment), pk=leaf.pk)


class LeafViewSet(viewsets.GenericViewSet):
    """One leaf of an assessment in scope: score it (the unit), appraise it or ask for an
    explanation (the council)."""

    permission_classes = [IsAuthenticated]
    serializer_class = ParLeafSerializer

    def get_queryset(self):
        return LeafScore.objects.none()

    def _leaf(self, pk) -> LeafScore:
        return visible_leaf(self.request.user, pk)

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

    @extend_schema(request=ParContestSerializer, responses={200: ParLeafSerializer})
    @action(detail=True, methods=["post"])
    def contest(self, request, pk=None):
        """The unit contests a figure computed from the platform, saying why."""
        leaf = self._leaf(pk)
        data = _valid(ParContestSerializer, request)
        leaf = services.contest_computed(
            leaf.pk, request.user, data["explanation"], data.get("version")
        )
        return self._leaf_response(leaf)

    @extend_schema(request=ParAssignSerializer, responses={200: ParLeafSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """The unit's leader or the organiser gives the leaf to the unit or one of its offices."""
        leaf = self._leaf(pk)
        data = _valid(ParAssignSerializer, request)
        leaf = services.assign_responsible(leaf.pk, request.user, data["unit"], data.get("version"))
        return self._leaf_response(leaf)

    @extend_schema(methods=["GET"], request=None, responses={200: ParEvidenceSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request={
            "multipart/form-data": ParEvidenceInputSerializer,
            "application/json": ParEvidenceInputSerializer,
        },
        responses={201: ParEvidenceSerializer},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=MULTIPART)
    def evidence(self, request, pk=None):
        """The leaf's evidence; POST adds one (a file checked by its bytes, an issued document's
        reference, or a platform record), as the leaf page's form."""
        leaf = self._leaf(pk)
        if request.method == "GET":
            items = leaf.evidence.select_related("added_by").order_by("pk")
            return Response(ParEvidenceSerializer(items, many=True).data)
        data = _valid(ParEvidenceInputSerializer, request)
        evidence = services.add_evidence(
            leaf.pk,
            request.user,
            services.EvidenceInput(
                kind=data["kind"],
                upload=data.get("file"),
                document_number=data.get("document_number", ""),
                issued_on=data.get("issued_on"),
                summary=data.get("summary", ""),
                issuer=data.get("issuer", ""),
                record_type=data.get("record_type", ""),
                record_reference=data.get("record_reference", ""),
                record_url=data.get("record_url", ""),
            ),
        )
        return Response(ParEvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class EvidenceViewSet(viewsets.GenericViewSet):
    """One piece of evidence of a leaf in scope: the unit removes it while it may still edit."""

    permission_classes = [IsAuthenticated]
    serializer_class = ParEvidenceSerializer

    def get_queryset(self):
        return Evidence.objects.none()

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request, pk=None):
        evidence = get_object_or_404(Evidence, pk=as_id(pk))
        visible_leaf(request.user, evidence.leaf_id)  # 404 outside the reader's scope
        services.remove_evidence(evidence.pk, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


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
