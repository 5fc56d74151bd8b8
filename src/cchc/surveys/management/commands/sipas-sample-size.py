"""``cchc sipas-sample-size``: how many respondents to draw from a unit (cỡ mẫu khảo sát SIPAS).

    cchc sipas-sample-size --population N [--margin 0.05] [--confidence 0.95]
                           [--method yamane|cochran] [--json]

``--json`` prints exactly ``{"population", "margin", "confidence", "method", "sample_size"}``
(``population`` and ``sample_size`` whole numbers, ``margin`` and ``confidence`` numbers as
given, ``method`` the formula used; ``confidence`` is echoed but only Cochran uses it). Without
it, one line in Vietnamese. The size is rounded up and never exceeds the population
(``cchc.surveys.engine.sampling``; formulas in docs/surveys.md). Bad input: a Vietnamese message
on stderr, exit 2.
"""

import json
import math

from django.core.management.base import BaseCommand, CommandError

from cchc.surveys.engine.sampling import COCHRAN, YAMANE, cochran_size, yamane_size

EXIT_BAD_INPUT = 2
CLI_METHODS = (YAMANE, COCHRAN)
METHOD_NAMES = {YAMANE: "Yamane", COCHRAN: "Cochran (hiệu chỉnh tổng thể hữu hạn)"}


def vn_number(value, places: int = 0) -> str:
    """1000 → "1.000"; 0.035 as a percentage → "3,5"."""
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def vn_percent(value: float) -> str:
    text = vn_number(value * 100, 2).rstrip("0").rstrip(",")
    return f"{text}%"


def bad(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_BAD_INPUT)


def population_from(text: str) -> int:
    try:
        population = int(text.strip())
    except ValueError:
        raise bad(
            f"--population phải là số nguyên (số hồ sơ/người), không phải {text!r}."
        ) from None
    if population < 0:
        raise bad(f"--population không được âm ({population}).")
    return population


def fraction_from(text: str, option: str, example: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value < 1):
        raise bad(f"{option} phải là số trong khoảng (0; 1), ví dụ {example}; nhận được {text!r}.")
    return value


class Command(BaseCommand):
    help = (
        "Cỡ mẫu khảo sát sự hài lòng (SIPAS) của một đơn vị: công thức Yamane "
        "n = N / (1 + N·e²) hoặc Cochran có hiệu chỉnh tổng thể hữu hạn; làm tròn lên."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        django_error = parser.error  # usage and exit 2 from the shell, CommandError when called

        def error(message):
            django_error(f"tham số không hợp lệ ({message}). Xem: cchc {subcommand} --help")

        parser.error = error
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "--population",
            required=True,
            help="Tổng thể N: số người/hồ sơ đã giải quyết và trả kết quả trong kỳ",
        )
        parser.add_argument("--margin", default="0.05", help="Sai số cho phép e (mặc định 0.05)")
        parser.add_argument(
            "--confidence", default="0.95", help="Độ tin cậy, chỉ dùng cho Cochran (mặc định 0.95)"
        )
        parser.add_argument(
            "--method", choices=CLI_METHODS, default=YAMANE, help="yamane (mặc định) hoặc cochran"
        )
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON")

    def handle(self, *args, **options):
        population = population_from(options["population"])
        margin = fraction_from(options["margin"], "--margin", "0.05")
        confidence = fraction_from(options["confidence"], "--confidence", "0.95")
        method = options["method"]
        if method == COCHRAN:
            size = cochran_size(population, margin, confidence)
        else:
            size = yamane_size(population, margin)
        if options["json"]:
            payload = {
                "population": population,
                "margin": margin,
                "confidence": confidence,
                "method": method,
                "sample_size": size,
            }
            self.stdout.write(json.dumps(payload))
            return
        conditions = f"sai số {vn_percent(margin)}"
        if method == COCHRAN:
            conditions += f", độ tin cậy {vn_percent(confidence)}"
        self.stdout.write(
            f"Cỡ mẫu theo công thức {METHOD_NAMES[method]} cho tổng thể {vn_number(population)}: "
            f"{vn_number(size)} phiếu ({conditions})."
        )
