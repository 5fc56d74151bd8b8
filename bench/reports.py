"""Benchmark: the province-year report and the Decision 766 index on PostgreSQL at provincial scale.

    python bench/reports.py [--dossiers 10000000] [--units 500] [--years 3] [--workers 2]
                            [--repeat 20] [--keep] [--json]

Creates the database ``cchc_bench_reports`` (``--db`` for another ``cchc_bench*`` name), runs
``migrate``, loads the demo province, users and sample catalog, and fills it with
``cchc generate-demo --dossiers N --units U --years Y --no-events`` split over ``--workers``
processes (``--shard k/n``). ``--keep`` reuses the database when it already holds N dossiers.

Then, in the same run, with Django's settings for production (``DEBUG`` off):

* the period report for the whole province for the last full calendar year (``build_report``,
  what ``cchc report`` and the report page call), and the year to date (a period that ends inside
  a month, so day counters are read too);
* the 766 index for the whole province over the same year (``cchc.index766.services``);
* a naive full scan: one SQL statement computing the report's headline numbers straight from
  ``dossiers_dossier`` (what a system without counters does on every request).

Each is repeated ``--repeat`` times (the naive scan 3 times) and p50/p95/max are printed in ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import warnings
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from intake import configure, create_database

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cchc_bench_reports"
TARGET_MS = 200
ROOT = Path(__file__).resolve().parent.parent
warnings.filterwarnings("ignore", message="No directory at")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def existing_rows(db_url: str) -> int | None:
    import psycopg

    try:
        with psycopg.connect(db_url) as conn:
            return conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()[0]
    except psycopg.Error:
        return None


def fill(
    db_url: str, dossiers: int, units: int, years: float, workers: int, events: bool = False
) -> float:
    """Fill the database with ``cchc generate-demo`` in ``workers`` shards; the seconds it took.

    ``events``: also write each dossier's sealed history (bench/verify_history.py)."""
    from django.core.management import call_command

    from cchc.demo import province as demo
    from cchc.demo.generate import receiving_units

    call_command("migrate", verbosity=0, interactive=False)
    loaded = demo.load_units()
    demo.load_users(loaded)
    demo.load_catalog(loaded)
    receiving_units(units)  # created once, before the workers start
    from django.db import connections

    connections.close_all()
    started = time.perf_counter()
    env = {**os.environ, "DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "cchc.settings.dev"}
    history = "--events" if events else "--no-events"
    command = [sys.executable, "-m", "cchc", "generate-demo", history, "-v", "2"]
    command += ["--dossiers", str(dossiers), "--units", str(units), "--years", str(years)]
    processes = [
        subprocess.Popen([*command, "--shard", f"{k}/{workers}"], env=env, cwd=ROOT)
        for k in range(workers)
    ]
    for process in processes:
        if process.wait() != 0:
            raise SystemExit("generate-demo failed")
    elapsed = time.perf_counter() - started
    with connections["default"].cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return elapsed


def timed(function, repeat: int) -> dict:
    function()  # warm-up: connection, caches of the catalog and units
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, round(0.95 * len(samples)) - 1)], 1),
        "max_ms": round(samples[-1], 1),
        "runs": repeat,
    }


NAIVE_SQL = """
SELECT
  count(*) FILTER (WHERE received_at < %(start)s AND (COALESCE(resolved_at, closed_at) IS NULL
                   OR COALESCE(resolved_at, closed_at) >= %(start)s)) AS carried_over,
  count(*) FILTER (WHERE received_at >= %(start)s AND received_at < %(end)s) AS received,
  count(*) FILTER (WHERE received_at >= %(start)s AND received_at < %(end)s AND channel = 2)
      AS received_online,
  count(*) FILTER (WHERE resolved_at >= %(start)s AND resolved_at < %(end)s
                   AND outcome = 'approved' AND resolved_at <= due_at) AS resolved_in_time,
  count(*) FILTER (WHERE resolved_at >= %(start)s AND resolved_at < %(end)s
                   AND outcome = 'approved' AND (resolved_at > due_at OR late_by_rule))
      AS resolved_late,
  count(*) FILTER (WHERE received_at < %(end)s AND (COALESCE(resolved_at, closed_at) IS NULL
                   OR COALESCE(resolved_at, closed_at) >= %(end)s)) AS in_progress,
  count(*) FILTER (WHERE received_at < %(end)s AND due_at < %(end)s
                   AND (COALESCE(resolved_at, closed_at) IS NULL
                        OR COALESCE(resolved_at, closed_at) >= %(end)s)) AS in_progress_late,
  count(*) FILTER (WHERE closed_at >= %(start)s AND closed_at < %(end)s AND status = 7)
      AS withdrawn
FROM dossiers_dossier WHERE received_at IS NOT NULL
"""


def run(args) -> dict:
    configure(args.db)
    from django.db import connection

    from cchc.reports.selectors import ReportRequest, build_report

    result: dict = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU, {platform.platform()}",
        "python": platform.python_version(),
        "dossiers": args.dossiers,
        "units": args.units,
        "years": args.years,
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        result["postgresql"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM dossiers_dossier")
        result["dossier_rows"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM reports_statcell")
        result["counter_rows"] = cursor.fetchone()[0]
    today = date.today()
    year = today.year - 1
    full_year = (date(year, 1, 1), date(year, 12, 31))
    to_date = (date(today.year, 1, 1), today)

    def report(period):
        return lambda: build_report(ReportRequest(start=period[0], end=period[1]))

    result["report_year"] = timed(report(full_year), args.repeat)
    log(f"  province report {year}: p95 {result['report_year']['p95_ms']} ms")
    result["report_year_to_date"] = timed(report(to_date), args.repeat)
    log(f"  province report year to date: p95 {result['report_year_to_date']['p95_ms']} ms")
    result["report_year_by_unit"] = timed(
        lambda: build_report(ReportRequest(start=full_year[0], end=full_year[1], by="unit")),
        max(3, args.repeat // 4),
    )
    log(f"  province report {year} by unit: p95 {result['report_year_by_unit']['p95_ms']} ms")
    try:
        from cchc.index766.services import compute_index
    except ImportError:
        compute_index = None
    if compute_index is not None:
        result["index766_year"] = timed(lambda: compute_index(None, *full_year), args.repeat)
        log(f"  766 index {year}: p95 {result['index766_year']['p95_ms']} ms")
    from django.utils import timezone

    bounds = {
        "start": timezone.make_aware(timezone.datetime(year, 1, 1)),
        "end": timezone.make_aware(timezone.datetime(year + 1, 1, 1)),
    }

    def naive():
        with connection.cursor() as cursor:
            cursor.execute(NAIVE_SQL, bounds)
            return cursor.fetchone()

    result["naive_scan_year"] = timed(naive, 3)
    log(f"  naive full scan {year}: p95 {result['naive_scan_year']['p95_ms']} ms")
    result["target_ms"] = TARGET_MS
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--dossiers", type=int, default=10_000_000)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--years", type=float, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (args.keep and existing_rows(args.db) == args.dossiers):
        log(f"creating {args.db.rsplit('/', 1)[-1]} with {args.dossiers:,} dossiers…")
        create_database(args.db)
        configure(args.db)
        elapsed = fill(args.db, args.dossiers, args.units, args.years, args.workers)
        log(f"  filled in {elapsed:.0f} s")
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
