"""The committee pages: scoped reads (404 outside), forms posting to the services, the previous
meeting's conclusions, the open conclusions list and the downloads."""

from datetime import date

import pytest
import time_machine

from cchc.plans.models import Task

from ..models import MeetingStatus
from .factories import PDF, conclude, hold, make_world, mark_done, pdf, plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(date(2026, 4, 20), tick=False):
        yield


@pytest.fixture
def world():
    world = make_world()
    world.meeting = plan(world, date(2026, 4, 10))
    return world


def page(client, user, path):
    client.force_login(user)
    return client.get(path)


def test_committee_pages_in_scope(client, world):
    html = page(client, world.auditor, "/ban-chi-dao/").content.decode()
    assert "Ban Chỉ đạo cải cách hành chính tỉnh Thử" in html
    assert "Thành lập Ban chỉ đạo" not in html  # the auditor reads only
    html = page(client, world.auditor, f"/ban-chi-dao/{world.committee.pk}/").content.decode()
    assert "Trưởng ban</strong>: Nguyễn Văn Chủ tịch" in html
    assert "120/QĐ-UBND" in html and "Phiên họp 1" in html
    assert 'id="member-form"' not in html
    for path in (
        f"/ban-chi-dao/{world.committee.pk}/",
        f"/ban-chi-dao/phien-hop/{world.meeting.pk}/",
        f"/ban-chi-dao/tep/decision/{world.committee.pk}/",
    ):
        assert page(client, world.outsider, path).status_code == 404


def test_the_manager_plans_holds_and_concludes_from_the_pages(client, world):
    client.force_login(world.reform)
    answer = client.post(
        f"/ban-chi-dao/{world.committee.pk}/meeting/",
        {"date": "10/07/2026", "place": "Phòng họp số 1", "agenda": "Sơ kết 6 tháng\nKế hoạch"},
    )
    second = world.committee.meetings.get(number=2)
    assert answer.url == f"/ban-chi-dao/phien-hop/{second.pk}/"
    assert second.agenda == ["Sơ kết 6 tháng", "Kế hoạch"]
    url = f"/ban-chi-dao/phien-hop/{world.meeting.pk}/"
    html = client.get(url).content.decode()
    assert 'id="hold-form"' in html and 'data-confirm="Ghi nhận phiên họp đã diễn ra?' in html
    assert 'id="conclude-form"' not in html
    seat = world.seats()[2]
    client.post(
        url + "hold/",
        {
            "version": world.meeting.version,
            f"absent-{seat.pk}": "1",
            f"reason-{seat.pk}": "Đi công tác",
            "minutes": "Biên bản phiên 1",
            "minutes_file": pdf("bien-ban.pdf"),
        },
    )
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.HELD
    html = client.get(url).content.decode()
    assert "Đỗ Mạnh Hùng (Ủy viên): vắng mặt – Đi công tác" in html
    assert 'id="conclude-form"' in html
    form = {
        "version": world.meeting.version,
        "notice_number": "30/TB-BCĐ",
        "notice_date": "15/04/2026",
        "notice_file": pdf("tb.pdf"),
        "form-TOTAL_FORMS": "5",
        "form-INITIAL_FORMS": "0",
        "form-0-content": "Rà soát thủ tục hành chính",
        "form-0-lead_unit": world.justice.pk,
        "form-0-deadline": "30/06/2026",
        "form-1-content": "Báo cáo chỉ số CCHC",
        "form-1-lead_unit": world.home_affairs.pk,
        "form-1-deadline": "31/05/2026",
    }
    response = client.post(url + "conclude/", form, follow=True)
    assert "Đã ban hành thông báo kết luận: giao 2 nhiệm vụ." in response.content.decode()
    assert Task.objects.count() == 2
    html = client.get(url).content.decode()
    task = Task.objects.order_by("pk").first()
    assert f'href="/ke-hoach-cchc/nhiem-vu/{task.pk}/"' in html
    assert "0/2 đã hoàn thành" in html
    # the next meeting shows the previous meeting's conclusions
    html = client.get(f"/ban-chi-dao/phien-hop/{second.pk}/").content.decode()
    assert "Kết luận phiên trước: 0/2 đã hoàn thành" in html
    mark_done(task, date(2026, 4, 18))
    html = client.get(f"/ban-chi-dao/phien-hop/{second.pk}/").content.decode()
    assert "Kết luận phiên trước: 1/2 đã hoàn thành" in html
    assert client.get(f"/ban-chi-dao/tep/notice/{world.meeting.pk}/").status_code == 200
    download = client.get(f"/ban-chi-dao/tep/minutes/{world.meeting.pk}/")
    assert b"".join(download.streaming_content) == PDF


def test_refusals_show_their_message(client, world):
    client.force_login(world.reform)
    response = client.post(
        f"/ban-chi-dao/phien-hop/{world.meeting.pk}/hold/", {"minutes": ""}, follow=True
    )
    assert "Nhập biên bản hoặc đính kèm biên bản (PDF)." in response.content.decode()
    client.force_login(world.auditor)
    response = client.post(
        f"/ban-chi-dao/phien-hop/{world.meeting.pk}/hold/", {"minutes": "x"}, follow=True
    )
    assert "Bạn không có vai trò cần thiết" in response.content.decode()
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.PLANNED


def test_members_and_committee_forms(client, world):
    client.force_login(world.reform)
    url = f"/ban-chi-dao/{world.committee.pk}/"
    world.committee.refresh_from_db()
    client.post(
        url + "member/",
        {
            "name": "Vũ Thị Hoa",
            "position": "Phó Giám đốc",
            "organisation": "Sở Tư pháp",
            "role": "member",
            "start_on": "01/04/2026",
            "username": "chuyenvien.tp",
            "version": world.committee.version,
        },
    )
    seat = world.committee.members.get(name="Vũ Thị Hoa")
    assert seat.user == world.officer
    world.committee.refresh_from_db()
    client.post(
        url + "end_member/",
        {"member": seat.pk, "end_on": "19/04/2026", "version": world.committee.version},
    )
    seat.refresh_from_db()
    assert seat.end_on == date(2026, 4, 19)
    assert "Thành viên trước đây" in client.get(url).content.decode()
    response = client.post(
        url + "member/", {"name": "", "role": "member", "start_on": "x"}, follow=True
    )
    assert "Họ và tên: Trường này là bắt buộc." in response.content.decode()


def test_establishing_a_committee_from_the_page(client, world):
    client.force_login(world.reform)
    html = client.get("/ban-chi-dao/thanh-lap/").content.decode()
    assert 'data-confirm="' in html
    answer = client.post(
        "/ban-chi-dao/thanh-lap/",
        {
            "unit": world.justice.pk,
            "name": "Ban chỉ đạo CCHC Sở Tư pháp",
            "standing_unit": world.justice.pk,
            "decision_number": "7/QĐ-STP",
            "decision_date": "01/04/2026",
            "decision_signer": "Giám đốc",
            "decision_file": pdf(),
        },
    )
    assert answer.status_code == 302
    bad = client.post(
        "/ban-chi-dao/thanh-lap/",
        {
            "unit": world.province.pk,
            "name": "Trùng",
            "standing_unit": world.home_affairs.pk,
            "decision_number": "8/QĐ",
            "decision_date": "01/04/2026",
            "decision_signer": "A",
        },
    )
    assert "Đơn vị này đã có Ban chỉ đạo." in bad.content.decode()
    assert page(client, world.officer, "/ban-chi-dao/thanh-lap/").status_code == 404


def test_open_conclusions_list(client, world):
    hold(world, world.meeting)
    conclude(
        world,
        world.meeting,
        [
            ("Kết luận quá hạn", world.justice, date(2026, 4, 15)),
            ("Kết luận còn hạn", world.justice, date(2026, 6, 15)),
        ],
    )
    html = page(client, world.leader, "/ban-chi-dao/ket-luan-chua-hoan-thanh/").content.decode()
    assert "2 chưa hoàn thành, trong đó 1 quá hạn, tính đến 20/04/2026." in html
    assert html.index("Kết luận quá hạn") < html.index("Kết luận còn hạn")
    narrowed = page(
        client, world.leader, "/ban-chi-dao/ket-luan-chua-hoan-thanh/?don_vi=000.00.15.H98"
    ).content.decode()
    assert "Kết luận quá hạn" not in narrowed
    assert "Kết luận phiên trước" not in page(
        client, world.leader, f"/ban-chi-dao/phien-hop/{world.meeting.pk}/"
    ).content.decode().replace("Kết luận phiên trước</h2>", "")


def test_the_dashboard_shows_the_tile(client, world):
    hold(world, world.meeting)
    conclude(world, world.meeting, [("Kết luận", world.justice, date(2026, 4, 15))])
    html = page(client, world.leader, "/dieu-hanh/").content.decode()
    assert 'id="tile-committee-conclusions"' in html
    assert 'id="committee-open-count"' in html
