"""The receipt (Mẫu 01) of a typical counter dossier fits one A5 page, signatures included."""

import io

import pytest
import time_machine

from cchc.catalog.models import ProcedureComponent
from cchc.documents import rendering
from cchc.dossiers import services

from .conftest import NEW_DAY, OLD_DAY, at, pdf_text

pytestmark = pytest.mark.django_db

# Component names as long as the national catalogue writes them (a marriage-status certificate).
COMPONENTS = [
    "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu quy định (trường hợp yêu cầu "
    "xác nhận tình trạng hôn nhân nhằm mục đích kết hôn thì các bên phải đáp ứng đủ điều kiện)",
    "Bản sao Giấy chứng nhận kết hôn hoặc Trích lục ghi chú kết hôn đã được cấp trước đây",
    "Bản sao Trích lục khai tử của vợ hoặc chồng trong trường hợp người yêu cầu đã từng kết hôn "
    "nhưng vợ hoặc chồng đã chết",
    "Bản sao Bản án, Quyết định ly hôn của Tòa án đã có hiệu lực pháp luật hoặc Trích lục ghi "
    "vào sổ việc ly hôn đã được giải quyết ở nước ngoài",
    "Văn bản ủy quyền theo quy định của pháp luật (trường hợp ủy quyền thực hiện thủ tục)",
]


def pages(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def long_procedure(procedure):
    procedure.name = (
        "Cấp Giấy xác nhận tình trạng hôn nhân cho công dân Việt Nam cư trú trong nước để sử "
        "dụng vào mục đích kết hôn hoặc mục đích khác"
    )
    procedure.save()
    for order, name in enumerate(COMPONENTS[1:], start=1):
        ProcedureComponent.objects.create(
            procedure=procedure, order=order, name=name, originals=1, copies=1
        )
    first = procedure.components.order_by("order", "pk").first()
    first.name = COMPONENTS[0]
    first.save()
    return procedure


@pytest.mark.parametrize("day", [OLD_DAY, NEW_DAY], ids=["2018 set", "2025 set"])
def test_typical_receipt_fits_one_page_with_its_signatures(
    officer, unit, long_procedure, applicant, day
):
    unit.address = "Số 125 đường Trần Hưng Đạo, khu phố 3, phường Đông Thành, tỉnh An Bình"
    unit.save()
    applicant.name = "Nguyễn Thị Phương Thảo"
    applicant.representative_name = "Trần Văn Hoàng Long"
    applicant.representative_id_number = "001085067890"
    applicant.authorisation_document = (
        "Giấy ủy quyền số 12/2026 ngày 02/3/2026, chứng thực tại UBND"
    )
    with time_machine.travel(at(day, 9, 15), tick=False):
        dossier = services.receive_at_counter(
            officer,
            unit,
            long_procedure,
            applicant,
            [{"required_id": c.pk} for c in long_procedure.components.all()],
        )
    content = rendering.render_pdf("receipt", dossier)
    text = pdf_text(content)
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text.upper() and COMPONENTS[4][:40] in text
    assert pages(content) == 1


def test_a_receipt_too_long_for_one_page_keeps_its_signatures_with_the_text(
    officer, unit, long_procedure, applicant
):
    for order in range(5, 16):
        ProcedureComponent.objects.create(
            procedure=long_procedure, order=order, name=f"{COMPONENTS[order % 5]} ({order})"
        )
    with time_machine.travel(at(NEW_DAY, 9, 15), tick=False):
        dossier = services.receive_at_counter(
            officer,
            unit,
            long_procedure,
            applicant,
            [{"required_id": c.pk} for c in long_procedure.components.all()],
        )
    content = rendering.render_pdf("receipt", dossier)
    assert pages(content) == 2
    from pypdf import PdfReader

    last = PdfReader(io.BytesIO(content)).pages[-1].extract_text()
    before, signatures, _after = last.partition("NGƯỜI NỘP HỒ SƠ")
    assert signatures and "Vào Sổ theo dõi hồ sơ" in before  # not the signature block alone
