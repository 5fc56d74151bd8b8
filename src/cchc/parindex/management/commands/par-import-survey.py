"""``cchc par-import-survey FILE --round ID [--as USERNAME]``: survey points of a round's units.

``cchc par-import-survey --round ID --source KEY [--criterion CODE] [--as USERNAME]`` takes them
from a registered survey source instead (``sipas``: the SIPAS module's published campaign of the
round's year, its satisfaction index converted), on the survey criterion CODE when the set has
several; units the round does not assess are left out.

FILE is CSV (UTF-8) or XLSX with the columns unit code, criterion code (optional when the set has
one survey criterion), and points or a satisfaction percentage (converted as percent ÷ the round's
survey scale × the criterion's maximum, rounded half up to two decimals). All or nothing: every
line's errors are printed and nothing is written while one remains (exit 2). ``--as`` names the
reform officer the change is recorded for (default: the operator, recorded without a user).
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from cchc.parindex.errors import ParIndexError
from cchc.parindex.survey import (
    SurveyImportInvalid,
    import_from_source,
    import_rows,
    read_file,
    survey_sources,
)

EXIT_BAD_INPUT = 2


class _Operator:
    """The command-line operator: every right of the organiser's reform staff."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True

    def get_full_name(self) -> str:
        return ""


class Command(BaseCommand):
    help = "Nhập điểm điều tra xã hội học của các đơn vị trong một kỳ đánh giá Chỉ số CCHC."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            self.stderr.write(f"Lỗi: tham số không hợp lệ ({message}).")
            sys.exit(EXIT_BAD_INPUT)

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Tệp CSV hoặc XLSX")
        parser.add_argument("--round", type=int, required=True, help="Số hiệu (id) kỳ đánh giá")
        parser.add_argument("--as", dest="username", help="Tên đăng nhập của cán bộ CCHC")
        parser.add_argument(
            "--source",
            help="Lấy điểm từ nguồn khảo sát đã đăng ký thay cho tệp ("
            + ", ".join(survey_sources.keys())
            + ")",
        )
        parser.add_argument(
            "--criterion", default="", help="Mã tiêu chí điều tra (khi có nhiều tiêu chí)"
        )

    def fail(self, message: str):
        self.stderr.write(f"Lỗi: {message}")
        sys.exit(EXIT_BAD_INPUT)

    def handle(self, *args, **options):
        if bool(options.get("file")) == bool(options.get("source")):
            self.fail("cho biết tệp hoặc --source, chỉ một trong hai.")
        path = Path(options["file"] or "")
        if options.get("file") and not path.is_file():
            self.fail(f"không đọc được tệp “{path}”.")
        actor = _Operator()
        if options.get("username"):
            actor = get_user_model().objects.filter(username=options["username"]).first()
            if actor is None:
                self.fail(f"không có người dùng “{options['username']}”.")
        try:
            if options.get("source"):
                outcome = import_from_source(
                    options["round"], options["source"], actor, options["criterion"]
                )
            else:
                rows = read_file(path.name, path.read_bytes())
                outcome = import_rows(options["round"], rows, actor, source=path.name)
        except SurveyImportInvalid as error:
            for row_error in error.errors:
                self.stderr.write(f"Lỗi: {row_error}")
            self.stderr.write("Không ghi dòng nào.")
            sys.exit(EXIT_BAD_INPUT)
        except ParIndexError as error:
            self.fail(error.message)
        self.stdout.write(
            f"Đã đọc {outcome.rows} dòng: {outcome.changed} điểm được ghi, "
            f"{outcome.unchanged} không thay đổi."
        )
