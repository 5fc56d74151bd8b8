"""End-to-end flows in Debian's chromium through Playwright, as officers and citizens use them.

(a) counter intake → processing → result → return → rating;
(b) online submission → supplement request → supplement → lookup;
(c) a late dossier → apology approved → visible in the lookup.

All data is created before Playwright starts (its greenlets carry their own database context);
after that, the test only acts and checks through the pages.
"""

import re
from decimal import Decimal

import pytest

from cchc.catalog.models import Procedure, WorkflowStep
from cchc.dossiers import services

PASSWORD = "pw-123456"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def session(browser, live_server, username=None):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "Xác nhận thực hiện thao tác này?"
    if username:
        page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("form[action$='/dang-xuat/']").count() == 1, page.inner_text("main")
    return page


def act(page, label: str, fields: dict | None = None):
    """Open an action of the dossier page, fill it and confirm."""
    # The action panels open by script: a click before the page's scripts ran opens nothing
    # (seen under load, right after a link's navigation). Find the button on the new page, then
    # wait for that page's load event, then click.
    button = page.get_by_role("button", name=label, exact=True).first
    button.wait_for()
    page.wait_for_load_state("load")
    button.click()
    panel = page.locator(".accordion-collapse.show")
    panel.wait_for()
    for selector, value in (fields or {}).items():
        element = panel.locator(selector)
        if element.evaluate("e => e.tagName") == "SELECT":
            element.select_option(value)
        else:
            element.fill(value)
    with page.expect_navigation():  # sent only once the confirmation was accepted
        panel.locator("button[type=submit]").click()
    assert page.locator(".alert-success").count() == 1, page.locator(".alert").all_inner_texts()


@pytest.fixture
def citizen_account(django_user_model):
    return django_user_model.objects.create_user(
        "congdan", password=PASSWORD, full_name="Ngô Thị Mai"
    )


@pytest.fixture
def setup(officer, processor, leader, unit, procedure):
    procedure.implementing_units.add(unit)
    return {
        "pk": procedure.pk,
        "code": procedure.code,
        "component": procedure.components.get().pk,
    }


def test_a_counter_intake_to_rating(live_server, setup, browser):
    page = session(browser, live_server, "motcua")
    page.goto(f"{live_server.url}/ho-so/tiep-nhan/")
    page.select_option("#id_procedure", value=str(setup["pk"]))
    page.locator("#checklist input[type=checkbox]").first.wait_for()
    page.fill("#id_applicant_name", "Vũ Thị Hạnh")
    page.fill("#id_applicant_id_number", "001190007788")
    page.fill("#id_applicant_phone", "0913222333")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in page.content(), page.inner_text("main")
    code = re.search(r"Mã hồ sơ: <strong>([^<]+)</strong>", page.content()).group(1)
    page.get_by_role("link", name="Quay lại hồ sơ").click()
    act(page, "Chuyển bước tiếp theo")

    page = session(browser, live_server, "chuyenvien")
    page.goto(f"{live_server.url}/ho-so/hang-doi/dang-xu-ly/")
    page.get_by_role("link", name=code).click()
    act(page, "Chuyển bước tiếp theo")

    page = session(browser, live_server, "lanhdao")
    page.goto(f"{live_server.url}/ho-so/hang-doi/tat-ca/?q={code}")
    page.get_by_role("link", name=code).click()
    act(page, "Phê duyệt kết quả", {"input[name=number]": "25/XN-UBND"})

    page = session(browser, live_server, "motcua")
    page.goto(f"{live_server.url}/ho-so/hang-doi/cho-tra/")
    page.get_by_role("link", name=code).click()
    act(page, "Trả kết quả", {"input[name=received_by]": "Vũ Thị Hạnh"})
    assert "Đã trả kết quả" in page.content()

    citizen = session(browser, live_server)
    citizen.goto(f"{live_server.url}/tra-cuu/?ma={code}")
    citizen.fill("#id_digits", "2333")
    citizen.click("main form button[type=submit]")
    citizen.check("#score5")
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Gửi đánh giá").click()
    assert "Cảm ơn" in citizen.content()


def test_b_online_submission_supplement_lookup(live_server, citizen_account, setup, browser):
    code_of = setup["code"]

    page = session(browser, live_server, "congdan")
    page.goto(f"{live_server.url}/cong-dan/nop/{code_of}/")
    assert page.locator("#id_applicant_id_number").count() == 1, page.inner_text("main")
    names = page.locator("input[type=file]").evaluate_all("els => els.map(e => e.name)")
    assert f"file_{setup['component']}" in names, (names, setup, page.inner_text("main"))
    page.fill("#id_applicant_id_number", "001190009999")
    page.fill("#id_applicant_phone", "0904555666")
    page.set_input_files(
        f"input[name=file_{setup['component']}]",
        files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 t"}],
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Nộp hồ sơ", exact=True).click()
    code = re.search(r"(\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4})", page.content()).group(1)

    officer = session(browser, live_server, "motcua")
    officer.goto(f"{live_server.url}/ho-so/hang-doi/cho-kiem-tra/")
    officer.get_by_role("link", name=code).click()
    act(officer, "Tiếp nhận")
    act(officer, "Chuyển bước tiếp theo")
    processor = session(browser, live_server, "chuyenvien")
    processor.goto(f"{live_server.url}/ho-so/hang-doi/dang-xu-ly/?q={code}")
    processor.get_by_role("link", name=code).click()
    supplement = {
        "textarea[name=items]": "Bản sao giấy khai sinh",
        "textarea[name=reason]": "Thiếu",
    }
    act(processor, "Yêu cầu bổ sung hồ sơ", supplement)

    page.goto(f"{live_server.url}/cong-dan/ho-so/")
    page.get_by_role("link", name=re.compile(re.escape(code))).click()
    assert "Bản sao giấy khai sinh" in page.content()
    page.set_input_files(
        f"form[action$='/bo-sung/'] input[name=file_{setup['component']}]",
        files=[{"name": "bo-sung.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 b"}],
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi hồ sơ bổ sung").click()

    lookup = session(browser, live_server)
    lookup.goto(f"{live_server.url}/tra-cuu/")
    lookup.fill("#id_code", code)
    lookup.fill("#id_digits", "5666")
    lookup.click("main form button[type=submit]")
    text = lookup.content()
    assert "Hồ sơ đang được giải quyết" in text and "Đã nhận hồ sơ bổ sung" in text
    assert "001190009999" not in text and "0904555666" not in text


@pytest.fixture
def late_dossier(officer, processor, leader, unit):
    """A one-working-day procedure: received now, it needs an apology at once."""
    procedure = Procedure.objects.create(
        code="2.000815", name="Chứng thực bản sao từ bản chính", field=setup_field(),
        level_commune=True, time_limit_amount=1, time_limit_unit="working_days",
    )  # fmt: skip
    WorkflowStep.objects.create(
        procedure=procedure, order=0, name="Xử lý", role="processing_officer", hours=Decimal(8)
    )
    procedure.implementing_units.add(unit)
    applicant = services.Applicant(
        kind="individual", name="Lý Văn Tài", id_type="cccd", id_number="001080001111",
        phone="0988777444",
    )  # fmt: skip
    return services.receive_at_counter(officer, unit, procedure, applicant)


def setup_field():
    from cchc.catalog.models import Field

    return Field.objects.get_or_create(name="Chứng thực")[0]


def test_c_late_dossier_apology_visible_in_lookup(live_server, late_dossier, browser):
    code = late_dossier.code
    processor = session(browser, live_server, "chuyenvien")
    processor.goto(f"{live_server.url}/ho-so/hang-doi/can-xin-loi/")
    processor.get_by_role("link", name=code).click()
    with processor.expect_navigation():
        processor.get_by_role("button", name="Lập văn bản xin lỗi").click()
    new_date = re.search(
        r"Ngày hẹn trả mới: <strong>[0-9:]+ (\d{2}/\d{2}/\d{4})</strong>", processor.content()
    ).group(1)

    leader = session(browser, live_server, "lanhdao")
    leader.goto(f"{live_server.url}/ho-so/hang-doi/tat-ca/?q={code}")
    leader.get_by_role("link", name=code).click()
    with leader.expect_navigation():
        leader.get_by_role("button", name="Ký và gửi").click()
    assert "Đã gửi cho người nộp" in leader.content()

    citizen = session(browser, live_server)
    citizen.goto(f"{live_server.url}/tra-cuu/?ma={code}")
    citizen.fill("#id_digits", "7444")
    citizen.click("main form button[type=submit]")
    text = citizen.content()
    assert new_date in text and "xin lỗi" in text
