"""Benchmark: ``cchc import-dossiers`` on PostgreSQL, rows per second.

    python bench/import.py [--rows 20000] [--keep] [--json] [--csv-only FILE]

Creates the database ``cchc_bench_import`` (dropped first if it exists; ``--db`` for another
``cchc_bench*`` name), runs ``migrate`` and loads the demo province, users and sample catalog
(``cchc.demo.province``). Then writes a CSV of ``--rows`` realistic dossiers of another one-stop
system (every column of docs/dossier-import.md: mostly returned dossiers of the last two years,
some still open, supplements, apology letters, online payment, applicants with and without
contact data; codes in the national shape ``unit-YYMMDD-NNNN``, unique) and imports it through
the real command (``call_command("import-dossiers", FILE)``, all-or-nothing), timing the command
alone. Afterwards it checks that every row became a dossier, runs ``cchc rebuild-stats --verify``
and ``cchc verify-history`` (both must be clean) and imports the same file again (every row
unchanged). Prints JSON with ``--json``: rows, seconds, rows_per_s, peak RSS of this process and
the re-import's figures.

``--csv-only FILE`` only writes the CSV (e.g. a 1,000,000-row file to measure memory with
``/usr/bin/time -v cchc import-dossiers FILE``); no database is touched.

Settings: ``cchc.settings.dev`` with ``DEBUG`` off, as in production. The database URL is never
taken from ``DATABASE_URL``, so a real database cannot be dropped by mistake.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from intake import configure, create_database, drop_database

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cchc_bench_import"
COLUMNS = (
    "ma_ho_so", "ma_tthc", "ma_don_vi", "kenh", "toan_trinh", "ngay_nop", "ngay_tiep_nhan",
    "ngay_hen_tra", "ngay_ket_thuc_xu_ly", "ngay_tra_ket_qua", "trang_thai", "so_lan_bo_sung",
    "ngay_yeu_cau_bo_sung", "ngay_hoan_thanh_bo_sung", "co_van_ban_xin_loi", "ngay_hen_tra_moi",
    "thanh_toan_truc_tuyen", "da_so_hoa", "co_ket_qua_dien_tu", "ten_nguoi_nop", "so_giay_to",
    "so_dien_thoai", "email", "dia_chi",
)  # fmt: skip
# Receiving units of the demo province (commune centres and the provincial centre).
UNITS = ("000.01.31.H99", "000.01.32.H99", "000.01.33.H99", "000.01.34.H99", "000.01.35.H99")
PROCEDURES = ("1.004873", "1.001193", "1.000894", "1.004859", "1.004884", "2.001263", "1.004222")
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Quang", "Thanh", "Hữu", "Kim", "Xuân"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai", "Nam"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _when(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M")


def write_csv(path: Path, rows: int, units=UNITS, procedures=PROCEDURES, seed: int = 2026) -> None:
    """``rows`` dossiers received on working days over the last two years, codes unique."""
    rng = random.Random(seed)
    today = datetime.now().replace(hour=0, minute=0, second=0, microsecond=0)
    first = today - timedelta(days=730)
    days = [first + timedelta(days=n) for n in range(728)]
    days = [day for day in days if day.weekday() < 5]
    numbers: dict[tuple[str, datetime], int] = {}
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for _ in range(rows):
            unit = rng.choice(units)
            day = rng.choice(days)
            number = numbers[unit, day] = numbers.get((unit, day), 0) + 1
            received = day + timedelta(hours=rng.randint(7, 16), minutes=rng.randint(0, 59))
            channel = rng.choices((1, 2, 3), (55, 43, 2))[0]
            submitted = received - timedelta(hours=rng.randint(0, 30)) if channel == 2 else None
            due = received + timedelta(days=rng.choice((3, 5, 7, 10, 15)))
            due = due.replace(hour=17, minute=0)
            roll = rng.random()
            status = 10 if roll < 0.80 else 9 if roll < 0.85 else 4 if roll < 0.93 else 5
            status = 7 if roll > 0.99 else status
            late = rng.random() < 0.08
            finished = returned = asked = done = new_due = None
            supplements = ""
            if rng.random() < 0.08 or status == 5:
                asked = received + timedelta(hours=rng.randint(2, 20))
                supplements = "1"
                if status != 5:
                    done = asked + timedelta(days=rng.randint(1, 3))
            if status in (9, 10, 7):
                span = (due - received) * (1.3 if late else rng.uniform(0.3, 0.95))
                finished = received + span + (done - asked if done else timedelta(0))
                if status == 10:
                    returned = finished + timedelta(hours=rng.randint(1, 48))
            if done is not None and done > datetime.now() - timedelta(hours=1):
                done = None
            for moment in (finished, returned):
                if moment is not None and moment > datetime.now() - timedelta(hours=1):
                    finished = returned = None
                    status = 4
            if status in (4, 5) and asked and asked > datetime.now():
                asked = done = None
                supplements = ""
            apology = late and status in (9, 10) and rng.random() < 0.8
            if apology:
                new_due = due + timedelta(days=rng.randint(2, 5))
            online = channel == 2
            named = rng.random() < 0.9
            writer.writerow(
                (
                    f"{unit}-{day:%y%m%d}-{number:04d}",
                    rng.choice(procedures),
                    unit,
                    channel,
                    rng.choice((0, 1)) if online else "",
                    _when(submitted) if submitted else "",
                    _when(received) if status != 1 else "",
                    _when(due),
                    _when(finished) if finished else "",
                    _when(returned) if returned else "",
                    status,
                    supplements,
                    _when(asked) if asked else "",
                    _when(done) if done else "",
                    1 if apology else 0,
                    _when(new_due) if new_due else "",
                    rng.choice((1, 2)) if online and rng.random() < 0.4 else 0,
                    1 if rng.random() < 0.5 else 0,
                    1 if status in (9, 10) and online and rng.random() < 0.5 else 0,
                    f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
                    if named
                    else "",
                    f"0{rng.randint(1, 96):02d}{rng.randint(0, 3)}{rng.randint(0, 10**8 - 1):08d}"
                    if named
                    else "",
                    f"09{rng.randint(10**7, 10**8 - 1)}" if named else "",
                    f"congdan{rng.randint(1, 10**6)}@example.vn" if rng.random() < 0.2 else "",
                    f"Số {rng.randint(1, 300)} đường Lê Lợi, tỉnh An Bình" if named else "",
                )
            )


def prepare() -> None:
    from django.core.management import call_command

    from cchc.demo import province as demo

    call_command("migrate", verbosity=0, interactive=False)
    units = demo.load_units()
    demo.load_users(units)
    demo.load_catalog(units)


def command(*args) -> tuple[int, str, str]:
    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code or 0
    return code, out.getvalue(), err.getvalue()


def run(db_url: str, rows: int) -> dict:
    create_database(db_url)
    configure(db_url)
    from django.db import connection

    from cchc.dossiers.models import Dossier, DossierEvent

    log("migrate and demo catalog…")
    prepare()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "ho-so-cu.csv"
        log(f"writing {rows:,} rows…")
        write_csv(path, rows)
        size = path.stat().st_size
        log("importing…")
        started, cpu = time.perf_counter(), time.process_time()
        code, out, err = command("import-dossiers", str(path))
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        if code:
            raise SystemExit(f"import failed ({code}): {out}{err[:2000]}")
        log(out.strip())
        imported = Dossier.objects.filter(imported=True).count()
        assert imported == rows, f"{imported} dossiers for {rows} rows"
        events = DossierEvent.objects.count()
        log("rebuild-stats --verify…")
        stats_code, stats_out, stats_err = command("rebuild-stats", "--verify")
        log("verify-history…")
        history_code, history_out, history_err = command("verify-history")
        log("importing the same file again…")
        again = time.perf_counter()
        code, again_out, err = command("import-dossiers", str(path))
        again_seconds = time.perf_counter() - again
        assert code == 0 and f"{rows} không thay đổi" in again_out, again_out + err[:2000]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    return {
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds),
        "cpu_seconds": round(cpu, 2),  # of this process (the database server's is apart)
        "load_average": round(os.getloadavg()[0], 1),  # other work on the machine meanwhile
        "file_mb": round(size / 1024 / 1024, 1),
        "events": events,
        "stats_verify_clean": stats_code == 0,
        "stats_verify": (stats_out + stats_err).strip().splitlines()[-1:],
        "history_verify_clean": history_code == 0,
        "history_verify": (history_out + history_err).strip().splitlines()[-1:],
        "reimport_seconds": round(again_seconds, 2),
        "reimport_rows_per_s": round(rows / again_seconds),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "machine": f"{os.cpu_count()} CPU {platform.machine()}, "
        f"Python {platform.python_version()}, PostgreSQL {server}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--db", default=DEFAULT_DB, help="database URL (name cchc_bench*)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--csv-only", metavar="FILE", help="only write the CSV to FILE")
    args = parser.parse_args()
    if args.csv_only:
        write_csv(Path(args.csv_only), args.rows)
        return
    try:
        result = run(args.db, args.rows)
    finally:
        if not args.keep:
            drop_database(args.db)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    print(
        f"{result['rows']:,} rows in {result['seconds']} s: {result['rows_per_s']:,} rows/s "
        f"(re-import {result['reimport_rows_per_s']:,} rows/s; peak RSS {result['peak_rss_mb']} "
        f"MB; stats verify {result['stats_verify']}; history {result['history_verify']}; "
        f"{result['machine']})"
    )


if __name__ == "__main__":
    main()
