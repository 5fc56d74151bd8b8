"""An anonymous visitor on a phone (390 px) looks up a dossier typed as read off the receipt."""

import pytest

from cchc.dossiers import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dossier(officer, unit, procedure, applicant):
    return services.receive_at_counter(officer, unit, procedure, applicant)


def test_a_lowercase_code_with_spaces_finds_the_dossier_on_a_phone(live_server, dossier, browser):
    code, name = dossier.code, dossier.procedure.name
    unit_code, day, number = code.rsplit("-", 2)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/tra-cuu/")
    # Not a code at all: a hint on the code's shape, and the form keeps what was typed.
    page.fill("#id_code", "hồ sơ đất đai")
    page.fill("#id_digits", "5678")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "000.00.31.H99-250124-0007" in page.inner_text("#id_code_error")
    assert page.get_attribute("#id_code", "aria-invalid") == "true"
    # The code as typed on a phone: lower case, spaces around dashes.
    page.fill("#id_code", f" {unit_code.lower()} - {day} - {number} ")
    page.fill("#id_digits", "5678")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert code in main and name in main, main
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"
    context.close()
