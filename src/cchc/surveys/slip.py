"""The survey slip handed over with the result (phiếu mời đánh giá sự hài lòng): a printable A5
page with the QR code of the open campaign that surveys the dossier's receiving unit.

The issue asks for "a QR code printed on the result hand-over": the slip is registered as a
document of the dossier (``cchc.documents.builders.official_form``), so it appears among the
dossier's forms once the result is ready or returned, and only while a campaign with the QR
channel takes answers for that unit. It carries no personal data: the QR code names the campaign
and the unit, never the dossier or the person (docs/surveys.md, "Privacy").
"""

from __future__ import annotations

from django.utils import timezone

from cchc.documents.builders import official_form
from cchc.documents.registry import FormSpec
from cchc.documents.rendering import FormContext, FormNotApplicable, qr_svg
from cchc.dossiers.models import Status

from .answering import accepting
from .models import Campaign, CampaignStatus, CampaignUnit, ResponseChannel
from .selectors_campaigns import qr_url

SLIP = "khao-sat"  # /ho-so/<pk>/bieu-mau/khao-sat.pdf
HANDED_OVER = (Status.RESOLVED, Status.RETURNED)  # the result is ready, or was handed over


def surveying(dossier) -> tuple[Campaign, CampaignUnit] | None:
    """The open campaign taking QR answers for the dossier's receiving unit (the surveyed unit
    nearest to it in the tree), or None."""
    unit = dossier.receiving_unit
    if unit is None:
        return None
    rows = CampaignUnit.objects.filter(
        campaign__status=CampaignStatus.OPEN, unit__active=True
    ).select_related("campaign", "unit")
    found = [
        row
        for row in rows
        if unit.path.startswith(row.unit.path)
        and ResponseChannel.QR in (row.campaign.channels or [])
        and accepting(row.campaign)
    ]
    if not found:
        return None
    nearest = max(found, key=lambda row: (len(row.unit.path), row.campaign.opens_on))
    return nearest.campaign, nearest


def _applies(dossier) -> bool:
    return dossier.status in HANDED_OVER and surveying(dossier) is not None


@official_form(
    SLIP,
    applies=_applies,
    order=90,
    spec=FormSpec(SLIP, None, "Phiếu mời đánh giá sự hài lòng"),
    template="surveys/survey_slip.html",
)
def _slip(dossier) -> FormContext:
    found = surveying(dossier) if dossier.status in HANDED_OVER else None
    if found is None:
        raise FormNotApplicable
    campaign, surveyed = found
    url = qr_url(campaign, surveyed.unit)
    return FormContext(
        dossier.receiving_unit,
        timezone.now(),
        {
            "campaign": campaign,
            "surveyed_unit": surveyed.unit,
            "survey_url": url,
            "qr": qr_svg(url),
        },
    )
