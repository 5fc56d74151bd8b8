"""``cchc plan-progress``: a unit's yearly reform plan completion as of a day.

    cchc plan-progress --unit CODE --year Y [--as-of DATE] [--json]

``--json`` prints exactly ``{"unit", "year", "as_of", "tasks_total", "tasks_due", "tasks_done",
"tasks_done_on_time", "tasks_done_late", "tasks_overdue", "completion_percent", "fields":
[{"name", "tasks_total", "tasks_done", "completion_percent"}]}`` (``cchc.plans.selectors.
plan_progress``; ``completion_percent`` = 100 × tasks_done ÷ tasks_total rounded half up to two
decimals), the same as ``GET /api/v1/plans/progress/``. Without it, a table in Vietnamese.
``--as-of`` takes dd/mm/yyyy or YYYY-MM-DD (default: today; 31/12 for a past year). The command
runs with the operator's full view. Bad input: a Vietnamese message, exit code 2.
"""

import json
import sys

from django.core.management.base import BaseCommand
from django.utils import translation

from cchc.plans.selectors import plan_progress
from cchc.plans.selectors_progress import ProgressQueryError, find_unit, parse_as_of, parse_year

EXIT_BAD_INPUT = 2


def vn(value, places: int = 2) -> str:
    """92.86 → "92,86"; None → "—"."""
    if value is None:
        return "—"
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


class Command(BaseCommand):
    help = "Tiến độ thực hiện Kế hoạch CCHC năm của một đơn vị tại một ngày."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            self.stderr.write(
                f"Lỗi: tham số không hợp lệ ({message}). Xem: cchc plan-progress --help"
            )
            sys.exit(EXIT_BAD_INPUT)

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="Mã định danh đơn vị")
        parser.add_argument("--year", required=True, help="Năm của kế hoạch, ví dụ 2026")
        parser.add_argument(
            "--as-of", dest="as_of", help="Tính đến ngày (dd/mm/yyyy hoặc YYYY-MM-DD)"
        )
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON")

    def handle(self, *args, **options):
        with translation.override("vi"):
            try:
                year = parse_year(options["year"])
                unit = find_unit(options["unit"])
                as_of = parse_as_of(options.get("as_of"), year)
            except ProgressQueryError as error:
                self.stderr.write(f"Lỗi: {error.message}")
                sys.exit(EXIT_BAD_INPUT)
        data = plan_progress(unit, year, as_of)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"Tiến độ Kế hoạch CCHC năm {year} — {unit.name} ({unit.code}), "
            f"tính đến ngày {as_of:%d/%m/%Y}"
        )
        rows = (
            ("Tổng số nhiệm vụ", data["tasks_total"]),
            ("Đến hạn", data["tasks_due"]),
            ("Đã hoàn thành", data["tasks_done"]),
            ("  — đúng hạn", data["tasks_done_on_time"]),
            ("  — quá hạn (hoàn thành muộn)", data["tasks_done_late"]),
            ("Quá hạn chưa hoàn thành", data["tasks_overdue"]),
        )
        for label, count in rows:
            self.stdout.write(f"{label:<32} {count:>6}")
        self.stdout.write(
            f"{'Tỷ lệ hoàn thành':<32} {vn(data['completion_percent']):>6} %"
            "  (đã hoàn thành ÷ tổng số, làm tròn 2 chữ số thập phân)"
        )
        if data["fields"]:
            heading = f"{'Lĩnh vực':<50} {'Số NV':>6} {'Đã HT':>6} {'Tỷ lệ %':>8}"
            self.stdout.write("")
            self.stdout.write(heading)
            self.stdout.write("-" * len(heading))
            for row in data["fields"]:
                self.stdout.write(
                    f"{(row['name'] or '—')[:50]:<50} {row['tasks_total']:>6} "
                    f"{row['tasks_done']:>6} {vn(row['completion_percent']):>8}"
                )
