"""``cchc personal-data-export (--id-number N | --phone P | --email E) [--output FILE]``.

Everything the platform holds about one person, found by ID number, phone or email (exact, after
normalisation), as UTF-8 JSON with English keys (docs/privacy.md), on the standard output or in
FILE. Answers a data subject's request (Nghị định 13/2023/NĐ-CP, Điều 14); each export is
recorded with a keyed hash of the identifier (``privacy.ExportRecord``).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cchc.privacy import services
from cchc.privacy.models import IdentifierKind


class Command(BaseCommand):
    help = "Export everything held about one person (ID number, phone or email) as JSON."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--id-number", help="ID number (CCCD, passport, tax code)")
        which.add_argument("--phone", help="phone number")
        which.add_argument("--email", help="email address")
        parser.add_argument("--output", help="write the JSON to this file")

    def handle(self, *args, **options):
        kind, identifier = next(
            (kind, options[option])
            for kind, option in (
                (IdentifierKind.ID_NUMBER, "id_number"),
                (IdentifierKind.PHONE, "phone"),
                (IdentifierKind.EMAIL, "email"),
            )
            if options[option] is not None
        )
        if not services.normalise(kind, identifier):
            raise CommandError("Định danh trống.")
        data = services.export_subject(identifier, kind)
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if options["output"]:
            Path(options["output"]).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Đã ghi {options['output']}.")
        else:
            self.stdout.write(text)
