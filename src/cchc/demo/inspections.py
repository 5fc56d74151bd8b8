"""Demo data: the province's 2025 reform inspection plan and one finished inspection, made through
the real services with the clock moved to each step (:mod:`.clock`).

* The plan (Kế hoạch kiểm tra CCHC năm 2025 of UBND tỉnh, 25/KH-UBND) with one team set up by
  Decision 432/QĐ-UBND: head hoidong.chutich (Director of Home Affairs), member hoidong.thanhvien,
  secretary cchc.noivu.
* The inspection of Sở Tư pháp (000.00.15.H99) on 20/11/2025: the checklist of the PAR fields of
  the 2025 department criteria set with the platform's figures frozen that day, findings (ưu điểm;
  tồn tại, hạn chế; nguyên nhân) linked to criteria, three recommendations; record closed on
  21/11, conclusion notice 45/TB-ĐKT of 28/11/2025 (remediation due 15 working days later);
  remediation reported on two recommendations (one on time, one late) and the third still open,
  hence overdue.
* A second, planned inspection (phường Đông Thành, surprise, one-stop software topic).
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from cchc.inspections import services
from cchc.inspections.models import Inspection, InspectionPlan, TeamRole
from cchc.organisations.models import OrganisationUnit

from .clock import travel

PROVINCE = "000.00.00.H99"
JUSTICE = "000.00.15.H99"
WARD = "000.00.31.H99"
PLAN_NAME = "Kế hoạch kiểm tra công tác cải cách hành chính năm 2025"
YEAR = 2025
PDF = b"%PDF-1.4\n% demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

STRENGTHS = [
    ("Ban hành Kế hoạch CCHC năm 2025 kịp thời, xác định rõ nhiệm vụ, sản phẩm, thời hạn.", ["1"]),
    ("100% thủ tục hành chính được tiếp nhận và trả kết quả qua Bộ phận Một cửa.", []),
]
WEAKNESSES = [
    ("Còn hồ sơ giải quyết quá hạn nhưng chưa có văn bản xin lỗi người dân đầy đủ.", ["2"]),
    ("Việc cập nhật kết quả xử lý hồ sơ trên phần mềm một cửa chưa kịp thời.", []),
]
CAUSES = [
    ("Một số công chức kiêm nhiệm, chưa được bồi dưỡng sử dụng phần mềm một cửa.", []),
]
RECOMMENDATIONS = [
    ("Rà soát toàn bộ hồ sơ quá hạn năm 2025, thực hiện văn bản xin lỗi theo quy định.", None),
    ("Cập nhật đầy đủ, kịp thời kết quả xử lý hồ sơ trên phần mềm một cửa.", date(2025, 12, 10)),
    ("Tổ chức bồi dưỡng sử dụng phần mềm một cửa cho công chức kiêm nhiệm.", None),
]


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def load_inspections() -> int:
    """The 2025 plan, its team and inspections (once); the number of inspections made."""
    province = OrganisationUnit.objects.filter(code=PROVINCE).first()
    justice = OrganisationUnit.objects.filter(code=JUSTICE).first()
    if province is None or justice is None:
        return 0
    if InspectionPlan.objects.filter(organiser=province, year=YEAR, name=PLAN_NAME).exists():
        return 0
    users = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in=["cchc.noivu", "hoidong.chutich", "hoidong.thanhvien", "chuyenvien.tuphap"]
        )
    }
    if len(users) < 4:
        return 0
    reform, head = users["cchc.noivu"], users["hoidong.chutich"]
    member, officer = users["hoidong.thanhvien"], users["chuyenvien.tuphap"]

    with travel(_at(date(2025, 2, 10))):
        plan = services.create_plan(
            reform,
            province,
            YEAR,
            PLAN_NAME,
            document_number="25/KH-UBND",
            document_date=date(2025, 2, 5),
            document_file=ContentFile(PDF, name="ke-hoach-kiem-tra-2025.pdf"),
        )
    with travel(_at(date(2025, 11, 10))):
        team = services.create_team(
            plan,
            reform,
            "Đoàn kiểm tra công tác CCHC năm 2025",
            [(head, TeamRole.HEAD), (member, TeamRole.MEMBER), (reform, TeamRole.SECRETARY)],
            decision_number="432/QĐ-UBND",
            decision_date=date(2025, 11, 10),
        )
        fields = [
            code for code, _name in services.field_choices(services.criteria_set_for(justice, YEAR))
        ]
        inspection = services.plan_inspection(
            plan,
            reform,
            justice,
            date(2025, 11, 20),
            date(2025, 11, 21),
            field_codes=fields,
            topic="" if fields else "Toàn diện các lĩnh vực cải cách hành chính",
            team=team,
        )
        made = 1
        ward = OrganisationUnit.objects.filter(code=WARD).first()
        if ward is not None:
            services.plan_inspection(
                plan,
                reform,
                ward,
                date(2025, 12, 15),
                date(2025, 12, 15),
                kind="surprise",
                topic="Phần mềm một cửa điện tử",
                team=team,
            )
            made += 1
    with travel(_at(date(2025, 11, 20))):
        services.start(inspection.pk, reform)
        inspection = Inspection.objects.get(pk=inspection.pk)
        rows = {
            row.code: ("not_ok" if position == 2 else "ok", "")
            for position, row in enumerate(inspection.checklist.all(), start=1)
        }
        if rows:
            services.save_checklist(inspection.pk, reform, rows)
        known = services.criterion_codes(inspection.criteria_set)
        for kind, items in (("strength", STRENGTHS), ("weakness", WEAKNESSES), ("cause", CAUSES)):
            for text, codes in items:
                services.add_finding(
                    inspection.pk, reform, kind, text, [c for c in codes if c in known]
                )
        recommendations = [
            services.add_recommendation(inspection.pk, reform, text, justice, deadline)
            for text, deadline in RECOMMENDATIONS
        ]
    with travel(_at(date(2025, 11, 21), 16)):
        services.close_record(inspection.pk, reform)
    with travel(_at(date(2025, 11, 28), 10)):
        services.conclude(
            inspection.pk, head, "45/TB-ĐKT", date(2025, 11, 28), head.get_full_name()
        )
    with travel(_at(date(2025, 12, 5), 15)):
        services.report_remediation(
            recommendations[0].pk,
            officer,
            "done",
            "Đã rà soát 37 hồ sơ quá hạn, gửi văn bản xin lỗi đủ 37 trường hợp.",
            [ContentFile(PDF, name="bao-cao-khac-phuc-1.pdf")],
        )
    with travel(_at(date(2025, 12, 22), 15)):
        services.report_remediation(
            recommendations[1].pk,
            officer,
            "done",
            "Đã cập nhật kết quả xử lý trên phần mềm một cửa (chậm so với thời hạn).",
            [ContentFile(PDF, name="bao-cao-khac-phuc-2.pdf")],
        )
    return made
