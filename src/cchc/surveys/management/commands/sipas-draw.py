"""``cchc sipas-draw``: check a campaign's recorded draw against the dossiers (kiểm tra chọn mẫu).

    cchc sipas-draw CODE [--json]

Read-only. Rebuilds the campaign's sampling frame from the dossiers (:mod:`cchc.surveys.frame`),
recomputes its fingerprint and the draw with the recorded seed, and compares them with what the
draw stored: the fingerprint, each unit's population and sample size, and — while the campaign
is not closed (closing erases the links) — the dossiers of the invitations. An auditor thus checks
that the sample was drawn at random from the frame it claims, without seeing anyone's data.

Exit 0 when everything matches, 1 when something differs (listed), 2 for a bad request. The
frame changes if dossiers of the period are corrected afterwards: a difference says so, it does
not say who changed what (the dossiers' own histories do).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from cchc.surveys import frame as frames
from cchc.surveys.models import Campaign
from cchc.surveys.models.campaigns import INVITATION_CHANNELS

EXIT_DIFFERS = 1
EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Kiểm tra lại lần chọn mẫu đã ghi của một đợt khảo sát (chỉ đọc)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Mã đợt khảo sát, ví dụ sipas-2026")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON")

    def handle(self, *args, code, **options):
        campaign = Campaign.objects.filter(code=code).first()
        if campaign is None:
            raise CommandError(f"Không có đợt khảo sát mã {code!r}.", returncode=EXIT_BAD_INPUT)
        if campaign.drawn_at is None or campaign.seed is None:
            raise CommandError(f"Đợt khảo sát {code!r} chưa chọn mẫu.", returncode=EXIT_BAD_INPUT)
        frame = frames.build_frame(campaign)
        result = frames.draw(campaign, frame, campaign.seed)
        problems = []
        if result.fingerprint != campaign.frame_fingerprint:
            problems.append("Dấu vân tay khung mẫu khác với bản đã ghi.")
        summaries = {summary.unit: summary for summary in result.units}
        units = []
        for cu in campaign.units.select_related("unit").order_by("unit__code"):
            summary = summaries.get(cu.unit.code)
            population = summary.population if summary else 0
            target = summary.sample_size if summary else 0
            units.append({"unit": cu.unit.code, "population": population, "target": target})
            if (population, target) != (cu.population, cu.target):
                problems.append(
                    f"{cu.unit.code}: tổng thể/cỡ mẫu tính lại {population}/{target}, "
                    f"đã ghi {cu.population}/{cu.target}."
                )
        checked_invitations = campaign.closed_at is None
        if checked_invitations:
            channels = [c for c in campaign.channels if c in INVITATION_CHANNELS]
            expected = {
                frame.people[record_id].dossier_id
                for summary in result.units
                for record_id in result.ids(summary.unit)
                if channels and frames.contact_for(frame.people[record_id], channels)
            }
            stored = set(
                campaign.invitations.exclude(dossier=None).values_list("dossier_id", flat=True)
            )
            if expected != stored:
                problems.append(
                    f"Lời mời khác với lần chọn lại: {len(stored - expected)} thừa, "
                    f"{len(expected - stored)} thiếu."
                )
        report = {
            "campaign": campaign.code,
            "seed": campaign.seed,
            "fingerprint": result.fingerprint,
            "recorded_fingerprint": campaign.frame_fingerprint,
            "units": units,
            "invitations_checked": checked_invitations,
            "matches": not problems,
            "problems": problems,
        }
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            verdict = "Khớp với lần chọn mẫu đã ghi." if not problems else "KHÔNG khớp:"
            self.stdout.write(f"{campaign.code} (seed {campaign.seed}): {verdict}")
            for problem in problems:
                self.stdout.write(f"  - {problem}")
        if problems:
            raise SystemExit(EXIT_DIFFERS)
