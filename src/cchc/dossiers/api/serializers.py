"""Dossier API payloads. Personal data appears only in staff endpoints, never in the lookup."""

import re

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cchc.catalog.models import Procedure, ProcedureVariant, WorkflowStep
from cchc.formats.vi.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS
from cchc.organisations.models import OrganisationUnit

from .. import lookup
from ..models import (
    ApplicantKind,
    Channel,
    Dossier,
    DossierComponent,
    DossierEvent,
    IdType,
    OnlineMode,
    Outcome,
    ReturnMethod,
)

DATETIME_FORMATS = [*DATETIME_INPUT_FORMATS, "iso-8601"]
DATE_FORMATS = [*DATE_INPUT_FORMATS, "iso-8601"]


class EventSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = DossierEvent
        fields = [
            "sequence", "action", "label", "actor_name", "at", "status_before", "status_after",
            "step_before", "step_after", "unit", "note", "hash",
        ]  # fmt: skip


class DossierSerializer(serializers.ModelSerializer):
    procedure = serializers.SlugRelatedField(slug_field="code", read_only=True)
    receiving_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    current_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    current_step = serializers.CharField(source="current_step.name", default=None, read_only=True)
    current_handler = serializers.CharField(
        source="current_handler.username", default=None, read_only=True
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Dossier
        fields = [
            "id", "code", "procedure", "variant", "receiving_unit", "current_unit", "status",
            "status_label", "channel", "online_mode", "applicant_kind", "applicant_name",
            "applicant_id_type", "applicant_id_number", "applicant_birth_date", "applicant_phone",
            "applicant_email", "applicant_address", "representative_name", "submitted_at",
            "received_at", "effective_received_at", "due_at", "appointment_at", "resolved_at",
            "returned_at", "current_step", "current_handler", "step_due_at", "outcome",
            "result_number", "result_signer", "result_date", "result_electronic",
            "return_method", "fee_amount", "fee_paid_online", "supplement_count", "pause_count",
            "extension_count", "late_by_rule", "close_reason", "version",
        ]  # fmt: skip


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


class DossierComponentSerializer(serializers.ModelSerializer):
    """A document handed in; ``download_url`` (the stored file, same scope as the dossier) is null
    when no file is stored."""

    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DossierComponent
        fields = ["id", "name", "originals", "copies", "digitised", "download_url"]

    def get_download_url(self, component) -> str | None:
        if not component.file:
            return None
        url = reverse(
            "dossier-component-file",
            kwargs={"pk": component.dossier_id, "component_id": component.pk},
        )
        return _absolute(self.context.get("request"), url)


class DossierDetailSerializer(DossierSerializer):
    events = EventSerializer(many=True, read_only=True)
    components = DossierComponentSerializer(many=True, read_only=True)
    result_file_url = serializers.SerializerMethodField()

    class Meta(DossierSerializer.Meta):
        fields = [*DossierSerializer.Meta.fields, "events", "components", "result_file_url"]

    def get_result_file_url(self, dossier) -> str | None:
        if not dossier.result_file:
            return None
        url = reverse("dossier-result-file", kwargs={"pk": dossier.pk})
        return _absolute(self.context.get("request"), url)


class ApplicantFields(serializers.Serializer):
    applicant_kind = serializers.ChoiceField(ApplicantKind.choices)
    applicant_name = serializers.CharField(max_length=255)
    applicant_id_type = serializers.ChoiceField(IdType.choices)
    applicant_id_number = serializers.CharField(max_length=30)
    applicant_birth_date = serializers.DateField(
        required=False, allow_null=True, input_formats=DATE_FORMATS
    )
    applicant_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    applicant_email = serializers.EmailField(required=False, allow_blank=True)
    applicant_address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    representative_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    representative_id_number = serializers.CharField(
        max_length=30, required=False, allow_blank=True
    )
    authorisation_document = serializers.CharField(max_length=255, required=False, allow_blank=True)


class IntakeSerializer(ApplicantFields):
    procedure = serializers.SlugRelatedField(slug_field="code", queryset=Procedure.objects.all())
    variant = serializers.PrimaryKeyRelatedField(
        queryset=ProcedureVariant.objects.all(), required=False, allow_null=True, default=None
    )
    unit = serializers.SlugRelatedField(slug_field="code", queryset=OrganisationUnit.objects.all())
    channel = serializers.ChoiceField(
        [
            (Channel.COUNTER.value, Channel.COUNTER.label),
            (Channel.POSTAL.value, Channel.POSTAL.label),
        ],
        default=Channel.COUNTER,
    )
    components = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list,
        help_text=_("IDs of the procedure's required components handed in."),
    )  # fmt: skip
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OnlineDraftSerializer(ApplicantFields):
    procedure = serializers.SlugRelatedField(slug_field="code", queryset=Procedure.objects.all())
    variant = serializers.PrimaryKeyRelatedField(
        queryset=ProcedureVariant.objects.all(), required=False, allow_null=True, default=None
    )
    unit = serializers.SlugRelatedField(slug_field="code", queryset=OrganisationUnit.objects.all())
    online_mode = serializers.ChoiceField(OnlineMode.choices, default=OnlineMode.FULL)


class ComponentUploadSerializer(serializers.Serializer):
    required_id = serializers.IntegerField(min_value=1)
    file = serializers.FileField()


class EmptySerializer(serializers.Serializer):
    pass


class VersionedSerializer(serializers.Serializer):
    """Actions that move a deadline must say which version of the dossier they acted on."""

    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("The dossier's version you acted on; a stale one is refused (409)."),
        error_messages={
            "required": _(
                "Send the version of the dossier you acted on: this action changes its deadlines."
            ),
            "null": _(
                "Send the version of the dossier you acted on: this action changes its deadlines."
            ),
        },
    )


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class SupplementSerializer(VersionedSerializer):
    items = serializers.CharField()
    reason = serializers.CharField()
    answer_within_days = serializers.IntegerField(min_value=1, max_value=60, default=10)


class ForwardSerializer(serializers.Serializer):
    handler = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SendBackSerializer(serializers.Serializer):
    step = serializers.PrimaryKeyRelatedField(queryset=WorkflowStep.objects.all())
    note = serializers.CharField()


class ReassignSerializer(serializers.Serializer):
    handler = serializers.CharField()


class HandOffSerializer(serializers.Serializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=OrganisationUnit.objects.all())
    hours = serializers.DecimalField(max_digits=7, decimal_places=2, min_value=1)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FinancialSerializer(VersionedSerializer):
    amount = serializers.IntegerField(min_value=1, max_value=10**12)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PaymentSerializer(VersionedSerializer):
    paid_online = serializers.BooleanField(default=False)


class ExtendSerializer(VersionedSerializer):
    new_due_at = serializers.DateTimeField(input_formats=DATETIME_FORMATS)
    reason = serializers.CharField()


class ApproveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(Outcome.choices)
    number = serializers.CharField(max_length=100)
    signer = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    result_date = serializers.DateField(required=False, allow_null=True, input_formats=DATE_FORMATS)
    electronic = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnSerializer(serializers.Serializer):
    method = serializers.ChoiceField(ReturnMethod.choices)
    received_by = serializers.CharField(required=False, allow_blank=True, default="")


class ApologySerializer(VersionedSerializer):
    reason = serializers.CharField()
    new_appointment_at = serializers.DateTimeField(input_formats=DATETIME_FORMATS)


class LookupSerializer(serializers.Serializer):
    """Normalised like the page's form (``cchc.dossiers.lookup``); a non-code is a 400, no try."""

    code = serializers.CharField(max_length=120)
    digits = serializers.CharField(max_length=20)

    def validate_code(self, value):
        code = lookup.normalise_code(value)
        problem = lookup.code_problem(code)
        if problem:
            raise serializers.ValidationError(problem)
        return code

    def validate_digits(self, value):
        digits = lookup.normalise_digits(value)
        if not re.fullmatch(r"[0-9]{4}", digits):
            raise serializers.ValidationError(_("Enter exactly 4 digits."))
        return digits


class PublicDossierSerializer(serializers.Serializer):
    """What the public lookup shows: no names, no ID or phone numbers."""

    code = serializers.CharField()
    procedure = serializers.CharField(source="procedure.name")
    receiving_unit = serializers.CharField(source="receiving_unit.name")
    status = serializers.IntegerField()
    status_label = serializers.CharField(source="get_status_display")
    appointment_at = serializers.DateTimeField()
