"""No results page, export or API answer carries personal data: the applicant's name, phone, ID
number or dossier code, set on an invitation (contact, dossier) whose response is counted."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from cchc.organisations.models import Role
from cchc.surveys.models import CampaignStatus, Invitation
from cchc.surveys.tests import factories
from cchc.surveys.tests.test_results import APPLICANT, build_case

pytestmark = pytest.mark.django_db


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def assert_no_personal_data(text: str, where: str) -> None:
    for kind, value in APPLICANT.items():
        assert value not in text, f"{kind} found in {where}"
    assert "0987000111" not in text, f"an invitation's contact found in {where}"


def test_no_page_export_or_api_answer_holds_personal_data(client):
    case = build_case()
    campaign = case["campaign"]
    invitation = Invitation.objects.get(campaign=campaign, contact=APPLICANT["phone"])
    assert invitation.dossier.applicant_name == APPLICANT["name"]  # the data are really there
    assert invitation.response.counted
    campaign.status = CampaignStatus.PUBLISHED
    campaign.save()
    code = campaign.code
    client.force_login(factories.user_with(Role.REFORM_STAFF, case["home"]))
    texts = {}
    for name in ("results_index", "public_index"):
        texts[name] = client.get(reverse(f"surveys:{name}")).content.decode()
    for name in ("results_campaign", "results_texts", "public_campaign"):
        answer = client.get(reverse(f"surveys:{name}", args=[code]))
        assert answer.status_code == 200
        texts[name] = answer.content.decode()
    texts["unit detail"] = client.get(
        reverse("surveys:results_campaign", args=[code]), {"unit": case["a"].code}
    ).content.decode()
    raw_csv = client.get(reverse("surveys:results_raw_csv", args=[code]))
    texts["raw csv"] = raw_csv.content.decode("utf-8-sig")
    labelled = client.get(reverse("surveys:results_raw_csv", args=[code]), {"labels": "1"})
    texts["raw csv (labels)"] = labelled.content.decode("utf-8-sig")
    texts["raw xlsx"] = xlsx_text(
        client.get(reverse("surveys:results_raw_xlsx", args=[code])).content
    )
    texts["results xlsx"] = xlsx_text(
        client.get(reverse("surveys:results_xlsx", args=[code])).content
    )
    texts["pdf"] = pdf_text(client.get(reverse("surveys:results_pdf", args=[code])).content)
    texts["api"] = APIClient().get(f"/api/v1/surveys/campaigns/{code}/results/").content.decode()
    assert "000.00.31.H99" in texts["raw csv"] and "Phường An Khánh" in texts["pdf"]  # not empty
    for where, text in texts.items():
        assert_no_personal_data(text, where)
