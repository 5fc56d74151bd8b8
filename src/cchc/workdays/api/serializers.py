from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..engine import DeadlineError, Rule, TimeLimit
from ..engine.parsing import parse_instant

AMOUNT_FIELDS = {
    "working_days": Rule.WORKING_DAYS,
    "working_hours": Rule.WORKING_HOURS,
    "half_days": Rule.HALF_DAYS,
    "calendar_days": Rule.CALENDAR_DAYS,
}


class InstantField(serializers.CharField):
    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return parse_instant(text, self.field_name)
        except DeadlineError as error:
            raise serializers.ValidationError(str(error)) from None


class DeadlineQuerySerializer(serializers.Serializer):
    """Query of ``GET /api/v1/workdays/deadline``: exactly one time-limit parameter."""

    received = InstantField()
    working_days = serializers.IntegerField(required=False, min_value=1, max_value=2000)
    working_hours = serializers.IntegerField(required=False, min_value=1, max_value=16000)
    half_days = serializers.IntegerField(required=False, min_value=1, max_value=4000)
    calendar_days = serializers.IntegerField(required=False, min_value=1, max_value=3000)
    same_day = serializers.BooleanField(required=False, default=False)
    unit = serializers.CharField(required=False, allow_blank=True, max_length=64)
    explain = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        given = [name for name in AMOUNT_FIELDS if attrs.get(name) is not None]
        if attrs.get("same_day"):
            given.append("same_day")
        if len(given) != 1:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _(
                            "Give exactly one time limit: working_days, working_hours, "
                            "half_days, calendar_days or same_day."
                        )
                    ]
                }
            )
        name = given[0]
        if name == "same_day":
            attrs["limit"] = TimeLimit(Rule.SAME_DAY)
        else:
            attrs["limit"] = TimeLimit(AMOUNT_FIELDS[name], attrs[name])
        return attrs
