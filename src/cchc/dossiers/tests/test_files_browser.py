"""A one-stop officer (the least-privileged role that works on dossiers) opens a dossier page in
chromium and downloads a scanned document from its link."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.dossiers import services

PASSWORD = "pw-123456"
PDF = b"%PDF-1.7 scan of the declaration"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dossier(officer, unit, procedure, applicant):
    procedure.implementing_units.add(unit)
    component = procedure.components.get()
    upload = SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf")
    received = services.receive_at_counter(
        officer, unit, procedure, applicant, [{"required_id": component.pk, "file": upload}]
    )
    return {"pk": received.pk, "code": received.code}


def test_officer_downloads_a_document_from_the_dossier_page(
    live_server, dossier, browser, tmp_path
):
    context = browser.new_context(accept_downloads=True, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", "motcua")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/ho-so/{dossier['pk']}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tờ khai").click()
    download = info.value
    assert download.suggested_filename == f"{dossier['code']} Tờ khai.pdf"
    saved = tmp_path / "tai-ve.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == PDF
    context.close()
