from rest_framework import serializers

from ..models import Field, Procedure, ProcedureComponent, ProcedureFee, WorkflowStep


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["id", "code", "name"]


class FeeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureFee
        fields = ["channel", "amount", "description"]


class ComponentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureComponent
        fields = ["name", "originals", "copies", "mandatory", "form_template"]
        ref_name = "ProcedureComponent"  # "Component" is a dossier's document in the schema


class WorkflowStepSerializer(serializers.ModelSerializer):
    responsible_unit = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = WorkflowStep
        fields = ["order", "name", "role", "responsible_unit", "hours"]


class ProcedureSerializer(serializers.ModelSerializer):
    field = FieldSerializer(read_only=True)
    levels = serializers.ListField(read_only=True)
    fees = FeeSerializer(many=True, read_only=True)
    components = ComponentSerializer(many=True, read_only=True)
    workflow_steps = WorkflowStepSerializer(many=True, read_only=True)

    class Meta:
        model = Procedure
        fields = [
            "code", "name", "field", "levels", "implementing_agency", "time_limit_amount",
            "time_limit_unit", "time_limit_text", "extension_amount", "channel_counter",
            "channel_online", "channel_postal", "online_level", "fees", "components", "steps",
            "result", "applicants", "legal_basis", "conditions", "publishing_decision",
            "workflow_steps", "active",
        ]  # fmt: skip
