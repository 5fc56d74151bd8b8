"""``cchc import-dossiers FILE [--skip-invalid]``: load another system's dossiers (XLSX or CSV).

All-or-nothing by default; the per-row report (line, column, reason) goes to stderr, in Vietnamese.
Exit status: 0 imported, 1 rows rejected (nothing written without --skip-invalid), 2 unreadable or
too large file. The format is in ``docs/dossier-import.md``.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from cchc.dossiers import legacy


class Command(BaseCommand):
    help = "Nhập hồ sơ từ hệ thống một cửa khác (tệp XLSX hoặc CSV) để giữ lịch sử hồ sơ."

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
            limit = legacy.max_bytes()
            if path.stat().st_size > limit:
                raise legacy.ImportFileError(f"Tệp quá lớn (tối đa {limit // (1024 * 1024)} MB).")
            report = legacy.import_file(path.read_bytes(), path.name, skip_invalid)
        except OSError as error:
            self.stderr.write(f"Lỗi: không đọc được tệp {file}: {error.strerror}")
            sys.exit(2)
        except legacy.ImportFileError as error:
            self.stderr.write(f"Lỗi: {error}")
            sys.exit(2)
        for error in report.errors:
            self.stderr.write(str(error))
        self.stdout.write(report.summary())
        if report.errors and not report.written:
            sys.exit(1)
