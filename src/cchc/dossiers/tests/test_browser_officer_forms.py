"""The officers' action forms in Debian's chromium, as the officers who use them.

(a) The processing officer forwards a dossier: the list offers the leaders who sign, never the
    inspector, the reform staff or the system administrator.
(b) The leader enters the result: "Số văn bản kết quả" is visibly required (and the browser will
    not send the form without it), the date is typed dd/mm/yyyy or chosen in the calendar, and the
    typed date is what the dossier records.

Data is created before Playwright starts (its greenlets carry their own database context).
"""

import pytest
import time_machine

from cchc.dossiers import services
from cchc.organisations.models import Role, RoleAssignment

from .conftest import local

PASSWORD = "pw-123456"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def session(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-US")
    page = context.new_page()
    page.dialogs = []

    def answer(dialog):
        page.dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("form[action$='/dang-xuat/']").count() == 1, page.inner_text("main")
    return page


@pytest.fixture
def others(django_user_model, unit, other_unit, auditor):
    """People who must never be offered as handlers of the ward's dossier."""
    province = unit.parent
    for username, role, where, superuser in [
        ("cchc.noivu", Role.REFORM_STAFF, province, False),
        ("quantri", Role.SYSTEM_ADMIN, province, True),
        ("lanhdao.so", Role.LEADER, other_unit, False),
    ]:
        user = django_user_model.objects.create_user(
            username, password=PASSWORD, full_name=username, is_superuser=superuser
        )
        RoleAssignment.objects.create(user=user, unit=where, role=role)
    return ["kiemtra", "cchc.noivu", "quantri", "lanhdao.so", "motcua", "chuyenvien"]


@pytest.fixture
def in_review(officer, processor, unit, procedure, applicant):
    """A dossier at the processing officer's step ("Thẩm định hồ sơ")."""
    with time_machine.travel(local(2026, 12, 1, 8, 0), tick=False):
        dossier = services.receive_at_counter(officer, unit, procedure, applicant)
        return services.forward(dossier.pk, officer, processor)


@pytest.fixture
def to_sign(in_review, processor, leader):
    """The same dossier at the leader's step ("Ký duyệt")."""
    with time_machine.travel(local(2026, 12, 2, 9, 0), tick=False):
        return services.forward(in_review.pk, processor, leader)


def test_processing_officer_forwards_only_to_the_leaders_who_sign(
    live_server, in_review, leader, others, browser
):
    page = session(browser, live_server, "chuyenvien")
    page.goto(f"{live_server.url}/ho-so/{in_review.pk}/")
    page.get_by_role("button", name="Chuyển bước tiếp theo", exact=True).click()
    handler = page.locator("#action-forward select[name=handler]")
    handler.wait_for()
    offered = [text.strip() for text in handler.locator("option").all_inner_texts()]
    assert [name for name in offered if name.strip("-")] == ["lanhdao"], offered
    for name in others:
        assert name not in offered
    handler.select_option(label="lanhdao")
    with page.expect_navigation():  # only once the confirmation was answered
        page.locator("#action-forward button[type=submit]").click()
    assert page.dialogs, "no confirmation was asked"
    assert page.locator(".alert-success").count() == 1, page.locator(".alert").all_inner_texts()
    assert "Ký duyệt · lanhdao" in page.inner_text("main")


def test_leader_enters_the_result_with_a_typed_date_and_the_calendar(live_server, to_sign, browser):
    page = session(browser, live_server, "lanhdao")
    page.goto(f"{live_server.url}/ho-so/{to_sign.pk}/")
    page.get_by_role("button", name="Phê duyệt kết quả", exact=True).click()
    panel = page.locator("#action-approve_result")
    panel.locator("#id_number").wait_for()

    # Required: marked next to its label, explained once, and enforced by the browser.
    label = panel.locator("label[for=id_number]")
    assert label.inner_text().strip() == "Số văn bản kết quả *"
    assert label.locator(".required-mark").is_visible()
    assert panel.get_by_text("Các trường có dấu * là bắt buộc.").is_visible()
    assert "*" not in panel.locator("label[for=id_signer]").inner_text()
    panel.locator("button[type=submit]").click()
    assert page.locator("#id_number").evaluate("e => e.validity.valueMissing")
    assert not page.dialogs  # nothing was sent, nothing to confirm

    # The calendar: opens on the typed month, a click writes dd/mm/yyyy.
    date = panel.locator("#id_result_date")
    assert date.get_attribute("type") == "text"
    date.fill("05/12/2026")
    panel.get_by_role("button", name="Chọn ngày").click()
    calendar = panel.locator(".datepicker-popup")
    assert calendar.is_visible()
    assert calendar.locator(".datepicker-title").inner_text() == "Tháng 12/2026"
    assert calendar.locator(".datepicker-selected").inner_text() == "5"
    calendar.locator("[data-date='08/12/2026']").click()
    assert date.input_value() == "08/12/2026" and not calendar.is_visible()
    # From the keyboard: the focused day moves with the arrows, Enter chooses it.
    panel.get_by_role("button", name="Chọn ngày").click()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    assert date.input_value() == "09/12/2026"

    # Typed dd/mm/yyyy is what the server records.
    date.fill("05/12/2026")
    panel.locator("#id_number").fill("125/QĐ-UBND")
    with page.expect_navigation():
        panel.locator("button[type=submit]").click()
    assert page.dialogs, "no confirmation was asked"
    assert page.locator(".alert-success").count() == 1, page.locator(".alert").all_inner_texts()
    assert "125/QĐ-UBND" in page.inner_text("main")
    assert "05/12/2026" in page.inner_text("main")
