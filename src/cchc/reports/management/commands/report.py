"""``cchc report``: the period report on receiving and resolving procedures.

    cchc report [--unit CODE] --from DATE --to DATE [--by field|procedure|unit]
                --format json|xlsx|pdf [--output FILE]

Without ``--unit`` the whole tree from its root. Dates as dd/mm/yyyy or ISO 8601. JSON goes to
standard output unless ``--output`` is given; XLSX and PDF need ``--output`` (or are written to
standard output as bytes). Bad input prints a Vietnamese message and exits with status 2.
"""

import json
import sys

from django.core.management.base import BaseCommand

from cchc.organisations.models import OrganisationUnit
from cchc.reports.parsing import BadPeriod, check_period, parse_day
from cchc.reports.selectors import GROUPINGS, ReportRequest, build_report

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Báo cáo tình hình tiếp nhận, giải quyết thủ tục hành chính trong kỳ."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            self.stderr.write(f"Lỗi: tham số không hợp lệ ({message}). Xem: cchc report --help")
            sys.exit(EXIT_BAD_INPUT)

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--unit", help="Mã định danh đơn vị (mặc định: toàn bộ cây đơn vị)")
        parser.add_argument("--from", dest="start", required=True, help="Từ ngày (dd/mm/yyyy)")
        parser.add_argument("--to", dest="end", required=True, help="Đến ngày (dd/mm/yyyy)")
        parser.add_argument("--by", choices=GROUPINGS, help="Chia theo lĩnh vực, thủ tục, đơn vị")
        parser.add_argument("--format", choices=("json", "xlsx", "pdf"), default="json")
        parser.add_argument("--output", help="Ghi ra tệp")

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
        report = build_report(ReportRequest(start=start, end=end, unit=unit, by=options.get("by")))
        fmt = options["format"]
        if fmt == "json":
            data = json.dumps(report.to_dict(), ensure_ascii=False, indent=2).encode()
        else:
            from cchc.reports import exports

            data = exports.render_xlsx(report) if fmt == "xlsx" else exports.render_pdf(report)
        if options.get("output"):
            with open(options["output"], "wb") as handle:
                handle.write(data)
            self.stderr.write(f"Đã ghi {options['output']}")
        else:
            sys.stdout.buffer.write(data)
            if fmt == "json":
                sys.stdout.write("\n")
