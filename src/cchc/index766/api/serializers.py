"""Shapes of the 766 API answers, for the schema (the views return the engine's dicts as is)."""

from rest_framework import serializers


class UnitRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class BandSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RankedGroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    points = serializers.FloatField(allow_null=True)
    max_points = serializers.FloatField(allow_null=True)


class RankingRowSerializer(serializers.Serializer):
    """One receiving unit; units without any scored data come last with ``rank`` and ``score``
    null. Ties share a rank (1, 2, 2, 4)."""

    rank = serializers.IntegerField(allow_null=True)
    unit = UnitRefSerializer()
    score = serializers.FloatField(allow_null=True)
    rating = BandSerializer(allow_null=True)
    coverage = serializers.FloatField(allow_null=True)
    groups = RankedGroupSerializer(many=True)
