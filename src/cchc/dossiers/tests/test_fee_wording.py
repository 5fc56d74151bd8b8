"""One wording for fees everywhere: "miễn phí" for none, "1.234.000 đ" otherwise.

The catalogue page, the counter checklist, the dossier page and the receipt (HTML and PDF, Mẫu 01)
all write a fee through ``cchc.common.money.fee``.
"""

import pytest
import time_machine

from cchc.catalog.models import ProcedureFee
from cchc.common.money import fee, vnd
from cchc.documents import rendering
from cchc.documents.tests.conftest import pdf_text
from cchc.dossiers import services

from .conftest import local

pytestmark = pytest.mark.django_db


def test_formatter():
    assert fee(0) == "miễn phí" and fee(None) == "miễn phí"
    assert fee(1234000) == "1.234.000 đ" and fee(500) == "500 đ"
    assert vnd(0) == "0 đ" and vnd(20000) == "20.000 đ"


@pytest.fixture
def free_procedure(procedure):
    ProcedureFee.objects.filter(procedure=procedure).update(amount=0)
    return procedure


def received(officer, unit, procedure, applicant):
    with time_machine.travel(local(2026, 3, 2, 9, 0), tick=False):
        return services.receive_at_counter(officer, unit, procedure, applicant)


def test_a_free_procedure_reads_mien_phi_on_every_page_and_the_receipt(
    client, officer, unit, free_procedure, applicant
):
    public = client.get(f"/thu-tuc/{free_procedure.code}/").content.decode()
    assert "miễn phí" in public and "0 đ" not in public
    dossier = received(officer, unit, free_procedure, applicant)
    assert dossier.fee_amount == 0
    client.force_login(officer)
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert '<dd class="col-7 col-sm-8" id="dossier-fee">Miễn phí' in page
    assert " 0 đ" not in page
    printable = client.get(f"/ho-so/{dossier.pk}/giay-tiep-nhan/").content.decode()
    assert "Phí, lệ phí: miễn phí" in printable
    checklist = client.get(f"/ho-so/tiep-nhan/danh-muc-giay-to/?procedure={free_procedure.pk}")
    assert "miễn phí" in checklist.content.decode()
    text = pdf_text(rendering.render_pdf("receipt", dossier))
    assert "Phí, lệ phí: miễn phí" in text and "0 đ" not in text


def test_a_paid_fee_is_written_with_thousands_dots(client, officer, unit, procedure, applicant):
    ProcedureFee.objects.filter(procedure=procedure, channel="counter").update(amount=1234000)
    public = client.get(f"/thu-tuc/{procedure.code}/").content.decode()
    assert "1.234.000 đ" in public and "10.000 đ" in public
    dossier = received(officer, unit, procedure, applicant)
    client.force_login(officer)
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert '<dd class="col-7 col-sm-8" id="dossier-fee">1.234.000 đ' in page
    text = pdf_text(rendering.render_pdf("receipt", dossier))
    assert "Phí, lệ phí: 1.234.000 đ" in text


def test_the_online_acknowledgement_uses_the_same_wording(
    django_user_model, unit, free_procedure, applicant
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc.documents import acknowledgement

    citizen = django_user_model.objects.create_user("congdan", password="pw-123456")
    with time_machine.travel(local(2026, 3, 2, 9, 0), tick=False):
        draft = services.create_draft(citizen, unit, free_procedure, applicant)
        services.attach_to_draft(
            draft.pk,
            citizen,
            free_procedure.components.get().pk,
            SimpleUploadedFile("to-khai.pdf", b"%PDF-1.7 scan", content_type="application/pdf"),
        )
        dossier = services.submit_online(draft.pk, citizen)
    assert dossier.fee_amount == 0
    html = acknowledgement.render_html(dossier)
    assert "Phí, lệ phí: miễn phí" in html and "0 đ" not in html
