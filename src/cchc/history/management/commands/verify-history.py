"""``cchc verify-history [--since-checkpoint [ID]] [--chain NAME] [--batch-size N] [--workers N]``.

Checks every registered history (dossiers, feedback, …): each entry's keyed seal, the links
between entries, and the head kept on the protected row, so an edited, inserted or deleted entry,
a missing tail and a history deleted whole are all reported, each naming the record and what is
wrong. With ``--since-checkpoint`` it also checks that no chain head as it stood at the newest
(or the given) checkpoint has changed since, which a key holder rewriting a chain cannot hide.

Exit status 0 when everything is intact, 1 when anything is wrong.
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from cchc.history import chain, registry
from cchc.history import services as history
from cchc.history.models import Checkpoint

REASONS = {
    chain.MISSING_ENTRY: "thiếu sự kiện",
    chain.BROKEN_LINK: "mã băm liên kết với sự kiện trước không khớp",
    chain.CONTENT_CHANGED: "nội dung đã bị sửa sau khi ghi (mã niêm phong không khớp)",
    chain.UNKNOWN_KEY: "được niêm phong bằng khóa không xác định",
    chain.SHORTER_THAN_HEAD: "mất các sự kiện cuối",
    chain.NO_HISTORY: "mất toàn bộ lịch sử",
    chain.LONGER_THAN_HEAD: "có sự kiện ngoài chuỗi đã ghi nhận",
    chain.HEAD_MISMATCH: "sự kiện mới nhất không khớp với đầu chuỗi lưu trên bản ghi",
    history.CHECKPOINT_SIGNATURE: "chữ ký của điểm kiểm tra không hợp lệ",
    history.CHECKPOINT_DIGEST: "mã tổng hợp của điểm kiểm tra không khớp nội dung",
    history.HEADS_CHANGED: "đầu chuỗi có trước điểm kiểm tra đã thay đổi",
    history.CHAIN_MISSING: "loại lịch sử có trong điểm kiểm tra không còn",
}


def describe(problem: history.Problem) -> str:
    reason = REASONS.get(problem.reason, problem.reason)
    where = f"sự kiện số {problem.sequence} – " if problem.sequence else ""
    detail = f" ({problem.detail})" if problem.detail else ""
    text = f"{where}{reason}{detail}."
    return f"{problem.label}: {text}" if problem.label else text[:1].upper() + text[1:]


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của lịch sử (chuỗi niêm phong, đầu chuỗi, điểm kiểm tra)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since-checkpoint",
            nargs="?",
            const="latest",
            metavar="ID",
            help="Đối chiếu thêm với điểm kiểm tra mới nhất (hoặc số ID đã cho).",
        )
        parser.add_argument(
            "--chain",
            action="append",
            # Names read from the registry at run time: each app registers its own chains.
            help="Chỉ kiểm tra loại lịch sử này ("
            + ", ".join(spec.name for spec in registry.chains())
            + ").",
        )
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="Số bản ghi đọc mỗi lượt (mặc định 5000)."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Số tiến trình kiểm tra song song (mặc định 1; nên bằng số lõi CPU).",
        )

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size phải là số nguyên dương.")
        if not 1 <= options["workers"] <= 64:
            raise CommandError("--workers phải trong khoảng 1–64.")
        specs = registry.chains()
        if options["chain"]:
            unknown = set(options["chain"]) - {spec.name for spec in specs}
            if unknown:
                raise CommandError(f"Không có loại lịch sử: {', '.join(sorted(unknown))}.")
            specs = [spec for spec in specs if spec.name in options["chain"]]
        broken = 0
        started = time.monotonic()
        for spec in specs:
            tally = history.Tally()
            owners_broken = 0
            for problem in self._verify(spec, options["batch_size"], options["workers"], tally):
                owners_broken += 1
                self.stderr.write(describe(problem))
            broken += owners_broken
            self.stdout.write(
                f"Đã kiểm tra {tally.owners} {spec.noun.lower()}, {tally.entries} sự kiện; "
                f"{owners_broken} {spec.noun.lower()} có lịch sử bị phá vỡ."
            )
        if options["since_checkpoint"]:
            checkpoint = self._checkpoint(options["since_checkpoint"])
            problems = history.verify_checkpoint(checkpoint)
            for problem in problems:
                self.stderr.write(f"Điểm kiểm tra #{checkpoint.pk}: " + describe(problem))
            broken += len(problems)
            self.stdout.write(
                f"Điểm kiểm tra #{checkpoint.pk} ({checkpoint.created_at:%d/%m/%Y %H:%M}, "
                f"mã {checkpoint.digest}): "
                + ("khớp." if not problems else f"{len(problems)} sai khác.")
            )
        self.stdout.write(f"Thời gian: {time.monotonic() - started:.1f} giây.")
        if broken:
            sys.exit(1)

    def _verify(self, spec, batch_size: int, workers: int, tally: history.Tally):
        """Problems in owner id order; with several workers, each verifies runs of owners in
        its own process and connection, and the results are reported in order."""
        if workers == 1:
            yield from history.verify_chains(spec, batch_size, tally)
            return
        import multiprocessing

        from django.db import connections

        runs = list(history.chunks(spec, max(batch_size * 4, 10_000)))
        connections.close_all()  # each forked worker opens its own connection
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            work = [(spec.name, batch_size, first, last) for first, last in runs]
            for owners, entries, problems in pool.imap(_verify_run, work):
                tally.owners += owners
                tally.entries += entries
                yield from problems

    def _checkpoint(self, which: str) -> Checkpoint:
        if which == "latest":
            checkpoint = Checkpoint.objects.order_by("-pk").first()
            if checkpoint is None:
                raise CommandError("Chưa có điểm kiểm tra nào: chạy cchc history-checkpoint trước.")
            return checkpoint
        try:
            return Checkpoint.objects.get(pk=int(which))
        except (ValueError, Checkpoint.DoesNotExist):
            raise CommandError(f"Không có điểm kiểm tra số {which}.") from None


def _verify_run(work) -> tuple[int, int, list]:
    """In a worker process: verify the owners ``first``–``last`` of one kind of history."""
    name, batch_size, first, last = work
    tally = history.Tally()
    problems = list(history.verify_chains(registry.get(name), batch_size, tally, first, last))
    return tally.owners, tally.entries, problems
