"""The inspection in chromium, each step by the least-privileged person who does it: the team's
secretary (a processing officer of Sở Nội vụ) fills the checklist, findings and a recommendation
and closes the record; the head of the team issues the conclusion notice (the confirmation
question appears); the inspected unit's processing officer reports remediation with a file. axe
runs on every page visited. All data is created before Playwright starts.
"""

from __future__ import annotations

import pytest

from cchc.organisations.tests.factories import PASSWORD
from cchc.portal.tests.test_accessibility import axe_violations, describe

from .factories import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CONFIRM = "Xác nhận thực hiện thao tác này?"


@pytest.fixture
def journey(db, tmp_path):
    world = make_world()
    inspection = world.in_progress()
    evidence = tmp_path / "bao-cao-khac-phuc.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return {"inspection": inspection.pk, "plan": world.plan.pk, "file": str(evidence)}


class Session:
    def __init__(self, browser, live_server, username):
        self.context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="vi-VN")
        self.page = self.context.new_page()
        self.base = live_server.url
        self.asked: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._answer)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(f"{self.base}/tai-khoan/dang-nhap/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()
        assert self.page.locator("form[action$='/dang-xuat/']").count() == 1

    def _answer(self, dialog):
        self.asked.append(dialog.message)
        dialog.accept()

    def go(self, path: str):
        self.page.goto(f"{self.base}{path}")
        self.check_axe(path)

    def check_axe(self, label: str):
        violations = axe_violations(self.page)
        assert not violations, describe(label, violations)

    def main(self) -> str:
        return self.page.inner_text("main")

    def submit(self, selector: str):
        with self.page.expect_navigation():
            self.page.locator(selector).click()
        assert self.page.locator(".alert-danger").count() == 0, self.main()

    def close(self):
        assert self.errors == []
        self.context.close()


def test_record_conclusion_and_remediation(live_server, journey, browser):
    url = f"/kiem-tra-cchc/{journey['inspection']}/"

    # 1. The secretary fills the record and closes it.
    secretary = Session(browser, live_server, "thu.ky")
    secretary.go("/kiem-tra-cchc/")
    secretary.go(f"/kiem-tra-cchc/ke-hoach/{journey['plan']}/")
    secretary.go(url)
    secretary.page.select_option("#result_1", "ok")
    secretary.page.select_option("#result_2", "not_ok")
    secretary.page.fill("#notes_2", "Tỷ lệ trễ hạn cao")
    secretary.submit("#checklist-form button[type=submit]")
    secretary.page.locator("#findings details summary").click()
    secretary.page.select_option("#finding-form select[name=kind]", "weakness")
    secretary.page.fill("#finding-form textarea[name=text]", "Còn hồ sơ giải quyết trễ hạn")
    secretary.page.fill("#finding-form input[name=criteria]", "2.1")
    secretary.submit("#finding-form button[type=submit]")
    secretary.page.locator("#recommendation-form").evaluate("f => f.closest('details').open = true")
    secretary.page.fill("#recommendation-form textarea[name=text]", "Rà soát hồ sơ trễ hạn")
    secretary.submit("#recommendation-form button[type=submit]")
    assert secretary.asked == []  # filling the record asks nothing
    secretary.submit("#close_record-form button[type=submit]")
    assert secretary.asked == [CONFIRM]
    assert "Đã lập biên bản" in secretary.page.inner_text("#status")
    secretary.check_axe(url)

    # 2. The head issues the conclusion notice (the page asks first).
    head = Session(browser, live_server, "truong.doan")
    head.go(url)
    head.page.fill("#conclude-form input[name=number]", "15/TB-ĐKT")
    head.submit("#conclude-form button[type=submit]")
    assert head.asked == [CONFIRM]
    assert "Đã ban hành kết luận" in head.page.inner_text("#status")
    assert head.page.locator("#remediation-due").inner_text().strip()
    head.check_axe(url)

    # 3. The inspected unit's officer reports remediation with a file.
    officer = Session(browser, live_server, "chuyenvien.tuphap")
    officer.go("/kiem-tra-cchc/kien-nghi/")
    officer.go(url)
    assert "Còn hồ sơ giải quyết trễ hạn" in officer.main()
    form = officer.page.locator(".remediation-form").first
    form.evaluate("f => f.closest('details').open = true")
    form.locator("textarea").fill("Đã rà soát toàn bộ hồ sơ trễ hạn")
    form.locator("input[type=file]").set_input_files(journey["file"])
    officer.submit(".remediation-form button[type=submit]")
    assert officer.asked == [CONFIRM]
    assert "Đã báo cáo kết quả khắc phục." in officer.main()
    assert "bao-cao-khac-phuc.pdf" in officer.main()
    officer.check_axe(url)
    for session in (secretary, head, officer):
        session.close()
