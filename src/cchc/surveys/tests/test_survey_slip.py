"""The survey slip handed over with the result (surveys.slip): listed among the dossier's forms
only while a campaign takes QR answers for its unit, printed with the QR code, no personal data."""

import io
from datetime import date

import pytest
import time_machine
from pypdf import PdfReader

from cchc.documents import rendering
from cchc.dossiers.models import Status
from cchc.surveys.models import CampaignStatus
from cchc.surveys.slip import SLIP, surveying

from .campaign_world import make_world

pytestmark = pytest.mark.django_db

DURING = time_machine.travel(date(2026, 10, 15), tick=False)


@pytest.fixture
def world():
    return make_world()


def open_campaign(world, **extra):
    campaign = world.campaign(**extra)
    campaign.status = CampaignStatus.OPEN
    campaign.save()
    return campaign


def keys(dossier) -> list[str]:
    return [spec.key for spec in rendering.applicable_forms(dossier)]


def test_a_returned_dossier_gets_the_slip_with_the_unit_s_qr_code(world):
    campaign = open_campaign(world)
    dossier = world.dossier(world.centre_a)  # received by the commune's centre
    with DURING:
        assert surveying(dossier)[1].unit == world.commune_a  # the nearest surveyed unit
        assert SLIP in keys(dossier)
        pdf = rendering.render_pdf(SLIP, dossier)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "PHIẾU MỜI ĐÁNH GIÁ SỰ HÀI LÒNG" in text
    assert f"/khao-sat/qr/{campaign.code}/{world.commune_a.code}/" in text.replace("\n", "")
    for personal in (dossier.applicant_name, dossier.applicant_phone, dossier.code):
        assert personal not in text  # the slip names the campaign and the unit, nobody else
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


@pytest.mark.parametrize(
    "change",
    ["dossier in process", "campaign without QR", "campaign closed", "after closing day", "other"],
)
def test_no_slip_when_no_campaign_takes_qr_answers_for_it(world, change):
    channels = ("sms",) if change == "campaign without QR" else ("sms", "qr")
    campaign = open_campaign(world, channels=channels)
    unit = world.outsider_unit if change == "other" else world.commune_b
    status = Status.PROCESSING if change == "dossier in process" else Status.RETURNED
    dossier = world.dossier(unit, status=status)
    if change == "campaign closed":
        campaign.status = CampaignStatus.CLOSED
        campaign.save()
    moment = date(2026, 12, 1) if change == "after closing day" else date(2026, 10, 15)
    with time_machine.travel(moment, tick=False):
        assert SLIP not in keys(dossier)
        with pytest.raises(rendering.FormNotApplicable):
            rendering.render_pdf(SLIP, dossier)
