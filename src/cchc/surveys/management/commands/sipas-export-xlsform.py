"""``cchc sipas-export-xlsform CODE [--version N] [--output FILE]``: a questionnaire written as
an XLSForm workbook that KoboToolbox, ODK and pyxform read (``cchc.surveys.xlsform``).

The latest version of the code by default. FILE defaults to ``<code>-v<version>.xlsx`` in the
current directory. Exit status: 0 written, 1 no such questionnaire, 2 the file cannot be written
or the questionnaire cannot be expressed as XLSForm; never a traceback.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from cchc.surveys import services
from cchc.surveys.models import Questionnaire
from cchc.surveys.xlsform import write_xlsform

EXIT_NOT_FOUND = 1
EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Xuất phiếu khảo sát ra tệp XLSForm (.xlsx) dùng được với KoboToolbox/ODK."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # ``--version`` is the questionnaire's version here, not Django's: ours replaces it.
        kwargs.setdefault("conflict_handler", "resolve")
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        django_error = parser.error  # usage and exit 2 from the shell, CommandError when called

        def error(message):
            django_error(f"tham số không hợp lệ ({message}). Xem: cchc {subcommand} --help")

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("code", help="Mã phiếu, ví dụ sipas-1001-2023")
        parser.add_argument(
            "--version", type=int, dest="form_version", help="Phiên bản (mặc định: mới nhất)"
        )
        parser.add_argument("--output", "-o", help="Tệp ghi ra (mặc định: <mã>-v<phiên bản>.xlsx)")

    def handle(self, *args, code, form_version=None, output=None, **options):
        found = Questionnaire.objects.filter(code=code)
        if form_version is not None:
            found = found.filter(version=form_version)
        questionnaire = found.order_by("-version").first()
        if questionnaire is None:
            which = f" phiên bản {form_version}" if form_version is not None else ""
            self.stderr.write(f"Lỗi: không có phiếu mã “{code}”{which}.")
            sys.exit(EXIT_NOT_FOUND)
        target = Path(output or f"{questionnaire.code}-v{questionnaire.version}.xlsx")
        try:
            content = write_xlsform(services.to_spec(questionnaire))
        except ValueError as error:
            self.stderr.write(f"Lỗi: phiếu không viết được thành XLSForm: {error}")
            sys.exit(EXIT_BAD_INPUT)
        try:
            target.write_bytes(content)
        except OSError as error:
            self.stderr.write(f"Lỗi: không ghi được tệp {target}: {error.strerror}")
            sys.exit(EXIT_BAD_INPUT)
        self.stdout.write(
            f"Đã xuất “{questionnaire.title}” (mã {questionnaire.code}, phiên bản "
            f"{questionnaire.version}) vào {target}."
        )
