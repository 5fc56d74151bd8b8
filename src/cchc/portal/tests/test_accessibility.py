"""Accessibility: axe-core over every main page of every role, at desktop and phone widths.

Each role signs in through the login form and opens the pages its menu leads to (lists, one
detail of each, the forms); the vendored axe-core (``cchc/common/tests/vendor/axe-core``) runs
on each and any violation of impact *serious* or *critical* fails the test, listing rule, impact,
the offending elements and axe's help text. WCAG 2.1 AA is the bar (contrast ≥ 4.5:1 for text).

The data is the demo province (``cchc.demo.province``: units, role users, the sample catalog, demo
dossiers and feedback in every state) loaded before Playwright starts; so the same module can be
pointed at a running ``cchc load-demo`` server instead of the test server::

    CCHC_A11Y_URL=http://127.0.0.1:8102 pytest src/cchc/portal/tests/test_accessibility.py
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from cchc.demo.province import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "common/tests/vendor/axe-core/axe.min.js"
BLOCKING = ("serious", "critical")
VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}


@dataclass(frozen=True)
class Visit:
    """A page to audit: ``path``, or the target of the first link ``follow`` selects on it."""

    path: str
    follow: str = ""


HOME = Visit("/")
PROCEDURE = Visit("/thu-tuc/", follow="main .list-group a[href^='/thu-tuc/']")
ANONYMOUS = (
    HOME,
    Visit("/thu-tuc/"),
    PROCEDURE,
    Visit("/tra-cuu/"),
    Visit("/phan-anh/"),
    Visit("/phan-anh/", follow="main a[href^='/phan-anh/cong-khai/']"),
    Visit("/phan-anh/gui/"),
    Visit("/phan-anh/tra-cuu/"),
    Visit("/minh-bach/"),
    Visit("/minh-bach/", follow="main a[href^='/minh-bach/']"),
    Visit("/tinh-han/"),
    Visit("/lich-lam-viec/"),
    Visit("/tai-khoan/dang-nhap/"),
    Visit("/cong-dan/dang-ky/"),
)
# Signed-in people see the public pages above with their own menu: the menu is audited on each
# of their own pages, so their lists hold the pages only they reach (plus the home page).
CITIZEN = (
    HOME,
    PROCEDURE,
    Visit("/cong-dan/ho-so/"),
    Visit("/cong-dan/ho-so/", follow="main a[href^='/cong-dan/ho-so/'][href$='/']"),
    Visit("/thu-tuc/1.001193/", follow="main a[href^='/cong-dan/nop/']"),
    Visit("/phan-anh/cua-toi/"),
    Visit("/phan-anh/cua-toi/", follow="main a[href^='/phan-anh/cua-toi/PA']"),
)
STAFF = (
    HOME,
    Visit("/ho-so/"),
    Visit("/ho-so/hang-doi/tat-ca/", follow="main table a[href^='/ho-so/']"),
    Visit("/phan-anh/xu-ly/hang-doi/tat-ca/"),
    Visit("/phan-anh/xu-ly/hang-doi/tat-ca/", follow="main table a[href^='/phan-anh/xu-ly/']"),
    Visit("/bao-cao/"),
    Visit("/chi-so-766/"),
    Visit("/don-vi-cua-toi/"),
)
OVERSIGHT = (
    *STAFF,
    Visit("/bao-cao/", follow="main td a[href^='/bao-cao/ho-so/']"),
    Visit("/dieu-hanh/"),
    Visit("/dieu-hanh/qua-han/"),
)
ROLES = {
    "anonymous visitor": ("", ANONYMOUS),
    "citizen": ("congdan", CITIZEN),
    "one-stop officer": ("motcua.dongthanh", (*STAFF, Visit("/ho-so/tiep-nhan/"))),
    "processing officer": ("chuyenvien.dongthanh", STAFF),
    "leader": ("lanhdao.dongthanh", OVERSIGHT),
    "reform staff": ("cchc.noivu", OVERSIGHT),
    "auditor": ("kiemtra", OVERSIGHT),
}


@pytest.fixture
def site(request):
    """The base address: a running demo server (``CCHC_A11Y_URL``), or the test server with the
    demo data loaded into the test database."""
    external = os.environ.get("CCHC_A11Y_URL", "").rstrip("/")
    if external:
        return external
    from cchc.demo import province as demo
    from cchc.demo.feedback import load_feedback

    units = demo.load_units()
    demo.load_users(units)
    demo.load_catalog(units)
    demo.load_dossiers()
    load_feedback()
    return request.getfixturevalue("live_server").url


def sign_in(browser, base: str, username: str, size: tuple[int, int]):
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
    page = context.new_page()
    if username:
        page.goto(f"{base}/tai-khoan/dang-nhap/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("form[action$='/dang-xuat/']").count() == 1, page.inner_text("main")
    return page


def axe_violations(page) -> list[dict]:
    """Run the vendored axe-core on the open page: its serious and critical violations."""
    # Evaluated by the driver, outside the page's Content-Security-Policy: an injected <script>
    # tag would be an inline script without the nonce, refused like any other.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                            'best-practice']},
            resultTypes: ['violations'],
        })"""
    )
    return [v for v in results["violations"] if v["impact"] in BLOCKING]


def describe(url: str, violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        more = len(violation["nodes"]) - 5
        lines.append(
            f"{url}: {violation['id']} ({violation['impact']}) on {targets}"
            + (f" and {more} more" if more > 0 else "")
            + f" — {violation['help']}"
        )
    return "\n".join(lines)


def audit(browser, base: str, username: str, visits, size) -> list[str]:
    """Open every visit as ``username`` at viewport ``size``; the problems found, as text."""
    page = sign_in(browser, base, username, size)
    problems = []
    try:
        for visit in visits:
            response = page.goto(base + visit.path)
            if visit.follow:
                link = page.locator(visit.follow).first
                if link.count() == 0:
                    problems.append(f"{visit.path}: no link matches {visit.follow!r}")
                    continue
                response = page.goto(base + link.get_attribute("href"))
            page.wait_for_load_state()
            if response is None or response.status != 200:
                status = response.status if response else "no response"
                problems.append(f"{page.url}: answered {status}")
                continue
            found = axe_violations(page)
            if found:
                problems.append(describe(page.url.removeprefix(base), found))
    finally:
        page.context.close()
    return problems


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_role_s_pages_have_no_serious_accessibility_violation(viewport, site, browser):
    problems = []
    for role, (username, visits) in ROLES.items():
        found = audit(browser, site, username, visits, VIEWPORTS[viewport])
        problems += [f"[{role}] {problem}" for problem in found]
    assert not problems, f"{len(problems)} problem(s) at {viewport} width:\n" + "\n".join(problems)
