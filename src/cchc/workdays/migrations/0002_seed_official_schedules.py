"""Official working calendars 2023–2026 (weekday days off and working Saturdays).

Source: the yearly Government decisions as collected in the project's domain reference
(calendar.md): Công văn 8056/VPCP-KGVX (2023), 2450/VPCP-KGVX (2024), 8726/VPCP-KGVX and Thông báo
6150/TB-BLĐTBXH (2025), 12729/VPCP-KGVX (2026). Working days that follow: 249, 251, 250, 250.
The data is written out here (not computed) because a migration must not change when a library does.
"""

from datetime import date

from django.db import migrations

H, OFF, WORK = "holiday", "day_off", "working_day"

TET_DL = "Tết Dương lịch"
TET = "Tết Nguyên đán"
GIO_TO = "Giỗ Tổ Hùng Vương (10/3 âm lịch)"
CHIEN_THANG = "Ngày Chiến thắng (30/4)"
LAO_DONG = "Ngày Quốc tế Lao động (1/5)"
QUOC_KHANH = "Quốc khánh (2/9)"

SCHEDULES = {
    2023: {
        "documents": "Công văn 8056/VPCP-KGVX; lịch nghỉ Tết 20–26/01/2023 do Phó Thủ tướng phê duyệt",
        "days": [
            (date(2023, 1, 2), H, "Nghỉ bù Tết Dương lịch (01/01 là Chủ nhật)", ""),
            *[(date(2023, 1, d), H, TET, "") for d in (20, 23, 24, 25, 26)],
            (date(2023, 5, 1), H, LAO_DONG, ""),
            (date(2023, 5, 2), H, "Nghỉ bù Giỗ Tổ Hùng Vương (29/4 là Thứ Bảy)", ""),
            (date(2023, 5, 3), H, "Nghỉ bù Ngày Chiến thắng (30/4 là Chủ nhật)", ""),
            (date(2023, 9, 1), H, QUOC_KHANH, "Công văn 8056/VPCP-KGVX"),
            (
                date(2023, 9, 4),
                H,
                "Nghỉ bù Quốc khánh (02/9 là Thứ Bảy)",
                "Công văn 8056/VPCP-KGVX",
            ),
        ],
    },
    2024: {
        "documents": "Công văn 2450/VPCP-KGVX",
        "days": [
            (date(2024, 1, 1), H, TET_DL, ""),
            *[(date(2024, 2, d), H, TET, "") for d in (8, 9, 12, 13, 14)],
            (date(2024, 4, 18), H, GIO_TO, ""),
            (
                date(2024, 4, 29),
                OFF,
                "Nghỉ hoán đổi (làm bù Thứ Bảy 04/5/2024)",
                "Công văn 2450/VPCP-KGVX",
            ),
            (date(2024, 4, 30), H, CHIEN_THANG, ""),
            (date(2024, 5, 1), H, LAO_DONG, ""),
            (date(2024, 5, 4), WORK, "Làm bù cho ngày 29/4/2024", "Công văn 2450/VPCP-KGVX"),
            (date(2024, 9, 2), H, QUOC_KHANH, ""),
            (date(2024, 9, 3), H, QUOC_KHANH, ""),
        ],
    },
    2025: {
        "documents": "Công văn 8726/VPCP-KGVX; Thông báo 6150/TB-BLĐTBXH",
        "days": [
            (date(2025, 1, 1), H, TET_DL, ""),
            *[(date(2025, 1, d), H, TET, "Công văn 8726/VPCP-KGVX") for d in (27, 28, 29, 30, 31)],
            (date(2025, 4, 7), H, GIO_TO, ""),
            (date(2025, 4, 26), WORK, "Làm bù cho ngày 02/5/2025", ""),
            (date(2025, 4, 30), H, CHIEN_THANG, ""),
            (date(2025, 5, 1), H, LAO_DONG, ""),
            (date(2025, 5, 2), OFF, "Nghỉ hoán đổi (làm bù Thứ Bảy 26/4/2025)", ""),
            (date(2025, 9, 1), H, QUOC_KHANH, "Thông báo 6150/TB-BLĐTBXH"),
            (date(2025, 9, 2), H, QUOC_KHANH, "Thông báo 6150/TB-BLĐTBXH"),
        ],
    },
    2026: {
        "documents": "Công văn 12729/VPCP-KGVX",
        "days": [
            (date(2026, 1, 1), H, TET_DL, ""),
            (
                date(2026, 1, 2),
                OFF,
                "Nghỉ hoán đổi (làm bù Thứ Bảy 10/01/2026)",
                "Công văn 12729/VPCP-KGVX",
            ),
            (date(2026, 1, 10), WORK, "Làm bù cho ngày 02/01/2026", "Công văn 12729/VPCP-KGVX"),
            *[(date(2026, 2, d), H, TET, "") for d in (16, 17, 18, 19, 20)],
            (date(2026, 4, 27), H, "Nghỉ bù Giỗ Tổ Hùng Vương (26/4 là Chủ nhật)", ""),
            (date(2026, 4, 30), H, CHIEN_THANG, ""),
            (date(2026, 5, 1), H, LAO_DONG, ""),
            (date(2026, 8, 22), WORK, "Làm bù cho ngày 31/8/2026", ""),
            (date(2026, 8, 31), OFF, "Nghỉ hoán đổi (làm bù Thứ Bảy 22/8/2026)", ""),
            (date(2026, 9, 1), H, QUOC_KHANH, ""),
            (date(2026, 9, 2), H, QUOC_KHANH, ""),
        ],
    },
}


def seed(apps, schema_editor):
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    for year, schedule in SCHEDULES.items():
        CalendarYear.objects.update_or_create(
            year=year, defaults={"official": True, "documents": schedule["documents"]}
        )
        for day, kind, name, document in schedule["days"]:
            CalendarDay.objects.update_or_create(
                date=day, defaults={"kind": kind, "name": name, "document": document}
            )


def unseed(apps, schema_editor):
    apps.get_model("workdays", "CalendarDay").objects.filter(date__year__in=SCHEDULES).delete()
    apps.get_model("workdays", "CalendarYear").objects.filter(year__in=SCHEDULES).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
