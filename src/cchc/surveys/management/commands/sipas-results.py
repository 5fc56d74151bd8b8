"""``cchc sipas-results``: a campaign's SIPAS results (chỉ số hài lòng) per surveyed unit.

    cchc sipas-results --campaign CODE [--json]

``--json`` prints exactly ``{"campaign", "units": [{"unit", "unit_name", "invited", "responses",
"response_rate", "index", "ci_low", "ci_high", "rank", "factors": [{"code", "name", "items",
"index", "ci_low", "ci_high"}]}]}`` — the same dict as ``GET /api/v1/surveys/campaigns/<code>/
results/`` (:func:`cchc.surveys.results.payload`): ``index``, the bounds and ``response_rate`` in
percent rounded half up to two decimals, ``rank`` ``null`` for a unit with not enough answers,
``items`` the factor's number of items. Without ``--json`` a table in Vietnamese. The command is
an operator's tool: it prints every unit, whatever the campaign's status. An unknown campaign:
a Vietnamese message on stderr, exit 2.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from cchc.surveys import results as results_module
from cchc.surveys.models import Campaign

EXIT_BAD_INPUT = 2


def vn(value, places: int = 2) -> str:
    """86.24 → "86,24"; None → "–"."""
    if value is None:
        return "–"
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


class Command(BaseCommand):
    help = "Kết quả khảo sát sự hài lòng (SIPAS) của một đợt: chỉ số, khoảng tin cậy 95%, xếp hạng."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, help="Mã đợt khảo sát, ví dụ sipas-2026")
        parser.add_argument("--json", action="store_true", help="In một đối tượng JSON")

    def handle(self, *args, **options):
        code = options["campaign"].strip()
        campaign = Campaign.objects.select_related("questionnaire").filter(code=code).first()
        if campaign is None:
            raise CommandError(f"Không có đợt khảo sát mã {code!r}.", returncode=EXIT_BAD_INPUT)
        results = results_module.campaign_results(campaign)
        data = results_module.payload(results)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"Kết quả khảo sát: {campaign.name} ({campaign.code})")
        head = (
            f"{'Hạng':>7}  {'Đơn vị':<40} {'Phiếu':>6} {'Phản hồi %':>10} {'Chỉ số %':>9}  KTC 95%"
        )
        self.stdout.write(head)
        for unit in data["units"]:
            rank = str(unit["rank"]) if unit["rank"] is not None else "chưa đủ"
            interval = (
                f"{vn(unit['ci_low'])} – {vn(unit['ci_high'])}"
                if unit["ci_low"] is not None
                else "–"
            )
            self.stdout.write(
                f"{rank:>7}  {unit['unit_name'][:40]:<40} {unit['responses']:>6} "
                f"{vn(unit['response_rate']):>10} {vn(unit['index']):>9}  {interval}"
            )
        self.stdout.write(
            f"Chưa đủ: dưới {campaign.minimum_responses} phiếu hợp lệ, không xếp hạng."
        )
