"""The committee's services: roles and scope, validation (Vietnamese field errors), the meeting's
lifecycle, conclusions becoming tasks, sealed histories and published topics."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.history import registry
from cchc.history.services import verify_owner
from cchc.plans.models import Task, TaskEvent, TaskOrigin

from .. import services
from ..errors import ActionForbidden, CommitteeError, StaleRecord, TransitionNotAllowed
from ..events import meeting_changed
from ..models import CommitteeRole, MeetingStatus
from .factories import conclude, hold, make_world, pdf, plan

pytestmark = pytest.mark.django_db

TODAY = date(2026, 4, 20)


@pytest.fixture
def world():
    with time_machine.travel(date(2026, 4, 1), tick=False):
        return make_world()


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_committee_established_with_its_decisions_and_members(world):
    committee = world.committee
    assert committee.decision_number == "120/QĐ-UBND"
    assert committee.decision_file.name.endswith(".pdf")
    assert committee.rules_file_name == "quy-che.pdf"
    roles = [seat.role for seat in services.members_on(committee, TODAY)]
    assert roles == ["head", "standing_deputy", "member", "secretary"]
    actions = list(committee.events.values_list("action", flat=True))
    assert actions == ["established"] + ["member_added"] * 4


def test_only_managers_of_the_unit_establish_a_committee(world):
    with pytest.raises(ActionForbidden):
        services.create_committee(
            world.officer,
            unit=world.justice,
            name="Ban chỉ đạo",
            standing_unit=world.justice,
            decision_number="1/QĐ",
            decision_date=TODAY,
            decision_signer="A",
        )
    with pytest.raises(CommitteeError) as refused:
        services.create_committee(
            world.reform,
            unit=world.province,
            name="Ban thứ hai",
            standing_unit=world.home_affairs,
            decision_number="2/QĐ",
            decision_date=TODAY,
            decision_signer="A",
        )
    assert refused.value.field == "unit"
    assert refused.value.message == "Đơn vị này đã có Ban chỉ đạo."


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"decision_number": " "}, "decision_number", "Nhập số quyết định."),
        ({"decision_date": None}, "decision_date", "Nhập ngày quyết định."),
        ({"decision_signer": ""}, "decision_signer", "Nhập người ký quyết định."),
        (
            {"decision_file": SimpleUploadedFile("qd.pdf", b"MZ\x90\x00not a pdf")},
            "decision_file",
            "Nội dung tệp không đúng với loại tệp.",
        ),
        (
            {"decision_file": SimpleUploadedFile("qd.exe", b"%PDF-")},
            "decision_file",
            "Chỉ nhận tệp PDF.",
        ),
        ({"rules_number": "3/QĐ"}, "rules_date", "Nhập ngày ban hành quy chế hoạt động."),
    ],
)
def test_establishing_input_is_checked(world, changes, field, message):
    arguments = {
        "unit": world.justice,
        "name": "Ban chỉ đạo CCHC Sở Tư pháp",
        "standing_unit": world.justice,
        "decision_number": "5/QĐ-STP",
        "decision_date": TODAY,
        "decision_signer": "Giám đốc",
    }
    arguments.update(changes)
    with pytest.raises(CommitteeError) as refused:
        services.create_committee(world.reform, **arguments)
    assert (refused.value.field, refused.value.message) == (field, message)


def test_membership_changes_keep_the_composition_of_each_day(world):
    head = world.seats()[0]
    with pytest.raises(CommitteeError) as refused:
        services.add_member(
            world.reform,
            world.committee.pk,
            name="Người mới",
            position="Chủ tịch",
            organisation="UBND tỉnh",
            role=CommitteeRole.HEAD,
            start_on=date(2026, 5, 1),
        )
    assert refused.value.field == "role"
    services.end_membership(world.reform, head.pk, end_on=date(2026, 4, 30))
    new_head = services.add_member(
        world.reform,
        world.committee.pk,
        name="Người mới",
        position="Chủ tịch",
        organisation="UBND tỉnh",
        role=CommitteeRole.HEAD,
        start_on=date(2026, 5, 1),
    )
    assert services.members_on(world.committee, date(2026, 4, 30))[0] == head
    assert services.members_on(world.committee, date(2026, 5, 1))[0] == new_head
    with pytest.raises(CommitteeError) as again:
        services.end_membership(world.reform, head.pk, end_on=date(2026, 5, 2))
    assert again.value.message == "Tư cách thành viên này đã kết thúc."


def test_a_stale_page_is_refused(world):
    version = world.committee.version
    services.set_rules(
        world.reform, world.committee.pk, rules_number="9/QĐ", rules_date=TODAY, rules_file=pdf()
    )
    with pytest.raises(StaleRecord):
        services.set_rules(
            world.reform,
            world.committee.pk,
            rules_number="10/QĐ",
            rules_date=TODAY,
            expected_version=version,
        )


def test_meetings_are_numbered_and_need_a_place_and_an_agenda(world):
    first = plan(world, date(2026, 4, 10))
    second = plan(world, date(2026, 7, 10), place="", online=True)
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(CommitteeError) as no_place:
        plan(world, date(2026, 8, 1), place="", online=False)
    assert no_place.value.message == "Nhập địa điểm, hoặc đánh dấu họp trực tuyến."
    with pytest.raises(CommitteeError) as no_agenda:
        plan(world, date(2026, 8, 1), agenda=["  "])
    assert no_agenda.value.field == "agenda"
    with pytest.raises(ActionForbidden):
        services.plan_meeting(
            world.officer, world.committee.pk, date=TODAY, place="X", agenda=["A"]
        )


def test_holding_records_attendance_and_minutes(world):
    meeting = plan(world, date(2026, 4, 10))
    seats = world.seats()
    with meeting_changed.observe() as seen:
        hold(
            world,
            meeting,
            actor=world.standing,  # the standing body's staff record the meeting
            absences={seats[2].pk: "Đi công tác"},
            minutes_file=pdf("bien-ban.pdf"),
        )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert [seen_item["meeting"].pk for seen_item in seen] == [meeting.pk]
    rows = {row.member_id: (row.present, row.reason) for row in meeting.attendance.all()}
    assert rows[seats[2].pk] == (False, "Đi công tác")
    assert rows[seats[0].pk] == (True, "")
    assert meeting.minutes_file_name == "bien-ban.pdf"


@pytest.mark.parametrize(
    ("options", "field", "message"),
    [
        ({"minutes": ""}, "minutes", "Nhập biên bản hoặc đính kèm biên bản (PDF)."),
        ({"absences": {999999: "x"}}, "absent", "Chọn thành viên Ban chỉ đạo vào ngày họp."),
        ({"absences": "seat0-blank"}, "absent", "Ghi lý do vắng mặt của từng thành viên."),
    ],
)
def test_holding_input_is_checked(world, options, field, message):
    meeting = plan(world, date(2026, 4, 10))
    if options.get("absences") == "seat0-blank":
        options["absences"] = {world.seats()[0].pk: " "}
    with pytest.raises(CommitteeError) as refused:
        hold(world, meeting, **options)
    assert (refused.value.field, refused.value.message) == (field, message)


def test_a_meeting_to_come_cannot_be_held(world):
    meeting = plan(world, date(2026, 5, 10))
    with pytest.raises(CommitteeError) as refused:
        hold(world, meeting)
    assert refused.value.message == "Chưa đến ngày họp, không thể ghi nhận phiên họp đã diễn ra."


def test_readers_and_outsiders_cannot_act(world):
    meeting = plan(world, date(2026, 4, 10))
    for person in (world.auditor, world.officer, world.outsider):
        with pytest.raises(ActionForbidden):
            hold(world, meeting, actor=person)


def test_conclusions_become_tasks_of_the_committee_unit(world):
    meeting = plan(world, date(2026, 4, 10))
    hold(world, meeting)
    conclusions = conclude(
        world,
        meeting,
        [
            ("Rà soát thủ tục hành chính", world.justice, date(2026, 6, 30)),
            ("Báo cáo chỉ số CCHC", world.home_affairs, date(2026, 9, 30), "Báo cáo"),
        ],
        notice_file=pdf("thong-bao.pdf"),
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONCLUDED
    assert meeting.notice_number == "15/TB-BCĐ"
    tasks = [item.task for item in conclusions]
    assert [task.origin for task in tasks] == [TaskOrigin.CONCLUSION] * 2
    assert {task.issuer_unit for task in tasks} == {world.province}
    assert [task.lead_unit for task in tasks] == [world.justice, world.home_affairs]
    assert [task.deadline for task in tasks] == [date(2026, 6, 30), date(2026, 9, 30)]
    assert [task.plan for task in tasks] == [None, None]
    assert tasks[1].expected_output == "Báo cáo"
    assert TaskEvent.objects.filter(task__in=tasks, action="assigned").count() == 2
    assert [item.position for item in conclusions] == [1, 2]


def test_the_standing_body_alone_cannot_assign_the_committee_tasks(world):
    meeting = plan(world, date(2026, 4, 10))
    hold(world, meeting, actor=world.standing)
    with pytest.raises(ActionForbidden):
        conclude(world, meeting, [("A", world.justice, date(2026, 6, 30))], actor=world.standing)
    assert not Task.objects.exists()


@pytest.mark.parametrize(
    ("items", "options", "field", "message"),
    [
        ([], {}, "items", "Nhập ít nhất một kết luận."),
        ([("", "justice", date(2026, 6, 1))], {}, "items", "Nhập nội dung kết luận 1."),
        ([("A", None, date(2026, 6, 1))], {}, "items", "Chọn đơn vị chủ trì kết luận 1."),
        ([("A", "justice", None)], {}, "items", "Nhập thời hạn của kết luận 1."),
        (
            [("A", "justice", date(2026, 6, 1)), ("B", "justice", date(2026, 4, 11))],
            {"notice_date": date(2026, 4, 15)},
            "items",
            "Thời hạn của kết luận 2 trước ngày ban hành thông báo.",
        ),
        (
            [("A", "justice", date(2026, 6, 1))],
            {"notice_date": date(2026, 4, 9)},
            "notice_date",
            "Thông báo không thể ban hành trước ngày họp.",
        ),
        ([("A", "justice", date(2026, 6, 1))], {"notice_number": ""}, "notice_number", None),
    ],
)
def test_the_notice_is_checked_before_any_task_is_made(world, items, options, field, message):
    meeting = plan(world, date(2026, 4, 10))
    hold(world, meeting)
    items = [(c, world.justice if u == "justice" else u, d) for c, u, d in items]
    with pytest.raises(CommitteeError) as refused:
        conclude(world, meeting, items, **options)
    assert refused.value.field == field
    if message:
        assert refused.value.message == message
    assert not Task.objects.exists()


def test_wrong_states_are_refused(world):
    meeting = plan(world, date(2026, 4, 10))
    with pytest.raises(TransitionNotAllowed) as early:
        conclude(world, meeting, [("A", world.justice, date(2026, 6, 1))])
    assert early.value.message == (
        "Không thể ban hành thông báo kết luận: phiên họp đang ở trạng thái “Dự kiến”."
    )
    hold(world, meeting)
    with pytest.raises(TransitionNotAllowed):
        hold(world, meeting)


def test_documents_are_added_until_the_notice(world):
    meeting = plan(world, date(2026, 4, 10))
    document = services.add_document(
        world.standing, meeting.pk, title="Báo cáo CCHC quý I", upload=pdf("bao-cao.pdf")
    )
    assert document.original_name == "bao-cao.pdf"
    with pytest.raises(CommitteeError) as refused:
        services.add_document(
            world.reform,
            meeting.pk,
            title="Tệp lạ",
            upload=SimpleUploadedFile("a.exe", b"MZ"),
        )
    assert refused.value.field == "file"
    hold(world, meeting)
    conclude(world, meeting, [("A", world.justice, date(2026, 6, 1))])
    with pytest.raises(TransitionNotAllowed):
        services.add_document(world.reform, meeting.pk, title="Muộn", upload=pdf())


def test_histories_are_sealed_and_verify(world):
    meeting = plan(world, date(2026, 4, 10))
    services.add_document(world.reform, meeting.pk, title="Tài liệu", upload=pdf())
    hold(world, meeting)
    conclude(world, meeting, [("A", world.justice, date(2026, 6, 1))])
    meeting.refresh_from_db()
    assert list(meeting.events.values_list("action", "status_before", "status_after")) == [
        ("planned", "", "planned"),
        ("document", "planned", "planned"),
        ("held", "planned", "held"),
        ("concluded", "held", "concluded"),
    ]
    assert meeting.history_count == 4
    assert verify_owner(registry.get("committee-meetings"), meeting) is None
    assert verify_owner(registry.get("committee"), world.committee) is None


def test_a_dissolved_committee_keeps_its_records_but_plans_nothing(world):
    meeting = plan(world, date(2026, 4, 10))
    with pytest.raises(CommitteeError) as no_note:
        services.dissolve_committee(world.reform, world.committee.pk, note=" ")
    assert no_note.value.field == "note"
    with pytest.raises(ActionForbidden):
        services.dissolve_committee(world.auditor, world.committee.pk, note="QĐ 9/QĐ-UBND")
    services.dissolve_committee(world.reform, world.committee.pk, note="QĐ 9/QĐ-UBND")
    world.committee.refresh_from_db()
    assert world.committee.get_status_display() == "Đã giải thể"
    assert world.committee.events.last().action == "dissolved"
    with pytest.raises(CommitteeError) as refused:
        plan(world, date(2026, 5, 10))
    assert refused.value.message == "Ban chỉ đạo đã giải thể."
    assert world.committee.meetings.get() == meeting
