"""The officer's pages fit the screen: the queue as cards on a 390 px phone, the menu on one line
at 1366 px, for the one-stop officer and the leader (Debian's chromium through Playwright).

All data is created before Playwright starts (its greenlets carry their own database context).
"""

from dataclasses import replace

import pytest

from cchc.dossiers import services

PASSWORD = "pw-123456"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def session(browser, live_server, username, viewport):
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    page = context.new_page()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("form[action$='/dang-xuat/']").count() == 1, page.inner_text("main")
    return page


@pytest.fixture
def queue(officer, processor, leader, unit, procedure, applicant):
    """Three dossiers with long names: one at the counter, two with the processing officer."""
    procedure.name = (
        "Cấp Giấy xác nhận tình trạng hôn nhân cho công dân Việt Nam cư trú trong nước "
        "để đăng ký kết hôn với người nước ngoài"
    )
    procedure.save(update_fields=["name"])
    codes = []
    for number, name in enumerate(
        ["Nguyễn Thị Phương Thảo Quỳnh", "Trần Văn Bảo Long Khánh", "Lê Hoàng Minh Nhật"]
    ):
        person = replace(applicant, name=name, id_number=f"00109001234{number}")
        dossier = services.receive_at_counter(officer, unit, procedure, person)
        if number:
            services.forward(dossier.pk, officer, handler=processor)
        codes.append(dossier.code)
    return codes


def inside(box, width) -> bool:
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("username", ["motcua", "lanhdao"])
def test_queue_on_a_phone_is_cards_with_status_step_and_due_on_screen(
    username, live_server, queue, browser
):
    page = session(browser, live_server, username, PHONE)
    page.goto(f"{live_server.url}/ho-so/hang-doi/tat-ca/")
    badges = page.locator("main .badge:visible")  # each dossier's status, however it is laid out
    assert badges.count() == 3, page.inner_text("main")
    for index in range(3):
        assert inside(badges.nth(index).bounding_box(), PHONE["width"]), "status off-screen"
    assert not page.locator("#queue-table").is_visible()  # the wide table is for larger screens
    cards = page.locator("#queue-cards article")
    assert cards.count() == 3, page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for index in range(3):
        card = cards.nth(index)
        assert card.locator("h2 a").inner_text() in queue
        facts = card.locator("dd")
        applicant, status, step, due = (facts.nth(i) for i in range(4))
        assert status.locator(".badge").inner_text().strip()
        assert due.inner_text().strip() not in ("", "–")  # the due time of a received dossier
        for element in (card.locator("h2 a"), applicant, status.locator(".badge"), step, due):
            assert inside(element.bounding_box(), PHONE["width"]), element.inner_text()
    handled = cards.filter(has_text="Trần Văn Bảo Long Khánh")
    assert "chuyenvien" in handled.locator("dd").nth(2).inner_text()  # step and its handler
    assert "ngày làm việc" in handled.locator(".due-left").inner_text()  # working time left


@pytest.mark.parametrize("username", ["motcua", "lanhdao"])
def test_menu_is_one_line_at_1366_px_and_keeps_every_entry(username, live_server, queue, browser):
    page = session(browser, live_server, username, DESKTOP)
    page.goto(f"{live_server.url}/ho-so/")
    entries = page.locator("#mainmenu > ul > li")
    boxes = [entries.nth(i).bounding_box() for i in range(entries.count())]
    assert len(boxes) >= 7
    tops = {round(box["y"]) for box in boxes}
    assert len(tops) == 1, f"menu entries on {len(tops)} rows: {boxes}"
    # No entry wraps inside itself: each link's text is a single line box.
    lines = page.eval_on_selector_all(
        "#mainmenu .nav-link",
        "links => links.map(a => [a.innerText, Math.round(a.getBoundingClientRect().height),"
        " parseFloat(getComputedStyle(a).lineHeight)])",
    )
    for text, height, line_height in lines:
        assert height < 2 * line_height, f"{text!r} wraps ({height}px for {line_height}px lines)"
    # The entries under "More" (and signing out) are still one click away.
    page.get_by_role("button", name="Tiện ích").click()
    more = page.locator("#menu-main .dropdown-menu a")
    assert more.count() >= 4
    assert more.filter(has_text="Lịch làm việc").is_visible()
    page.locator("#menu-account .dropdown-toggle").click()
    assert page.get_by_role("button", name="Đăng xuất").is_visible()
