"""``cchc import-organisations FILE [--dry-run] [--deactivate-missing] [--json]``: the organisation
tree from CSV or XLSX (docs/organisation-import.md).

All or nothing: the per-row report (line, column, reason) goes to stderr, or into the JSON object
with ``--json``. Exit status: 0 imported (or checked, with ``--dry-run``), 1 rows rejected and
nothing written, 2 unreadable file.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from cchc.common.importing import ImportFileError
from cchc.organisations.services import import_units


class Command(BaseCommand):
    help = "Nhập cây đơn vị (cơ quan, đơn vị) từ tệp CSV hoặc XLSX, một dòng một đơn vị."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra và đếm, không ghi gì."
        )
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="Ngừng hoạt động các đơn vị đã có nhưng không có trong tệp (không xóa).",
        )
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")

    def handle(self, *args, file, dry_run, deactivate_missing, **options):
        as_json = options["json"]
        path = Path(file)
        try:
            report = import_units(
                path.read_bytes(),
                path.name,
                dry_run=dry_run,
                deactivate_missing=deactivate_missing,
            )
        except OSError as error:
            self._fail(
                as_json,
                _("Cannot read the file %(file)s: %(reason)s")
                % {"file": file, "reason": error.strerror},
            )
        except ImportFileError as error:
            self._fail(as_json, str(error))
        if as_json:
            self.stdout.write(_dumps(report.as_dict()))
        else:
            for error in report.errors:
                self.stderr.write(str(error))
            self.stdout.write(report.summary())
            if not report.errors and report.missing_summary():
                self.stdout.write(report.missing_summary())
        if report.errors:
            sys.exit(1)

    def _fail(self, as_json: bool, message: str) -> None:
        if as_json:
            self.stdout.write(_dumps({"error": message}))
        else:
            self.stderr.write(_("Error: %(message)s") % {"message": message})
        sys.exit(2)


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
