"""Benchmark: counter intake through the service layer on PostgreSQL, dossiers per second.

    python bench/intake.py [--n 2000] [--workers 2] [--same-unit] [--keep] [--json]

Creates the database ``cchc_bench`` (dropped first if it exists; ``--db`` to use another
``cchc_bench*`` name), runs ``migrate`` and loads the demo province, users and sample catalog
(``cchc.demo.province``). Then ``receive_at_counter`` receives ``--n`` dossiers in one process, one
after the other, each with a generated applicant (name, 12-digit CCCD consistent with the date of
birth, phone, address; some authorised representatives and organisations) and the procedure's
mandatory documents, as the counter form sends them. With ``--workers 2`` the same number is then
received again by that many processes at once (spawned, one connection each): by default each
process is the counter of a different commune centre, with ``--same-unit`` they all serve the same
centre and so share its daily number sequence. Afterwards the script checks that every code is
unique, that the daily sequences add up, and that the history chain of a sample verifies.

Settings: ``cchc.settings.dev`` with ``DEBUG`` off (``DJANGO_DEBUG=0`` unless set), as in
production: with ``DEBUG`` on, Django also keeps every SQL statement in memory. The database URL is
never taken from ``DATABASE_URL``, so a real database cannot be dropped by mistake.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cchc_bench"
WARM_UP = 20  # intakes before the clock starts (calendar cache, first queries)
SAMPLE = 200  # dossiers whose history chain is verified afterwards

# Worker i is the counter of COUNTERS[i % len(COUNTERS)]: the demo officer at phường Đông Thành,
# officers created by the script at the other commune centres.
COUNTERS = [
    ("000.01.31.H99", "motcua.dongthanh"),
    ("000.01.32.H99", "bench.motcua.taylson"),
    ("000.01.33.H99", "bench.motcua.hoabinh"),
    ("000.01.34.H99", "bench.motcua.tanlap"),
    ("000.01.35.H99", "bench.motcua.phumy"),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Quang", "Thanh", "Hữu", "Kim", "Xuân"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai", "Nam"]
STREETS = [
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Hai Bà Trưng",
    "Quang Trung",
    "Lý Thường Kiệt",
]
COMPANIES = [
    "Công ty TNHH Thương mại An Phát",
    "Công ty Cổ phần Xây dựng Đông Á",
    "HTX Nông nghiệp",
]


def configure(db_url: str) -> None:
    name = db_url.rsplit("/", 1)[-1]
    if not name.startswith("cchc_bench"):
        raise SystemExit(f"refusing to use {name!r}: benchmark databases are named cchc_bench*")
    os.environ["DATABASE_URL"] = db_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.settings.dev"
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()


def admin_execute(db_url: str, *statements: str) -> None:
    """Run statements on the server's ``postgres`` database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(db_url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def create_database(db_url: str) -> None:
    name = db_url.rsplit("/", 1)[-1]
    admin_execute(
        db_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )


def drop_database(db_url: str) -> None:
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()
    name = db_url.rsplit("/", 1)[-1]
    admin_execute(db_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare() -> None:
    """Schema, demo province, users and catalog, and one officer per commune centre."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from cchc.demo import province as demo
    from cchc.organisations.models import Role, RoleAssignment

    call_command("migrate", verbosity=0, interactive=False)
    units = demo.load_units()
    demo.load_users(units)
    demo.load_catalog(units)
    users = get_user_model().objects
    for code, username in COUNTERS:
        user, _ = users.get_or_create(username=username, defaults={"full_name": username})
        RoleAssignment.objects.get_or_create(
            user=user, unit=units[code], role=Role.ONE_STOP_OFFICER
        )


def applicant(rng: random.Random):
    from cchc.dossiers.services import Applicant

    today = date.today()
    birth = today - timedelta(days=rng.randint(18 * 365, 80 * 365))
    century_sex = (0 if birth.year < 2000 else 2) + rng.randint(0, 1)
    cccd = (
        f"0{rng.randint(1, 96):02d}{century_sex}{birth.year % 100:02d}{rng.randint(0, 999999):06d}"
    )
    person = {
        "name": f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
        "phone": f"0{rng.choice([3, 7, 8, 9])}{rng.randint(10**7, 10**8 - 1)}",
        "address": f"Số {rng.randint(1, 300)} đường {rng.choice(STREETS)}, tỉnh An Bình",
    }
    roll = rng.random()
    if roll < 0.10:  # an organisation, represented by an authorised person
        return Applicant(
            kind="organisation",
            name=rng.choice(COMPANIES),
            id_type="tax_code",
            id_number=f"{rng.randint(10**9, 10**10 - 1)}",
            phone=person["phone"],
            email="vanthu@example.vn",
            address=person["address"],
            representative_name=person["name"],
            representative_id_number=cccd,
            representative_phone=person["phone"],
            authorisation_document=f"Giấy ủy quyền số {rng.randint(1, 99)}/GUQ",
        )
    extra = {}
    if roll < 0.25:  # an individual represented by a relative
        relative = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        relative_id = f"0{rng.randint(1, 96):02d}1{rng.randint(0, 10**8 - 1):08d}"
        extra = {
            "representative_name": relative,
            "representative_id_number": relative_id,
            "authorisation_document": "Văn bản ủy quyền có chứng thực",
        }
    return Applicant(
        kind="individual",
        name=person["name"],
        id_type="cccd",
        id_number=cccd,
        birth_date=birth,
        phone=person["phone"],
        email=f"congdan{rng.randint(1, 10**6)}@example.vn" if rng.random() < 0.3 else "",
        address=person["address"],
        **extra,
    )


def counter_setup(unit_code: str, username: str):
    """The officer, the unit and, per procedure, the documents the counter form would send."""
    from django.contrib.auth import get_user_model

    from cchc.catalog.models import Procedure
    from cchc.organisations.models import OrganisationUnit

    officer = get_user_model().objects.get(username=username)
    unit = OrganisationUnit.objects.get(code=unit_code)
    # Plain objects, no prefetching: each intake reads the components, fees and workflow steps
    # as the counter view does.
    procedures = list(
        Procedure.objects.active()
        .filter(level_commune=True, channel_counter=True, workflow_steps__isnull=False)
        .distinct()
    )
    documents = {
        procedure.pk: [
            {"required_id": c.pk, "originals": c.originals, "copies": c.copies}
            for c in procedure.components.all()
            if c.mandatory
        ]
        for procedure in procedures
    }
    return officer, unit, procedures, documents


def receive_many(officer, unit, procedures, documents, n: int, rng: random.Random) -> list[str]:
    from cchc.dossiers.services import receive_at_counter

    codes = []
    for _ in range(n):
        procedure = rng.choice(procedures)
        dossier = receive_at_counter(
            officer, unit, procedure, applicant(rng), documents[procedure.pk]
        )
        codes.append(dossier.code)
    return codes


def worker(db_url: str, index: int, n: int, same_unit: bool, barrier, results) -> None:
    configure(db_url)
    unit_code, username = COUNTERS[0 if same_unit else index % len(COUNTERS)]
    if same_unit and index:
        username = COUNTERS[index % len(COUNTERS)][1]  # another officer at the same counter
        _grant(username, unit_code)
    officer, unit, procedures, documents = counter_setup(unit_code, username)
    rng = random.Random(1000 + index)
    receive_many(officer, unit, procedures, documents, 2, rng)  # warm up this process
    barrier.wait()
    started = time.monotonic()
    codes = receive_many(officer, unit, procedures, documents, n, rng)
    results.put((index, started, time.monotonic(), len(codes)))


def _grant(username: str, unit_code: str) -> None:
    from django.contrib.auth import get_user_model

    from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment

    RoleAssignment.objects.get_or_create(
        user=get_user_model().objects.get(username=username),
        unit=OrganisationUnit.objects.get(code=unit_code),
        role=Role.ONE_STOP_OFFICER,
    )


def run_parallel(db_url: str, n: int, workers: int, same_unit: bool) -> float:
    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(workers), ctx.Queue()
    shares = [n // workers + (1 if i < n % workers else 0) for i in range(workers)]
    processes = [
        ctx.Process(target=worker, args=(db_url, i, shares[i], same_unit, barrier, results))
        for i in range(workers)
    ]
    for process in processes:
        process.start()
    done = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
        if process.exitcode:
            raise SystemExit(f"a worker failed (exit code {process.exitcode})")
    started = min(item[1] for item in done)
    finished = max(item[2] for item in done)
    return sum(item[3] for item in done) / (finished - started)


def queries_per_intake(officer, unit, procedures, documents) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        receive_many(officer, unit, procedures, documents, 1, random.Random(5))
    return len(captured.captured_queries)


def check(expected: int) -> dict:
    """Codes unique and complete, sequences consistent, history chains intact on a sample."""
    from django.db.models import Count, Sum

    from cchc.dossiers.models import DailySequence, Dossier, DossierEvent
    from cchc.dossiers.services import verify_chain

    total = Dossier.objects.count()
    codes = Dossier.objects.exclude(code=None).values("code").distinct().count()
    issued = DailySequence.objects.aggregate(total=Sum("last_value"))["total"]
    assert total == expected, f"{total} dossiers, expected {expected}"
    assert codes == total, f"{total - codes} dossiers without a unique code"
    assert issued == total, f"daily sequences issued {issued} numbers for {total} dossiers"
    single = DossierEvent.objects.values("dossier").annotate(n=Count("id")).filter(n=1).count()
    assert single == total, "every dossier has exactly its 'received' event"
    ids = list(Dossier.objects.values_list("pk", flat=True))
    sample = random.Random(3).sample(ids, min(SAMPLE, len(ids)))
    for dossier in Dossier.objects.filter(pk__in=sample):
        problem = verify_chain(dossier)
        assert problem is None, problem
    return {"dossiers": total, "verified_chains": len(sample)}


def run(db_url: str, n: int, workers: int, same_unit: bool) -> dict:
    from django.db import connection

    create_database(db_url)
    configure(db_url)
    prepare()
    officer, unit, procedures, documents = counter_setup(*COUNTERS[0])
    rng = random.Random(2026)
    receive_many(officer, unit, procedures, documents, WARM_UP, rng)
    queries = queries_per_intake(officer, unit, procedures, documents)

    started = time.perf_counter()
    receive_many(officer, unit, procedures, documents, n, rng)
    single = n / (time.perf_counter() - started)
    expected = WARM_UP + 1 + n

    parallel = None
    if workers > 1:
        parallel = run_parallel(db_url, n, workers, same_unit)
        expected += n + 2 * workers
    checked = check(expected)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    return {
        "intake_per_s": round(single),
        "intake_parallel_per_s": round(parallel) if parallel else None,
        "n": n,
        "workers": workers,
        "same_unit": same_unit,
        "queries_per_intake": queries,
        "procedures": len(procedures),
        **checked,
        "machine": f"{os.cpu_count()} CPU {platform.machine()}, "
        f"Python {platform.python_version()}, PostgreSQL {server}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="intakes per configuration")
    parser.add_argument("--workers", type=int, default=1, help="parallel processes (2+ to run)")
    parser.add_argument("--same-unit", action="store_true", help="all workers at one centre")
    parser.add_argument("--db", default=DEFAULT_DB, help="database URL (name cchc_bench*)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    try:
        result = run(args.db, args.n, args.workers, args.same_unit)
    finally:
        if not args.keep:
            drop_database(args.db)
    if args.json:
        keys = ("intake_per_s", "intake_parallel_per_s")
        print(json.dumps({key: result[key] for key in keys}))
        return
    print(f"{'configuration':<34}{'dossiers/s':>12}")
    print(f"{'1 process':<34}{result['intake_per_s']:>12,}")
    if result["intake_parallel_per_s"]:
        where = "one centre" if args.same_unit else "one centre each"
        label = f"{args.workers} processes, {where}"
        print(f"{label:<34}{result['intake_parallel_per_s']:>12,}")
    print(
        f"{result['n']} intakes per configuration, {result['queries_per_intake']} SQL statements "
        f"per intake, {result['procedures']} procedures; checked {result['dossiers']} codes "
        f"unique, {result['verified_chains']} chains verified ({result['machine']})"
    )


if __name__ == "__main__":
    main()
