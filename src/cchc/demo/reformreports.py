"""Demo data: the periodic reform reports (báo cáo CCHC định kỳ) of Sở Tư pháp, made through the
real services with the clock moved to each step (:mod:`.clock`).

* The first-quarter 2026 report: started after the quarter's figures closed (14/3), its narrative
  written, submitted by the department's officer and approved by its director on 18/3, before the
  due date (20/3, CV 581/BNV-CCHC).
* The third-quarter 2026 report: a draft, started on 15/9 and not yet submitted, so it is missing
  at its due date, like the six-month report it never started and the other departments' and
  communes' reports: the "reports missing" page and tile have something to show.

Loading again makes nothing new: each report is made only when the department has none for its
period.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cchc.organisations.models import OrganisationUnit
from cchc.reformreports import services
from cchc.reformreports.models import ReformReport

from .clock import travel

JUSTICE = "000.00.15.H99"
OFFICER = "chuyenvien.tuphap"
LEADER = "lanhdao.tuphap"

Q1_TEXT = {
    "achievements": (
        "Sở đã ban hành Kế hoạch CCHC năm 2026 và triển khai đúng tiến độ các nhiệm vụ quý I.\n"
        "100% hồ sơ thủ tục hành chính được tiếp nhận, giải quyết qua Hệ thống thông tin giải "
        "quyết TTHC tỉnh; công khai đầy đủ thủ tục hành chính thuộc thẩm quyền."
    ),
    "shortcomings": "Một số hồ sơ lĩnh vực lý lịch tư pháp còn trễ hạn do xác minh liên ngành.",
    "causes": "Việc phối hợp xác minh với cơ quan công an còn chậm; nhân lực bộ phận còn thiếu.",
    "next_tasks": (
        "Tiếp tục rà soát, đơn giản hóa thủ tục hành chính; nâng tỷ lệ hồ sơ trực tuyến toàn "
        "trình; tăng cường kiểm tra công vụ."
    ),
    "document_number": "45/BC-STP",
    "recipients": "UBND tỉnh (b/c)\nSở Nội vụ\nLưu: VT, VP",
    "signer_title": "GIÁM ĐỐC",
    "signer_name": "Đỗ Mạnh Hùng",
}
Q3_TEXT = {
    "achievements": "Triển khai các nhiệm vụ CCHC quý III theo kế hoạch (đang tổng hợp).",
    "recipients": "UBND tỉnh (b/c)\nSở Nội vụ\nLưu: VT, VP",
    "signer_title": "GIÁM ĐỐC",
    "signer_name": "Đỗ Mạnh Hùng",
}


def _moment(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(date(year, month, day), time(hour, 0)))


def _edit(officer, report, text: dict):
    data = {name: text.get(name, "") for name in services.EDITABLE}
    return services.edit_report(officer, report.pk, report.version, data)


def load_reformreports() -> list[ReformReport]:
    """Sở Tư pháp's Q1 2026 report approved and its Q3 2026 report in draft (idempotent)."""
    users = get_user_model().objects
    unit = OrganisationUnit.objects.get(code=JUSTICE)
    officer, leader = users.get(username=OFFICER), users.get(username=LEADER)
    made = []
    with transaction.atomic():
        if not ReformReport.objects.filter(unit=unit, year=2026, kind="q1").exists():
            with travel(_moment(2026, 3, 16)):
                report = services.create_report(officer, unit, 2026, "q1")
                report = _edit(officer, report, Q1_TEXT)
            with travel(_moment(2026, 3, 17, 15)):
                report = services.submit_report(officer, report.pk, report.version)
            with travel(_moment(2026, 3, 18, 10)):
                report = services.approve_report(leader, report.pk, report.version)
            made.append(report)
        if not ReformReport.objects.filter(unit=unit, year=2026, kind="q3").exists():
            with travel(_moment(2026, 9, 15)):
                report = services.create_report(officer, unit, 2026, "q3")
                report = _edit(officer, report, Q3_TEXT)
            made.append(report)
    return made
