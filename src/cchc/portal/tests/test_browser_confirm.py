"""Consequential actions ask first (issue 9, item 1): the question appears in Vietnamese,
cancelling it sends nothing, accepting it acts.

The pages used to carry ``onsubmit="return confirm(…)"`` while the submit button was named
``confirm``: inside an inline handler the form's fields are in scope, the button shadowed
``window.confirm``, the handler threw and the form was sent without any question. Now one vendored
script (portal/confirm.js) reads ``data-confirm`` and always calls ``window.confirm``.

Each action is used by the role that does the work: the processing officer forwards, the leader
approves the result or stops processing (only a leader may stop, ``dossiers.services.stop``), the
citizen withdraws their own dossier. All data is created before Playwright starts.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.dossiers import services
from cchc.dossiers.tests.conftest import (  # noqa: F401 (fixtures)
    applicant,
    leader,
    officer,
    procedure,
    processor,
    unit,
)

PASSWORD = "pw-123456"
QUESTION = "Xác nhận thực hiện thao tác này?"
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Dialogs:
    """Answers the page's dialogs as told, and remembers each question asked."""

    def __init__(self, page):
        self.asked: list[tuple[str, str]] = []
        self.accept = False
        page.on("dialog", self._answer)

    def _answer(self, dialog):
        self.asked.append((dialog.type, dialog.message))
        if self.accept:
            dialog.accept()
        else:
            dialog.dismiss()


def sign_in(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="vi-VN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    dialogs = Dialogs(page)
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("form[action$='/dang-xuat/']").count() == 1, page.inner_text("main")
    return page, dialogs, errors


def state(page) -> tuple[str, int]:
    """The status badge and the number of history (or progress) entries, as the page shows them."""
    badge = page.locator("main h1 .badge").inner_text().strip()
    entries = page.locator("main ol.list-group > li, main ul.list-unstyled > li").count()
    return badge, entries


def open_action(page, label: str, fields: dict):
    # The action panels open by script: a click before the page's scripts ran opens nothing
    # (seen under load, right after a link's navigation). Find the button on the new page, then
    # wait for that page's load event, then click.
    button = page.get_by_role("button", name=label, exact=True).first
    button.wait_for()
    page.wait_for_load_state("load")
    button.click()
    panel = page.locator(".accordion-collapse.show")
    panel.wait_for()
    for selector, value in fields.items():
        panel.locator(selector).fill(value)
    return panel.locator("button[type=submit]")


def check_asks_first(page, dialogs, errors, url: str, submit):
    """Cancel: the question was asked in Vietnamese and nothing changed; accept: it acted."""
    page.goto(url)
    before = state(page)
    submit(page).click()
    page.wait_for_load_state("networkidle")  # a form wrongly sent would have been answered
    assert dialogs.asked == [("confirm", QUESTION)], (dialogs.asked, errors)
    assert errors == []
    assert page.locator(".alert-success").count() == 0
    page.goto(url)  # reloaded from the server: the status and the history are unchanged
    assert state(page) == before, page.inner_text("main")

    dialogs.accept = True
    with page.expect_navigation():
        submit(page).click()
    assert page.locator(".alert-success").count() == 1, page.locator(".alert").all_inner_texts()
    assert dialogs.asked == [("confirm", QUESTION)] * 2
    page.goto(url)
    after = state(page)
    assert after[1] > before[1], (before, after)
    return before, after


@pytest.fixture
def received(officer, procedure, unit, applicant):  # noqa: F811
    """A dossier received at the counter and forwarded to the processing officer's step."""
    dossier = services.receive_at_counter(officer, unit, procedure, applicant)
    return services.forward(dossier.pk, officer)


def test_processing_officer_forward_asks_first(live_server, received, processor, browser):  # noqa: F811
    page, dialogs, errors = sign_in(browser, live_server, "chuyenvien")
    url = f"{live_server.url}/ho-so/{received.pk}/"
    before, after = check_asks_first(
        page,
        dialogs,
        errors,
        url,
        lambda page: open_action(page, "Chuyển bước tiếp theo", {}),
    )
    assert before[0] == after[0] == "Đang xử lý", (before, after)
    assert "Ký duyệt" in page.inner_text("main")


def test_leader_stop_asks_first(live_server, received, leader, browser):  # noqa: F811
    page, dialogs, errors = sign_in(browser, live_server, "lanhdao")
    url = f"{live_server.url}/ho-so/{received.pk}/"
    before, after = check_asks_first(
        page,
        dialogs,
        errors,
        url,
        lambda page: open_action(
            page, "Dừng xử lý", {"[name=reason]": "Người nộp không đủ điều kiện theo luật"}
        ),
    )
    assert before[0] == "Đang xử lý" and after[0] == "Dừng xử lý", (before, after)


def test_leader_approve_result_asks_first(live_server, received, leader, browser):  # noqa: F811
    page, dialogs, errors = sign_in(browser, live_server, "lanhdao")
    url = f"{live_server.url}/ho-so/{received.pk}/"
    before, after = check_asks_first(
        page,
        dialogs,
        errors,
        url,
        lambda page: open_action(page, "Phê duyệt kết quả", {"input[name=number]": "25/XN-UBND"}),
    )
    assert before[0] != after[0]
    assert "25/XN-UBND" in page.inner_text("main")


@pytest.fixture
def citizen_dossier(django_user_model, procedure, unit, applicant):  # noqa: F811
    """An online dossier the citizen submitted (waiting for the counter's check)."""
    citizen = django_user_model.objects.create_user("congdan", password=PASSWORD, full_name="An")
    draft = services.create_draft(citizen, unit, procedure, applicant)
    services.attach_to_draft(
        draft.pk,
        citizen,
        procedure.components.get().pk,
        SimpleUploadedFile("to-khai.pdf", b"%PDF-1.7 scan"),
    )
    return services.submit_online(draft.pk, citizen)


def test_citizen_withdraw_asks_first(live_server, citizen_dossier, browser):
    page, dialogs, errors = sign_in(browser, live_server, "congdan")
    url = f"{live_server.url}/cong-dan/ho-so/{citizen_dossier.pk}/"

    def withdraw(page):
        page.locator("summary", has_text="Rút hồ sơ này").click()
        page.fill("details input[name=reason]", "Nộp nhầm")
        return page.locator("details button[type=submit]")

    before, after = check_asks_first(page, dialogs, errors, url, withdraw)
    assert after[0] != before[0] and re.search("[Rr]út", after[0]), (before, after)


@pytest.fixture
def feedback_received(django_user_model, unit):  # noqa: F811
    """A citizen's feedback to the unit, and the unit's one-stop officer who handles it."""
    from cchc.feedback.tests.conftest import make_user, submit
    from cchc.organisations.models import Role

    make_user(django_user_model, "motcua.phananh", Role.ONE_STOP_OFFICER, unit)
    feedback, _token = submit(unit=unit)
    return feedback


def test_officer_refusing_a_feedback_asks_first(live_server, feedback_received, browser):
    page, dialogs, errors = sign_in(browser, live_server, "motcua.phananh")
    url = f"{live_server.url}/phan-anh/xu-ly/{feedback_received.pk}/"
    before, after = check_asks_first(
        page,
        dialogs,
        errors,
        url,
        lambda page: open_action(
            page,
            "Từ chối: không thuộc thẩm quyền",
            {"[name=reason]": "Không thuộc thẩm quyền của phường; đề nghị gửi Sở Xây dựng"},
        ),
    )
    assert before[0] != after[0], (before, after)
