"""Benchmark: PAR INDEX results of a province-sized round (issue 11, target < 0.5 s).

    python bench/parindex.py [--db URL] [--units 120] [--fields 8] [--leaves 12] [--years 5]
                             [--repeat 20] [--json]

Builds, in a fresh database (``cchc_bench*``: ``sqlite:////tmp/cchc_bench_parindex.sqlite3`` by
default, or a PostgreSQL URL such as ``postgres://postgres@127.0.0.1:5432/cchc_bench_parindex``,
created and dropped by the run), one criteria set of ``fields × leaves`` leaves (8 × 12 = 96; one
survey leaf per field, some leaves "may be not applicable"), ``--units`` assessed units and
``--years`` yearly rounds of the same level and organiser (the older ones published, the latest
decided), each unit with a score on every leaf (some not applicable, some appraised with a
reason, survey points), written with ``bulk_create``.

Then, with Django's production settings (``DEBUG`` off), after one warm-up:

* ``round_results(latest)``: read the scores of the latest round (one query), add them up over
  the tree, rank, grade, and compute last year's ranking for the change of rank;
* ``results_payload(year)``: the same plus the JSON rows of ``cchc par-results --json``;
* ``province_losses`` and ``unit_losses`` of one unit on the computed results.

Each is repeated ``--repeat`` times; p50/p95/max are printed in ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
import warnings
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_DB = "sqlite:////tmp/cchc_bench_parindex.sqlite3"
TARGET_MS = 500
warnings.filterwarnings("ignore", message="No directory at")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def configure(db_url: str) -> None:
    name = db_url.rsplit("/", 1)[-1]
    if not name.startswith("cchc_bench"):
        raise SystemExit(f"refusing to use {name!r}: benchmark databases are named cchc_bench*")
    if db_url.startswith("sqlite"):
        path = Path(db_url.removeprefix("sqlite:///"))
        path.unlink(missing_ok=True)
    else:
        import psycopg

        admin = db_url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.settings.dev"
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def drop(db_url: str) -> None:
    from django.db import connections

    connections.close_all()
    name = db_url.rsplit("/", 1)[-1]
    if db_url.startswith("sqlite"):
        Path(db_url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(db_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build(units: int, fields: int, leaves: int, years: int, seed: int = 11) -> dict:
    """The set, the units, the rounds and every leaf score; returns counts."""
    from django.core.management import call_command

    from cchc.organisations.models import OrganisationUnit, UnitKind
    from cchc.parindex.models import (
        Assessment,
        AssessmentStatus,
        CriteriaSet,
        Criterion,
        LeafScore,
        Round,
        RoundStatus,
    )

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(seed)
    province = OrganisationUnit.objects.create(
        kind=UnitKind.PROVINCE_COMMITTEE, name="UBND tỉnh Bench", code="bench.000"
    )
    organiser = OrganisationUnit.objects.create(
        kind=UnitKind.DEPARTMENT, name="Sở Nội vụ", code="bench.snv", parent=province
    )
    assessed = [
        OrganisationUnit.objects.create(
            kind=UnitKind.DEPARTMENT, name=f"Đơn vị {n:03d}", code=f"bench.{n:03d}", parent=province
        )
        for n in range(1, units + 1)
    ]
    first_year = date.today().year - years
    cset = CriteriaSet.objects.create(name="Bộ tiêu chí bench", year=first_year, level="department")
    per_field = Decimal(100) / fields
    position = 0
    leaf_rows = []
    for f in range(1, fields + 1):
        field = Criterion.objects.create(
            criteria_set=cset,
            position=position,
            code=str(f),
            name=f"Lĩnh vực {f}",
            max_points=per_field,
        )
        position += 1
        leaf_max = per_field / leaves
        for n in range(1, leaves + 1):
            leaf_rows.append(
                Criterion(
                    criteria_set=cset,
                    parent=field,
                    position=position,
                    code=f"{f}.{n}",
                    name=f"Tiêu chí thành phần {f}.{n}",
                    max_points=leaf_max,
                    method="survey" if n == leaves else "number",
                    may_be_not_applicable=n % 5 == 0,
                )
            )
            position += 1
    Criterion.objects.bulk_create(leaf_rows)
    leaves_in_db = list(Criterion.objects.filter(criteria_set=cset).exclude(method=""))
    score_count = 0
    for offset in range(years):
        year = first_year + offset
        latest = offset == years - 1
        round_ = Round.objects.create(
            name=f"Chỉ số CCHC năm {year}",
            year=year,
            criteria_set=cset,
            organiser=organiser,
            status=RoundStatus.DECIDED if latest else RoundStatus.PUBLISHED,
            self_assessment_opens=date(year + 1, 1, 5),
            self_assessment_closes=date(year + 1, 1, 31),
            appraisal_closes=date(year + 1, 3, 15),
        )
        Assessment.objects.bulk_create(
            [
                Assessment(round=round_, unit=unit, status=AssessmentStatus.APPRAISED)
                for unit in assessed
            ]
        )
        scores = []
        for assessment in Assessment.objects.filter(round=round_):
            skill = rng.uniform(0.55, 1.0)
            for leaf in leaves_in_db:
                row = LeafScore(assessment=assessment, criterion=leaf)
                if leaf.may_be_not_applicable and rng.random() < 0.1:
                    row.not_applicable = True
                elif leaf.method == "survey":
                    row.survey_score = (leaf.max_points * Decimal(rng.uniform(0.6, 1))).quantize(
                        Decimal("0.01")
                    )
                else:
                    own = min(leaf.max_points, leaf.max_points * Decimal(skill + 0.1))
                    row.self_score = own.quantize(Decimal("0.01"))
                    if rng.random() < 0.2:
                        row.appraised_score = (own * Decimal("0.8")).quantize(Decimal("0.01"))
                        row.appraisal_reason = "Tài liệu kiểm chứng chưa đầy đủ"
                scores.append(row)
        LeafScore.objects.bulk_create(scores, batch_size=2000)
        score_count += len(scores)
    return {"leaves": len(leaves_in_db), "units": units, "rounds": years, "scores": score_count}


def timed(function, repeat: int) -> dict:
    function()  # warm-up
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


def run(args) -> dict:
    configure(args.db)
    started = time.perf_counter()
    counts = build(args.units, args.fields, args.leaves, args.years)
    log(f"  built {counts} in {time.perf_counter() - started:.1f} s")
    from django.db import connection

    from cchc.parindex import results as selectors
    from cchc.parindex.models import Round

    latest = Round.objects.select_related("criteria_set").order_by("-year").first()
    result: dict = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU, {platform.platform()}",
        "python": platform.python_version(),
        "database": connection.vendor,
        **counts,
    }
    computed = selectors.round_results(latest)
    assert len(computed.results) == args.units and computed.previous is not None
    result["round_results"] = timed(lambda: selectors.round_results(latest), args.repeat)
    log(f"  round_results: p95 {result['round_results']['p95_ms']} ms")
    result["results_payload"] = timed(
        lambda: selectors.results_payload(latest.year, everything=True), args.repeat
    )
    log(f"  results_payload: p95 {result['results_payload']['p95_ms']} ms")
    unit_id = computed.results[len(computed.results) // 2].extra["unit_id"]
    result["losses"] = timed(
        lambda: (
            selectors.province_losses(computed),
            selectors.unit_losses(computed, unit_id),
        ),
        args.repeat,
    )
    log(f"  province and unit losses: p95 {result['losses']['p95_ms']} ms")
    result["target_ms"] = TARGET_MS
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--units", type=int, default=120)
    parser.add_argument("--fields", type=int, default=8)
    parser.add_argument("--leaves", type=int, default=12, help="leaves per field")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="leave the database behind")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    try:
        result = run(args)
    finally:
        if not args.keep:
            drop(args.db)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
