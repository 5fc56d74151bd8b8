"""The leader of Sở Tư pháp in chromium (the least-privileged role with a dashboard): the
overdue reform task shows on the dashboard tile, the count opens the overdue list, the task opens
from it; then the unit's completion page and its drill-down. Axe runs on every page visited.

All data is created before Playwright starts; dates are relative to today (the live server runs
on the real clock)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind
from cchc.organisations.tests.factories import PASSWORD, UserFactory
from cchc.plans.models import TaskStatus
from cchc.portal.tests.test_accessibility import axe_violations, describe

from .factories import PlanFactory, PlanFieldFactory, TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OVERDUE_TASK = "Rà soát, đơn giản hóa thủ tục hành chính lĩnh vực hộ tịch"


@pytest.fixture
def journey(db):
    today = timezone.localdate()
    province = OrganisationUnit.objects.create(
        kind=UnitKind.PROVINCE_COMMITTEE, name="UBND tỉnh An Bình", code="000.00.00.H99"
    )
    justice = OrganisationUnit.objects.create(
        kind=UnitKind.DEPARTMENT, name="Sở Tư pháp", code="000.00.15.H99", parent=province
    )
    leader = UserFactory(username="lanhdao.tuphap", full_name="Lãnh đạo Sở Tư pháp")
    RoleAssignment.objects.create(user=leader, unit=justice, role=Role.LEADER)
    plan = PlanFactory(unit=justice, year=today.year)
    field = PlanFieldFactory(plan=plan, position=1, name="Cải cách thủ tục hành chính")
    TaskFactory(
        plan=plan,
        field=field,
        code="2.1",
        content="Công bố danh mục thủ tục hành chính",
        deadline=today - timedelta(days=20),
        status=TaskStatus.DONE,
        percent=100,
        done_on=today - timedelta(days=21),
    )
    overdue = TaskFactory(
        plan=plan,
        field=field,
        code="2.2",
        content=OVERDUE_TASK,
        deadline=today - timedelta(days=5),
        status=TaskStatus.IN_PROGRESS,
        percent=40,
    )
    return {"task": overdue.pk, "plan": plan.pk}


def check_axe(page):
    violations = axe_violations(page)
    assert violations == [], describe(page.url, violations)


def test_leader_sees_the_overdue_task_and_opens_it(live_server, journey, browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="vi-VN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", "lanhdao.tuphap")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/dieu-hanh/")
    tile = page.locator("#tile-plan-overdue")
    assert tile.locator("#plan-overdue-count").inner_text().strip() == "1"
    assert OVERDUE_TASK[:40] in tile.inner_text()
    assert "Tiến độ kế hoạch CCHC năm" in page.locator("#tile-plan-completion").inner_text()
    check_axe(page)

    tile.locator("#plan-overdue-count").click()
    page.wait_for_load_state()
    assert "/ke-hoach-cchc/qua-han/" in page.url
    assert page.locator("#overdue-total").get_attribute("data-value") == "1"
    assert "Nhiệm vụ quá hạn" in page.locator("main h1").inner_text()
    check_axe(page)

    page.locator(f"#task-{journey['task']} a").click()
    page.wait_for_load_state()
    assert OVERDUE_TASK in page.inner_text("main")
    check_axe(page)

    page.goto(f"{live_server.url}/ke-hoach-cchc/tien-do/ke-hoach/{journey['plan']}/")
    assert page.locator("#completion-percent").inner_text().strip() == "50,00 %"
    assert "1/2 = 50,00 %" in page.locator("#rounding-rule").inner_text()
    check_axe(page)
    page.locator("#count-done").click()
    page.wait_for_load_state()
    assert "Công bố danh mục thủ tục hành chính" in page.locator("#task-list").inner_text()
    check_axe(page)

    page.goto(f"{live_server.url}/ke-hoach-cchc/tien-do/theo-don-vi/")
    assert page.locator("#units-table tr[data-unit='000.00.15.H99']").count() == 1
    check_axe(page)
    assert errors == []
    context.close()
