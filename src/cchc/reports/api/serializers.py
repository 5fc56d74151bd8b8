"""Query parameters of the report API, validated with Vietnamese messages (msgids in English)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cchc.catalog.models import Field, Level, Procedure
from cchc.dossiers.models import Dossier
from cchc.organisations.permissions import assigned_paths, sees_everything, units_for

from ..forms import FIRST_DAY, LAST_DAY
from ..parsing import BadPeriod, check_period
from ..selectors import DRILLABLE, GROUPINGS, ReportRequest

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _date_field(help_text):
    return serializers.DateField(
        input_formats=DATE_FORMATS,
        help_text=help_text,
        error_messages={
            "invalid": _("Enter a date as YYYY-MM-DD (or dd/mm/yyyy)."),
            "required": _("This date is required."),
            "null": _("This date is required."),
        },
    )


class PeriodQuerySerializer(serializers.Serializer):
    """``unit``, ``from``, ``to``, ``by`` like ``cchc report``; optional ``field``, ``procedure``,
    ``level`` filters like the report page."""

    unit = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",  # so that validate_unit runs (and scopes) when the parameter is left out
        max_length=64,
        help_text="Unit code (mã định danh); its descendants are included. Default: your unit "
        "(or the whole tree for a superuser).",
    )
    start = _date_field("First day of the period (YYYY-MM-DD).")
    end = _date_field("Last day of the period (YYYY-MM-DD).")
    by = serializers.ChoiceField(
        choices=GROUPINGS,
        required=False,
        allow_blank=True,
        help_text="One row per field, procedure or unit.",
        error_messages={"invalid_choice": _("Group by field, procedure or unit.")},
    )
    field = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Only procedures of this field (id).",
        error_messages={"invalid": _("Enter the id of a field.")},
    )
    procedure = serializers.CharField(
        required=False, allow_blank=True, max_length=60, help_text="Only this procedure (code)."
    )
    level = serializers.ChoiceField(
        choices=Level.choices,
        required=False,
        allow_blank=True,
        help_text="Only procedures of this level.",
        error_messages={"invalid_choice": _("Choose a level: province, commune or district.")},
    )

    def get_fields(self):
        # "from" and "to" are the public names ("from" is a Python keyword).
        fields = super().get_fields()
        renamed = {}
        for name, field in fields.items():
            renamed[{"start": "from", "end": "to"}.get(name, name)] = field
        return renamed

    def validate_unit(self, value: str):
        code = (value or "").strip()
        user = self.context["user"]
        if not code:
            if sees_everything(user):
                return None
            paths = assigned_paths(user)
            if len(paths) != 1:
                raise serializers.ValidationError(_("Choose a unit (its code)."))
            return units_for(user).filter(path=paths[0]).first()
        unit = units_for(user).filter(code=code).first()
        if unit is None:
            raise serializers.ValidationError(
                _("No unit with the code “%(code)s” in your scope.") % {"code": code[:64]}
            )
        return unit

    def validate_field(self, value):
        if value is not None and not Field.objects.filter(pk=value).exists():
            raise serializers.ValidationError(_("This field does not exist."))
        return value

    def validate_procedure(self, value):
        code = (value or "").strip()
        if not code:
            return None
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            raise serializers.ValidationError(
                _("No procedure has the code “%(code)s”.") % {"code": code[:60]}
            )
        return procedure

    def validate(self, attrs):
        start, end = attrs["from"], attrs["to"]
        for name, day in (("from", start), ("to", end)):
            if not FIRST_DAY <= day <= LAST_DAY:
                raise serializers.ValidationError(
                    {name: [_("Enter a date between 01/01/2000 and 31/12/2100.")]}
                )
        try:
            check_period(start, end)
        except BadPeriod as error:
            raise serializers.ValidationError({"to": [str(error)]}) from None
        procedure = attrs.get("procedure")
        attrs["request"] = ReportRequest(
            start=start,
            end=end,
            unit=attrs.get("unit"),
            by=attrs.get("by") or None,
            field_id=attrs.get("field"),
            procedure_id=procedure.pk if procedure else None,
            level=attrs.get("level") or None,
        )
        return attrs


class DrillQuerySerializer(PeriodQuerySerializer):
    """The period query plus the column (a key of the report's JSON) and the group key."""

    column = serializers.ChoiceField(
        choices=sorted(DRILLABLE),
        help_text="A counter key of the report JSON, e.g. received, resolved_late.",
        error_messages={
            "invalid_choice": _("“%(input)s” is not a column of the report."),
            "required": _("Choose a column of the report."),
        },
    )
    group = serializers.IntegerField(
        required=False,
        help_text="The key of a row of the report grouped with ``by`` (groups[].key).",
        error_messages={"invalid": _("Enter the key of a row of the report.")},
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs.get("group") is not None and not attrs["request"].by:
            raise serializers.ValidationError({"group": [_("A row key needs a grouping (by).")]})
        return attrs


class DrillDossierSerializer(serializers.ModelSerializer):
    status_name = serializers.CharField(source="get_status_display")
    procedure = serializers.CharField(source="procedure.code")
    unit = serializers.CharField(source="receiving_unit.code")

    class Meta:
        model = Dossier
        fields = [
            "code",
            "status",
            "status_name",
            "procedure",
            "unit",
            "received_at",
            "due_at",
            "resolved_at",
        ]
