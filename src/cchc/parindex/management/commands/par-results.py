"""``cchc par-results``: a round's PAR INDEX results, ranked.

    cchc par-results --year Y [--level LEVEL] [--json]

``--json`` prints exactly ``{"year", "level", "criteria_set", "units": [{"unit", "unit_name",
"max_points", "self_score", "appraised_score", "survey_score", "bonus", "total", "index", "rank",
"grade", "rank_change", "fields": [{"code", "name", "max", "score", "index"}]}]}`` (numbers with
two decimals; ``cchc.parindex.results.unit_row`` documents each type), the same as
``GET /api/v1/parindex/results/``. Without it, a table in Vietnamese. The command runs with the
operator's full view (every unit, published or not). Bad input: a Vietnamese message, exit 2.
"""

import json
import sys

from django.core.management.base import BaseCommand

from cchc.parindex.models import Level
from cchc.parindex.results import ResultsQueryError, results_payload

EXIT_BAD_INPUT = 2


def vn(value, places: int = 2) -> str:
    """89.15 → "89,15"; 1234.5 → "1.234,50"; None → "—"."""
    if value is None:
        return "—"
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def change(value) -> str:
    if value is None:
        return "—"
    if value > 0:
        return f"↑{value}"
    if value < 0:
        return f"↓{-value}"
    return "="


class Command(BaseCommand):
    help = "Kết quả Chỉ số CCHC (PAR INDEX) của một kỳ đánh giá: điểm, chỉ số, xếp hạng."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            self.stderr.write(
                f"Lỗi: tham số không hợp lệ ({message}). Xem: cchc par-results --help"
            )
            sys.exit(EXIT_BAD_INPUT)

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="Năm đánh giá, ví dụ 2025")
        parser.add_argument(
            "--level", choices=Level.values, help="Loại đơn vị được đánh giá (department, commune…)"
        )
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON")

    def handle(self, *args, **options):
        try:
            data = results_payload(options["year"], options.get("level"), everything=True)
        except ResultsQueryError as error:
            self.stderr.write(f"Lỗi: {error.message}")
            sys.exit(EXIT_BAD_INPUT)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        count = len(data["units"])
        self.stdout.write(
            f"Chỉ số CCHC năm {data['year']} — {data['criteria_set']} ({count} đơn vị)"
        )
        heading = (
            f"{'Hạng':>4}  {'Đơn vị':<40} {'Tối đa':>7} {'Tự ĐG':>7} {'Thẩm định':>9} "
            f"{'XHH':>6} {'Thưởng':>7} {'Tổng':>7} {'Chỉ số':>7}  {'Loại':<10} {'Thay đổi':>8}"
        )
        self.stdout.write(heading)
        self.stdout.write("-" * len(heading))
        for row in data["units"]:
            rank = "—" if row["rank"] is None else f"{row['rank']}/{count}"
            self.stdout.write(
                f"{rank:>4}  {row['unit_name'][:40]:<40} {vn(row['max_points']):>7} "
                f"{vn(row['self_score']):>7} {vn(row['appraised_score']):>9} "
                f"{vn(row['survey_score']):>6} {vn(row['bonus']):>7} {vn(row['total']):>7} "
                f"{vn(row['index']):>7}  {row['grade'] or '—':<10} {change(row['rank_change']):>8}"
            )
