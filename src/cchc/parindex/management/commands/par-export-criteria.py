"""``cchc par-export-criteria --year Y --level LEVEL [--version V] -o FILE``: write a criteria
set as XLSX in the import layout (``cchc.parindex.sheets``); the latest version by default.
Exit status: 0 written, 1 no such set, 2 the file cannot be written."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from cchc.parindex import sheets
from cchc.parindex.models import CriteriaSet, Level


class Command(BaseCommand):
    help = "Xuất bộ tiêu chí Chỉ số CCHC ra tệp XLSX."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # ``--version`` is the set's version here, not Django's: let ours replace it.
        kwargs.setdefault("conflict_handler", "resolve")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--level", required=True, choices=Level.values)
        parser.add_argument("--version", type=int, dest="set_version", default=None)
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args, year, level, set_version, output, **options):
        sets = CriteriaSet.objects.filter(year=year, level=level)
        if set_version is not None:
            sets = sets.filter(version=set_version)
        criteria_set = sets.order_by("-version").first()
        if criteria_set is None:
            self.stderr.write(f"Lỗi: không có bộ tiêu chí năm {year} cho loại đơn vị {level}.")
            sys.exit(1)
        try:
            Path(output).write_bytes(sheets.export_sheet(criteria_set))
        except OSError as error:
            self.stderr.write(f"Lỗi: không ghi được tệp {output}: {error.strerror}")
            sys.exit(2)
        self.stdout.write(
            f"Đã xuất “{criteria_set.name}” (năm {year}, phiên bản {criteria_set.version}) "
            f"vào {output}."
        )
