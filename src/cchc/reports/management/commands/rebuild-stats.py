"""``cchc rebuild-stats [--verify]``: recompute the statistics counters from the dossiers.

Without ``--verify`` the counters are replaced by a full recomputation. With ``--verify`` nothing
is written: every counter is recomputed and compared, each difference is printed, and the exit
status is 1 when there is any.
"""

import sys
import time

from django.core.management.base import BaseCommand

from cchc.reports import services


class Command(BaseCommand):
    help = "Tính lại toàn bộ số liệu thống kê từ hồ sơ (--verify: chỉ so sánh, không ghi)."

    def add_arguments(self, parser):
        parser.add_argument("--verify", action="store_true", help="Chỉ so sánh và báo chênh lệch")

    def handle(self, *args, **options):
        started = time.perf_counter()
        if options["verify"]:
            differences = services.verify()
            for difference in differences[:200]:
                self.stdout.write(str(difference))
            elapsed = time.perf_counter() - started
            if differences:
                self.stdout.write(
                    f"{len(differences)} chênh lệch giữa số liệu lưu và số liệu tính lại "
                    f"({elapsed:.1f} giây)."
                )
                sys.exit(1)
            self.stdout.write(f"Khớp: không có chênh lệch ({elapsed:.1f} giây).")
            return
        dossiers, cells = services.rebuild()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Đã tính lại: {dossiers} hồ sơ, {cells} ô số liệu ({elapsed:.1f} giây).")
