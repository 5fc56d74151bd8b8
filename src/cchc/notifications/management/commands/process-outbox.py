"""``cchc process-outbox``: send the notifications waiting in the outbox.

Run it every minute from cron (``* * * * * cchc process-outbox``), or once as a long-running
process with ``--loop SECONDS``. Several runs at once are safe: each message is claimed by one run.
Prints one Vietnamese summary line; a line on stderr when some messages could not be delivered.
SIGTERM or Ctrl-C stop the run after the message being sent.
"""

import signal
import threading
import time

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from cchc.notifications.processor import process_outbox, waiting_count


class Command(BaseCommand):
    help = "Gửi các thông báo (email, SMS, Zalo) đang chờ trong hộp thư đi."

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=100,
            help="Số thông báo gửi tối đa mỗi lượt (mặc định 100).",
        )
        parser.add_argument(
            "--loop",
            type=float,
            metavar="SECONDS",
            help="Chạy liên tục, nghỉ SECONDS giây giữa hai lượt, đến khi bị dừng.",
        )

    def handle(self, *args, limit, loop, **options):
        if limit < 1:
            raise CommandError("--limit phải là số nguyên dương.")
        if loop is not None and loop <= 0:
            raise CommandError("--loop phải là số giây lớn hơn 0.")
        stopping = []

        def request_stop(signum, frame):
            stopping.append(signum)

        previous = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                previous[sig] = signal.signal(sig, request_stop)
        try:
            while True:
                try:
                    summary = process_outbox(limit=limit, stop=lambda: bool(stopping))
                except ImproperlyConfigured as error:
                    raise CommandError(f"Cấu hình gửi thông báo sai: {error}") from error
                if loop is None or summary.processed:
                    self._report(summary)
                if loop is None or stopping:
                    break
                close_old_connections()
                if summary.processed < limit:
                    self._sleep(loop, stopping)
                if stopping:
                    break
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    @staticmethod
    def _sleep(seconds: float, stopping: list) -> None:
        deadline = time.monotonic() + seconds
        while not stopping and time.monotonic() < deadline:
            time.sleep(min(1.0, deadline - time.monotonic()))

    def _report(self, summary) -> None:
        self.stdout.write(
            f"Hộp thư đi: đã gửi {summary.sent}, sẽ gửi lại {summary.retrying}, "
            f"không gửi được {summary.failed + summary.dead}; "
            f"còn {waiting_count()} thông báo đang chờ."
        )
        if summary.failed or summary.dead:
            self.stderr.write(
                f"Có {summary.failed + summary.dead} thông báo không gửi được "
                f"({summary.failed} bị từ chối, {summary.dead} đã thử hết số lần): "
                "xem danh sách thông báo gửi đi trong trang quản trị."
            )
