"""After an online submission the applicant keeps an acknowledgement (page, printable view, PDF),
and once the dossier is accepted, the receipt (Mẫu 01), all for the dossier's owner only."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from cchc.dossiers import selectors, services
from cchc.dossiers.models import Dossier, Status
from cchc.organisations.models import OrganisationUnit, UnitKind

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
SUBMITTED = datetime(2026, 3, 10, 9, 0, tzinfo=VN)  # a Tuesday, 09:00


@pytest.fixture
def centre(unit):
    return OrganisationUnit.objects.create(
        kind=UnitKind.SERVICE_CENTRE,
        name="Trung tâm Phục vụ hành chính công phường Đông Thành",
        code="000.01.31.H99",
        parent=unit,
        address="Số 2 Lê Lợi",
    )


@pytest.fixture
def citizen(django_user_model):
    return django_user_model.objects.create_user("congdan", password="pw-123456", full_name="Thu")


@pytest.fixture
def stranger(django_user_model):
    return django_user_model.objects.create_user("nguoikhac", password="pw-123456")


@pytest.fixture
def ward_officer(django_user_model, centre):
    from cchc.organisations.models import Role, RoleAssignment

    user = django_user_model.objects.create_user("motcua.dongthanh", password="pw-123456")
    RoleAssignment.objects.create(user=user, unit=centre, role=Role.ONE_STOP_OFFICER)
    return user


def post_submission(client, unit, procedure):
    component = procedure.components.get()
    return client.post(
        f"/cong-dan/nop/{procedure.code}/",
        {
            "unit": unit.pk, "online_mode": "full", "applicant_kind": "individual",
            "applicant_name": "Đinh Thị Thu", "applicant_id_type": "cccd",
            "applicant_id_number": "001190004321", "applicant_phone": "0901234567",
            "submit": "1",
            f"file_{component.pk}": SimpleUploadedFile("to-khai.pdf", b"%PDF-1.7 scan"),
        },
    )  # fmt: skip


@pytest.fixture
def submitted(client, citizen, unit, centre, procedure):
    client.force_login(citizen)
    with time_machine.travel(SUBMITTED, tick=False):
        response = post_submission(client, unit, procedure)
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cong-dan/ho-so/{dossier.pk}/bien-nhan/"
    return dossier


def test_the_acknowledgement_says_what_when_and_next(client, submitted, unit, centre):
    page = client.get(f"/cong-dan/ho-so/{submitted.pk}/bien-nhan/").content.decode()
    assert submitted.code in page and submitted.code.startswith(centre.code)
    assert "Cấp Giấy xác nhận tình trạng hôn nhân" in page
    assert unit.name in page  # the deciding authority, by the name citizens know
    assert centre.name in page  # who receives and checks it
    assert "09:00 10/03/2026" in page  # submitted
    # Checked within half a working day (default, 4 working hours): 14:30 the same day, with the
    # lunch break 11:30–13:00 not counted.
    assert "14:30 10/03/2026" in page
    # 5 working days from that check: due on Tuesday 17/03/2026 at the latest.
    facts = selectors.acknowledgement(submitted)
    assert facts.check_by == datetime(2026, 3, 10, 14, 30, tzinfo=VN)
    assert facts.expected_due.astimezone(VN).date().isoformat() == "2026-03-17"
    assert facts.expected_due.astimezone(VN).strftime("%H:%M %d/%m/%Y") in page
    assert "Tờ khai" in page  # the documents sent
    printable = client.get(f"/cong-dan/ho-so/{submitted.pk}/bien-nhan/?in=1").content.decode()
    assert submitted.code in printable and "data-print" in printable and "navbar" not in printable


@override_settings(CCHC_ONLINE_CHECK_WORKING_HOURS=16)
def test_the_check_time_is_configuration(submitted):
    facts = selectors.acknowledgement(submitted)
    assert facts.check_by == datetime(2026, 3, 12, 9, 0, tzinfo=VN)  # two working days later


def test_the_pdf_is_for_the_owner_only(client, submitted, stranger):
    url = f"/cong-dan/ho-so/{submitted.pk}/bien-nhan.pdf"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1  # one A5 sheet
    text = reader.pages[0].extract_text()
    assert submitted.code in text and "BIÊN NHẬN NỘP HỒ SƠ TRỰC TUYẾN" in text.upper()
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.get(f"/cong-dan/ho-so/{submitted.pk}/bien-nhan/").status_code == 404


def test_no_acknowledgement_for_a_draft(client, citizen, unit, centre, procedure, applicant):
    client.force_login(citizen)
    draft = services.create_draft(citizen, unit, procedure, applicant)
    assert client.get(f"/cong-dan/ho-so/{draft.pk}/bien-nhan/").status_code == 404
    assert client.get(f"/cong-dan/ho-so/{draft.pk}/bien-nhan.pdf").status_code == 404


def test_the_receipt_only_after_acceptance(client, submitted, ward_officer, stranger, unit, centre):
    receipt = f"/cong-dan/ho-so/{submitted.pk}/giay-tiep-nhan.pdf"
    page = f"/cong-dan/ho-so/{submitted.pk}/"
    assert client.get(receipt).status_code == 404
    assert receipt not in client.get(page).content.decode()
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=VN), tick=False):
        services.accept(submitted.pk, ward_officer)
    assert Dossier.objects.get(pk=submitted.pk).status == Status.RECEIVED
    shown = client.get(page).content.decode()
    assert receipt in shown
    assert f"{unit.name} – tiếp nhận tại {centre.name}" in shown  # authority, and who received it
    acknowledged = client.get(f"{page}bien-nhan/").content.decode()
    assert "Tình trạng hiện tại" in acknowledged and "Đã tiếp nhận" in acknowledged
    assert f"/cong-dan/ho-so/{submitted.pk}/giay-to/" in shown  # the uploaded file, to download
    response = client.get(receipt)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(stranger)
    assert client.get(receipt).status_code == 404


def test_the_document_text_of_the_acknowledgement(submitted):
    from cchc.documents import acknowledgement

    html = acknowledgement.render_html(submitted)
    assert "Biên nhận nộp hồ sơ trực tuyến" in html
    assert submitted.code in html
    assert "không thay thế Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in html
