"""``cchc import-dossiers FILE [--skip-invalid]``: load another system's dossiers (XLSX or CSV).

All-or-nothing by default; the per-row report (line, column, reason) goes to stderr, in Vietnamese.
The file is streamed (checked, then written in chunks), with a progress line on stderr when it is a
terminal.
Exit status: 0 imported, 1 rows rejected (nothing written without --skip-invalid), 2 unreadable or
too large file. The format is in ``docs/dossier-import.md``.
"""

import sys
import time
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
        progress = Progress(sys.stderr) if sys.stderr.isatty() else None
        try:
            report = legacy.import_path(Path(file), skip_invalid, progress=progress)
        except OSError as error:
            self.stderr.write(f"Lỗi: không đọc được tệp {file}: {error.strerror}")
            sys.exit(2)
        except legacy.ImportFileError as error:
            self.stderr.write(f"Lỗi: {error}")
            sys.exit(2)
        finally:
            if progress:
                progress.done()
        for error in report.errors:
            self.stderr.write(str(error))
        self.stdout.write(report.summary())
        if report.errors and not report.written:
            sys.exit(1)


class Progress:
    """One line on a terminal, rewritten after each chunk: a bar, rows done, rows per second."""

    WIDTH = 30

    def __init__(self, stream) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, rows: int, fraction: float | None) -> None:
        rate = rows / max(time.monotonic() - self.started, 1e-6)
        text = f"{rows:,} dòng, {rate:,.0f} dòng/giây".replace(",", ".")
        if fraction is not None:
            fraction = min(max(fraction, 0.0), 1.0)
            filled = int(fraction * self.WIDTH)
            text = f"[{'█' * filled}{'·' * (self.WIDTH - filled)}] {fraction:4.0%}  {text}"
        self.stream.write(f"\r{text}\x1b[K")
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
