"""The platform's own figures for an inspected unit, as the record keeps them (frozen at filling).

* Every figure registered in the PAR INDEX metrics registry (``cchc.parindex.metrics.metrics``:
  on-time rate, online share, apology letters, feedback answered on time, the Decision 766 score,
  plan completion when the plans app registers it), computed for the unit and the plan's year.
* The unit's result in the newest **published** SIPAS campaign that surveyed it
  (``cchc.surveys.results``): its satisfaction index and the number of counted answers; ``{}``
  when no published campaign surveyed it.
"""

from __future__ import annotations

from cchc.parindex.metrics import Figure, Metric
from cchc.surveys import results as survey_results
from cchc.surveys.models import Campaign, CampaignStatus, CampaignUnit


def _text(value) -> str | None:
    return None if value is None else str(value)


def figure_row(metric: Metric, figure: Figure) -> dict:
    return {
        "key": metric.key,
        "label": str(metric.label),
        "percent": _text(figure.percent),
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "drilldown_url": figure.drilldown_url,
    }


def sipas_result(unit) -> dict:
    campaign_ids = CampaignUnit.objects.filter(unit=unit).values_list("campaign_id", flat=True)
    campaign = (
        Campaign.objects.filter(pk__in=campaign_ids, status=CampaignStatus.PUBLISHED)
        .select_related("questionnaire")
        .order_by("-period_end", "-pk")
        .first()
    )
    if campaign is None:
        return {}
    found = survey_results.campaign_results(campaign, resamples=0)
    row = next((row for row in found.rows if row.unit_id == unit.pk), None)
    if row is None:
        return {}
    index = survey_results.percent(row.index)
    return {
        "campaign": campaign.code,
        "name": campaign.name,
        "index": None if index is None else f"{index:.2f}",
        "responses": row.responses,
    }
