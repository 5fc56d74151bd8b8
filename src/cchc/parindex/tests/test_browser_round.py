"""The yearly round in chromium, each step done by the least-privileged person who does it:

a unit officer fills three criteria with evidence, the leader submits (the confirmation question
appears), the organiser's reform staff start the appraisal, a council member assigned the field
adjusts one criterion with a reason and asks for an explanation, the officer answers, the chair
closes the appraisal with a decision and publishes. All data is created before Playwright starts.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from cchc.parindex import services
from cchc.parindex.metrics import metrics
from cchc.parindex.models import Assessment

from .factories import PASSWORD, make_world, on_time_metric

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey(db):
    """An open round (dates around today) and the ids the pages need."""
    world = make_world()
    today = timezone.localdate()
    setup = world.setup(
        self_assessment_opens=today - timedelta(days=10),
        self_assessment_closes=today + timedelta(days=10),
        appraisal_closes=today + timedelta(days=40),
        publication_date=today + timedelta(days=50),
    )
    round_ = services.create_round(world.reform, setup)
    first = world.criteria_set.criteria.get(code="1")
    services.set_council_member(round_.pk, world.reform, world.chair, "chair")
    services.set_council_member(round_.pk, world.reform, world.member, "member", [first])
    with metrics.temporarily(on_time_metric()):
        services.open_round(round_.pk, world.reform)
    # Criterion 1.3 does not apply to the department (prepared by the office beforehand).
    services.score_leaf(
        world.leaf(round_, world.justice, "1.3").pk,
        world.officer,
        not_applicable=True,
        explanation="Năm 2025 không phát sinh đối thoại",
    )
    assessment = Assessment.objects.get(round=round_, unit=world.justice)
    return {
        "round": round_.pk,
        "assessment": assessment.pk,
        "leaves": {
            code: world.leaf(round_, world.justice, code).pk for code in ("1.1", "1.2", "1.4")
        },
        "today": today.strftime("%d/%m/%Y"),
        "round_name": round_.name,
    }


class Session:
    """One person's browser tab: signs in, answers every confirmation, remembers them."""

    def __init__(self, browser, live_server, username):
        self.context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="vi-VN")
        self.page = self.context.new_page()
        self.base = live_server.url
        self.asked: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._answer)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(f"{self.base}/tai-khoan/dang-nhap/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()
        assert self.page.locator("form[action$='/dang-xuat/']").count() == 1, self.main()

    def _answer(self, dialog):
        self.asked.append(dialog.message)
        dialog.accept()

    def go(self, path: str):
        self.page.goto(f"{self.base}{path}")

    def main(self) -> str:
        return self.page.inner_text("main")

    def submit(self, selector: str):
        with self.page.expect_navigation():
            self.page.locator(selector).click()
        assert self.page.locator(".alert-danger").count() == 0, self.main()

    def close(self):
        assert self.errors == []
        self.context.close()


def test_round_from_self_assessment_to_publication(live_server, journey, browser):
    leaves = journey["leaves"]

    # 1. The unit's officer scores three criteria and attaches evidence.
    officer = Session(browser, live_server, "chuyenvien.tuphap")
    values = {"1.1": "kip_thoi", "1.2": "95", "1.4": "nhe"}
    for code, value in values.items():
        officer.go(f"/chi-so-cchc/tieu-chi/{leaves[code]}/")
        form = "#score-form"
        if code == "1.2":
            officer.page.fill(f"{form} input[name=value]", value)
        else:
            officer.page.check(f"{form} input[name=value][value={value}]")
        officer.page.fill(f"{form} textarea[name=explanation]", f"Kết quả tiêu chí {code}")
        officer.submit(f"{form} button[type=submit]")
        officer.page.locator("#evidence-panel summary").click()
        officer.page.check("#evidence-form input[name=kind][value=document]")
        officer.page.fill("#evidence-form input[name=document_number]", f"{code}/KH-STP")
        officer.page.fill("#evidence-form input[name=issued_on]", "15/03/2025")
        officer.page.fill("#evidence-form textarea[name=summary]", f"Văn bản cho tiêu chí {code}")
        officer.page.fill("#evidence-form input[name=issuer]", "Sở Tư pháp")
        officer.submit("#evidence-form button[type=submit]")
        assert f"{code}/KH-STP" in officer.main()
    assert len(officer.asked) == 6
    officer.go(f"/chi-so-cchc/tu-danh-gia/{journey['assessment']}/")
    assert officer.page.locator("#submit-form").count() == 0  # not a leader
    assert officer.page.locator("#missing").count() == 0

    # 2. The leader submits; the page asks first.
    leader = Session(browser, live_server, "lanhdao.tuphap")
    leader.go(f"/chi-so-cchc/tu-danh-gia/{journey['assessment']}/")
    leader.submit("#submit-form button[type=submit]")
    assert leader.asked == ["Gửi bản tự đánh giá? Sau khi gửi, bản tự đánh giá sẽ bị khóa."]
    assert "Đã gửi" in leader.page.locator("main h1 .badge").inner_text()

    # 3. The organiser's reform staff start the appraisal.
    reform = Session(browser, live_server, "cchc.noivu")
    reform.go(f"/chi-so-cchc/ky-danh-gia/{journey['round']}/")
    reform.submit("#start_appraisal-form button[type=submit]")
    assert "Thẩm định" in reform.page.locator("main h1 .badge").inner_text()

    # 4. The council member assigned field 1 adjusts 1.2 with a reason and asks for an explanation.
    member = Session(browser, live_server, "thanhvien.hoidong")
    member.go(f"/chi-so-cchc/tham-dinh/{journey['round']}/")
    member.page.get_by_role("link", name="Sở Tư pháp").click()
    member.page.wait_for_load_state()
    assert "2.1." not in member.main()  # field 2 is not the member's
    leaf = leaves["1.2"]
    section = f"#leaf-{leaf}"
    member.page.check(f"{section} input[name='l{leaf}-decision'][value=adjust]")
    member.page.fill(f"{section} input[name='l{leaf}-score']", "1,5")
    member.page.fill(f"{section} textarea[name='l{leaf}-reason']", "Kế hoạch chỉ đạt 85%")
    member.submit(f"{section} .appraise-form button[type=submit]")
    section_text = member.page.inner_text(section)
    assert "Điều chỉnh" in section_text and "1,5" in section_text
    member.page.locator(f"{section} details summary").click()
    member.page.fill(f"{section} textarea[name='r{leaf}-message']", "Gửi báo cáo kết quả thực hiện")
    member.submit(f"{section} .request-form button[type=submit]")
    assert "Chưa trả lời" in member.page.inner_text(section)

    # 5. The officer answers, once.
    officer.go(f"/chi-so-cchc/tieu-chi/{leaf}/")
    assert "Gửi báo cáo kết quả thực hiện" in officer.main()
    officer.page.fill(".answer-form textarea[name=answer]", "Đính kèm báo cáo số 5/BC-STP")
    officer.submit(".answer-form button[type=submit]")
    assert "Đính kèm báo cáo số 5/BC-STP" in officer.main()
    assert officer.page.locator(".answer-form").count() == 0

    # 6. The chair closes the appraisal with a decision, then publishes.
    chair = Session(browser, live_server, "chutich.hoidong")
    chair.go(f"/chi-so-cchc/tham-dinh/{journey['round']}/")
    chair.page.fill("#decide-form input[name=decision_number]", "15/QĐ-HĐTĐ")
    chair.page.fill("#decide-form input[name=decision_date]", journey["today"])
    chair.submit("#decide-form button[type=submit]")
    chair.submit("#publish-form button[type=submit]")
    assert len(chair.asked) == 2
    chair.go(f"/chi-so-cchc/ky-danh-gia/{journey['round']}/")
    assert "Đã công khai" in chair.page.locator("main h1 .badge").inner_text()
    assert "15/QĐ-HĐTĐ" in chair.main()

    # After publication the unit sees the appraised score and its reason.
    officer.go(f"/chi-so-cchc/tieu-chi/{leaf}/")
    assert "Kế hoạch chỉ đạt 85%" in officer.main()

    # Anyone, signed in or not, finds the ranking on the public results page.
    visitor = browser.new_page()
    try:
        visitor.goto(f"{live_server.url}/chi-so-cchc/cong-khai/")
        visitor.get_by_role("link", name=journey["round_name"]).click()
        visitor.wait_for_load_state()
        ranking = visitor.locator("#par-ranking")
        justice = ranking.locator("tr", has_text="Sở Tư pháp")
        assert justice.locator("td").first.inner_text().strip() in ("1/2", "2/2")
        assert ranking.locator("tbody tr").count() == 2
    finally:
        visitor.close()
    for session in (officer, leader, reform, member, chair):
        session.close()
