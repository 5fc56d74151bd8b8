"""The period report sent on a schedule (``scheduled-reports``, docs/reports.md)."""

from datetime import date
from urllib.parse import urlsplit

import pytest
import time_machine

from cchc.common.jobs import jobs
from cchc.dossiers.models import Channel
from cchc.notifications.models import OutboxMessage
from cchc.organisations.models import Role, RoleAssignment
from cchc.reports import scheduled

from .conftest import at

pytestmark = pytest.mark.django_db

BASE = "https://dichvucong.anbinh.gov.vn"
APRIL_FIRST = at(2026, 4, 1, 6, 0)


@pytest.fixture
def march(desk, officer, processor, leader, dept_leader, unit, procedure, settings):
    """At the ward in March 2026: one resolved on time, one online resolved early, one still open
    and overdue at 31/03. Nothing at the department."""
    settings.CCHC_PUBLIC_URL = BASE + "/"
    for user, email in ((leader, "ld@anbinh.gov.vn"), (dept_leader, "ld-so@anbinh.gov.vn"),
                        (officer, "motcua@anbinh.gov.vn")):  # fmt: skip
        user.email = email
        user.save(update_fields=["email"])
    on_time = desk.receive(at(2026, 3, 2), officer, unit, procedure)
    desk.do(at(2026, 3, 3), "forward", on_time.pk, officer)
    desk.do(at(2026, 3, 4), "forward", on_time.pk, processor)
    desk.resolve(on_time.due_at, on_time.pk, leader)
    online = desk.receive(at(2026, 3, 3), officer, unit, procedure, Channel.ONLINE)
    desk.resolve(at(2026, 3, 5), online.pk, leader)
    desk.receive(at(2026, 3, 10), officer, unit, procedure)  # due 17/03, open at 31/03
    return unit


def run(moment=APRIL_FIRST) -> str:
    with time_machine.travel(moment, tick=False):
        return jobs.get("scheduled-reports").run(moment)


def sent(recipient=None):
    messages = OutboxMessage.objects.filter(dedup_key__startswith="scheduled-report:")
    if recipient:
        messages = messages.filter(recipient=recipient)
    return list(messages.order_by("pk"))


def test_on_1_april_the_march_and_first_quarter_reports_go_to_the_leader(
    march, leader, unit, client
):
    line = run()
    assert "thang 2026-03-01–2026-03-31" in line and "quy 2026-01-01–2026-03-31" in line
    mine = sent("ld@anbinh.gov.vn")
    assert [m.subject for m in mine] == [
        "Báo cáo tháng 3/2026: UBND phường Đông Thành",
        "Báo cáo quý 1/2026: UBND phường Đông Thành",
    ]
    month, quarter = (m.body for m in mine)
    assert "Kính gửi ông/bà" in month
    assert "từ ngày 01/03/2026 đến ngày 31/03/2026" in month
    assert "từ ngày 01/01/2026 đến ngày 31/03/2026" in quarter
    for body in (month, quarter):  # nothing in January and February: the same figures
        assert "- Tiếp nhận trong kỳ: 3\n" in body
        assert "- Đã giải quyết: 2\n" in body
        assert "- Tỷ lệ hồ sơ đúng hạn: 66,67 %\n" in body  # (3 − 1 late) / 3
        assert "- Quá hạn tại thời điểm cuối kỳ: 1\n" in body
        assert "- Tỷ lệ tiếp nhận trực tuyến: 33,33 %\n" in body
    query = f"don_vi={unit.code}&ky=thang&nam=2026&so=3"
    assert f"Báo cáo: {BASE}/bao-cao/?{query}\n" in month
    assert f"Tải về (Excel): {BASE}/bao-cao/bao-cao.xlsx?{query}\n" in month
    assert f"Tải về (PDF): {BASE}/bao-cao/bao-cao.pdf?{query}\n" in month
    assert f"{BASE}/bao-cao/bao-cao.xlsx?don_vi={unit.code}&ky=quy&nam=2026&so=1\n" in quarter
    # The links open the same period's report for the leader.
    client.force_login(leader)
    with time_machine.travel(APRIL_FIRST, tick=False):
        link = urlsplit(month.split("Báo cáo: ")[1].split("\n")[0])
        page = client.get(f"{link.path}?{link.query}")
        xlsx = client.get(f"/bao-cao/bao-cao.xlsx?{query}")
    assert page.status_code == 200 and "31/03/2026" in page.content.decode()
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_a_leader_gets_only_their_own_units_report(march, dept_leader, other_unit, officer):
    run()
    theirs = sent("ld-so@anbinh.gov.vn")
    assert [m.subject for m in theirs] == [
        "Báo cáo tháng 3/2026: Sở Tư pháp",
        "Báo cáo quý 1/2026: Sở Tư pháp",
    ]
    assert all("- Tiếp nhận trong kỳ: 0\n" in m.body for m in theirs)
    assert all(f"don_vi={other_unit.code}&" in m.body for m in theirs)
    assert not sent("motcua@anbinh.gov.vn")  # a one-stop officer: no report
    assert len(sent()) == 4


def test_nothing_on_2_april_and_nothing_more_on_a_rerun(march):
    assert run(at(2026, 4, 2, 6, 0)) == "no reporting period closed yesterday"
    assert not sent()
    run()
    assert len(sent()) == 4
    with time_machine.travel(APRIL_FIRST, tick=False):
        again = scheduled.send_reports(APRIL_FIRST)  # a re-run, past the job's daily claim
    assert (again.queued, again.already) == (0, 4)
    assert len(sent()) == 4


def test_the_kinds_sent_are_configuration(march, settings):
    settings.CCHC_SCHEDULED_REPORTS = ["thang", "nam"]
    run()
    assert {m.subject.split(":")[0] for m in sent()} == {"Báo cáo tháng 3/2026"}
    settings.CCHC_SCHEDULED_REPORTS = []
    assert run(at(2026, 5, 1, 6, 0)) == "no reporting period closed yesterday"


def test_on_1_january_the_month_quarter_and_year_close(march, settings):
    settings.CCHC_SCHEDULED_REPORTS = ["thang", "quy", "6-thang", "nam"]
    periods = scheduled.closed_periods(date(2027, 1, 1), settings.CCHC_SCHEDULED_REPORTS)
    assert [(p.kind, p.number, p.start, p.end) for p in periods] == [
        ("thang", 12, date(2026, 12, 1), date(2026, 12, 31)),
        ("quy", 4, date(2026, 10, 1), date(2026, 12, 31)),
        ("6-thang", 2, date(2026, 7, 1), date(2026, 12, 31)),
        ("nam", 1, date(2026, 1, 1), date(2026, 12, 31)),
    ]
    assert [p.kind for p in scheduled.closed_periods(date(2026, 7, 1), ("quy", "6-thang"))] == [
        "quy",
        "6-thang",
    ]
    assert scheduled.closed_periods(date(2026, 5, 1), ("quy", "6-thang", "nam")) == []


def test_a_user_without_email_is_skipped(march, django_user_model, unit):
    staff = django_user_model.objects.create_user("cchc", password="pw-123456", full_name="CCHC")
    RoleAssignment.objects.create(user=staff, unit=unit, role=Role.REFORM_STAFF)
    line = run()
    assert "2 recipients without an email skipped" in line  # two periods
    assert len(sent()) == 4
    assert not OutboxMessage.objects.filter(recipient="").exists()


def test_without_a_public_address_the_email_names_the_page(march, settings, unit):
    settings.CCHC_PUBLIC_URL = ""
    run()
    body = sent("ld@anbinh.gov.vn")[0].body
    assert "http" not in body
    assert f"Xem trang Báo cáo của đơn vị và kỳ này: don_vi={unit.code}&ky=thang" in body
