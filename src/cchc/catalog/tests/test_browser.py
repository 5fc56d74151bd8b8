"""A citizen on a phone finds a procedure without typing diacritics and previews the due date.

Drives Debian's chromium (``/usr/bin/chromium``) through Playwright; no browser is downloaded.
On a developer machine without chromium the test is skipped; in CI (``CI`` set) it fails instead,
because ``.ci/run`` installs chromium.
"""

import pytest

from cchc.catalog import importing
from cchc.demo.province import SAMPLE_CATALOG

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
    return context.new_page()


@pytest.fixture
def sample_catalog():
    # Loaded before Playwright starts: its greenlets carry their own context, and a connection
    # opened in there would outlive the test database.
    report = importing.import_file(SAMPLE_CATALOG.read_bytes(), SAMPLE_CATALOG.name)
    assert report.written


def test_search_without_diacritics_and_preview_due_date(live_server, sample_catalog, page):
    page.goto(f"{live_server.url}/thu-tuc/")
    page.fill("input[name=q]", "giay khai sinh")
    page.press("input[name=q]", "Enter")
    link = page.get_by_role("link", name="Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh")
    link.click()

    assert page.locator("h1").inner_text().startswith("Cấp bản sao Trích lục hộ tịch")
    page.fill("input[name=submitted]", "24/01/2025 16:00")
    page.click("#due-preview button[type=submit]")
    # Same-day procedure received after 15:00 on the Friday before Tết 2025 → Monday 03/02/2025.
    page.locator("#due-preview strong", has_text="03/02/2025").wait_for(timeout=5000)
    assert page.url.endswith("/thu-tuc/2.000635/")  # HTMX swapped the fragment in place
