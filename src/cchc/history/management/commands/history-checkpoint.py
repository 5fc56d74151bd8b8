"""``cchc history-checkpoint``: write a signed digest of every chain head, and print it.

Run it on a schedule (e.g. daily from cron) and keep the printed line outside the database: in the
agency's archive, a signed e-mail, a public page. ``cchc verify-history --since-checkpoint`` later
shows whether any history as it stood then has been changed, even by someone holding the key.
"""

from django.core.management.base import BaseCommand

from cchc.history import services as history


class Command(BaseCommand):
    help = (
        "Ghi điểm kiểm tra (mã tổng hợp có chữ ký của mọi đầu chuỗi lịch sử) và in ra để lưu trữ."
    )

    def handle(self, *args, **options):
        checkpoint = history.write_checkpoint()
        for name, summary in checkpoint.chains.items():
            self.stderr.write(
                f"{name}: {summary['owners']} bản ghi, {summary['entries']} sự kiện "
                f"(đến sự kiện id {summary['upto']})."
            )
        self.stdout.write(history.checkpoint_line(checkpoint))
