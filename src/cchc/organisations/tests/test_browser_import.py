"""The organisation tree import in chromium, by the province's system administrator (a role, not a
superuser): the menu entry, the check of the shipped sample, the confirmation behind the page's
question, the tree written. axe-core finds no serious violation on the page."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from cchc.organisations.models import OrganisationUnit, Role, UnitKind
from cchc.portal.tests.test_accessibility import axe_violations, describe

from .factories import PASSWORD, OrganisationUnitFactory, RoleAssignmentFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAMPLE = Path(__file__).resolve().parents[4] / "deploy" / "samples" / "organisations.csv"
CONFIRM = "Nhập cây cơ quan, đơn vị này ngay bây giờ?"


def off_loop(call):
    """Run an ORM read outside Playwright's event loop (Django refuses it inside)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def unit_count() -> int:
    return OrganisationUnit.objects.count()


def ward_receiver() -> str:
    return OrganisationUnit.objects.get(code="000.00.31.H99").one_stop_unit.code


@pytest.fixture
def administrator(db):
    province = OrganisationUnitFactory(
        code="000.00.00.H99", name="UBND tỉnh", kind=UnitKind.PROVINCE_COMMITTEE
    )
    user = UserFactory(username="quantri.tinh", is_staff=False, is_superuser=False)
    RoleAssignmentFactory(user=user, unit=province, role=Role.SYSTEM_ADMIN)
    return user.username


def test_the_system_administrator_checks_and_imports_the_sample(
    live_server, administrator, browser
):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", administrator)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()

    link = page.locator("a[href='/don-vi/nhap-tu-tep/']").first
    assert link.count() == 1  # the menu entry, under "Tiện ích"
    page.goto(f"{live_server.url}/don-vi/nhap-tu-tep/")
    violations = axe_violations(page)
    assert not violations, describe("/don-vi/nhap-tu-tep/", violations)

    page.locator("#id_file").set_input_files(str(SAMPLE))
    with page.expect_navigation():
        page.locator("#check-form button[type=submit]").click()
    summary = page.inner_text("#import-summary")
    assert "sẽ tạo mới 18 đơn vị, cập nhật 1" in summary
    assert off_loop(unit_count) == 1  # checked, not written
    violations = axe_violations(page)
    assert not violations, describe("check", violations)

    button = page.locator("#confirm-form button[type=submit]")
    button.wait_for()
    page.wait_for_load_state("load")
    with page.expect_navigation():
        button.click()
    assert asked == [CONFIRM]
    assert "đã tạo mới 18, cập nhật 1" in page.inner_text("main")
    assert off_loop(unit_count) == 19
    assert off_loop(ward_receiver) == "000.01.31.H99"
    context.close()
