"""The results pages in Debian's chromium: a citizen (no login) opens the public results on a
phone and finds the rank; the organiser's reform officer opens the round's ranking and a unit's
losses. Axe (vendored) finds no serious or critical violation; nothing overflows the phone's width.

All data is created before Playwright starts (its greenlets carry their own database context).
"""

import pytest

from cchc.organisations.models import Role
from cchc.parindex.models import RoundStatus
from cchc.parindex.tests import results_factories as make
from cchc.portal.tests.test_accessibility import axe_violations, describe

PASSWORD = "pw-123456"
PHONE = {"width": 375, "height": 740}
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(django_user_model):
    province = make.province()
    home = make.unit("Sở Nội vụ", province)
    a = make.unit("Sở Xây dựng", province)
    b = make.unit("Sở Tư pháp", province)
    cset = make.criteria_set(year=2025)
    round_obj = make.round_(cset, home, status=RoundStatus.PUBLISHED)
    make.assess(
        round_obj,
        a,
        {
            "1.1": (20, 18, "Kế hoạch ban hành chậm"),
            "1.2": "na",
            "2.1": (35, 32.76),
            "2.2": {"survey": 20.56},
        },
    )
    make.assess(round_obj, b, {"1.1": 15, "1.2": 15, "2.1": 30, "2.2": {"survey": 20}})
    make.staff(django_user_model, "noivu", Role.REFORM_STAFF, home)
    return {"round": round_obj.pk, "a": a.code}


def _no_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_citizen_finds_the_rank_on_the_public_page_on_a_phone(published, live_server, browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/chi-so-cchc/cong-khai/")
    page.get_by_role("link", name="Chỉ số CCHC năm 2025").click()
    page.wait_for_load_state()
    row = page.locator("#par-ranking tbody tr").first
    assert "Sở Xây dựng" in row.inner_text() and "1/2" in row.inner_text()
    assert "89,15" in row.inner_text()
    assert page.locator("#chart-public-index rect").count() == 2
    assert _no_overflow(page)
    violations = axe_violations(page)
    assert not violations, describe(page.url, violations)
    context.close()


def test_reform_officer_opens_a_units_losses(published, live_server, browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", "noivu")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/chi-so-cchc/ket-qua/{published['round']}/")
    violations = axe_violations(page)
    assert not violations, describe(page.url, violations)
    assert _no_overflow(page)
    page.get_by_role("link", name="Sở Xây dựng").click()
    page.wait_for_load_state()
    assert "Kế hoạch ban hành chậm" in page.locator("#par-unit-losses").inner_text()
    violations = axe_violations(page)
    assert not violations, describe(page.url, violations)
    assert _no_overflow(page)
    context.close()
