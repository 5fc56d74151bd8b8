from rest_framework import serializers

from ..models import OrganisationUnit


class OrganisationUnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = OrganisationUnit
        fields = [
            "code",
            "name",
            "kind",
            "parent",
            "depth",
            "address",
            "morning_start",
            "morning_end",
            "afternoon_start",
            "afternoon_end",
            "same_day_cutoff",
            "active",
        ]
