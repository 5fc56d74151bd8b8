"""``cchc jobs``: the registered background jobs, their schedules and their last runs."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cchc.common.jobs import jobs
from cchc.jobs.models import JobRun
from cchc.jobs.schedule import ScheduleError, schedules

SLOT_WORDS = {"day": "ngày", "hour": "giờ", "minute": "phút"}


class Command(BaseCommand):
    help = "Liệt kê các công việc nền, lịch chạy (CCHC_JOB_SCHEDULE) và lần chạy gần nhất."

    def handle(self, *args, **options):
        try:
            active = schedules()
        except ScheduleError as error:
            raise CommandError(str(error)) from error
        for job in jobs:
            last = JobRun.objects.filter(key=job.key).order_by("-started_at").first()
            when = (
                f"{timezone.localtime(last.started_at):%d/%m/%Y %H:%M} {last.get_status_display()}"
                if last
                else "—"
            )
            schedule = active.get(job.key, "tắt")
            once = f" (một lần mỗi {SLOT_WORDS[job.once_per]})" if job.once_per else ""
            self.stdout.write(f"{job.key:24} {schedule:16} {when:28} {job.description}{once}")
