"""A citizen opens "Dữ liệu cá nhân của tôi" from the menu and downloads their own data."""

import json
from pathlib import Path

import pytest

from cchc.portal.tests.test_accessibility import axe_violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_citizen_downloads_their_own_data(world, live_server, browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="vi-VN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", "an.congdan")
    page.fill("#id_password", "pw-123456")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    with page.expect_navigation():
        page.get_by_role("link", name="Dữ liệu cá nhân của tôi").first.click()
    assert page.url.endswith("/cong-dan/du-lieu-ca-nhan/")
    main = page.inner_text("main")
    assert "1 hồ sơ nộp từ tài khoản của bạn" in main
    assert axe_violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Tải dữ liệu của tôi (JSON)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("du-lieu-ca-nhan-")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert [item["code"] for item in data["dossiers"]] == [world.old.code]
    assert data["accounts"][0]["username"] == "an.congdan"
    assert errors == []
    context.close()
