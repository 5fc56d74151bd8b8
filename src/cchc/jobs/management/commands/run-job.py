"""``cchc run-job KEY``: run one background job now (from cron or a systemd timer when there is no
queue), with the same once-per-slot claim as the queue's workers."""

from django.core.management.base import BaseCommand, CommandError

from cchc.common.jobs import jobs
from cchc.jobs import services


class Command(BaseCommand):
    help = "Chạy một công việc nền (cchc jobs liệt kê các công việc)."

    def add_arguments(self, parser):
        parser.add_argument("key")

    def handle(self, *args, key, **options):
        if key not in {job.key for job in jobs}:
            known = ", ".join(job.key for job in jobs)
            raise CommandError(f"Không có công việc “{key}”. Các công việc: {known}.")
        try:
            outcome = services.run(key)
        except Exception as error:
            raise CommandError(f"Công việc {key} lỗi: {error}") from error
        if not outcome.ran:
            self.stdout.write(f"{key}: lượt {outcome.slot} đã được chạy hoặc đang chạy ở nơi khác.")
            return
        self.stdout.write(f"{key}: {outcome.output}")
