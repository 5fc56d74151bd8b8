"""The committee secretary's journey in chromium (a reform_staff user, the least-privileged role
that records meetings and issues the notice): record a meeting as held, issue its conclusion
notice with two items (the confirmation question appears each time), see the tasks created, and
find "0/2 đã hoàn thành" on the next meeting's page; axe on every page visited. Then the same
secretary on the demo data: the second meeting shows the first one's 7/9.

All data is created before Playwright starts; dates are relative to today (the live server's
clock is the real one).
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cchc.committee import selectors
from cchc.committee.models import Meeting, MeetingStatus
from cchc.plans.models import Task, TaskOrigin
from cchc.portal.tests.test_accessibility import axe_violations, describe

from .factories import PASSWORD, make_world, plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOLD_QUESTION = (
    "Ghi nhận phiên họp đã diễn ra? Sau đó không thể sửa thành phần tham dự và biên bản."
)
NOTICE_QUESTION = (
    "Ban hành thông báo kết luận? Mỗi kết luận sẽ thành một nhiệm vụ giao cho đơn vị chủ trì."
)


class Session:
    """One person's browser tab: signs in, answers every confirmation, remembers them."""

    def __init__(self, browser, live_server, username, password=PASSWORD):
        self.context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="vi-VN")
        self.page = self.context.new_page()
        self.base = live_server.url
        self.asked: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._answer)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(f"{self.base}/tai-khoan/dang-nhap/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()
        assert self.page.locator("form[action$='/dang-xuat/']").count() == 1, self.main()

    def _answer(self, dialog):
        self.asked.append(dialog.message)
        dialog.accept()

    def go(self, path: str):
        self.page.goto(f"{self.base}{path}")
        violations = axe_violations(self.page)
        assert violations == [], describe(path, violations)

    def main(self) -> str:
        return self.page.inner_text("main")

    def submit(self, selector: str):
        with self.page.expect_navigation():
            self.page.locator(selector).click()
        assert self.page.locator(".alert-danger").count() == 0, self.main()

    def close(self):
        assert self.errors == []
        self.context.close()


def _fill_notice(session, units, deadlines):
    form = "#conclude-form"
    session.page.fill(f"{form} input[name=notice_number]", "25/TB-BCĐ")
    session.page.fill(f"{form} input[name=notice_date]", timezone.localdate().strftime("%d/%m/%Y"))
    contents = ("Rà soát, đơn giản hóa thủ tục hành chính", "Báo cáo kết quả số hóa hồ sơ")
    for index, (content, unit, deadline) in enumerate(zip(contents, units, deadlines, strict=True)):
        session.page.fill(f"{form} textarea[name=form-{index}-content]", content)
        session.page.select_option(f"{form} select[name=form-{index}-lead_unit]", str(unit.pk))
        session.page.fill(
            f"{form} input[name=form-{index}-deadline]", deadline.strftime("%d/%m/%Y")
        )


def off_loop(call):
    """Run an ORM read outside Playwright's event loop (Django refuses it inside)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


@pytest.fixture
def journey(db):
    """The committee, a meeting held three days ago and the next one, before the browser."""
    today = timezone.localdate()
    world = make_world(established=today - timedelta(days=400))
    world.first = plan(world, today - timedelta(days=3))
    world.second = plan(world, today + timedelta(days=60))
    world.absent = world.seats()[2]
    return world


def test_the_secretary_records_a_meeting_and_its_conclusions(live_server, journey, browser):
    world, today = journey, timezone.localdate()
    first, second, absent = world.first, world.second, world.absent

    secretary = Session(browser, live_server, world.reform.username)
    secretary.go(f"/ban-chi-dao/{world.committee.pk}/")
    assert "Thư ký: Bùi Thanh Tâm" in secretary.main()
    secretary.go(f"/ban-chi-dao/phien-hop/{first.pk}/")
    assert "Chưa có phiên họp trước nào ban hành kết luận." in secretary.main()

    # 1. The meeting was held: one member absent with the reason, the minutes.
    secretary.page.check(f"#absent-{absent.pk}")
    secretary.page.fill(f"#reason-{absent.pk}", "Đi công tác")
    secretary.page.fill("#hold-form textarea[name=minutes]", "Ban Chỉ đạo thống nhất các nội dung.")
    secretary.submit("#hold-form button[type=submit]")
    assert secretary.asked == [HOLD_QUESTION]
    assert "Đã họp" in secretary.page.locator("main h1 .badge").inner_text()
    assert "Đỗ Mạnh Hùng (Ủy viên): vắng mặt – Đi công tác" in secretary.main()
    violations = axe_violations(secretary.page)
    assert violations == [], describe("held meeting", violations)

    # 2. The conclusion notice with two items, each to a department.
    _fill_notice(
        secretary,
        (world.justice, world.home_affairs),
        (today + timedelta(days=30), today + timedelta(days=45)),
    )
    secretary.submit("#conclude-form button[type=submit]")
    assert secretary.asked == [HOLD_QUESTION, NOTICE_QUESTION]
    assert "Đã ban hành thông báo kết luận: giao 2 nhiệm vụ." in secretary.main()
    assert off_loop(lambda: Meeting.objects.get(pk=first.pk).status) == MeetingStatus.CONCLUDED
    tasks = off_loop(lambda: list(Task.objects.order_by("pk")))
    assert [(task.origin, task.lead_unit_id) for task in tasks] == [
        (TaskOrigin.CONCLUSION, world.justice.pk),
        (TaskOrigin.CONCLUSION, world.home_affairs.pk),
    ]
    links = secretary.page.locator("#conclusions a")
    assert links.count() == 2
    assert links.nth(0).get_attribute("href") == f"/ke-hoach-cchc/nhiem-vu/{tasks[0].pk}/"
    violations = axe_violations(secretary.page)
    assert violations == [], describe("concluded meeting", violations)

    # 3. The next meeting shows the previous meeting's conclusions.
    secretary.go(f"/ban-chi-dao/phien-hop/{second.pk}/")
    assert "Kết luận phiên trước: 0/2 đã hoàn thành" in secretary.main()
    assert secretary.page.locator("#previous-table tbody tr").count() == 2
    secretary.go("/ban-chi-dao/ket-luan-chua-hoan-thanh/")
    assert "Rà soát, đơn giản hóa thủ tục hành chính" in secretary.main()
    secretary.close()


@pytest.fixture
def demo(db):
    call_command("load-demo", stdout=StringIO())
    meeting = Meeting.objects.get(committee__unit__code="000.00.00.H99", number=2)
    meeting.summary = selectors.previous_conclusions(meeting)[1]
    return meeting


def test_the_demo_secretary_sees_the_previous_conclusions(live_server, demo, browser):
    secretary = Session(browser, live_server, "cchc.noivu", "demo-cchc-2026")
    secretary.go("/ban-chi-dao/")
    secretary.go(f"/ban-chi-dao/{demo.committee_id}/")
    secretary.go(f"/ban-chi-dao/phien-hop/{demo.pk}/")
    summary = demo.summary
    assert summary.total == 9
    assert f"Kết luận phiên trước: {summary.done}/9 đã hoàn thành" in secretary.main()
    secretary.go("/dieu-hanh/")
    assert secretary.page.locator("#tile-committee-conclusions").count() == 1
    secretary.close()
