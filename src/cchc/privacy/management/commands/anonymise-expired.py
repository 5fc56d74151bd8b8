"""``cchc anonymise-expired [--dry-run] [--date YYYY-MM-DD]``.

Anonymises the personal data of every record past its retention (``CCHC_RETENTION_YEARS``) on
the given day (default: today), keeping what the statistics and reports read (docs/privacy.md).
With ``--dry-run`` it only counts them. Also runs nightly as the background job
``anonymise-expired`` (docs/jobs.md).
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from cchc.privacy import services


class Command(BaseCommand):
    help = "Anonymise the personal data of records past their retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count only, change nothing")
        parser.add_argument("--date", help="the day to judge retention on (YYYY-MM-DD)")

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"“{options['date']}” không phải ngày (YYYY-MM-DD).") from None
        counts = services.anonymise_expired(today, dry_run=options["dry_run"])
        self.stdout.write(services.summary_line(counts, dry_run=options["dry_run"]))
