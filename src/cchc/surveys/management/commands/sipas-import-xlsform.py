"""``cchc sipas-import-xlsform FILE --unit UNIT_CODE [--user USERNAME]``: an XLSForm workbook
(KoboToolbox, ODK, or one exported here) stored as a questionnaire of the unit.

All or nothing, like the import page: every problem of the workbook is printed (sheet, line,
column) and nothing is written while one remains. A code the unit already has gets its next
version. ``--user`` names the editor it is recorded for, who must be allowed to edit the unit's
questionnaires; without it, the operator at the command line (recorded without a user). Exit
status: 0 imported, 2 bad input or refused workbook; never a traceback.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from cchc.organisations.models import OrganisationUnit
from cchc.surveys import services
from cchc.surveys.errors import SurveyError
from cchc.surveys.xlsform import XLSFormError, read_xlsform

EXIT_BAD_INPUT = 2


class _Operator:
    """The command-line operator: every right of an editor (like ``par-import-survey``)."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True

    def get_full_name(self) -> str:
        return ""


class Command(BaseCommand):
    help = "Nhập phiếu khảo sát từ tệp XLSForm (.xlsx của KoboToolbox/ODK) cho một đơn vị."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        django_error = parser.error  # usage and exit 2 from the shell, CommandError when called

        def error(message):
            django_error(f"tham số không hợp lệ ({message}). Xem: cchc {subcommand} --help")

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp XLSForm (.xlsx)")
        parser.add_argument("--unit", required=True, help="Mã đơn vị sở hữu phiếu")
        parser.add_argument("--user", help="Tên đăng nhập của người nhập (cán bộ CCHC)")

    def fail(self, message: str):
        self.stderr.write(f"Lỗi: {message}")
        sys.exit(EXIT_BAD_INPUT)

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            self.fail(f"không đọc được tệp “{path}”.")
        unit = OrganisationUnit.objects.filter(code=options["unit"]).first()
        if unit is None:
            self.fail(f"không có đơn vị mã “{options['unit']}”.")
        actor = _Operator()
        if options.get("user"):
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                self.fail(f"không có người dùng “{options['user']}”.")
        try:
            spec = read_xlsform(path.read_bytes(), filename=path.name)
            questionnaire = services.create_from_spec(actor, spec, unit=unit)
        except XLSFormError as error:
            for problem in error.errors:
                self.stderr.write(f"Lỗi: {problem}")
            self.stderr.write("Không ghi phiếu nào.")
            sys.exit(EXIT_BAD_INPUT)
        except services.QuestionnaireInvalid as error:
            for problem in error.problems:
                self.stderr.write(f"Lỗi: {problem}")
            self.stderr.write("Không ghi phiếu nào.")
            sys.exit(EXIT_BAD_INPUT)
        except SurveyError as error:
            self.fail(error.message)
        except OSError as error:
            self.fail(f"không đọc được tệp “{path}”: {error.strerror}")
        questions = questionnaire.questions.count()
        self.stdout.write(
            f"Đã nhập “{questionnaire.title}” (mã {questionnaire.code}, phiên bản "
            f"{questionnaire.version}, {questions} câu hỏi) cho {unit.name}."
        )
