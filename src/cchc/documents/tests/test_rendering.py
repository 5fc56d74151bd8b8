"""Each PDF form rendered for a suitable dossier, read back with pypdf."""

import pytest
import time_machine

from cchc.documents import registry, rendering
from cchc.documents.fonts import FAMILY, document_font
from cchc.dossiers import services
from cchc.dossiers.models import ApologyLetter, ApologyStatus
from cchc.dossiers.tests import conftest as dossier_fixtures

from .conftest import (
    NEW_DAY,
    OLD_DAY,
    apology_for,
    at,
    pdf_fonts,
    pdf_text,
    received_on,
    submitted_online,
)

pytestmark = pytest.mark.django_db

HEADING = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def render(form_key, dossier) -> str:
    content = rendering.render_pdf(form_key, dossier)
    assert content.startswith(b"%PDF-")
    # Every glyph comes from the chosen Vietnamese-complete font: no fallback font was needed.
    assert pdf_fonts(content) and all(
        name.split("+")[-1].startswith(FAMILY.replace(" ", "-")) for name in pdf_fonts(content)
    ), pdf_fonts(content)
    text = pdf_text(content)
    assert all(line in text for line in HEADING)
    return text


def test_a_vietnamese_complete_debian_font_is_used():
    font = document_font()
    assert font.family in ("Liberation Serif", "DejaVu Serif")
    assert any(weight == 400 and style == "normal" for weight, style, _ in font.faces)
    assert all(str(path).startswith("/usr/share/fonts/") for _, _, path in font.faces)


def test_receipt_2024_uses_the_2018_set(returned_old):
    text = render(registry.RECEIPT, returned_old)
    assert "Mẫu số 01 – Thông tư 01/2018/TT-VPCP" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert returned_old.code in text
    assert "Nguyễn Văn An" in text
    assert "UBND TỈNH AN BÌNH" in text and "UBND PHƯỜNG ĐÔNG THÀNH" in text
    assert "Đông Thành, ngày 03 tháng 6 năm 2024" in text
    assert "08 giờ 00 phút, ngày 03/06/2024" in text
    assert "17 giờ 00 phút, ngày 10/06/2024" in text
    assert "Phí, lệ phí: 20.000 đ" in text
    assert "Tờ khai" in text
    assert "motcua" in text  # the officer who received it signs


def test_receipt_2026_uses_the_2025_set(returned_new):
    text = render(registry.RECEIPT, returned_new)
    assert "Mẫu số 01 – Thông tư 03/2025/TT-VPCP" in text
    assert "ngày 02 tháng 3 năm 2026" in text
    assert "02/03/2026" in text


def test_receipt_qr_points_to_the_public_lookup(returned_old, settings):
    html = rendering.render_html(registry.RECEIPT, returned_old)
    url = f"http://127.0.0.1:8000/tra-cuu/?ma={returned_old.code}"
    assert rendering.lookup_url(returned_old) == url
    assert url in html
    assert rendering.qr_svg(url) in html  # the SVG drawn from exactly this address
    assert "http" not in html.split("<body>")[0].replace("http-equiv", "")  # no remote resource

    settings.CCHC_PUBLIC_URL = "https://dichvucong.example.vn/"
    html = rendering.render_html(registry.RECEIPT, returned_old)
    assert f"https://dichvucong.example.vn/tra-cuu/?ma={returned_old.code}" in html


def test_supplement_request_lists_items_reason_and_answer_date(supplement_new):
    text = render(registry.SUPPLEMENT, supplement_new)
    assert "Mẫu số 02 – Thông tư 03/2025/TT-VPCP" in text
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "/PBS" in text
    assert "1. Bản sao Giấy khai sinh" in text
    assert "2. Ảnh 4x6 chụp không quá 6 tháng" in text
    assert "Lý do: Tờ khai chưa ghi đủ nơi cư trú" in text
    assert "17 giờ 00 phút, ngày 09/03/2026" in text  # 5 working days
    assert supplement_new.code in text and "Nguyễn Văn An" in text


def test_refusal_gives_the_reason(refused_old):
    text = render(registry.REFUSAL, refused_old)
    assert "Mẫu số 03 – Thông tư 01/2018/TT-VPCP" in text
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Thủ tục không thuộc thẩm quyền của cấp xã" in text
    assert refused_old.code in text
    assert "ngày 03 tháng 6 năm 2024" in text


@pytest.mark.parametrize(
    ("day", "title", "label"),
    [
        (OLD_DAY, "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Mẫu số 04 – Thông tư 01/2018"),
        (
            NEW_DAY,
            "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
            "Mẫu số 04 – Thông tư 03/2025",
        ),
    ],
)
def test_apology_title_follows_the_set(
    day, title, label, officer, leader, unit, procedure, applicant
):
    dossier = received_on(day, officer, unit, procedure, applicant)
    with pytest.raises(rendering.FormNotApplicable):
        rendering.render_html(registry.APOLOGY, dossier)
    ApologyLetter.objects.create(  # a draft does not count
        dossier=dossier,
        reason="Nháp",
        original_appointment_at=dossier.appointment_at,
        new_appointment_at=dossier.appointment_at,
        created_at=at(day, 9),
        status=ApologyStatus.DRAFT,
    )
    with pytest.raises(rendering.FormNotApplicable):
        rendering.render_html(registry.APOLOGY, dossier)
    apology_for(dossier, leader, at(day, 9), at(day, 10))
    text = render(registry.APOLOGY, dossier)
    assert title in text and label in text
    assert "Kính gửi: Nguyễn Văn An" in text
    assert "Cần xác minh thêm tại nơi cư trú" in text
    assert "Lê Thị Hồng" in text
    original = dossier.appointment_at
    assert f"17 giờ 00 phút, ngày {original:%d/%m/%Y}" in text
    assert f"17 giờ 00 phút, ngày {day[2] + 9:02d}/{day[1]:02d}/{day[0]}" in text


def test_stop_notice_is_mau_05_in_the_2025_set(officer, leader, unit, procedure, applicant):
    dossier = received_on(NEW_DAY, officer, unit, procedure, applicant)
    with pytest.raises(rendering.FormNotApplicable):
        rendering.render_html(registry.STOP, dossier)
    with time_machine.travel(at(NEW_DAY, 15), tick=False):
        dossier = services.stop(dossier.pk, leader, "Có tranh chấp về nơi cư trú")
    text = render(registry.STOP, dossier)
    assert "Mẫu số 05 – Thông tư 03/2025/TT-VPCP" in text
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert "Lý do dừng giải quyết: Có tranh chấp về nơi cư trú" in text
    assert "15 giờ 00 phút, ngày 02/03/2026" in text
    assert "lanhdao" in text


def test_stop_notice_before_the_switch_is_a_plain_notice(officer, unit, procedure, applicant):
    dossier = received_on(OLD_DAY, officer, unit, procedure, applicant)
    with time_machine.travel(at(OLD_DAY, 15), tick=False):
        dossier = services.withdraw(dossier.pk, officer, "Người nộp xin rút để bổ sung giấy tờ")
    text = render(registry.STOP, dossier)
    assert "THÔNG BÁO VỀ VIỆC DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert "Mẫu số" not in text
    assert "Theo đề nghị rút hồ sơ của ông/bà" in text
    assert "Người nộp xin rút để bổ sung giấy tờ" in text
    assert "motcua" not in text  # the head signs, not the clerk who recorded it


def test_control_slip_numbers_and_rows(returned_old, returned_new):
    old = render(registry.CONTROL, returned_old)
    new = render(registry.CONTROL, returned_new)
    assert "Mẫu số 05 – Thông tư 01/2018/TT-VPCP" in old
    assert "Mẫu số 06 – Thông tư 03/2025/TT-VPCP" in new
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in new
    rows = rendering.control_rows(returned_new)
    assert [row.action for row in rows] == [
        "received", "forwarded", "forwarded", "resolved", "returned"
    ]  # fmt: skip
    assert rows[0].giver == "Nguyễn Văn An"
    assert rows[0].receiver == "motcua – UBND phường Đông Thành"
    assert rows[1].receiver == "chuyenvien – 2. Thẩm định hồ sơ"
    assert rows[3].giver == "lanhdao – UBND phường Đông Thành"
    assert {row.timing for row in rows} == {"early"}
    assert "03/03/2026 09:00" in new and "Trước hạn" in new
    assert rows[3].note == "15/XN-UBND" and "15/XN" in new
    assert "Cơ quan (bộ phận) giải quyết hồ sơ: UBND phường Đông Thành" in new


def test_control_slip_rates_hand_overs_against_the_due_time(
    officer, processor, leader, unit, procedure, applicant
):
    dossier = received_on(OLD_DAY, officer, unit, procedure, applicant)  # due 10/06/2024 17:00
    with time_machine.travel(at((2024, 6, 10), 9), tick=False):
        services.approve_result(dossier.pk, leader, "approved", "20/XN", "")
    with time_machine.travel(at((2024, 6, 11), 9), tick=False):
        dossier = services.return_result(dossier.pk, officer, "postal", "")
    timings = [row.timing for row in rendering.control_rows(dossier)]
    assert timings == ["early", "on_time", "late"]
    text = render(registry.CONTROL, dossier)
    assert "Trước hạn" in text and "Đúng hạn" in text and "Quá hạn" in text


def test_control_slip_counts_a_dossier_late_by_rule_late_from_the_second_request(
    officer, processor, leader, unit, procedure, applicant
):
    """A second supplement request during processing (NĐ 118/2025 Điều 11) makes the dossier late
    whatever the times, as the statistics count it: the hand-overs before it keep their class,
    the request and everything after it — even an early result — are "Quá hạn"."""
    dossier = received_on(OLD_DAY, officer, unit, procedure, applicant)  # due 10/06/2024 17:00
    seen = dossier_fixtures.seen
    with time_machine.travel(at((2024, 6, 3), 9), tick=False):
        dossier = services.forward(dossier.pk, officer, handler=processor)
        dossier = services.request_supplement(
            dossier.pk, processor, "Tờ khai", "Sai thông tin", expected_version=seen(dossier.pk)
        )
    with time_machine.travel(at((2024, 6, 3), 10), tick=False):
        dossier = services.complete_supplement(
            dossier.pk, officer, expected_version=seen(dossier.pk)
        )
    with time_machine.travel(at((2024, 6, 4), 9), tick=False):
        dossier = services.request_supplement(
            dossier.pk, leader, "Ảnh", "Thiếu ảnh", expected_version=seen(dossier.pk)
        )
    with time_machine.travel(at((2024, 6, 4), 10), tick=False):
        dossier = services.complete_supplement(
            dossier.pk, officer, expected_version=seen(dossier.pk)
        )
    with time_machine.travel(at((2024, 6, 5), 9), tick=False):
        dossier = services.approve_result(dossier.pk, leader, "approved", "21/XN", "")
    assert dossier.late_by_rule and dossier.resolved_at < dossier.due_at
    rows = rendering.control_rows(dossier)
    assert [(row.action, row.timing) for row in rows] == [
        ("received", "early"),
        ("forwarded", "early"),
        ("supplement_requested", "early"),
        ("supplement_completed", "early"),
        ("supplement_requested", "late"),  # the second request: late by rule from here on
        ("supplement_completed", "late"),
        ("resolved", "late"),
    ]
    text = render(registry.CONTROL, dossier)
    assert "Trước hạn" in text and "Quá hạn" in text


def test_forms_that_do_not_apply(officer, unit, procedure, applicant, returned_old):
    online = submitted_online(unit, procedure, applicant, NEW_DAY)
    for key in (registry.RECEIPT, registry.CONTROL, registry.REFUSAL, registry.SUPPLEMENT):
        with pytest.raises(rendering.FormNotApplicable):
            rendering.render_html(key, online)
    for key in (registry.REFUSAL, registry.STOP, registry.APOLOGY, registry.SUPPLEMENT):
        with pytest.raises(rendering.FormNotApplicable):
            rendering.render_html(key, returned_old)
    assert [spec.key for spec in rendering.applicable_forms(returned_old)] == [
        registry.RECEIPT,
        registry.CONTROL,
    ]
    assert rendering.applicable_forms(online) == []
    with pytest.raises(KeyError):
        rendering.render_html("log_book", returned_old)


def test_applicable_forms_follow_the_history(supplement_new, refused_old):
    assert [spec.key for spec in rendering.applicable_forms(supplement_new)] == [
        registry.RECEIPT,
        registry.SUPPLEMENT,
        registry.CONTROL,
    ]
    specs = rendering.applicable_forms(refused_old)
    assert [(spec.key, spec.number) for spec in specs] == [(registry.REFUSAL, "03")]


def test_the_renderer_reads_the_font_files_and_nothing_else():
    fetcher = rendering._fetcher()
    font_url = sorted(document_font().urls)[0]
    response = fetcher.fetch(font_url)
    try:
        assert response.read(4) in (b"\x00\x01\x00\x00", b"true", b"OTTO")
    finally:
        response.close()
    for url in ("file:///etc/hostname", "http://example.invalid/logo.png", "data:,x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    # A remote image in a template is skipped, never fetched.
    pdf = rendering.html_to_pdf('<p>Xin chào</p><img src="http://example.invalid/x.png">')
    assert "Xin chào" in pdf_text(pdf)


def test_control_rows_of_an_online_dossier(officer, unit, procedure, applicant, django_user_model):
    from cchc.dossiers.models import DossierComponent

    citizen = django_user_model.objects.create_user("congdan", password="x", full_name="An")
    with time_machine.travel(at(NEW_DAY), tick=False):
        draft = services.create_draft(citizen, unit, procedure, applicant)
        DossierComponent.objects.create(
            dossier=draft, required=procedure.components.get(), name="Tờ khai", file="a.pdf"
        )
        services.submit_online(draft.pk, citizen)
        services.accept(draft.pk, officer)
    with time_machine.travel(at(NEW_DAY, 9), tick=False):
        dossier = services.withdraw(draft.pk, citizen, "Không còn nhu cầu")
    rows = rendering.control_rows(dossier)
    assert [(row.action, row.giver, row.receiver) for row in rows] == [
        ("submitted", "Nguyễn Văn An", "UBND phường Đông Thành"),
        ("received", "Nguyễn Văn An", "motcua – UBND phường Đông Thành"),
        ("withdrawn", "Nguyễn Văn An", "UBND phường Đông Thành"),
    ]
