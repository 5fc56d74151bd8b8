"""Demo data: the steering committee of tỉnh An Bình (Ban Chỉ đạo CCHC tỉnh) and two meetings.

* The committee of the provincial People's Committee, Sở Nội vụ as its standing body
  (par-sipas-plan-sources.md §C4: the Chairman heads it, a Vice-Chairman is a deputy, the Director
  of Home Affairs the standing deputy), established by a decision with its rules of operation;
  the reform officer ``cchc.noivu`` is its secretary and the Director of Justice
  (``lanhdao.tuphap``) a member, both linked to their accounts.
* Phiên họp thứ nhất (20/01): held, with a conclusion notice of nine items assigned to the
  departments (Sở Tư pháp among them), which became tasks. By the second meeting seven were done
  (one late), one is overdue and one still open: the second meeting shows "Kết luận phiên trước:
  7/9 đã hoàn thành".
* Phiên họp thứ hai (15/07, the six-month review): held once its day has come (planned before),
  without a notice yet, so the secretary can issue it from the page.

Everything goes through the committee's services at the moment it happened (``travel``), so the
sealed histories verify. Marking a task done is the plans app's progress report
(``cchc.plans.services.report_progress``: by the lead unit, with its output).
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from cchc.committee import services
from cchc.committee.models import Committee, CommitteeRole
from cchc.organisations.models import OrganisationUnit
from cchc.plans.models import Task, TaskStatus
from cchc.plans.services import OutputInput, report_progress

from .clock import travel

PROVINCE = "000.00.00.H99"
STANDING_BODY = "000.00.10.H99"  # Sở Nội vụ
JUSTICE = "000.00.15.H99"  # Sở Tư pháp
SECRETARY = "cchc.noivu"
JUSTICE_OFFICER = "chuyenvien.tuphap"
MEMBER_USER = "lanhdao.tuphap"
PDF = b"%PDF-1.4\n% demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

MEMBERS = (
    ("Lê Quang Minh", "Chủ tịch UBND tỉnh", "UBND tỉnh An Bình", CommitteeRole.HEAD, None),
    (
        "Nguyễn Thị Thu Hà",
        "Giám đốc Sở Nội vụ",
        "Sở Nội vụ",
        CommitteeRole.STANDING_DEPUTY,
        None,
    ),
    ("Trần Văn Phúc", "Phó Chủ tịch UBND tỉnh", "UBND tỉnh An Bình", CommitteeRole.DEPUTY, None),
    (
        "Phạm Minh Tuấn",
        "Phó Giám đốc Sở Nội vụ",
        "Sở Nội vụ",
        CommitteeRole.STANDING_MEMBER,
        None,
    ),
    ("Đỗ Mạnh Hùng", "Giám đốc Sở Tư pháp", "Sở Tư pháp", CommitteeRole.MEMBER, MEMBER_USER),
    ("Vũ Thị Lan", "Giám đốc Sở Tài chính", "Sở Tài chính", CommitteeRole.MEMBER, None),
    (
        "Hoàng Đức Long",
        "Chánh Văn phòng UBND tỉnh",
        "Văn phòng UBND tỉnh",
        CommitteeRole.MEMBER,
        None,
    ),
    (
        "Bùi Thanh Tâm",
        "Chuyên viên CCHC, Sở Nội vụ",
        "Sở Nội vụ",
        CommitteeRole.SECRETARY,
        SECRETARY,
    ),
)

# (content, lead unit, deadline (month, day), done on (month, day) or None, expected output)
CONCLUSIONS = (
    (
        "Rà soát, đơn giản hóa thủ tục hành chính thuộc thẩm quyền của tỉnh",
        JUSTICE,
        (3, 31),
        (3, 25),
        "Quyết định phê duyệt phương án đơn giản hóa",
    ),
    ("Ban hành Kế hoạch kiểm tra CCHC năm", STANDING_BODY, (2, 28), (2, 20), "Kế hoạch kiểm tra"),
    (
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực",
        "000.00.02.H99",
        (6, 30),
        (6, 28),
        "Báo cáo kết quả số hóa",
    ),
    (
        "Hướng dẫn tự chủ tài chính của đơn vị sự nghiệp công lập",
        "000.00.18.H99",
        (6, 30),
        (7, 10),
        "Văn bản hướng dẫn",
    ),
    (
        "Nâng cấp Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh",
        "000.00.23.H99",
        (4, 30),
        (4, 29),
        "Biên bản nghiệm thu",
    ),
    (
        "Tổ chức khảo sát sự hài lòng (SIPAS) của người dân",
        STANDING_BODY,
        (5, 31),
        (5, 30),
        "Báo cáo kết quả khảo sát",
    ),
    (
        "Kiểm tra công tác kiểm soát thủ tục hành chính tại cấp xã",
        JUSTICE,
        (6, 30),
        (6, 15),
        "Thông báo kết quả kiểm tra",
    ),
    (
        "Rút ngắn thời gian cấp giấy phép xây dựng",
        "000.00.16.H99",
        (6, 30),
        None,
        "Quy trình nội bộ sửa đổi",
    ),
    (
        "Liên thông thủ tục đất đai giữa Văn phòng Đăng ký đất đai và cơ quan thuế",
        "000.00.17.H99",
        (9, 30),
        None,
        "Quy chế phối hợp",
    ),
)


def _moment(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _pdf(name: str) -> ContentFile:
    return ContentFile(PDF, name=name)


def _report_done(task: Task, actor, day: date, output: str, number: int) -> None:
    """The lead unit reports the task done on ``day`` with its output, through the plans app's
    progress service (the output's number is a demo number)."""
    report_progress(
        task.pk,
        actor,
        status=TaskStatus.DONE,
        percent=100,
        text=f"Đã hoàn thành: {output}.",
        output=OutputInput(document_number=f"{number}/BC-DEMO", issued_on=day, summary=output),
    )


def demo_year(today: date) -> int:
    """The year of the two meetings: this year once its first notice is out, else the last."""
    return today.year if today >= date(today.year, 2, 15) else today.year - 1


def load_committee(today: date | None = None) -> Committee | None:
    """The provincial committee and its two meetings (once); None when the units are missing."""
    today = today or timezone.localdate()
    units = {unit.code: unit for unit in OrganisationUnit.objects.filter(code__endswith=".H99")}
    User = get_user_model()
    secretary = User.objects.filter(username=SECRETARY).first()
    if PROVINCE not in units or STANDING_BODY not in units or secretary is None:
        return None
    existing = Committee.objects.filter(unit=units[PROVINCE]).first()
    if existing is not None:
        return existing
    year = demo_year(today)
    established = date(year - 1, 3, 2)
    with travel(_moment(established)):
        committee = services.create_committee(
            secretary,
            unit=units[PROVINCE],
            name="Ban Chỉ đạo cải cách hành chính tỉnh An Bình",
            standing_unit=units[STANDING_BODY],
            decision_number=f"512/QĐ-UBND ({year - 1})",
            decision_date=established,
            decision_signer="Lê Quang Minh, Chủ tịch UBND tỉnh",
            decision_file=_pdf("quyet-dinh-thanh-lap-bcd.pdf"),
            rules_number="01/QĐ-BCĐ",
            rules_date=established,
            rules_file=_pdf("quy-che-hoat-dong.pdf"),
        )
        for name, position, organisation, role, username in MEMBERS:
            services.add_member(
                secretary,
                committee.pk,
                name=name,
                position=position,
                organisation=organisation,
                role=role,
                start_on=established,
                user=User.objects.filter(username=username).first() if username else None,
            )
    first_day, second_day = date(year, 1, 20), date(year, 7, 15)
    with travel(_moment(date(year, 1, 10))):
        first = services.plan_meeting(
            secretary,
            committee.pk,
            date=first_day,
            place="Hội trường UBND tỉnh",
            online=True,
            agenda=[
                f"Tổng kết công tác CCHC năm {year - 1}",
                f"Công bố Chỉ số CCHC năm {year - 1} của các sở, UBND cấp xã",
                f"Nhiệm vụ trọng tâm CCHC năm {year}",
            ],
        )
        services.add_document(
            secretary,
            first.pk,
            title=f"Báo cáo tổng kết công tác CCHC năm {year - 1}",
            upload=_pdf("bao-cao-tong-ket.pdf"),
        )
    members = services.members_on(committee, first_day)
    absent = next(seat for seat in members if seat.role == CommitteeRole.DEPUTY)
    with travel(_moment(first_day, 16)):
        services.hold_meeting(
            secretary,
            first.pk,
            absences={absent.pk: "Đi công tác theo chương trình của Tỉnh ủy"},
            guests="Đại diện Bộ Nội vụ\nChủ tịch UBND các phường, xã",
            minutes=(
                "Ban Chỉ đạo đánh giá kết quả CCHC năm trước, công bố Chỉ số CCHC và thống nhất "
                "các nhiệm vụ trọng tâm năm nay."
            ),
            minutes_file=_pdf("bien-ban-phien-1.pdf"),
        )
    with travel(_moment(date(year, 1, 27))):
        conclusions = services.issue_conclusions(
            secretary,
            first.pk,
            notice_number=f"15/TB-BCĐ ({year})",
            notice_date=date(year, 1, 27),
            notice_file=_pdf("thong-bao-ket-luan-phien-1.pdf"),
            items=[
                services.ConclusionInput(
                    content=content,
                    lead_unit=units[lead],
                    deadline=date(year, *deadline),
                    expected_output=output,
                )
                for content, lead, deadline, _done, output in CONCLUSIONS
            ],
        )
    officer = User.objects.filter(username=JUSTICE_OFFICER).first()
    for conclusion, (_content, lead, _deadline, done, output) in zip(
        conclusions, CONCLUSIONS, strict=True
    ):
        if done is None or date(year, *done) > today:
            continue
        reporter = officer if lead == JUSTICE and officer is not None else secretary
        with travel(_moment(date(year, *done), 15)):
            _report_done(conclusion.task, reporter, date(year, *done), output, conclusion.pk)
    with travel(_moment(date(year, 7, 1))):
        second = services.plan_meeting(
            secretary,
            committee.pk,
            date=second_day,
            place="Phòng họp số 1, UBND tỉnh",
            agenda=[
                f"Sơ kết công tác CCHC 6 tháng đầu năm {year}",
                "Kết quả thực hiện kết luận phiên họp thứ nhất",
                "Nhiệm vụ 6 tháng cuối năm",
            ],
        )
    if today >= second_day:
        with travel(_moment(second_day, 16)):
            services.hold_meeting(
                secretary,
                second.pk,
                guests="Đại diện Văn phòng UBND tỉnh",
                minutes="Ban Chỉ đạo sơ kết 6 tháng, nghe báo cáo thực hiện kết luận phiên trước.",
            )
    committee.refresh_from_db()
    return committee
