"""The inspection pages in chromium on the demo data (``cchc load-demo``), each journey by the
least-privileged person who does it:

* chuyenvien.tuphap (processing officer, Sở Tư pháp) opens the menu entry "Kiểm tra CCHC", reads
  the conclusion of the 2025 inspection of Sở Tư pháp with its overdue recommendation, and reports
  it remedied with a file (the page asks first);
* hoidong.chutich (head of the team, leader of Sở Nội vụ) sees the open recommendations and the
  overdue one among them.

axe-core finds no serious violation on any page visited. The demo is loaded before Playwright
starts.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from cchc.demo.province import DEMO_PASSWORD
from cchc.inspections.models import Inspection
from cchc.portal.tests.test_accessibility import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CONFIRM = "Xác nhận thực hiện thao tác này?"


@pytest.fixture
def demo(db, tmp_path):
    call_command("load-demo", stdout=StringIO())
    inspection = Inspection.objects.get(target__code="000.00.15.H99", plan__year=2025)
    evidence = tmp_path / "khac-phuc.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    return {"inspection": inspection.pk, "file": str(evidence)}


def sign_in(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return context, page, asked


def no_violations(page, label):
    violations = axe_violations(page)
    assert not violations, describe(label, violations)


def test_the_inspected_unit_reports_on_the_overdue_recommendation(live_server, demo, browser):
    context, page, asked = sign_in(browser, live_server, "chuyenvien.tuphap")
    page.goto(f"{live_server.url}/kiem-tra-cchc/")
    no_violations(page, "/kiem-tra-cchc/")
    page.get_by_role("link", name="Sở Tư pháp").first.click()
    page.wait_for_load_state()
    no_violations(page, "inspection")
    main = page.inner_text("main")
    assert "45/TB-ĐKT" in main and "Quá hạn" in main and "Hoàn thành trễ hạn" in main
    form = page.locator(".remediation-form").first
    form.evaluate("f => f.closest('details').open = true")
    form.locator("textarea").fill("Đã tổ chức lớp bồi dưỡng phần mềm một cửa")
    form.locator("input[type=file]").set_input_files(demo["file"])
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert asked == [CONFIRM]
    assert "Đã báo cáo kết quả khắc phục." in page.inner_text("main")
    assert page.locator(".remediation-form").count() == 0  # every recommendation reported
    context.close()


def test_the_head_of_the_team_sees_the_overdue_recommendation(live_server, demo, browser):
    context, page, _asked = sign_in(browser, live_server, "hoidong.chutich")
    page.goto(f"{live_server.url}/kiem-tra-cchc/kien-nghi/?qua_han=1")
    no_violations(page, "/kiem-tra-cchc/kien-nghi/")
    rows = page.locator("#recommendations tbody tr")
    assert rows.count() == 1
    assert "Sở Tư pháp" in rows.first.inner_text()
    context.close()
