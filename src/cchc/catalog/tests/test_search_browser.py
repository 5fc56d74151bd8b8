"""An anonymous citizen on a 390 px phone searches the catalog from the home page the way people
type: no diacritics, filler words, or a typo.

Drives Debian's chromium through Playwright (the ``browser`` fixture in the root conftest).
"""

import pytest

from cchc.demo.province import load_catalog, load_units

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_catalog():
    # Loaded before Playwright starts (its greenlets carry their own database context), through
    # the importer as ``load-demo`` does.
    report = load_catalog(load_units())
    assert report.written


@pytest.fixture
def phone(demo_catalog, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    yield context.new_page()
    context.close()


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_citizen_types_lam_giay_khai_sinh_in_the_home_page_box(live_server, phone):
    phone.goto(f"{live_server.url}/")
    box = phone.locator("#home-q")
    box.fill("lam giay khai sinh")
    box.press("Enter")

    phone.wait_for_url("**/thu-tuc/?q=lam+giay+khai+sinh")
    results = phone.locator(".list-group-item-action .fw-semibold")
    first_three = [results.nth(index).inner_text() for index in range(3)]
    assert "Đăng ký khai sinh" in first_three
    assert fits_the_screen(phone)

    phone.locator("a.list-group-item[href='/thu-tuc/1.001193/']").click()
    phone.wait_for_url("**/thu-tuc/1.001193/")
    assert phone.locator("h1").inner_text() == "Đăng ký khai sinh"


def test_a_search_with_no_result_offers_procedures_and_fields(live_server, phone):
    phone.goto(f"{live_server.url}/")
    phone.locator("#home-q").fill("tamtru")
    phone.get_by_role("button", name="Tìm kiếm").click()

    suggestions = phone.locator("#search-suggestions")
    suggestions.wait_for()
    assert phone.locator("#no-results").is_visible()
    assert suggestions.locator("#suggested-fields a").count() >= 5
    assert fits_the_screen(phone)
    suggestions.get_by_role("link", name="Đăng ký tạm trú", exact=True).click()
    phone.wait_for_url("**/thu-tuc/1.004194/")
