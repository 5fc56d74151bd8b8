"""``cchc verify-history``: check every dossier's hash-chained history; name any broken chain.

Exit status 0 when every chain is intact, 1 when at least one is broken.
"""

import sys

from django.core.management.base import BaseCommand

from cchc.dossiers.models import Dossier
from cchc.dossiers.services import verify_chain

REASONS = {
    "missing event": "thiếu sự kiện",
    "previous hash does not match": "mã băm liên kết không khớp",
    "content changed after it was written": "nội dung đã bị sửa sau khi ghi",
}


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của lịch sử xử lý mọi hồ sơ (chuỗi băm)."

    def handle(self, *args, **options):
        checked = broken = 0
        for dossier in Dossier.objects.order_by("pk").iterator(chunk_size=500):
            checked += 1
            problem = verify_chain(dossier)
            if problem:
                broken += 1
                reason = REASONS.get(problem.reason, problem.reason)
                self.stderr.write(
                    f"Hồ sơ {problem.dossier_code}: sự kiện số {problem.sequence} – {reason}."
                )
        self.stdout.write(f"Đã kiểm tra {checked} hồ sơ; {broken} hồ sơ có lịch sử bị phá vỡ.")
        if broken:
            sys.exit(1)
