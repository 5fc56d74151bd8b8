"""The periodic reform reports in chromium on the demo data (``cchc load-demo``), each journey
by the least-privileged person who does it:

* chuyenvien.tuphap (processing officer, Sở Tư pháp) opens the Q3 2026 draft, is refused a
  submission without the next period's tasks, writes them and submits (the question appears);
* lanhdao.tuphap (leader) returns it with a reason (the question appears), then opens the approved
  Q1 report and downloads its DOCX;
* cchc.noivu (reform staff of the province) reads the units that have not reported.

axe-core finds no serious violation on any page visited. The demo is loaded (and the ids read)
before Playwright starts.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from cchc.demo.province import DEMO_PASSWORD
from cchc.reformreports.models import ReformReport

from .test_browser_report import Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JUSTICE = "000.00.15.H99"


@pytest.fixture
def demo(db):
    call_command("load-demo", stdout=StringIO())
    reports = {r.kind: r.pk for r in ReformReport.objects.filter(unit__code=JUSTICE, year=2026)}
    return reports


class DemoSession(Session):
    password = DEMO_PASSWORD


def test_demo_roles_draft_return_download_and_missing(live_server, demo, browser):
    officer = DemoSession(browser, live_server, "chuyenvien.tuphap")
    officer.go(f"/bao-cao-cchc/{demo['q3']}/")
    officer.submit_refused("#submit-form button[type=submit]")
    assert "Cần viết phần này trước khi trình duyệt." in officer.page.inner_text("main")
    officer.page.fill("#narrative-form textarea[name=next_tasks]", "Hoàn thành kế hoạch năm.")
    officer.submit("#narrative-form button[type=submit]")
    officer.submit("#submit-form button[type=submit]")
    assert officer.badge() == "Đã trình duyệt"
    officer.close()

    leader = DemoSession(browser, live_server, "lanhdao.tuphap")
    leader.go(f"/bao-cao-cchc/{demo['q3']}/")
    leader.page.fill("#return-form textarea[name=reason]", "Bổ sung số liệu kiểm tra.")
    leader.submit("#return-form button[type=submit]")
    assert leader.asked == ["Xác nhận thực hiện thao tác này?"]
    assert leader.badge() == "Bản nháp"
    assert "Bổ sung số liệu kiểm tra." in leader.page.inner_text("#return-reason")
    leader.go(f"/bao-cao-cchc/{demo['q1']}/")
    assert leader.badge() == "Đã duyệt, gửi"
    with leader.page.expect_download() as download_info:
        leader.page.click("#download-docx")
    assert download_info.value.suggested_filename == f"bao-cao-cchc-{JUSTICE}-2026-q1.docx"
    leader.close()

    reform = DemoSession(browser, live_server, "cchc.noivu")
    reform.go("/bao-cao-cchc/chua-bao-cao/?nam=2026")
    rows = reform.page.locator(f"#missing tr[data-unit='{JUSTICE}']")
    assert rows.count() == 2  # six months and Q3; Q1 was approved on time
    reform.close()
