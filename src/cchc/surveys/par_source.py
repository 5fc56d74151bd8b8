"""SIPAS as a PAR INDEX survey source (``cchc.parindex.survey.survey_sources``, key ``sipas``).

For a round, the source offers the results of the newest **published** campaign whose transaction
period lies in the round's year (``period_start`` and ``period_end`` both in ``round.year``) and
whose organiser is the round's organiser or a unit above it: one row per surveyed unit with
``unit`` (its code) and ``percent`` (its satisfaction index, rounded half up to two decimals).
PAR INDEX converts the percent to points on its survey leaf (86.24 % of 25 points → 21.56;
:func:`cchc.parindex.survey.convert`). Units without an index (no valid answer) are left out;
a unit with fewer answers than the campaign's minimum still has an index and is offered — the
minimum governs the ranking, not the score (the organiser decides whether to import).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cchc.parindex.survey import SurveySource, survey_sources

from . import results as results_module
from .models import Campaign, CampaignStatus


def source_campaign(round_) -> Campaign | None:
    """The newest published campaign of the round's year by its organiser or a unit above it."""
    organiser = round_.organiser
    # The path holds the primary keys from the root ("/1/7/42/"): the unit and its ancestors.
    ancestors = [int(part) for part in organiser.path.strip("/").split("/") if part.isdigit()]
    return (
        Campaign.objects.filter(
            status=CampaignStatus.PUBLISHED,
            organiser__in=ancestors or [organiser.pk],
            period_start__year=round_.year,
            period_end__year=round_.year,
        )
        .order_by("-period_end", "-published_at", "-pk")
        .first()
    )


def rows(round_) -> list[dict]:
    campaign = source_campaign(round_)
    if campaign is None:
        return []
    found = results_module.campaign_results(campaign, resamples=0)
    return [
        {"unit": row.unit, "percent": f"{results_module.percent(row.index):.2f}"}
        for row in found.rows
        if row.index is not None
    ]


SIPAS_SOURCE = SurveySource(key="sipas", label=_("SIPAS satisfaction survey"), rows=rows, order=10)
survey_sources.register(SIPAS_SOURCE)
