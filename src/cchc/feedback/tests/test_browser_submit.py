"""An anonymous visitor sends feedback through the form in chromium, as citizens use it."""

import pytest

from .conftest import EMAIL, NAME, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_empty_form_shows_every_error_then_the_default_unit_is_accepted(
    live_server, unit, centre, procedure, browser
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/phan-anh/gui/")
    # Required fields are marked before anything is sent.
    for name in ("title", "content", "sender_name"):
        assert page.get_attribute(f"#id_{name}", "aria-required") == "true"
    assert page.get_attribute("#id_procedure", "aria-required") == "true"
    assert page.get_attribute("#id_officer_name", "aria-required") is None
    page.check("#id_subject_kind_2")  # about an officer: the officer's name becomes required
    assert page.get_attribute("#id_officer_name", "aria-required") == "true"
    assert page.get_attribute("#id_procedure", "aria-required") is None
    page.check("#id_subject_kind_0")

    page.click("#feedback-form button[type=submit]")
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    links = summary.locator("a")
    targets = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert {"#id_procedure", "#id_title", "#id_content", "#id_sender_name"} <= targets
    assert "#id_sender_phone" in targets  # the contact rule, in the same round
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.locator("#id_title_error").is_visible()
    links.filter(has_text="Tiêu đề").click()
    assert page.evaluate("location.hash") == "#id_title"

    page.check("#id_subject_kind_3")  # something else: no procedure needed
    page.fill("#id_title", "Đề nghị bố trí thêm ghế chờ")
    page.fill("#id_content", "Khu vực chờ thường quá tải vào đầu tuần, nhiều người phải đứng.")
    page.fill("#id_sender_name", NAME)
    page.fill("#id_sender_phone", PHONE)
    page.fill("#id_sender_email", EMAIL)
    assert page.locator("#id_unit option:checked").inner_text() == "— để hệ thống tự chuyển —"
    page.click("#feedback-form button[type=submit]")
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "/phan-anh/da-gui/" in page.url, main
    assert centre.name in main  # routed by the system to the service centre
    context.close()
