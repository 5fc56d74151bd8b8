"""``cchc deadline``: when is a dossier due?

    cchc deadline --received "24/01/2025 14:00" --working-days 5 [--unit CODE] [--explain] [--json]

Alternatives to ``--working-days``: ``--working-hours H``, ``--half-days N``, ``--same-day``,
``--calendar-days N``. ``--pause START/END`` (repeatable) stops the clock. Bad input prints a
Vietnamese message on stderr and exits with status 2.
"""

import json
import sys

from django.core.management.base import BaseCommand

from cchc.workdays import services
from cchc.workdays.engine import DeadlineError, Pause, Rule, TimeLimit
from cchc.workdays.engine.calendar import WEEKDAY_NAMES
from cchc.workdays.engine.parsing import parse_instant

EXIT_BAD_INPUT = 2

AMOUNT_OPTIONS = {
    "working_days": ("--working-days", Rule.WORKING_DAYS),
    "working_hours": ("--working-hours", Rule.WORKING_HOURS),
    "half_days": ("--half-days", Rule.HALF_DAYS),
    "calendar_days": ("--calendar-days", Rule.CALENDAR_DAYS),
}


class BadInput(Exception):
    pass


def _moment(value) -> str:
    return f"{value:%H:%M} {WEEKDAY_NAMES[value.weekday()]} {value:%d/%m/%Y}"


class Command(BaseCommand):
    help = "Tính hạn giải quyết hồ sơ theo ngày/giờ làm việc (lịch làm việc Việt Nam)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):  # argparse's own messages are English: answer in Vietnamese.
            self.stderr.write(f"Lỗi: tham số không hợp lệ ({message}). Xem: cchc deadline --help")
            sys.exit(EXIT_BAD_INPUT)

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument("--received", help="Thời điểm nhận: dd/mm/yyyy[ HH:MM] hoặc ISO 8601")
        for _name, (flag, _rule) in AMOUNT_OPTIONS.items():
            parser.add_argument(flag, metavar="N")
        parser.add_argument("--same-day", action="store_true", help="Giải quyết trong ngày")
        parser.add_argument("--unit", help="Mã định danh đơn vị (giờ làm việc của đơn vị)")
        parser.add_argument(
            "--pause",
            action="append",
            default=[],
            metavar="BẮT_ĐẦU/KẾT_THÚC",
            help='Khoảng tạm dừng tính thời gian, ví dụ "03/02/2025 08:00/05/02/2025 10:00"',
        )
        parser.add_argument("--explain", action="store_true", help="Giải thích từng ngày bỏ qua")
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON")

    def handle(self, *args, **options):
        try:
            received, limit, pauses = self._read(options)
            unit = services.find_unit(options.get("unit"))
            deadline = services.get_engine(unit).due(received, limit, pauses)
        except (BadInput, DeadlineError) as error:
            self.stderr.write(f"Lỗi: {error}")
            sys.exit(EXIT_BAD_INPUT)
        if options["json"]:
            payload = services.deadline_payload(deadline, unit, explain=options["explain"])
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(f"Nhận hồ sơ:        {_moment(deadline.received)}")
        self.stdout.write(f"Bắt đầu tính:      {_moment(deadline.effective_received)}")
        self.stdout.write(f"Thời hạn:          {limit.label}")
        self.stdout.write(f"Hạn trả kết quả:   {_moment(deadline.due)}")
        if options["explain"]:
            self.stdout.write("")
            for line in deadline.notes:
                self.stdout.write(f"- {line}")

    def _read(self, options):
        if not options.get("received"):
            raise BadInput("thiếu --received (thời điểm nhận hồ sơ).")
        received = parse_instant(options["received"], "received")
        chosen = [name for name in AMOUNT_OPTIONS if options.get(name) is not None]
        if options["same_day"]:
            chosen.append("same_day")
        if len(chosen) != 1:
            raise BadInput(
                "cần đúng một trong --working-days, --working-hours, --half-days, "
                "--calendar-days, --same-day."
            )
        if chosen[0] == "same_day":
            limit = TimeLimit(Rule.SAME_DAY)
        else:
            flag, rule = AMOUNT_OPTIONS[chosen[0]]
            text = options[chosen[0]].strip()
            if not text.lstrip("-").isdigit():
                raise BadInput(f"{flag} phải là số nguyên dương, không phải “{text}”.")
            limit = TimeLimit(rule, int(text))
        pauses = [_pause(value) for value in options["pause"]]
        return received, limit, pauses


def _pause(value: str) -> Pause:
    """ "START/END": the separating slash is the one whose two sides both read as instants."""
    for index, char in enumerate(value):
        if char != "/":
            continue
        try:
            start = parse_instant(value[:index], "pause")
            end = parse_instant(value[index + 1 :], "pause")
        except DeadlineError:
            continue
        return Pause(start, end)
    raise BadInput(
        f"--pause “{value}” phải có dạng BẮT_ĐẦU/KẾT_THÚC, ví dụ 04/06/2024 08:00/05/06/2024 08:00."
    )
