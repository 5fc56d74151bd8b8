"""Reporting progress in chromium, by the least-privileged person who does it: the lead unit's
processing officer opens the plan from the menu, opens a task, reports it done with its output
document (an upload), confirms the question, and the plan page then shows the task done and the
plan's completion changed. Once on factory data, once on the demo data (``cchc load-demo``) as
the demo officer chuyenvien.tuphap, after whom the unit's leader (lanhdao.tuphap) opens the
dashboard, sees the overdue tasks tile and follows it to the overdue task (issue 13's journey).
axe-core finds no serious violation on any page visited.

All data is created before Playwright starts; the test body never touches the database.
"""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cchc.demo.province import DEMO_PASSWORD
from cchc.organisations.models import OrganisationUnit
from cchc.organisations.tests.factories import PASSWORD
from cchc.plans import services
from cchc.plans.models import Plan, Task, TaskStatus
from cchc.plans.selectors_progress import overdue_in_units
from cchc.portal.tests.test_accessibility import axe_violations, describe

from .world import PDF, make_world, pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONFIRM = "Gửi báo cáo tiến độ này? Báo cáo không thể sửa sau khi gửi."


class Session:
    """One person's browser tab: signs in, answers every confirmation, remembers them."""

    def __init__(self, browser, live_server, username, password, size=(1200, 900)):
        width, height = size
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, locale="vi-VN"
        )
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
        self.problems: list[str] = []

    def _answer(self, dialog):
        self.asked.append(dialog.message)
        dialog.accept()

    def go(self, path: str):
        self.page.goto(f"{self.base}{path}")
        self.check()

    def check(self):
        found = axe_violations(self.page)
        if found:
            self.problems.append(describe(self.page.url, found))

    def main(self) -> str:
        return self.page.inner_text("main")


def _report_done(session: Session, task_id: int, tmp_path) -> None:
    page = session.page
    page.locator(f"#task-{task_id} a").click()
    page.wait_for_load_state()
    session.check()
    page.check("input[name=status][value=done]")
    page.fill("#id_text", "Đã ban hành văn bản, gửi kèm sản phẩm.")
    output = tmp_path / "san-pham-nhiem-vu.pdf"
    output.write_bytes(PDF)
    page.set_input_files("#id_output_file", str(output))
    with page.expect_navigation():
        page.locator("#report-form button[type=submit]").click()
    assert session.asked == [CONFIRM]
    assert page.locator(".alert-danger").count() == 0, session.main()
    assert "Đã hoàn thành" in page.inner_text("#task-status")
    assert "san-pham-nhiem-vu.pdf" in page.inner_text("#output")
    session.check()


@pytest.fixture
def journey(db):
    world = make_world()
    year = timezone.localdate().year
    plan = services.create_plan(world.leader, unit=world.justice, year=year)
    tasks = [
        world.task(plan, world.leader, content=f"Nhiệm vụ số {n}", deadline=date(year, 12, 31))
        for n in (1, 2, 3)
    ]
    services.issue_plan(
        plan.pk,
        world.leader,
        document_number="36/KH-STP",
        issued_on=date(year - 1, 12, 20),
        signer="Đỗ Mạnh Hùng",
        upload=pdf(),
    )
    services.report_progress(
        tasks[0].pk,
        world.officer,
        status=TaskStatus.DONE,
        percent=100,
        output=services.OutputInput(document_number="1/BC-STP", issued_on=date(year, 1, 2)),
    )
    return {"plan": plan.pk, "task": tasks[1].pk, "officer": world.officer.username}


def test_the_officer_reports_a_task_done_with_its_output(journey, tmp_path, live_server, browser):
    session = Session(browser, live_server, journey["officer"], PASSWORD, size=(390, 844))
    session.go("/ke-hoach-cchc/")
    session.page.locator(f"a[href='/ke-hoach-cchc/{journey['plan']}/']").click()
    session.page.wait_for_load_state()
    session.check()
    assert session.page.inner_text("#completion-percent") == "33,33 %"
    assert session.page.inner_text("#completion-count") == "1/3"
    _report_done(session, journey["task"], tmp_path)
    session.go(f"/ke-hoach-cchc/{journey['plan']}/")
    assert session.page.inner_text("#completion-percent") == "66,67 %"
    assert session.page.inner_text("#completion-count") == "2/3"
    assert "Đã hoàn thành" in session.page.inner_text(f"#task-{journey['task']} .task-status")
    session.go(f"/ke-hoach-cchc/{journey['plan']}/lich-su/")
    assert not session.problems, "\n".join(session.problems)
    assert not session.errors


@pytest.fixture
def demo(db):
    call_command("load-demo", stdout=StringIO())
    year = timezone.localdate().year
    plan = Plan.objects.get(unit__code="000.00.15.H99", year=year)
    task = (
        Task.objects.filter(plan=plan, status=TaskStatus.IN_PROGRESS)
        .order_by("field__position", "position")
        .first()
    )
    done = Task.objects.filter(plan=plan, status=TaskStatus.DONE).count()
    total = Task.objects.filter(plan=plan).exclude(status=TaskStatus.CANCELLED).count()
    justice = OrganisationUnit.objects.get(code="000.00.15.H99")
    overdue = list(overdue_in_units([justice.pk], timezone.localdate()))
    assert overdue, "the demo plan of this year has overdue tasks"
    return {
        "plan": plan.pk,
        "task": task.pk,
        "done": done,
        "total": total,
        "overdue": [(item.pk, item.content) for item in overdue],
    }


def test_the_demo_officer_reports_on_the_demo_plan(demo, tmp_path, live_server, browser):
    session = Session(browser, live_server, "chuyenvien.tuphap", DEMO_PASSWORD)
    session.go(f"/ke-hoach-cchc/{demo['plan']}/")
    assert session.page.inner_text("#completion-count") == f"{demo['done']}/{demo['total']}"
    _report_done(session, demo["task"], tmp_path)
    session.go(f"/ke-hoach-cchc/{demo['plan']}/")
    assert session.page.inner_text("#completion-count") == f"{demo['done'] + 1}/{demo['total']}"
    percent = f"{100 * (demo['done'] + 1) / demo['total']:.2f}".replace(".", ",") + " %"
    assert session.page.inner_text("#completion-percent") == percent
    assert not session.problems, "\n".join(session.problems)
    assert not session.errors

    # The leader sees the overdue tasks on the dashboard and follows the tile to one of them.
    leader = Session(browser, live_server, "lanhdao.tuphap", DEMO_PASSWORD)
    leader.go("/dieu-hanh/")
    tile = leader.page.locator("#tile-plan-overdue")
    assert tile.locator("#plan-overdue-count").inner_text().strip() == str(len(demo["overdue"]))
    first_id, first_content = demo["overdue"][0]
    assert first_content[:40] in tile.inner_text()
    with leader.page.expect_navigation():
        tile.locator("#plan-overdue-count").click()
    leader.check()
    assert "/ke-hoach-cchc/qua-han/" in leader.page.url
    with leader.page.expect_navigation():
        leader.page.locator(f"#task-{first_id} a").click()
    leader.check()
    assert first_content in leader.main()
    assert not leader.problems, "\n".join(leader.problems)
    assert not leader.errors
