"""The leader's journey in Debian's chromium through Playwright: sign in through the login form,
open the dashboard, click the overdue count, and open a dossier from the list.

All data is created before Playwright starts (its greenlets carry their own database context);
after that, the test only acts and checks through the pages.
"""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from cchc.dossiers import services
from cchc.workdays import services as workdays

PASSWORD = "pw-123456"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def session(browser, live_server, username=None):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="vi-VN")
    page = context.new_page()
    if username:
        page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("form[action$='/dang-xuat/']").count() == 1, page.inner_text("main")
    return page


@pytest.fixture
def overdue_dossier(officer, processor, leader, unit, procedure, applicant):
    """Received ten working days ago (5-working-day procedure), now with the processing officer."""
    calendar = workdays.get_calendar()
    day = timezone.localdate()
    for _ in range(10):
        day = calendar.previous_working_day(day)
    moment = timezone.make_aware(datetime.combine(day, time(9, 0)))
    with time_machine.travel(moment, tick=False):
        dossier = services.receive_at_counter(officer, unit, procedure, applicant)
    with time_machine.travel(moment + timedelta(hours=1), tick=False):
        services.forward(dossier.pk, officer)
    return {"pk": dossier.pk, "code": dossier.code}


def test_leader_goes_from_the_overdue_count_to_the_dossier(live_server, overdue_dossier, browser):
    code, pk = overdue_dossier["code"], overdue_dossier["pk"]
    page = session(browser, live_server, "lanhdao")
    page.goto(f"{live_server.url}/dieu-hanh/")
    assert page.locator("#dashboard-live").get_attribute("hx-trigger") == "every 60s"
    assert page.evaluate("typeof htmx") == "object"  # the vendored htmx is loaded
    count = page.locator("#overdue-count")
    assert count.inner_text().strip() == "1", page.inner_text("main")
    count.click()
    page.wait_for_load_state()
    assert "/dieu-hanh/qua-han/" in page.url
    page.get_by_role("link", name=code).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/ho-so/{pk}/")
    assert code in page.inner_text("main")
