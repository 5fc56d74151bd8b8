"""``cchc index766``: the Decision 766 service index of a unit or of the whole province.

    cchc index766 [--unit CODE] --from DATE --to DATE [--json]

Prints each group and indicator with numerator, denominator, rate, points and maximum; an
indicator the platform holds no data for is "missing" (points null), never 0 nor full marks.
Without ``--unit`` the whole tree from its root. Bad input: a Vietnamese message, exit status 2.
"""

import json
import sys

from django.core.management.base import BaseCommand

from cchc.index766.scores import compute_index
from cchc.organisations.models import OrganisationUnit
from cchc.reports.parsing import BadPeriod, check_period, parse_day

EXIT_BAD_INPUT = 2


def _number(value, places: int = 2) -> str:
    if value is None:
        return "—"
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


class Command(BaseCommand):
    help = "Chỉ số phục vụ người dân, doanh nghiệp theo Quyết định 766/QĐ-TTg."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            self.stderr.write(f"Lỗi: tham số không hợp lệ ({message}). Xem: cchc index766 --help")
            sys.exit(EXIT_BAD_INPUT)

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="Mã định danh đơn vị (mặc định: toàn tỉnh)")
        parser.add_argument("--from", dest="start", required=True, help="Từ ngày (dd/mm/yyyy)")
        parser.add_argument("--to", dest="end", required=True, help="Đến ngày (dd/mm/yyyy)")
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON")

    def fail(self, message: str):
        self.stderr.write(f"Lỗi: {message}")
        sys.exit(EXIT_BAD_INPUT)

    def handle(self, *args, **options):
        try:
            start = parse_day(options["start"], "từ ngày")
            end = parse_day(options["end"], "đến ngày")
            check_period(start, end)
        except BadPeriod as error:
            self.fail(str(error))
        unit = None
        if options.get("unit"):
            unit = OrganisationUnit.objects.filter(code=options["unit"].strip()).first()
            if unit is None:
                self.fail(f"không có đơn vị mã “{options['unit']}”.")
        try:
            data = compute_index(unit, start, end)
        except BadPeriod as error:
            self.fail(str(error))
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        name = data["unit"]["name"] if data["unit"] else "Toàn tỉnh"
        self.stdout.write(f"{name}: {start:%d/%m/%Y} – {end:%d/%m/%Y}")
        rating = data["rating"]["name"] if data["rating"] else "—"
        self.stdout.write(f"Tổng điểm: {_number(data['score'])}/100 ({rating})")
        for group in data["groups"]:
            self.stdout.write(
                f"\n{group['name']}: {_number(group['points'])}/{_number(group['max_points'])}"
            )
            for item in group["indicators"]:
                if item["rate"] is None:
                    rate = "—"
                elif item["value_kind"] == "average":
                    rate = f"{_number(item['rate'])} ngày"
                else:
                    rate = f"{_number(item['rate'] * 100)}%"
                counts = (
                    "thiếu dữ liệu"
                    if item["state"] == "missing"
                    else f"{item['numerator']}/{item['denominator']}"
                )
                self.stdout.write(
                    f"  {item['id']:<4} {item['name'][:60]:<60} {counts:>14} {rate:>8} "
                    f"{_number(item['points'])}/{_number(item['max_points'])}"
                )
