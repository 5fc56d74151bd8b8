"""The deciding document of every swapped day (hoán đổi ngày làm việc) seeded in 0002.

0002 left three swap rows without their document, unlike the January 2026 swap. The references,
as published:

* 2025, Friday 02/5 off, Saturday 26/4 worked: Thông báo 6150/TB-BLĐTBXH (2024) of the Ministry of
  Labour, carrying out Công văn 8726/VPCP-KGVX (2024) of the Government Office
  (http://kntb.vn/lich-nghi-le-304-15-cong-chuc-vien-chuc-nguoi-lao-dong-di-lam-bu-vao-ngay-nao-n81956.html ;
  https://www.vietnamplus.vn/cong-chuc-vien-chuc-duoc-nghi-the-nao-trong-dip-le-304-152025-post1033115.vnp).
* 2026, Monday 31/8 off, Saturday 22/8 worked, with Tết 16–20/02 and Quốc khánh 01–02/9:
  Thông báo 9441/TB-BNV of 16/10/2025 of the Ministry of Home Affairs, carrying out the Prime
  Minister's direction
  (https://vietbao.vn/bo-noi-vu-thong-bao-lich-nghi-tet-nguyen-dan-va-quoc-khanh-nam-2026-568329.html ;
  https://baohaiphong.vn/cong-chuc-vien-chuc-nguoi-lao-dong-hai-phong-duoc-nghi-tet-binh-ngo-lien-tuc-9-ngay-524823.html).

Only rows whose document is still empty are filled, so an administrator's edit is kept.
"""

from datetime import date

from django.db import migrations

TB_6150 = "Thông báo 6150/TB-BLĐTBXH (thực hiện Công văn 8726/VPCP-KGVX)"
TB_9441 = "Thông báo 9441/TB-BNV ngày 16/10/2025 của Bộ Nội vụ"

DOCUMENTS = {
    date(2025, 4, 26): TB_6150,
    date(2025, 5, 2): TB_6150,
    date(2026, 8, 22): TB_9441,
    date(2026, 8, 31): TB_9441,
    date(2026, 9, 1): TB_9441,
    date(2026, 9, 2): TB_9441,
    **{date(2026, 2, day): TB_9441 for day in (16, 17, 18, 19, 20)},
}
YEAR_DOCUMENTS = {2026: "Công văn 12729/VPCP-KGVX; Thông báo 9441/TB-BNV"}


def fill(apps, schema_editor):
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    for day, document in DOCUMENTS.items():
        CalendarDay.objects.filter(date=day, document="").update(document=document)
    for year, documents in YEAR_DOCUMENTS.items():
        CalendarYear.objects.filter(year=year, documents="Công văn 12729/VPCP-KGVX").update(
            documents=documents
        )


def empty(apps, schema_editor):
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    for day, document in DOCUMENTS.items():
        CalendarDay.objects.filter(date=day, document=document).update(document="")


class Migration(migrations.Migration):
    dependencies = [("workdays", "0002_seed_official_schedules")]

    operations = [migrations.RunPython(fill, empty)]
