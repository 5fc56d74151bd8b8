"""The quarterly report in chromium, each step by the least-privileged person who does it: the
department's processing officer starts the Q1 report, writes its narrative and submits it (the
confirmation questions appear); the department's leader approves it (the question appears) and
downloads the DOCX. axe runs on every page visited. All data is created before Playwright starts.
"""

import pytest
from docx import Document

from cchc.organisations.models import Role, UnitKind
from cchc.organisations.tests.factories import PASSWORD, OrganisationUnitFactory
from cchc.portal.tests.test_accessibility import axe_violations, describe

from .conftest import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARRATIVE = {
    "achievements": "Đã giải quyết 100% hồ sơ đúng hạn trong quý.",
    "shortcomings": "Còn chậm cập nhật số liệu.",
    "causes": "Thiếu nhân lực.",
    "next_tasks": "Tăng cường kiểm tra công vụ.",
}


@pytest.fixture
def world(db):
    province = OrganisationUnitFactory(
        kind=UnitKind.PROVINCE_COMMITTEE, name="UBND tỉnh Thử", code="000.00.00.T01"
    )
    justice = OrganisationUnitFactory(parent=province, name="Sở Tư pháp", code="000.00.15.T01")
    staff(Role.PROCESSING_OFFICER, justice, "chuyenvien.tuphap")
    staff(Role.LEADER, justice, "lanhdao.tuphap")
    return justice


class Session:
    """One person's tab: signs in, answers and remembers every confirmation, runs axe."""

    password = PASSWORD

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
        self.page.fill("#id_password", self.password)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()
        assert self.page.locator("form[action$='/dang-xuat/']").count() == 1

    def _answer(self, dialog):
        self.asked.append(dialog.message)
        dialog.accept()

    def go(self, path: str):
        self.page.goto(f"{self.base}{path}")
        self.check_axe()

    def check_axe(self):
        violations = axe_violations(self.page)
        assert violations == [], describe(self.page.url, violations)

    def submit(self, selector: str):
        with self.page.expect_navigation():
            self.page.locator(selector).click()
        assert self.page.locator(".alert-danger").count() == 0, self.page.inner_text("main")
        self.check_axe()

    def submit_refused(self, selector: str):
        with self.page.expect_navigation():
            self.page.locator(selector).click()
        assert self.page.locator(".alert-danger").count() == 1
        self.check_axe()

    def badge(self) -> str:
        return self.page.locator("#status").inner_text()

    def close(self):
        assert self.errors == []
        self.context.close()


def test_officer_drafts_and_submits_the_leader_approves_and_downloads(live_server, world, browser):
    officer = Session(browser, live_server, "chuyenvien.tuphap")
    officer.go("/bao-cao-cchc/")
    officer.page.fill("#id_year", "2026")
    officer.page.select_option("#id_kind", "q1")
    officer.submit("#create-form button[type=submit]")
    assert officer.asked == ["Lập báo cáo cho đơn vị và kỳ này?"]
    assert "quý I năm 2026" in officer.page.inner_text("main h1")
    detail = officer.page.url.removeprefix(officer.base)
    for name, text in NARRATIVE.items():
        officer.page.fill(f"#narrative-form textarea[name={name}]", text)
    officer.submit("#narrative-form button[type=submit]")
    officer.submit("#submit-form button[type=submit]")
    assert officer.asked[-1] == "Xác nhận thực hiện thao tác này?"
    assert officer.badge() == "Đã trình duyệt"
    assert officer.page.locator("#approve-form").count() == 0  # not a leader
    officer.close()

    leader = Session(browser, live_server, "lanhdao.tuphap")
    leader.go(detail)
    assert NARRATIVE["achievements"] in leader.page.inner_text("#narrative")
    leader.submit("#approve-form button[type=submit]")
    assert leader.asked == ["Phê duyệt và gửi báo cáo này?"]
    assert leader.badge() == "Đã duyệt, gửi"
    with leader.page.expect_download() as download_info:
        leader.page.click("#download-docx")
    download = download_info.value
    assert download.suggested_filename.endswith("-2026-q1.docx")
    document = Document(str(download.path()))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert NARRATIVE["achievements"] in text
    assert "Kết quả thực hiện công tác cải cách hành chính quý I năm 2026" in text
    leader.go("/bao-cao-cchc/chua-bao-cao/")
    leader.close()
