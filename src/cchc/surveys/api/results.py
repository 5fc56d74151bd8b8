"""``GET /api/v1/surveys/campaigns/<code>/results/``: a campaign's results per unit, the dict
``cchc sipas-results --json`` prints (:func:`cchc.surveys.results.payload`).

Scope (:mod:`cchc.surveys.results`): a published campaign is public (no login needed, every
unit); before publication the organiser's reform staff, leaders and system administrators see
every unit, those of a surveyed unit only its row; an unknown campaign, or one the reader may not
see, is a 404 (an unpublished campaign's existence is not disclosed). Indices, bounds and the
response rate are percentages rounded half up to two decimals; ``rank`` is ``null`` for a unit
with not enough answers.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from cchc.common.schema import ErrorSerializer

from .. import results as results_module


class FactorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    items = serializers.IntegerField(help_text="Number of items (tiêu chí) of the factor")
    index = serializers.FloatField(allow_null=True, help_text="Percent, two decimals")
    ci_low = serializers.FloatField(allow_null=True, help_text="95% bootstrap interval, low")
    ci_high = serializers.FloatField(allow_null=True, help_text="95% bootstrap interval, high")


class UnitSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="Unit code (mã định danh)")
    unit_name = serializers.CharField()
    invited = serializers.IntegerField(help_text="Invitations drawn for the unit")
    responses = serializers.IntegerField(help_text="Counted responses (valid or accepted)")
    response_rate = serializers.FloatField(
        allow_null=True,
        help_text="Percent: responses through an invitation ÷ invitations; null without any",
    )
    index = serializers.FloatField(allow_null=True, help_text="Satisfaction index, percent")
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True, help_text="null: not enough answers")
    factors = FactorSerializer(many=True)


class CampaignResultsSerializer(serializers.Serializer):
    campaign = serializers.CharField()
    units = UnitSerializer(many=True)


class CampaignResultsView(GenericAPIView):
    """Every unit of the campaign the reader may see: responses, response rate, index with its
    95% interval, rank, and each factor's index with its interval."""

    permission_classes = [AllowAny]
    serializer_class = CampaignResultsSerializer
    pagination_class = None

    @extend_schema(responses={200: CampaignResultsSerializer, 404: ErrorSerializer})
    def get(self, request, code: str):
        campaign = results_module.find_visible(code[:64], request.user)
        if campaign is None:
            raise NotFound()
        results = results_module.campaign_results(campaign)
        allowed = results_module.visible_unit_ids(request.user, campaign)
        return Response(results_module.payload(results, results.for_units(allowed)))
