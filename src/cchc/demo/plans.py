"""Demo data: the reform plans of the demo province (issue 13), made through the real services
with the clock moved to each step (:mod:`.clock`).

* The province's plan (UBND tỉnh, made and issued by the reform staff ``cchc.noivu``) for last
  year and this year: the nine default fields, one or two tasks each, led by the departments.
* Sở Tư pháp's plan (000.00.15.H99, made and issued by its director ``lanhdao.tuphap``)
  implementing the province's, for the same two years. Last year's has 7 fields (chỉ đạo, điều
  hành and the six reform areas of Nghị quyết 76/NQ-CP) and 28 tasks, 26 of them done by the
  day of the inspection (20/11), some late: "Sở đã ban hành Kế hoạch CCHC năm …, gồm có 7 lĩnh
  vực 28 nhiệm vụ trọng tâm … Tính đến thời điểm kiểm tra, Sở đã thực hiện được 26/28 nhiệm vụ"
  (issue 13). This year's is in progress: the tasks due before today done (a few late) but two,
  which are overdue, so the leader's dashboard shows overdue tasks.

Progress is reported by the department's officer ``chuyenvien.tuphap`` (the province's tasks led
by other departments by ``cchc.noivu``), each with its output document. Loading again makes
nothing new (a plan that exists is left as it is).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from cchc.organisations.models import OrganisationUnit
from cchc.plans import services
from cchc.plans.models import Plan, PlanStatus, TaskStatus

from .clock import travel

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PROVINCE = "000.00.00.H99"
JUSTICE = "000.00.15.H99"
HOME_AFFAIRS = "000.00.10.H99"
FINANCE = "000.00.18.H99"
SCIENCE = "000.00.23.H99"
REFORM_OFFICER = "cchc.noivu"
JUSTICE_LEADER = "lanhdao.tuphap"
JUSTICE_OFFICER = "chuyenvien.tuphap"
INSPECTION_DAY = (11, 20)  # the inspection of Sở Tư pháp's reform work, last year
PDF = b"%PDF-1.4\n% demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The province's tasks by default field (position 1–9) and lead unit.
PROVINCE_TASKS = [
    (1, "Ban hành Kế hoạch CCHC năm và triển khai đến các cơ quan, đơn vị", HOME_AFFAIRS),
    (2, "Nâng cao chất lượng xây dựng, kiểm tra, rà soát văn bản quy phạm pháp luật", JUSTICE),
    (3, "Rà soát, đơn giản hóa thủ tục hành chính, giấy tờ công dân", JUSTICE),
    (4, "Sắp xếp tổ chức bộ máy, tinh giản biên chế theo đề án của tỉnh", HOME_AFFAIRS),
    (5, "Đánh giá, xếp loại công chức theo kết quả, sản phẩm cụ thể", HOME_AFFAIRS),
    (6, "Thực hiện cơ chế tự chủ tài chính của đơn vị sự nghiệp công lập", FINANCE),
    (7, "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", SCIENCE),
    (8, "Tuyên truyền cải cách hành chính trên các phương tiện thông tin", HOME_AFFAIRS),
    (9, "Kiểm tra công tác cải cách hành chính tại các sở, ngành, địa phương", HOME_AFFAIRS),
]

# Sở Tư pháp: 7 fields, 4 tasks each (28), in the order of the province's fields 1–7.
JUSTICE_FIELDS = list(services.DEFAULT_FIELDS[:7])
JUSTICE_TASKS = [
    [
        "Ban hành Kế hoạch CCHC năm của Sở",
        "Ban hành Kế hoạch tuyên truyền CCHC của Sở",
        "Tổ chức đối thoại giữa lãnh đạo Sở với công chức, người dân",
        "Báo cáo CCHC định kỳ quý, 6 tháng, năm đúng hạn",
    ],
    [
        "Thẩm định dự thảo văn bản quy phạm pháp luật của tỉnh đúng thời hạn",
        "Rà soát, hệ thống hóa văn bản quy phạm pháp luật của tỉnh",
        "Kiểm tra văn bản quy phạm pháp luật sau ban hành",
        "Theo dõi tình hình thi hành pháp luật trên địa bàn tỉnh",
    ],
    [
        "Rà soát, đề xuất đơn giản hóa thủ tục hành chính lĩnh vực tư pháp",
        "Cập nhật, công khai thủ tục hành chính trên Cổng dịch vụ công",
        "Giải quyết hồ sơ thủ tục hành chính đúng hạn, không để trễ hạn",
        "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính của Sở",
    ],
    [
        "Rà soát chức năng, nhiệm vụ của các phòng thuộc Sở",
        "Xây dựng đề án vị trí việc làm của Sở",
        "Thực hiện tinh giản biên chế theo kế hoạch",
        "Kiện toàn tổ chức các đơn vị sự nghiệp thuộc Sở",
    ],
    [
        "Đánh giá, xếp loại công chức theo kết quả, sản phẩm",
        "Cử công chức tham gia bồi dưỡng kiến thức, kỹ năng",
        "Thực hiện quy tắc ứng xử của công chức tại bộ phận một cửa",
        "Kiểm tra công vụ, kỷ luật, kỷ cương hành chính",
    ],
    [
        "Xây dựng quy chế chi tiêu nội bộ năm",
        "Thực hiện công khai dự toán, quyết toán ngân sách",
        "Giao quyền tự chủ tài chính cho đơn vị sự nghiệp",
        "Thực hành tiết kiệm, chống lãng phí",
    ],
    [
        "Vận hành hệ thống quản lý văn bản và điều hành",
        "Sử dụng chữ ký số trong văn bản điện tử",
        "Cung cấp dịch vụ công trực tuyến toàn trình",
        "Bảo đảm an toàn thông tin hệ thống của Sở",
    ],
]
# Last year: (month, day) of each task's deadline, by field and task; None: recurring.
LAST_YEAR_DEADLINES = [
    [(1, 15), (2, 28), (6, 30), None],
    [(3, 31), (6, 30), (9, 30), (10, 31)],
    [(3, 31), (4, 30), None, (12, 15)],
    [(5, 31), (6, 30), (9, 30), (10, 31)],
    [(1, 31), (8, 31), (7, 31), (10, 15)],
    [(1, 31), (3, 31), (4, 30), (9, 30)],
    [(3, 31), (6, 30), (9, 30), (11, 15)],
]
# Last year's tasks done late (days after the deadline) and left undone at the inspection.
LATE = {(1, 1): 9, (3, 0): 6, (5, 2): 12}
NOT_DONE = {(0, 3), (2, 3)}  # the yearly reporting (recurring) and the 15/12 digitisation


def _moment(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def _pdf(name: str) -> ContentFile:
    return ContentFile(PDF, name=name)


def _users():
    User = get_user_model()
    return {
        name: User.objects.get(username=name)
        for name in (REFORM_OFFICER, JUSTICE_LEADER, JUSTICE_OFFICER)
    }


def _issue(plan: Plan, actor, number: str, signer: str) -> None:
    services.issue_plan(
        plan.pk,
        actor,
        document_number=number,
        issued_on=timezone.localdate(),
        signer=signer,
        upload=_pdf(f"ke-hoach-cchc-{plan.year}.pdf"),
    )


def _done(task, actor, day: date, number: str) -> None:
    with travel(_moment(day, 15)):
        services.report_progress(
            task.pk,
            actor,
            status=TaskStatus.DONE,
            percent=100,
            text="Đã hoàn thành nhiệm vụ, có sản phẩm kèm theo.",
            evidence=[services.EvidenceInput(upload=_pdf("tai-lieu-kiem-chung.pdf"))],
            output=services.OutputInput(
                upload=_pdf("san-pham.pdf"),
                document_number=number,
                issued_on=day,
                summary="Sản phẩm của nhiệm vụ",
            ),
        )


def _in_progress(task, actor, day: date, percent: int) -> None:
    with travel(_moment(day, 15)):
        services.report_progress(
            task.pk,
            actor,
            status=TaskStatus.IN_PROGRESS,
            percent=percent,
            text="Đang triển khai thực hiện theo kế hoạch.",
        )


def _province_plan(year: int, users, units) -> Plan:
    plan = Plan.objects.filter(unit=units[PROVINCE], year=year).first()
    if plan is not None:
        return plan
    officer = users[REFORM_OFFICER]
    with travel(_moment(date(year - 1, 12, 18))):
        plan = services.create_plan(
            officer,
            unit=units[PROVINCE],
            year=year,
            title=f"Kế hoạch cải cách hành chính năm {year} của UBND tỉnh An Bình",
        )
        fields = list(plan.fields.order_by("position"))
        for position, content, lead in PROVINCE_TASKS:
            services.add_task(
                officer,
                issuer_unit=plan.unit,
                year=year,
                plan=plan,
                field=fields[position - 1],
                content=content,
                lead_unit=units[lead],
                deadline=None if position == 1 else date(year, 11, 30),
                recurring=position == 1,
                milestones=[date(year, 6, 14), date(year, 12, 14)] if position == 1 else (),
                expected_output="Báo cáo kết quả thực hiện",
            )
        _issue(plan, officer, f"{215 + year - 2025}/KH-UBND", "Phó Chủ tịch UBND tỉnh")
    plan.refresh_from_db()
    return plan


def _justice_plan(year: int, upper: Plan, users, units, today: date, last_year: bool) -> Plan:
    plan = Plan.objects.filter(unit=units[JUSTICE], year=year).first()
    if plan is not None:
        return plan
    leader, officer = users[JUSTICE_LEADER], users[JUSTICE_OFFICER]
    upper_tasks = {task.field.position: task for task in upper.tasks.select_related("field")}
    criteria = services.criteria_codes(units[JUSTICE], year) or set()
    with travel(_moment(date(year - 1, 12, 26))):
        plan = services.create_plan(
            leader,
            unit=units[JUSTICE],
            year=year,
            title=f"Kế hoạch cải cách hành chính năm {year} của Sở Tư pháp",
            parent=upper,
        )
        kept = list(plan.fields.order_by("position"))[:7]
        services.save_fields(plan.pk, leader, [(item.pk, item.name) for item in kept])
        fields = list(plan.fields.order_by("position"))
        tasks = {}
        per_field = 4 if last_year else 2
        for f_index, contents in enumerate(JUSTICE_TASKS):
            for t_index, content in enumerate(contents[:per_field]):
                deadline = _deadline(year, f_index, t_index, today, last_year)
                tasks[(f_index, t_index)] = services.add_task(
                    leader,
                    issuer_unit=plan.unit,
                    year=year,
                    plan=plan,
                    field=fields[f_index],
                    content=content,
                    lead_unit=units[JUSTICE],
                    deadline=deadline,
                    recurring=deadline is None,
                    milestones=[date(year, 6, 14), date(year, 12, 14)] if deadline is None else (),
                    expected_output="Văn bản, báo cáo kết quả thực hiện",
                    implements=upper_tasks.get(f_index + 1) if t_index == 0 else None,
                    par_criteria=[code for code in ("1.1", "1.2") if code in criteria]
                    if f_index == 0 and t_index == 0
                    else (),
                )
        _issue(plan, leader, f"{36 + year - 2025}/KH-STP", "Đỗ Mạnh Hùng")
    plan.refresh_from_db()
    number = 100
    for (f_index, t_index), task in tasks.items():
        number += 1
        due = task.deadline or date(year, 12, 31)
        if last_year:
            if (f_index, t_index) in NOT_DONE:
                _in_progress(task, officer, date(year, 10, 5), 70)
                continue
            day = (
                due
                + timedelta(days=LATE.get((f_index, t_index), 0))
                - timedelta(days=0 if (f_index, t_index) in LATE else 3)
            )
            day = min(day, date(year, INSPECTION_DAY[0], INSPECTION_DAY[1]) - timedelta(days=1))
            _done(task, officer, day, f"{number}/STP-VP")
        elif due < today:
            if (f_index, t_index) in ((2, 1), (4, 1)):  # left overdue
                _in_progress(task, officer, max(date(year, 1, 2), due - timedelta(days=20)), 60)
                continue
            late = 5 if (f_index, t_index) == (1, 1) else 0
            day = min(
                due + timedelta(days=late) - timedelta(days=0 if late else 2),
                today - timedelta(days=1),
            )
            _done(task, officer, max(day, date(year, 1, 2)), f"{number}/STP-VP")
        elif today > date(year, 1, 5):
            _in_progress(task, officer, today - timedelta(days=3), 40)
    return plan


def _deadline(year: int, f_index: int, t_index: int, today: date, last_year: bool):
    if last_year:
        month_day = LAST_YEAR_DEADLINES[f_index][t_index]
        return None if month_day is None else date(year, *month_day)
    if f_index == 0 and t_index == 1:
        return None  # a recurring task this year too
    # This year's deadlines spread over the year; the two left overdue fall due before today.
    if (f_index, t_index) in ((2, 1), (4, 1)):
        return max(date(year, 1, 1), today - timedelta(days=10 + 5 * f_index))
    month = min(12, 2 + f_index * 2 + t_index)
    return date(year, month, 28 if month == 2 else 30)


def load_plans() -> list[Plan]:
    """The province's and Sở Tư pháp's plans of last year and this year (once)."""
    units = {unit.code: unit for unit in OrganisationUnit.objects.all()}
    if PROVINCE not in units or JUSTICE not in units:
        return []
    users = _users()
    today = timezone.localdate()
    plans = []
    for year, last_year in ((today.year - 1, True), (today.year, False)):
        upper = _province_plan(year, users, units)
        plans += [upper, _justice_plan(year, upper, users, units, today, last_year)]
        _report_province(upper, users, today if not last_year else date(year, 12, 20))
    return plans


def _report_province(plan: Plan, users, until: date) -> None:
    """The province's tasks led by other departments: reported by the reform staff, done before
    their deadline when it has passed (Sở Tư pháp's are reported through its own plan's)."""
    if plan.status != PlanStatus.ISSUED:
        return
    for task in plan.tasks.filter(status=TaskStatus.NOT_STARTED).exclude(lead_unit__code=JUSTICE):
        due = task.deadline or date(plan.year, 12, 31)
        if due < until:
            _done(task, users[REFORM_OFFICER], due - timedelta(days=4), f"{task.pk}/BC-SNV")
