"""``cchc par-reminders``: queue the PAR INDEX deadline reminders due today in the outbox.

Run it once a day from cron (``0 7 * * * cchc par-reminders``). Before the self-assessment closes
it reminds each unit still in draft; before an explanation is due, the unit asked; before the
appraisal closes, the council; before the publication date, until the round is published, those
who publish (the council's chair and secretary, the organiser's reform staff). Each reminder is
queued once (``ReminderSent``), so running it twice a day, or again after a failure, sends
nothing twice; ``cchc process-outbox`` sends them.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from cchc.parindex.services import DEFAULT_REMINDER_DAYS, send_reminders


class Command(BaseCommand):
    help = "Xếp hàng thư nhắc hạn của kỳ đánh giá Chỉ số CCHC (tự đánh giá, giải trình, thẩm định)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="Ngày coi là hôm nay, dạng YYYY-MM-DD hoặc dd/mm/yyyy (mặc định: hôm nay).",
        )
        parser.add_argument(
            "--days-before",
            default=",".join(str(days) for days in DEFAULT_REMINDER_DAYS),
            help="Nhắc trước hạn bao nhiêu ngày, cách nhau bởi dấu phẩy (mặc định 3,1).",
        )

    def handle(self, *args, today=None, days_before="3,1", **options):
        day = None
        if today:
            try:
                if "/" in today:
                    d, m, y = (int(part) for part in today.split("/"))
                    day = date(y, m, d)
                else:
                    day = date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today: ngày không hợp lệ.") from None
        try:
            lead_times = [int(part) for part in days_before.split(",") if part.strip()]
        except ValueError:
            raise CommandError(
                "--days-before: các số ngày nguyên, cách nhau bởi dấu phẩy."
            ) from None
        if not lead_times or any(days < 0 or days > 60 for days in lead_times):
            raise CommandError("--days-before: các số ngày từ 0 đến 60.")
        queued = send_reminders(day, lead_times)
        self.stdout.write(f"Đã xếp hàng {queued} thư nhắc hạn.")
