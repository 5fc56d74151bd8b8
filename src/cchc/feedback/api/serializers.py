"""Feedback API payloads. Personal data only in officers' endpoints, never in public ones."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cchc.catalog.models import Procedure
from cchc.dossiers.models import ApplicantKind
from cchc.organisations.models import OrganisationUnit

from ..models import Category, Feedback, FeedbackEvent, FeedbackRating, SubjectKind


class SubmitSerializer(serializers.Serializer):
    subject_kind = serializers.ChoiceField(SubjectKind.choices)
    procedure = serializers.SlugRelatedField(
        slug_field="code", queryset=Procedure.objects.all(), required=False, allow_null=True,
        default=None,
    )  # fmt: skip
    dossier_code = serializers.CharField(
        max_length=80, required=False, allow_blank=True, default=""
    )
    dossier_digits = serializers.CharField(
        max_length=4, required=False, allow_blank=True, default=""
    )
    officer_name = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )
    unit = serializers.SlugRelatedField(
        slug_field="code", queryset=OrganisationUnit.objects.all(), required=False,
        allow_null=True, default=None,
    )  # fmt: skip
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=5000)
    sender_kind = serializers.CharField(
        default=ApplicantKind.INDIVIDUAL, help_text="individual or organisation"
    )
    sender_name = serializers.CharField(max_length=255)
    sender_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    sender_email = serializers.EmailField(required=False, allow_blank=True, default="")
    sender_address = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default=""
    )

    def validate_sender_kind(self, value):
        # A plain string in the schema: a "sender_kind" enum would duplicate ApplicantKindEnum.
        if value not in ApplicantKind.values:
            raise serializers.ValidationError(_("Choose an individual or an organisation."))
        return value


class SubmittedSerializer(serializers.Serializer):
    """The answer to a submission: the code, the due time and the secret rating token (once)."""

    code = serializers.CharField()
    unit = serializers.CharField(help_text="The responsible unit's name.")
    due_at = serializers.DateTimeField()
    rating_token = serializers.CharField()


class PublicFeedbackSerializer(serializers.Serializer):
    """A published answer: no name, phone, email, ID number or address."""

    code = serializers.CharField()
    title = serializers.CharField(source="public_title")
    category = serializers.CharField()
    category_label = serializers.CharField(source="get_category_display")
    unit = serializers.CharField(source="unit.name")
    procedure = serializers.CharField(source="procedure.name", default=None)
    sender_initials = serializers.CharField()
    received_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField()
    public_content = serializers.CharField()
    public_answer = serializers.CharField()
    rating = serializers.CharField()


class FeedbackEventSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = FeedbackEvent
        fields = [
            "action", "label", "actor_name", "at", "status_before", "status_after", "unit",
            "note", "data",
        ]  # fmt: skip


class FeedbackSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    procedure = serializers.SlugRelatedField(slug_field="code", read_only=True)
    dossier = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # Plain strings in the schema: enums named "status"/"sender_kind" collide with the dossiers'.
    status = serializers.CharField(
        read_only=True, help_text="received, classified, answered, published, rejected or rated"
    )
    sender_kind = serializers.CharField(read_only=True, help_text="individual or organisation")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    answered_by = serializers.CharField(
        source="answered_by.username", default=None, allow_null=True
    )
    published_by = serializers.CharField(
        source="published_by.username", default=None, allow_null=True
    )

    class Meta:
        model = Feedback
        fields = [
            "id", "code", "subject_kind", "procedure", "dossier", "officer_name", "title",
            "content", "sender_kind", "sender_name", "sender_phone", "sender_email",
            "sender_address", "unit", "category", "status", "status_label", "received_at",
            "due_at", "classified_at", "answered_at", "answer", "answered_by", "published_at",
            "published_by", "public_title", "public_content", "public_answer", "rejected_at",
            "reject_reason", "rating", "rating_comment", "rated_at", "forward_count", "version",
        ]  # fmt: skip


class FeedbackDetailSerializer(FeedbackSerializer):
    events = FeedbackEventSerializer(many=True, read_only=True)

    class Meta(FeedbackSerializer.Meta):
        fields = [*FeedbackSerializer.Meta.fields, "events"]


class ClassifySerializer(serializers.Serializer):
    category = serializers.ChoiceField(Category.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ForwardSerializer(serializers.Serializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=OrganisationUnit.objects.all())
    reason = serializers.CharField(max_length=2000)


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=10000)


class PublishSerializer(serializers.Serializer):
    public_title = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Left out: the sender's title. Empty: derived (services.derived_public_title).",
    )
    public_content = serializers.CharField(max_length=5000)
    public_answer = serializers.CharField(max_length=10000)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class RateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=30)
    token = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    rating = serializers.ChoiceField(FeedbackRating.choices)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
