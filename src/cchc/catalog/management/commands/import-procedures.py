"""``cchc import-procedures FILE [--skip-invalid]``: load procedures from XLSX, CSV or JSON.

All-or-nothing by default; the per-row report (line, column, reason) goes to stderr. Exit status:
0 imported, 1 rows rejected (nothing written without --skip-invalid), 2 unreadable file.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from cchc.catalog import importing
from cchc.conf import conf


class Command(BaseCommand):
    help = "Nhập thủ tục hành chính từ tệp XLSX, CSV hoặc JSON (tên cột theo CSDLQG về TTHC)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Nhập các dòng hợp lệ, bỏ qua và báo cáo các dòng lỗi.",
        )

    def handle(self, *args, file, skip_invalid, **options):
        path = Path(file)
        try:
            if path.stat().st_size > conf.IMPORT_MAX_BYTES:
                raise importing.ImportFileError("Tệp quá lớn (tối đa 10 MB).")
            report = importing.import_file(path.read_bytes(), path.name, skip_invalid)
        except OSError as error:
            self.stderr.write(f"Lỗi: không đọc được tệp {file}: {error.strerror}")
            sys.exit(2)
        except importing.ImportFileError as error:
            self.stderr.write(f"Lỗi: {error}")
            sys.exit(2)
        for error in report.errors:
            self.stderr.write(str(error))
        self.stdout.write(report.summary())
        if report.errors and not report.written:
            sys.exit(1)
