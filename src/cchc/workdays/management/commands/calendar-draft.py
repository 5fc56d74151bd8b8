"""``cchc calendar-draft YEAR``: start a new year's calendar from the statutory holidays."""

from django.core.management.base import BaseCommand, CommandError

from cchc.workdays import services


class Command(BaseCommand):
    help = "Tạo các ngày nghỉ lễ theo Bộ luật Lao động cho một năm để quản trị viên hiệu chỉnh."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)

    def handle(self, *args, year, **options):
        if not 2000 <= year <= 2100:
            raise CommandError("Năm phải trong khoảng 2000–2100.", returncode=2)
        created = services.draft_year_from_statute(year)
        for day in created:
            self.stdout.write(f"{day.date:%d/%m/%Y}  {day.name}")
        self.stdout.write(f"Đã thêm {len(created)} ngày cho năm {year} (chưa chính thức).")
