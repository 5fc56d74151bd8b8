"""``cchc generate-demo --dossiers N --units U --years Y``: a realistic synthetic history.

Used by ``cchc load-demo`` (a few thousand dossiers) and by ``bench/reports.py`` (ten million).
See :mod:`cchc.demo.generate` for what is drawn. ``--seed`` makes it repeatable.
"""

import sys
import time

from django.core.management.base import BaseCommand

from cchc.demo.generate import generate


class Command(BaseCommand):
    help = "Sinh lịch sử hồ sơ minh họa (kênh nộp, cơ cấu thủ tục, trễ hạn, mùa vụ quanh Tết)."

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=5000, help="Số hồ sơ")
        parser.add_argument("--units", type=int, default=8, help="Số đơn vị tiếp nhận")
        parser.add_argument("--years", type=float, default=2, help="Số năm lịch sử")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-events", action="store_true", help="Không ghi lịch sử từng hồ sơ")
        parser.add_argument(
            "--events",
            action="store_true",
            help="Luôn ghi lịch sử từng hồ sơ (mặc định chỉ khi không quá 100.000 hồ sơ)",
        )
        parser.add_argument("--shard", default="0/1", help="k/n: chỉ sinh phần thứ k trong n phần")

    def handle(self, *args, **options):
        if options["dossiers"] < 0 or options["units"] < 1 or not 0 < options["years"] <= 20:
            self.stderr.write("Lỗi: số hồ sơ ≥ 0, số đơn vị ≥ 1, số năm trong khoảng (0, 20].")
            sys.exit(2)
        try:
            k, n = (int(x) for x in options["shard"].split("/"))
            assert 0 <= k < n
        except (ValueError, AssertionError):
            self.stderr.write("Lỗi: --shard có dạng k/n với 0 ≤ k < n.")
            sys.exit(2)
        started = time.perf_counter()

        def progress(summary):
            self.stderr.write(
                f"  … {summary.dossiers:,} hồ sơ ({time.perf_counter() - started:.0f} s)"
            )

        summary = generate(
            options["dossiers"],
            options["units"],
            options["years"],
            seed=options["seed"],
            events=False if options["no_events"] else (True if options["events"] else None),
            progress=progress if options["verbosity"] > 1 else None,
            shard=(k, n),
        )
        self.stdout.write(f"Đã sinh {summary} trong {time.perf_counter() - started:.1f} giây.")
