"""The survey pages in chromium on the demo data as ``make demo`` loads it (``cchc load-demo``:
last half-year's SIPAS campaign published, this one open), each journey done by the
least-privileged person who does it:

* cchc.noivu (reform officer of the organiser, Sở Nội vụ; role at the province's root) opens
  the menu entry "Đợt khảo sát", the open campaign with its sample and progress, accepts one of
  the two flagged answers (asked first), then reads the published campaign's ranking — ranked
  units, "Chưa đủ phiếu" for the three small ones, the overlap mark, the factor chart — and
  downloads the results workbook;
* motcua.dongthanh (one-stop officer of phường Đông Thành's service centre, the unit under the
  surveyed ward that receives its dossiers) opens "Khảo sát tại quầy" from the menu, the kiosk
  of the ward, and a respondent answers the whole form on the tablet: thanks, then a fresh form,
  and the count of answers taken at the counter goes up by one;
* an anonymous citizen reads the public results on a phone: the ranking, no sideways scrolling
  of the page, no name, phone, ID number or dossier code of the demo applicants;
* chuyenvien.tuphap (processing officer) has no "Đợt khảo sát" entry and no campaign page.

axe-core finds no serious violation on any page visited, and no page raises a script error.
The demo is loaded (and every id and text the pages need is read) before Playwright starts; the
test body never touches the database. The clock is the real one, as for ``make demo``.
"""

from __future__ import annotations

import re
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import load_workbook

from cchc.demo.province import DEMO_PASSWORD
from cchc.demo.surveys import LIVE_DOSSIER_CENTRE, LIVE_DOSSIER_UNIT, SURVEYED
from cchc.dossiers.models import Dossier
from cchc.organisations.models import OrganisationUnit
from cchc.portal.tests.test_accessibility import axe_violations, describe
from cchc.surveys.answering import spec_of
from cchc.surveys.models import (
    Campaign,
    CampaignStatus,
    Response,
    ResponseChannel,
    ReviewStatus,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP, TABLET, PHONE = (1366, 900), (800, 1280), (390, 844)


def vi(text: str) -> str:
    with override("vi"):
        return _(text)


def form_taps(spec) -> tuple[list[str], dict[str, str]]:
    """Every answer of the whole form as a respondent gives it: the ``for`` of each option label
    to tap (in the page's order) and the text of each text field. The feedback matrix is answered
    too (the respondent did give feedback), so no question is left out."""
    taps: list[str] = []
    texts: dict[str, str] = {}
    for question in spec.questions():
        values = [choice.value for choice in question.choices]
        if question.kind == "matrix":
            level = values[-2] if len(values) > 2 else "4"
            taps += [f"{question.code}__{item.code}-{level}" for item in question.items]
        elif question.kind == "multiple":
            taps += [f"{question.code}-{value}" for value in values[:2]]
        elif question.kind == "yes_no":
            taps.append(f"{question.code}-yes")
        elif question.kind == "text":
            texts[question.code] = "Cán bộ hướng dẫn tận tình."
        elif values:
            value = values[-1] if question.kind == "likert5" else values[0]
            taps.append(f"{question.code}-{value}")
    return taps, texts


@pytest.fixture
def demo(db):
    """``cchc load-demo`` into the test database, and what the journeys need to know."""
    call_command("load-demo", stdout=StringIO())
    open_campaign = Campaign.objects.get(status=CampaignStatus.OPEN)
    published = Campaign.objects.get(status=CampaignStatus.PUBLISHED)
    ward = OrganisationUnit.objects.get(code=LIVE_DOSSIER_UNIT)
    small = [s.code for s in SURVEYED if s.responses is not None]
    applicants = Dossier.objects.filter(receiving_unit__code=LIVE_DOSSIER_CENTRE).order_by("pk")[
        :20
    ]
    taps, texts = form_taps(spec_of(open_campaign))
    return {
        "open": open_campaign.pk,
        "open_name": open_campaign.name,
        "open_code": open_campaign.code,
        "units": open_campaign.units.count(),
        "flagged": open_campaign.responses.filter(review=ReviewStatus.FLAGGED).count(),
        "published": published.code,
        "published_name": published.name,
        "published_units": published.units.count(),
        "published_codes": set(published.units.values_list("unit__code", flat=True)),
        "small": list(
            OrganisationUnit.objects.filter(code__in=small).values_list("name", flat=True)
        ),
        "ward": ward.name,
        "kiosk": f"/khao-sat/kiosk/{open_campaign.code}/{ward.code}/",
        "kiosk_stored": Response.objects.filter(
            campaign=open_campaign, unit=ward, channel=ResponseChannel.KIOSK
        ).count(),
        "kiosk_on": "kiosk" in open_campaign.channels,
        "taps": taps,
        "texts": texts,
        "personal": [
            value
            for dossier in applicants
            for value in (
                dossier.applicant_name,
                dossier.applicant_phone,
                dossier.applicant_id_number,
                dossier.code,
            )
            if value
        ],
    }


class Person:
    """One browser tab, signed in through the login page (or not); records the confirmation
    questions it is asked, the page's script errors and the accessibility problems of every page
    it opens."""

    def __init__(self, browser, base: str, username: str = "", size=DESKTOP, **options):
        self.context = browser.new_context(
            viewport={"width": size[0], "height": size[1]}, locale="vi-VN", **options
        )
        self.page = self.context.new_page()
        self.base = base
        self.asked: list[str] = []
        self.errors: list[str] = []
        self.problems: list[str] = []
        self.page.on("dialog", self._answer)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        if username:
            self.page.goto(f"{base}/tai-khoan/dang-nhap/")
            self.page.fill("#id_username", username)
            self.page.fill("#id_password", DEMO_PASSWORD)
            with self.page.expect_navigation():
                self.page.click("main button[type=submit]")
            assert self.page.locator("form[action$='/dang-xuat/']").count() == 1, self.main()

    def _answer(self, dialog):
        self.asked.append(dialog.message)
        dialog.accept()

    def main(self) -> str:
        return self.page.inner_text("main")

    def audit(self):
        """axe-core on the open page at this person's viewport (WCAG 2.1 AA, serious ones)."""
        found = axe_violations(self.page)
        if found:
            self.problems.append(describe(self.page.url.removeprefix(self.base), found))

    def go(self, path: str, status: int = 200):
        response = self.page.goto(f"{self.base}{path}")
        assert response is not None and response.status == status, (path, response.status)
        if status == 200:
            self.audit()
        return response

    def open_more(self) -> None:
        """Open the menu's "More" list once it has stopped moving: a click while the collapsed
        bar still slides open (or the list still drops) can land beside the entry under load."""
        self.page.locator("#mainmenu:not(.collapsing)").wait_for(state="attached")
        self.page.locator("#menu-main .dropdown-toggle").click()
        self.page.locator("#menu-main .dropdown-menu.show").wait_for()

    def menu(self, label: str):
        """Open the menu's "More" list and follow one of its entries."""
        self.open_more()
        with self.page.expect_navigation():
            self.page.locator("#menu-main a.dropdown-item").filter(
                has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")
            ).click()
        self.audit()

    def more_entries(self) -> list[str]:
        self.open_more()
        return [text.strip() for text in self.page.locator("#menu-main a").all_inner_texts()]

    def follow(self, locator):
        with self.page.expect_navigation():
            locator.click()
        self.audit()

    def close(self):
        assert self.errors == []
        assert self.problems == [], "\n".join(self.problems)
        self.context.close()


def reform_officer_runs_the_campaigns(browser, base: str, demo: dict):
    officer = Person(browser, base, "cchc.noivu")
    officer.go("/")
    officer.menu(vi("Survey campaigns"))
    assert officer.page.url.endswith("/khao-sat/dot/")
    officer.follow(officer.page.locator("#campaigns a", has_text=demo["open_name"]))
    assert officer.page.locator("#campaign-status").inner_text() == vi("Open")
    # The sample (counts only) and the answers so far, one row per surveyed unit.
    assert officer.page.locator("#sample tbody tr").count() == demo["units"]
    assert officer.page.locator("#progress tbody tr").count() == demo["units"]
    assert demo["ward"] in officer.page.inner_text("#progress")
    review_link = officer.page.locator("#review-link")
    assert review_link.locator(".badge").inner_text() == str(demo["flagged"]) == "2"

    officer.follow(review_link)
    assert vi("Flagged responses") in officer.page.locator("main h1").inner_text()
    items = officer.page.locator("article.review-item")
    assert items.count() == 2
    first = items.first.get_attribute("id")
    officer.follow(items.first.locator("button[value=accept]"))
    assert officer.asked == [vi("Count this response?")]
    assert officer.page.locator(f"#{first}").count() == 0
    assert officer.page.locator("article.review-item").count() == 1
    assert officer.page.locator("#reviewed tbody tr").count() >= 1
    officer.go(f"/khao-sat/dot/{demo['open']}/")
    assert officer.page.locator("#review-link .badge").inner_text() == "1"

    # The published campaign's results: ranking, not enough answers, overlaps, factors.
    officer.menu(vi("Survey results"))
    officer.follow(officer.page.locator("main a", has_text=demo["published_name"]))
    rows = officer.page.locator("#ranking tbody tr")
    assert rows.count() == demo["published_units"]
    not_enough = rows.filter(has_text=vi("Not enough answers"))
    assert not_enough.count() == len(demo["small"]) == 3
    for name in demo["small"]:
        assert rows.filter(has_text=name).filter(has_text=vi("Not enough answers")).count() == 1
    ranks = [rows.nth(n).locator("td").first.inner_text() for n in range(rows.count())]
    ranked = [rank for rank in ranks if re.match(r"^\d+", rank)]
    assert len(ranked) == demo["published_units"] - 3
    assert ranked[0].startswith("1")
    assert any("≈" in rank for rank in ranked)  # overlapping intervals in the middle
    assert officer.page.locator("#chart-units").is_visible()
    assert officer.page.locator("#chart-factors").is_visible()
    assert officer.page.locator("#chart-factors rect").count() >= 5

    with officer.page.expect_download() as download_info:
        officer.page.locator("main a", has_text=vi("Results (XLSX)")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(BytesIO(Path(download.path()).read_bytes()), read_only=True)
    sheet_rows = list(workbook["Xếp hạng"].iter_rows(values_only=True))
    unit_rows = [row for row in sheet_rows if len(row) > 1 and row[1] in demo["published_codes"]]
    assert len(unit_rows) == demo["published_units"]
    assert sum(1 for row in unit_rows if row[0] == "Chưa đủ phiếu") == 3
    assert officer.asked == [vi("Count this response?")]  # nothing else asked
    officer.close()


def one_stop_officer_opens_the_kiosk(browser, base: str, demo: dict):
    assert demo["kiosk_on"]
    officer = Person(browser, base, "motcua.dongthanh", size=TABLET, has_touch=True)
    officer.go("/")
    # At 800 px the bar is collapsed: open it first.
    toggler = officer.page.locator("nav .navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        officer.page.locator("#mainmenu.show:not(.collapsing)").wait_for()
    officer.menu(vi("Surveys at the counter"))
    row = officer.page.locator("#counter-surveys tbody tr").filter(has_text=demo["ward"])
    assert row.count() == 1, officer.main()
    officer.follow(row.locator("a", has_text=vi("Open the kiosk")))
    assert officer.page.url.endswith(demo["kiosk"])
    assert officer.page.locator("#menu-main").count() == 0  # nothing to navigate away with
    stored = demo["kiosk_stored"]
    assert officer.page.inner_text("#kiosk-stored") == str(stored)

    page = officer.page
    for target in demo["taps"]:
        page.click(f'label[for="{target}"]')
    for code, text in demo["texts"].items():
        page.fill(f"#{code}", text)
    assert page.locator("#q-sv_feedback").is_visible()  # shown once "yes" was tapped
    page.click("button.answer-submit")
    thanks = page.locator("#kiosk-thanks")
    thanks.wait_for(state="visible")
    assert vi("Thank you!") in thanks.inner_text()
    assert officer.asked == [vi("Send your answers?")]
    # A few seconds later: a fresh, empty form for the next person.
    page.locator("#kiosk-form-screen").wait_for(state="visible", timeout=15000)
    assert page.locator("#answer-form input:checked").count() == 0
    assert all(page.input_value(f"#{code}") == "" for code in demo["texts"])
    page.wait_for_function(
        "count => document.getElementById('kiosk-stored').textContent === count",
        arg=str(stored + 1),
    )
    officer.go(demo["kiosk"])
    assert officer.page.inner_text("#kiosk-stored") == str(stored + 1)
    officer.close()


def citizen_reads_the_public_results_on_a_phone(browser, base: str, demo: dict):
    citizen = Person(browser, base, size=PHONE, is_mobile=True, has_touch=True)
    citizen.go("/khao-sat/cong-khai/")
    links = citizen.page.locator("#public-campaigns a")
    assert links.count() == 1  # the open campaign is not public
    citizen.follow(links.filter(has_text=demo["published_name"]))
    assert citizen.page.url.endswith(f"/khao-sat/cong-khai/{demo['published']}/")
    rows = citizen.page.locator("#ranking tbody tr")
    assert rows.count() == demo["published_units"]
    assert rows.first.is_visible()
    assert rows.filter(has_text=vi("Not enough answers")).count() == 3
    # The page itself does not scroll sideways; wide tables and charts scroll in their region.
    assert citizen.page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    visible = citizen.page.inner_text("body")
    html = citizen.page.content()
    assert demo["personal"]
    for value in demo["personal"]:
        assert value not in visible and value not in html, value
    # The open campaign has no public page.
    citizen.go(f"/khao-sat/cong-khai/{demo['open_code']}/", status=404)
    citizen.close()


def processing_officer_has_no_campaign_pages(browser, base: str, demo: dict):
    officer = Person(browser, base, "chuyenvien.tuphap")
    officer.go("/")
    entries = officer.more_entries()
    assert entries and vi("Survey campaigns") not in entries
    assert vi("Surveys at the counter") not in entries
    response = officer.page.goto(f"{base}/khao-sat/dot/{demo['open']}/")
    assert response.status in (403, 404)
    response = officer.page.goto(f"{base}/khao-sat/duyet/{demo['open_code']}/")
    assert response.status in (403, 404)
    officer.close()


def test_each_role_s_survey_journey_on_the_demo(live_server, demo, browser):
    """One demo load for the four journeys (loading takes half a minute)."""
    reform_officer_runs_the_campaigns(browser, live_server.url, demo)
    one_stop_officer_opens_the_kiosk(browser, live_server.url, demo)
    citizen_reads_the_public_results_on_a_phone(browser, live_server.url, demo)
    processing_officer_has_no_campaign_pages(browser, live_server.url, demo)
