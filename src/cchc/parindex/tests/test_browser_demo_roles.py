"""The PAR INDEX pages in chromium on the demo data as ``make demo`` loads it (``cchc load-demo``:
last year's round of the 14 departments published, this year's open for self-assessment), each
journey done by the least-privileged person who does it:

* chuyenvien.tuphap (processing officer, Sở Tư pháp) opens the menu entry, this year's
  workspace of Sở Tư pháp, scores a criterion not yet scored by its method, adds an issued
  document as evidence and sees the progress change; another department's assessment is closed
  to them;
* lanhdao.tuphap (leader) sees the submit button; submitting asks first, and the refusal of an
  incomplete self-assessment names the missing criteria in Vietnamese;
* hoidong.thanhvien (council member) reads last year's ranking of the 14 departments and a
  unit's "where points are lost" with the council's reasons;
* an anonymous citizen reads the public results: the ranking, no personal data.

axe-core finds no serious violation on any page visited. The demo is loaded (and every id the
pages need is read) before Playwright starts; the test body never touches the database. The
clock is the real one, as for ``make demo`` (the loader builds last year's and this year's rounds
from today's date, and chromium's session cookies follow the real clock too).
"""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from cchc.demo.province import DEMO_CITIZEN, DEMO_PASSWORD, USERS
from cchc.parindex import engine, services
from cchc.parindex.models import AppraisalState, Assessment, LeafScore, Round, RoundStatus
from cchc.portal.tests.test_accessibility import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JUSTICE = "000.00.15.H99"  # Sở Tư pháp
CONSTRUCTION = "000.00.16.H99"  # Sở Xây dựng
DEPARTMENTS = 14
DESKTOP, PHONE_SIZE = (1366, 900), (390, 844)
PHONE = re.compile(r"(?<!\d)(?:\+84|0)\d{9}(?!\d)")


@pytest.fixture
def demo(db):
    """``cchc load-demo`` into the test database, and what the journeys need to know."""
    from django.contrib.auth import get_user_model

    call_command("load-demo", stdout=StringIO())
    year = timezone.localdate().year
    current = Round.objects.get(year=year, status=RoundStatus.SELF_ASSESSMENT)
    published = Round.objects.get(year=year - 1, status=RoundStatus.PUBLISHED)
    justice = Assessment.objects.get(round=current, unit__code=JUSTICE)
    other = Assessment.objects.get(round=current, unit__code=CONSTRUCTION)
    officer = get_user_model().objects.get(username="chuyenvien.tuphap")
    # A criterion scored by choosing a level, not yet scored, that the officer's office answers.
    leaf = next(
        leaf
        for leaf in LeafScore.objects.filter(
            assessment=justice,
            criterion__method=engine.LEVELS,
            criterion__block=engine.MAIN,
            self_score__isnull=True,
            not_applicable=False,
        )
        .select_related("criterion")
        .order_by("criterion__position")
        if services.may_score(officer, leaf, justice)
    )
    best = max(
        leaf.criterion.method_spec["levels"], key=lambda item: engine.to_decimal(item["points"])
    )
    missing = services.missing_for_submission(justice)
    # A unit the council adjusted, in a field the member appraises (1–4), and its reason.
    adjusted = (
        LeafScore.objects.filter(
            assessment__round=published,
            appraisal_state=AppraisalState.ADJUSTED,
            criterion__code__regex=r"^[1-4]\.",
        )
        .exclude(appraisal_reason="")
        .select_related("assessment__unit", "criterion")
        .order_by("assessment__unit__code", "criterion__position")
        .first()
    )
    assert adjusted is not None
    users = get_user_model().objects.filter(username__in=[u.username for u in USERS])
    return {
        "justice": justice.pk,
        "other": other.pk,
        "other_leaf": LeafScore.objects.filter(assessment=other).order_by("pk").first().pk,
        "leaf": leaf.pk,
        "code": leaf.criterion.code,
        "field": leaf.criterion.code.split(".")[0],
        "level": best["key"],
        "points": engine.to_decimal(best["points"]),
        "missing": [code for code in missing.unscored if code != leaf.criterion.code],
        "published": published.pk,
        "current": current.pk,
        "last_year": published.year,
        "units": list(
            Assessment.objects.filter(round=published).values_list("unit__name", flat=True)
        ),
        "adjusted_unit": adjusted.assessment.unit.code,
        "adjusted_unit_name": adjusted.assessment.unit.name,
        "adjusted_code": adjusted.criterion.code,
        "reason": adjusted.appraisal_reason,
        "usernames": [u.username for u in USERS] + [DEMO_CITIZEN],
        "names": [user.full_name for user in users if user.full_name],
        "today": timezone.localdate().strftime("%d/%m/%Y"),
    }


class Person:
    """One browser tab, signed in (or not); records confirmation questions, page errors and
    the accessibility problems of every page it opens."""

    def __init__(self, browser, base: str, username: str = ""):
        self.context = browser.new_context(
            viewport={"width": DESKTOP[0], "height": DESKTOP[1]}, locale="vi-VN"
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
            self.page.click("main button[type=submit]")
            self.page.wait_for_load_state()
            assert self.page.locator("form[action$='/dang-xuat/']").count() == 1, self.main()

    def _answer(self, dialog):
        self.asked.append(dialog.message)
        dialog.accept()

    def audit(self):
        """axe-core on the open page at desktop and at phone width."""
        for width, height in (DESKTOP, PHONE_SIZE):
            self.page.set_viewport_size({"width": width, "height": height})
            found = axe_violations(self.page)
            if found:
                where = f"{self.page.url.removeprefix(self.base)} at {width}px"
                self.problems.append(describe(where, found))
        self.page.set_viewport_size({"width": DESKTOP[0], "height": DESKTOP[1]})

    def go(self, path: str, status: int = 200):
        response = self.page.goto(f"{self.base}{path}")
        assert response is not None and response.status == status, (
            path,
            response and response.status,
        )
        if status == 200:
            self.audit()
        return response

    def main(self) -> str:
        return self.page.inner_text("main")

    def submit(self, selector: str):
        with self.page.expect_navigation():
            self.page.locator(selector).click()
        self.audit()

    def progress(self, field: str) -> tuple[int, int]:
        row = self.page.locator("#progress tbody tr").filter(
            has_text=re.compile(rf"^\s*{field}\. ")
        )
        scored, total = row.locator("td").nth(1).inner_text().split("/")
        return int(scored), int(total)

    def close(self):
        assert self.errors == []
        assert self.problems == [], "\n".join(self.problems)
        self.context.close()


def test_each_role_s_journey_on_the_demo(live_server, demo, browser):
    base = live_server.url
    workspace = f"/chi-so-cchc/tu-danh-gia/{demo['justice']}/"

    # 1. The officer of Sở Tư pháp: menu → workspace → a criterion not yet scored.
    officer = Person(browser, base, "chuyenvien.tuphap")
    officer.go("/")
    officer.page.locator("#menu-main a", has_text="Chỉ số CCHC").first.click()
    officer.page.wait_for_load_state()
    assert officer.page.url.endswith("/chi-so-cchc/")
    officer.audit()
    officer.page.locator(f"#my-assessments a[href='{workspace}']").click()
    officer.page.wait_for_load_state()
    officer.audit()
    assert "Sở Tư pháp" in officer.page.locator("main h1").inner_text()
    scored_before, total = officer.progress(demo["field"])
    assert officer.page.locator("#submit-form").count() == 0  # submitting is the leader's
    officer.page.locator(f"#leaf-{demo['leaf']} a").click()
    officer.page.wait_for_load_state()
    officer.audit()
    assert officer.page.locator("#self-score").inner_text().startswith("–")
    officer.page.check(f"#score-form input[name=value][value='{demo['level']}']")
    officer.page.fill("#score-form textarea[name=explanation]", "Đã ban hành kế hoạch đúng hạn")
    officer.submit("#score-form button[type=submit]")
    assert officer.page.locator(".alert-danger").count() == 0, officer.main()
    shown = officer.page.locator("#self-score strong").inner_text()
    assert Decimal(shown.replace(",", ".")) == demo["points"], shown  # "1,00": Vietnamese mark
    officer.page.locator("#evidence-panel summary").click()
    officer.page.check("#evidence-form input[name=kind][value=document]")
    officer.page.fill("#evidence-form input[name=document_number]", "125/KH-STP")
    officer.page.fill("#evidence-form input[name=issued_on]", demo["today"])
    officer.page.fill("#evidence-form textarea[name=summary]", "Kế hoạch cải cách hành chính")
    officer.page.fill("#evidence-form input[name=issuer]", "Sở Tư pháp")
    officer.submit("#evidence-form button[type=submit]")
    assert officer.page.locator(".alert-danger").count() == 0, officer.main()
    assert "125/KH-STP" in officer.main()
    assert len(officer.asked) == 2  # each change asked first
    officer.go(workspace)
    assert officer.progress(demo["field"]) == (scored_before + 1, total)
    # Another department's self-assessment (and its criteria) is not the officer's to see.
    assert officer.page.goto(f"{base}/chi-so-cchc/tu-danh-gia/{demo['other']}/").status in (
        403,
        404,
    )
    assert officer.page.goto(f"{base}/chi-so-cchc/tieu-chi/{demo['other_leaf']}/").status in (
        403,
        404,
    )
    officer.close()

    # 2. The leader: the submit button; submitting asks first, then names what is missing.
    leader = Person(browser, base, "lanhdao.tuphap")
    leader.go(workspace)
    button = leader.page.locator("#submit-form button[type=submit]")
    assert button.is_visible()
    leader.submit("#submit-form button[type=submit]")
    assert leader.asked == ["Gửi bản tự đánh giá? Sau khi gửi, bản tự đánh giá sẽ bị khóa."]
    refusal = leader.page.locator(".alert-danger").inner_text()
    assert "Chưa thể gửi bản tự đánh giá" in refusal and "chưa chấm điểm" in refusal, refusal
    assert demo["missing"] and all(code in refusal for code in demo["missing"][:5]), refusal
    assert demo["code"] not in re.findall(
        r"[\d.]+", refusal.split("chưa chấm điểm:")[1].split(";")[0]
    )
    assert "Đã gửi" not in leader.page.locator("main h1 .badge").inner_text()
    leader.close()

    # 3. A council member: last year's published ranking and where a unit lost points.
    member = Person(browser, base, "hoidong.thanhvien")
    member.go("/chi-so-cchc/ket-qua/")
    member.go(f"/chi-so-cchc/ket-qua/{demo['published']}/")
    ranking = member.page.locator("#par-ranking tbody tr")
    assert ranking.count() == DEPARTMENTS
    assert ranking.first.locator("td").first.inner_text() == f"1/{DEPARTMENTS}"
    text = member.page.inner_text("#par-ranking")
    assert all(name in text for name in demo["units"])
    member.page.locator("#par-ranking a", has_text=demo["adjusted_unit_name"]).first.click()
    member.page.wait_for_load_state()
    member.audit()
    assert member.page.url.endswith(f"/don-vi/{demo['adjusted_unit']}/")
    losses = member.page.locator("#par-unit-losses tbody tr").filter(
        has=member.page.locator(
            "strong", has_text=re.compile(rf"^{re.escape(demo['adjusted_code'])}$")
        )
    )
    assert losses.count() == 1
    assert demo["reason"] in losses.inner_text()
    member.go(f"/chi-so-cchc/ket-qua/{demo['published']}/tieu-chi-mat-diem/")
    assert member.page.locator("#par-province-losses tbody tr").count() > 0
    member.close()

    # 4. An anonymous citizen: the public results, the ranking, no personal data.
    citizen = Person(browser, base)
    citizen.go("/chi-so-cchc/cong-khai/")
    # This year's round, still open, is not listed.
    assert (
        citizen.page.locator(f"main a[href='/chi-so-cchc/cong-khai/{demo['current']}/']").count()
        == 0
    )
    citizen.page.locator(f"main a[href='/chi-so-cchc/cong-khai/{demo['published']}/']").click()
    citizen.page.wait_for_load_state()
    citizen.audit()
    assert str(demo["last_year"]) in citizen.page.locator("main h1").inner_text()
    assert citizen.page.locator("#par-ranking tbody tr").count() == DEPARTMENTS
    assert citizen.page.locator("#par-ranking a").count() == 0  # no drill-down for the public
    html = citizen.page.content()
    visible = citizen.page.inner_text("body")
    for username in demo["usernames"]:
        assert username not in html, username
    for name in demo["names"]:
        assert name not in visible, name
    assert not PHONE.search(visible)
    # This year's open round is not public.
    assert citizen.page.goto(f"{base}/chi-so-cchc/cong-khai/{demo['current']}/").status == 404
    citizen.close()
