"""The SIPAS section of the periodic reform report (``cchc.common.report_sections``).

The latest published satisfaction survey campaign (SIPAS, Quyết định 3468/QĐ-BNV practice) that
surveyed units of the reporting subtree, published by the end of the report's data window: its
index for each of those units, as its results page publishes them (:func:`cchc.surveys.results.
campaign_results`, indices rounded half up to two decimals).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cchc.common.report_docx import add_figures
from cchc.common.report_sections import ReportSection, SectionScope, report_sections
from cchc.workdays.services import local_midnight

from .models import Campaign, CampaignStatus
from .results import campaign_results, percent


def latest_campaign(scope: SectionScope) -> Campaign | None:
    return (
        Campaign.objects.filter(
            status=CampaignStatus.PUBLISHED,
            units__unit_id__in=scope.ids,
            published_at__lt=local_midnight(scope.end + timedelta(days=1)),
        )
        .distinct()
        .select_related("questionnaire")
        .order_by("-published_at", "-pk")
        .first()
    )


def compute(scope: SectionScope) -> dict:
    campaign = latest_campaign(scope)
    if campaign is None:
        return {"campaign": None, "name": "", "units": []}
    results = campaign_results(campaign, resamples=0)
    return {
        "campaign": campaign.code,
        "name": campaign.name,
        "period_start": campaign.period_start.isoformat(),
        "period_end": campaign.period_end.isoformat(),
        "units": [
            {
                "unit": row.unit,
                "unit_name": row.unit_name,
                "responses": row.responses,
                "index": percent(row.index),
            }
            for row in results.for_units(set(scope.ids))
        ],
    }


def write_docx(document, value: dict) -> None:
    heading = _("Satisfaction survey (SIPAS)")
    if not value.get("campaign"):
        add_figures(document, heading, [(_("No published survey covers the unit."), None)])
        return
    rows: list[tuple[str, object]] = [(_("Survey"), value["name"])]
    rows.extend((f"{row['unit_name']} ({_('index, %')})", row["index"]) for row in value["units"])
    add_figures(document, heading, rows)


if "sipas" not in report_sections:
    report_sections.register(
        ReportSection(
            key="sipas",
            label=gettext_lazy("Satisfaction survey (SIPAS)"),
            compute=compute,
            template="surveys/report_section.html",
            order=50,
            docx=write_docx,
        )
    )
