"""Benchmark: due dates for 1,000,000 dossiers in bulk, against two per-dossier loops.

    python bench/deadlines.py [--n 1000000] [--sample 20000] [--json]

(a) "library": a loop calling the ``holidays`` package's own ``get_nth_working_day`` per dossier;
(b) "naive": a loop stepping day by day through a set of non-working days.
The two loops run on a sample (``--sample``) and are reported as dossiers per second, so the run
stays short; the bulk path runs on all ``--n`` receipts. Every path computes "N working days after
the day of receipt" for the same inputs, and the script checks the bulk answers against the
engine's single path on the sample before timing anything.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import holidays

from cchc.workdays.engine import (
    CalendarEntry,
    DeadlineEngine,
    Rule,
    TimeLimit,
    WorkCalendar,
    statutory_entries,
)
from cchc.workdays.engine.bulk import BulkDeadlines


def official_calendar() -> WorkCalendar:
    """The seeded 2023–2026 schedule (same data as the migration), statute for other years."""
    seed = importlib.import_module("cchc.workdays.migrations.0002_seed_official_schedules")
    entries = [
        CalendarEntry(day, kind == "working_day", name, kind, document)
        for schedule in seed.SCHEDULES.values()
        for day, kind, name, document in schedule["days"]
    ]
    return WorkCalendar(entries, seed.SCHEDULES, provisional_source=statutory_entries)


def receipts(n: int, seed: int = 7) -> np.ndarray:
    rng = np.random.default_rng(seed)
    start = np.datetime64("2023-01-01T00:00")
    return start + rng.integers(0, 4 * 365 * 1440, n).astype("timedelta64[m]")


def run(n: int, sample: int, amount: int) -> dict:
    calendar = official_calendar()
    bulk = BulkDeadlines(calendar)
    engine = DeadlineEngine(calendar)
    received = receipts(n)
    sample_received = [moment.astype(datetime) for moment in received[:sample]]

    # Correctness first: the bulk answers must be the single path's answers.
    answers = bulk.due(received[:sample], Rule.WORKING_DAYS, amount)
    for i in range(0, sample, max(1, sample // 500)):
        expected = engine.due(sample_received[i], TimeLimit(Rule.WORKING_DAYS, amount)).due
        assert answers[i] == np.datetime64(expected, "m"), sample_received[i]

    bulk.due(received[:1000], Rule.WORKING_DAYS, amount)  # warm the calendar arrays
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        bulk.due(received, Rule.WORKING_DAYS, amount)
        best = min(best, time.perf_counter() - started)
    bulk_rate = n / best

    library = holidays.country_holidays("VN", years=range(2022, 2029))
    started = time.perf_counter()
    for moment in sample_received:
        library.get_nth_working_day(moment.date(), amount)
    library_rate = sample / (time.perf_counter() - started)

    span = [date(2022, 12, 1) + timedelta(days=i) for i in range(2500)]
    off = {day for day in span if day.weekday() < 5 and not calendar.is_working_day(day)}
    worked = {day for day in span if day.weekday() >= 5 and calendar.is_working_day(day)}
    started = time.perf_counter()
    for moment in sample_received:
        day, left = moment.date(), amount
        while left:
            day += timedelta(days=1)
            if (day.weekday() < 5 and day not in off) or day in worked:
                left -= 1
    naive_rate = sample / (time.perf_counter() - started)
    return {
        "bulk_per_s": round(bulk_rate),
        "library_per_s": round(library_rate),
        "naive_per_s": round(naive_rate),
        "bulk_vs_library": round(bulk_rate / library_rate, 1),
        "n": n,
        "sample": sample,
        "working_days": amount,
        "machine": f"{platform.machine()}, {platform.processor() or 'unknown cpu'}, "
        f"Python {platform.python_version()}, NumPy {np.__version__}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000)
    parser.add_argument("--working-days", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args.n, min(args.sample, args.n), args.working_days)
    if args.json:
        keys = ("bulk_per_s", "library_per_s", "naive_per_s")
        print(json.dumps({key: result[key] for key in keys}))
        return
    print(f"{'path':<10}{'due dates/s':>16}")
    print(f"{'bulk':<10}{result['bulk_per_s']:>16,}")
    print(f"{'library':<10}{result['library_per_s']:>16,}")
    print(f"{'naive':<10}{result['naive_per_s']:>16,}")
    print(f"bulk is {result['bulk_vs_library']}× the library loop ({result['machine']})")


if __name__ == "__main__":
    main()
