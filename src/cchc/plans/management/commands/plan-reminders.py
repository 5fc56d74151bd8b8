"""``cchc plan-reminders [--date DATE]``: queue the reform plan tasks' reminders due that day.

Run it once a day from cron (``0 7 * * * cchc plan-reminders``). Before a task's deadline, and
before each reporting milestone of a recurring task, by the days of ``CCHC_PLAN_REMINDER_DAYS``
(default 7 and 1), and once the day after an open task's deadline, it reminds the lead unit's
officers. Each reminder is queued once (``TaskReminder``), so running it twice sends nothing twice;
``cchc process-outbox`` sends them.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from cchc.plans.services import send_reminders


class Command(BaseCommand):
    help = "Xếp hàng thư nhắc hạn các nhiệm vụ của kế hoạch CCHC (trước hạn và khi quá hạn)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Ngày coi là hôm nay, dạng YYYY-MM-DD hoặc dd/mm/yyyy (mặc định: hôm nay).",
        )

    def handle(self, *args, date=None, **options):
        day = None
        if date:
            day = _parse(date)
        queued = send_reminders(day)
        self.stdout.write(f"Đã xếp hàng {queued} thư nhắc hạn nhiệm vụ.")


def _parse(text: str) -> date:
    try:
        if "/" in text:
            d, m, y = (int(part) for part in text.split("/"))
            return date(y, m, d)
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError("--date: ngày không hợp lệ.") from None
