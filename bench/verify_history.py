"""Benchmark: ``cchc verify-history`` over a PostgreSQL database of sealed histories.

    python bench/verify_history.py [--dossiers 200000] [--units 100] [--years 2] [--workers 2]
                                   [--batch-size 5000] [--fill-workers 1] [--keep] [--json]

Creates the database ``cchc_bench_history`` (``--db`` for another ``cchc_bench*`` name), runs
``migrate``, loads the demo province, users and sample catalog, and fills it with
``cchc generate-demo --events --dossiers N --units U --years Y`` (every dossier with its sealed
history of 1–4 events, as ``generate-demo`` draws it) in ``--fill-workers`` processes (default
one: two shards writing at once have collided on dossier ids on this machine).
``--keep`` reuses the database when it already holds N dossiers.

Then it times, as an operator runs them (the ``cchc`` command in a fresh process, ``DEBUG`` off):

* ``cchc verify-history --workers W --batch-size B`` — every chain, every seal, every head;
* ``cchc history-checkpoint`` — the signed digest of every head;
* ``cchc verify-history --since-checkpoint`` — the same plus the comparison with the checkpoint,

and prints the rate in dossiers/s and events/s and the extrapolation to 10,000,000 dossiers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
import warnings
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from intake import configure, create_database
from reports import existing_rows, fill, log

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cchc_bench_history"
ROOT = Path(__file__).resolve().parent.parent
TARGET_DOSSIERS = 10_000_000
warnings.filterwarnings("ignore", message="No directory at")


def environment(db_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "cchc.settings.dev",
        "DJANGO_DEBUG": "0",
        "LOG_LEVEL": "WARNING",
    }


def cchc(db_url: str, *args: str) -> tuple[float, int, str]:
    """Run ``cchc ARGS`` in a fresh process: (seconds, exit status, stdout)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "cchc", *args],
        env=environment(db_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.stderr.strip():
        log(done.stderr.strip()[-2000:])
    return elapsed, done.returncode, done.stdout


def counted(stdout: str, noun: str) -> tuple[int, int]:
    match = re.search(rf"Đã kiểm tra (\d+) {noun}, (\d+) sự kiện", stdout)
    return (int(match[1]), int(match[2])) if match else (0, 0)


def run(args) -> dict:
    from django.db import connection

    result: dict = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU, {platform.platform()}",
        "python": platform.python_version(),
        "dossiers": args.dossiers,
        "workers": args.workers,
        "batch_size": args.batch_size,
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        result["postgresql"] = cursor.fetchone()[0]
    connection.close()
    verify_args = ["verify-history", "--workers", str(args.workers)]
    verify_args += ["--batch-size", str(args.batch_size)]
    seconds, status, out = cchc(args.db, *verify_args)
    if status != 0:
        raise SystemExit(f"verify-history reported problems (exit {status}):\n{out}")
    owners, events = counted(out, "hồ sơ")
    feedback, feedback_events = counted(out, "phản ánh")
    result["verify"] = {
        "seconds": round(seconds, 1),
        "dossiers": owners,
        "events": events,
        "feedback": feedback,
        "feedback_events": feedback_events,
        "dossiers_per_s": round(owners / seconds),
        "events_per_s": round((events + feedback_events) / seconds),
        "minutes_for_10m_dossiers": round(TARGET_DOSSIERS / (owners / seconds) / 60, 1),
    }
    log(
        f"  verify-history: {owners:,} dossiers, {events:,} events in {seconds:.1f} s "
        f"({owners / seconds:,.0f} dossiers/s, {(events + feedback_events) / seconds:,.0f} "
        f"events/s) → 10M dossiers ≈ {result['verify']['minutes_for_10m_dossiers']} min"
    )
    seconds, status, out = cchc(args.db, "history-checkpoint")
    if status != 0 or not out.startswith("CCHC-CHECKPOINT"):
        raise SystemExit(f"history-checkpoint failed (exit {status}):\n{out}")
    result["checkpoint"] = {"seconds": round(seconds, 1), "line": out.strip()}
    log(f"  history-checkpoint: {seconds:.1f} s")
    seconds, status, out = cchc(args.db, *verify_args, "--since-checkpoint")
    if status != 0:
        raise SystemExit(f"verify-history --since-checkpoint failed (exit {status}):\n{out}")
    result["verify_since_checkpoint"] = {"seconds": round(seconds, 1)}
    log(f"  verify-history --since-checkpoint: {seconds:.1f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--years", type=float, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--fill-workers", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.keep or existing_rows(args.db) != args.dossiers:
        create_database(args.db)
        configure(args.db)
        log(f"filling {args.dossiers:,} dossiers with sealed histories …")
        seconds = fill(
            args.db, args.dossiers, args.units, args.years, args.fill_workers, events=True
        )
        log(f"  filled in {seconds:.0f} s")
    else:
        configure(args.db)
    result = run(args)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
