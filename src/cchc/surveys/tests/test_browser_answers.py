"""Answering in chromium: a citizen on a phone from an SMS link, and a counter tablet in kiosk
mode taking respondents one after another (and one while the connection is down).

All data is created before Playwright starts; the assertions read what a person sees.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils.translation import gettext as _
from django.utils.translation import override

from cchc.organisations.tests.factories import PASSWORD

from .campaign_factories import sipas_answers
from .test_answer_services import invite, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOKEN = "sms-Zq8v3Lr5Kp2x"
#: The axe-core copy vendored for the accessibility tests (WCAG 2.1 AA).
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "common/tests/vendor/axe-core/axe.min.js"


def serious_accessibility_problems(page) -> list[str]:
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))  # outside the page's CSP (ADR 0015)
    found = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })"""
    )
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}"
        for v in found["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def vi(text: str) -> str:
    with override("vi"):
        return _(text)


@pytest.fixture
def survey(db):
    world = make_world()
    invite(world, token=TOKEN)
    return {
        "link": f"/khao-sat/tra-loi/{TOKEN}/",
        "kiosk": f"/khao-sat/kiosk/{world.campaign.code}/{world.counter.code}/",
        "officer": world.officer.username,
        "unit": world.counter.name,
    }


def open_tab(browser, **options):
    context = browser.new_context(locale="vi-VN", **options)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the site's "send your answers?" question
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def choose(page, answers: dict, skip=()):
    """Tap the option of every answer, as a person does (the radio itself is hidden)."""
    for code, value in answers.items():
        if code in skip:
            continue
        if isinstance(value, dict):
            for item, choice in value.items():
                page.click(f'label[for="{code}__{item}-{choice}"]')
        else:
            page.click(f'label[for="{code}-{value}"]')


def test_a_citizen_answers_on_a_phone_from_the_sms_link(live_server, survey, browser):
    context, page, errors = open_tab(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page.goto(live_server.url + survey["link"])
    assert page.locator("#privacy-notice").is_visible()
    assert vi("Your answers are anonymous") in page.inner_text("#privacy-notice")
    assert survey["unit"] in page.inner_text("main")
    assert page.locator("#menu-main").count() == 0
    # Large touch targets: every option is at least 44 px high and nearly the screen's width.
    box = page.locator('label[for="sv_access__sv_access_1-5"]').bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Skip logic: the feedback questions appear only after "yes, I gave feedback".
    feedback = page.locator("#q-sv_feedback")
    assert feedback.is_hidden()
    page.click('label[for="sv_feedback_made-yes"]')
    assert feedback.is_visible()
    page.click('label[for="sv_feedback_made-no"]')
    assert feedback.is_hidden()

    # Sent with one question forgotten: the message is next to it and nothing else is lost.
    answers = sipas_answers(4)
    choose(page, answers, skip=("r_sex", "sv_feedback_made"))
    with page.expect_navigation():
        page.click("button.answer-submit")
    assert "Vui lòng trả lời câu hỏi này." in page.inner_text("#q-r_sex")
    assert page.locator("#q-r_age .answer-error").inner_text() == ""
    assert page.locator("#r_age-31_45").is_checked()
    assert page.locator("#sv_results__sv_results_3-4").is_checked()
    assert page.locator("#sv_feedback_made-no").is_checked()
    assert serious_accessibility_problems(page) == []

    page.click('label[for="r_sex-female"]')
    with page.expect_navigation():
        page.click("button.answer-submit")
    assert vi("Thank you!") in page.inner_text("main")

    # The link works once.
    page.goto(live_server.url + survey["link"])
    assert vi("This survey link has already been used. Thank you.") in page.inner_text("main")
    assert page.locator("#answer-form").count() == 0
    assert errors == []
    context.close()


def test_a_counter_tablet_takes_respondents_one_after_another(live_server, survey, browser):
    context, page, errors = open_tab(browser, viewport={"width": 1024, "height": 768})
    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.fill("#id_username", survey["officer"])
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(live_server.url + survey["kiosk"])
    assert page.locator("#menu-main").count() == 0  # nothing to navigate away with
    assert page.inner_text("#kiosk-stored") == "0"
    assert serious_accessibility_problems(page) == []

    def one_respondent(level: int, expected_count: str):
        choose(page, sipas_answers(level))
        page.click("button.answer-submit")
        thanks = page.locator("#kiosk-thanks")
        thanks.wait_for(state="visible")
        assert vi("Thank you!") in thanks.inner_text()
        assert page.locator("#kiosk-form-screen").is_hidden()
        # A few seconds later: a fresh, empty form for the next person.
        page.locator("#kiosk-form-screen").wait_for(state="visible", timeout=15000)
        assert page.locator("#answer-form input[type=radio]:checked").count() == 0
        page.wait_for_function(
            "count => document.getElementById('kiosk-stored').textContent === count",
            arg=expected_count,
        )

    one_respondent(4, "1")
    one_respondent(3, "2")

    # A question left out is shown in the page before anything is sent.
    answers = sipas_answers(5)
    choose(page, answers, skip=("o_harassment",))
    page.click("button.answer-submit")
    assert "Vui lòng trả lời câu hỏi này." in page.inner_text("#q-o_harassment")
    assert page.locator("#kiosk-thanks").is_hidden()

    # The connection drops: the answers wait on the tablet and go when it is back.
    context.set_offline(True)
    page.click('label[for="o_harassment-none"]')
    page.click("button.answer-submit")
    page.locator("#kiosk-thanks").wait_for(state="visible")
    assert page.inner_text("#kiosk-queue-count") == "1"
    assert page.locator("#kiosk-queue").is_visible()
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.locator("#kiosk-queue").wait_for(state="hidden", timeout=15000)
    page.wait_for_function("document.getElementById('kiosk-stored').textContent === '3'")

    # A later page load counts the answers the server has: three respondents.
    page.goto(live_server.url + survey["kiosk"])
    assert page.inner_text("#kiosk-stored") == "3"
    assert errors == []
    context.close()
