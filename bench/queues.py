"""Benchmark: officers' queue pages with 1,000,000 dossiers in PostgreSQL, p50/p95/max in ms.

    python bench/queues.py [--rows 1000000] [--requests 50] [--keep] [--json]

Creates the database ``cchc_bench_queues`` (``--db`` for another ``cchc_bench*`` name), runs
``migrate``, loads the demo province, users and sample catalog, adds communes until 20 units
receive dossiers, and writes ``--rows`` dossiers straight into ``dossiers_dossier`` with one
``INSERT … SELECT … FROM generate_series`` (a few minutes for a million rows). Then
``VACUUM ANALYZE``, as autovacuum would do after such a load.

The rows: 20 receiving units of unequal size (the provincial centre and 19 commune centres),
received on working days over the last three years; ~88% returned (10), ~7% open (2/4/5/6: 90%
received within about their time limit, 10% an old overdue backlog), the rest resolved, refused,
withdrawn, stopped, submitted or draft. Procedures come from the catalog (commune-level ones at
the communes, province-level ones at the provincial centre, processed by their department);
open dossiers sit at their workflow step, in the commune committee once past the counter, some
assigned to the demo officers. Codes follow ``unit-YYMMDD-NNNN`` with a daily sequence per unit.
Events, components and pauses are not written: the queue page does not read them.

Each page is requested through Django's test ``Client`` (``force_login``, full middleware and
template) as the one-stop officer of phường Đông Thành, the leader of that commune and a superuser:
``--warm-up`` requests, then ``--requests`` timed ones, per queue. When a page's p95 reaches
100 ms the script prints ``EXPLAIN ANALYZE`` of its slowest SQL statement. ``--keep`` keeps the
database and reuses it on the next run (no refill when it already holds ``--rows`` dossiers).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from intake import admin_execute, configure, drop_database

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cchc_bench_queues"
TARGET_MS = 100
RECEIVING_UNITS = 20
USERS = [  # (label, username)
    ("officer", "motcua.dongthanh"),
    ("leader", "lanhdao.dongthanh"),
    ("superuser", "quantri"),
]
QUEUES = ["can-xu-ly", "dang-xu-ly", "qua-han", "sap-den-han", "tat-ca", "search"]
NEW_COMMUNES = [
    "xã Bình Minh", "xã Hưng Đạo", "phường Nam Sơn", "xã Phước Long", "xã Tân Phú",
    "phường Bắc Hà", "xã Vĩnh Hòa", "xã An Thạnh", "phường Trung Tâm", "xã Long Điền",
    "xã Hòa Thuận", "xã Mỹ Lộc", "phường Thạnh Xuân", "xã Đại Đồng",
]  # fmt: skip

# Status mix: (status, share, "recent" = received mostly in the last 45 days).
STATUSES = [
    (0, 0.002, True),  # draft (no code, hidden from officers)
    (1, 0.003, True),  # submitted online, to check
    (2, 0.015, True),  # received
    (4, 0.040, True),  # processing
    (5, 0.010, True),  # supplement requested
    (6, 0.005, True),  # financial obligation
    (3, 0.010, False),  # not received
    (7, 0.010, False),  # withdrawn
    (8, 0.005, False),  # stopped
    (9, 0.020, True),  # resolved, result waiting at the counter
    (10, None, False),  # returned: the rest
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


warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, no collectstatic


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def database_rows(db_url: str) -> int | None:
    """Dossiers in an existing benchmark database, None when there is none (or no schema)."""
    import psycopg

    try:
        with psycopg.connect(db_url) as conn:
            return conn.execute("SELECT count(*) FROM dossiers_dossier").fetchone()[0]
    except psycopg.Error:
        return None


# -- the data ------------------------------------------------------------------------------------
def receiving_units():
    """The provincial centre, the five demo commune centres and new communes up to 20."""
    from cchc.organisations.models import OrganisationUnit, UnitKind

    province = OrganisationUnit.objects.get(code="000.00.00.H99")
    centres = [OrganisationUnit.objects.get(code="000.00.01.H99")]
    centres += list(
        OrganisationUnit.objects.filter(kind=UnitKind.SERVICE_CENTRE, parent__parent=province)
    )
    for number, name in enumerate(NEW_COMMUNES, start=41):
        if len(centres) >= RECEIVING_UNITS:
            break
        commune, _ = OrganisationUnit.objects.get_or_create(
            code=f"000.00.{number}.H99",
            defaults={"kind": UnitKind.COMMUNE_COMMITTEE, "name": f"Ủy ban nhân dân {name}",
                      "parent": province},
        )  # fmt: skip
        centre, _ = OrganisationUnit.objects.get_or_create(
            code=f"000.01.{number}.H99",
            defaults={"kind": UnitKind.SERVICE_CENTRE, "parent": commune,
                      "name": f"Trung tâm Phục vụ hành chính công {name}"},
        )  # fmt: skip
        centres.append(centre)
    return centres


def procedures_table() -> list[tuple]:
    """(procedure id, province level?, first step, second step, department, calendar days)."""
    from cchc.catalog.models import Procedure
    from cchc.organisations.models import UnitKind

    rows = []
    for procedure in Procedure.objects.prefetch_related("workflow_steps", "implementing_units"):
        steps = [step.pk for step in procedure.workflow_steps.all()] or [None]
        department = next(
            (
                u.pk
                for u in procedure.implementing_units.all()
                if u.kind != UnitKind.COMMUNE_COMMITTEE
            ),
            None,
        )
        limit = procedure.time_limit()
        if limit.rule.value == "working_days":
            days = limit.amount * 7 / 5
        elif limit.rule.value == "same_day":
            days = 0.2
        elif limit.rule.value == "working_hours":
            days = limit.amount / 8 * 7 / 5
        else:
            days = limit.amount
        for level, wanted in ((False, procedure.level_commune), (True, procedure.level_province)):
            if wanted and (not level or department):
                rows.append(
                    (procedure.pk, level, steps[0], steps[min(1, len(steps) - 1)],
                     department, max(days, 0.2))
                )  # fmt: skip
    return rows


def fill(rows: int) -> None:
    """Write ``rows`` dossiers with SQL: a scratch table of random draws, then one INSERT."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from cchc.dossiers.models import Dossier

    centres = receiving_units()
    procedures = procedures_table()
    users = {u.username: u.pk for u in get_user_model().objects.all()}
    weights = [6.0] + [1.0 + (i % 5) * 0.5 for i in range(len(centres) - 1)]  # uneven communes
    total = sum(weights)
    bounds, low = [], 0.0
    for centre, weight in zip(centres, weights, strict=True):
        bounds.append((centre.pk, centre.parent_id, centre.code, low, low + weight / total,
                       centre.code == "000.00.01.H99"))  # fmt: skip
        low += weight / total
    status_rows, low = [], 0.0
    for status, share, recent in STATUSES:
        high = 1.0 if share is None else low + share
        status_rows.append((status, low, high, recent))
        low = high

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SELECT setseed(0.2026)")
        cursor.execute(
            "CREATE TEMP TABLE bench_units (unit_id bigint, parent_id bigint, code text,"
            " lo float8, hi float8, province bool) ON COMMIT DROP"
        )
        cursor.executemany("INSERT INTO bench_units VALUES (%s, %s, %s, %s, %s, %s)", bounds)
        cursor.execute(
            "CREATE TEMP TABLE bench_statuses (status int, lo float8, hi float8, recent bool)"
            " ON COMMIT DROP"
        )
        cursor.executemany("INSERT INTO bench_statuses VALUES (%s, %s, %s, %s)", status_rows)
        cursor.execute(
            "CREATE TEMP TABLE bench_procs (idx int, province bool, procedure_id bigint,"
            " step1 bigint, step2 bigint, department bigint, days float8) ON COMMIT DROP"
        )
        for province in (False, True):
            chosen = [row for row in procedures if row[1] == province]
            cursor.executemany(
                "INSERT INTO bench_procs VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [(i, *row[1:2], row[0], *row[2:]) for i, row in enumerate(chosen)],
            )
        log(f"drawing {rows:,} dossiers…")
        started = time.perf_counter()
        cursor.execute(DRAW_SQL, {"rows": rows, "family": FAMILY, "middle": MIDDLE,
                                  "given": GIVEN, "streets": STREETS})  # fmt: skip
        log(f"  drawn in {time.perf_counter() - started:.0f} s; inserting…")
        started = time.perf_counter()
        columns, values, params = insert_columns(Dossier, users)
        cursor.execute(
            f"INSERT INTO dossiers_dossier ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} FROM bench_draw d ORDER BY d.received_at",
            params,
        )
        log(f"  inserted in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE dossiers_dossier")
    log(f"  VACUUM ANALYZE in {time.perf_counter() - started:.0f} s")


# One row per dossier: unit, status, procedure, times and the applicant, then the daily number.
DRAW_SQL = """
CREATE TEMP TABLE bench_draw ON COMMIT DROP AS
WITH raw AS (
    SELECT g, random() AS r_unit, random() AS r_status, random() AS r_recent, random() AS r_day,
           random() AS r_minute, random() AS r_proc, random() AS r_speed, random() AS r_channel,
           random() AS r_handler
    FROM generate_series(1::bigint, %(rows)s) AS g
), counts AS (
    SELECT province, count(*) AS n FROM bench_procs GROUP BY province
), placed AS (
    SELECT raw.*, u.unit_id, u.parent_id, u.code AS unit_code, u.province, s.status, s.recent,
           p.procedure_id, p.step1, p.step2, p.department, p.days
    FROM raw
    JOIN bench_units u ON raw.r_unit >= u.lo AND raw.r_unit < u.hi
    JOIN bench_statuses s ON raw.r_status >= s.lo AND raw.r_status < s.hi
    JOIN counts c ON c.province = u.province
    JOIN bench_procs p ON p.province = u.province AND p.idx = floor(raw.r_proc * c.n)::int
), base AS (
    -- The last working day before today: dossiers are placed a number of working days before it.
    SELECT y - CASE extract(isodow FROM y) WHEN 6 THEN 1 WHEN 7 THEN 2 ELSE 0 END AS day
    FROM (SELECT current_date - 1 AS y) AS yesterday
), dated AS (
    -- Open work was mostly received within about its time limit; the rest over three years.
    SELECT placed.*,
           (r_day * CASE WHEN recent AND r_recent < 0.9
                         THEN LEAST(32, GREATEST(5, days * 0.8))
                         ELSE 3 * 261 END)::int AS n
    FROM placed
), working AS (
    SELECT dated.*,
           base.day - (n / 5 * 7 + mod(n, 5)
                       + CASE WHEN mod(n, 5) >= extract(isodow FROM base.day) THEN 2 ELSE 0 END
                      )::int AS local_day
    FROM dated, base
), timed AS (
    SELECT working.*,
           ((local_day + time '07:30' + (r_minute * 570) * interval '1 minute')
               AT TIME ZONE 'Asia/Ho_Chi_Minh') AS received_at
    FROM working
)
SELECT timed.*,
       received_at + days * interval '1 day' AS due_at,
       LEAST(received_at + days * (0.3 + r_speed * 0.9) * interval '1 day', now()) AS done_at,
       row_number() OVER (PARTITION BY unit_id, local_day ORDER BY received_at, g) AS seq,
       %(family)s::text[] AS family, %(middle)s::text[] AS middle, %(given)s::text[] AS given,
       %(streets)s::text[] AS streets
FROM timed
"""


def insert_columns(model, users: dict[str, int]) -> tuple[list[str], list[str], list]:
    """Column list and SQL expressions; a column the draw does not set gets its field default."""
    from django.db import connection

    officer, processor = users["motcua.dongthanh"], users["chuyenvien.dongthanh"]
    open_statuses = "(2, 4, 5, 6)"
    done = "d.done_at"
    expressions = {
        "code": "CASE WHEN d.status = 0 THEN NULL ELSE d.unit_code || '-' || "
        "to_char(d.local_day, 'YYMMDD') || '-' || "
        # At least four digits, more past 9,999 a day, as the allocator's {seq:04d} gives them
        # (lpad alone would cut 10000 to 1000, a duplicate code).
        "CASE WHEN d.seq < 10000 THEN lpad(d.seq::text, 4, '0') ELSE d.seq::text END END",
        "receiving_unit_id": "d.unit_id",
        "current_unit_id": "CASE WHEN d.status IN (4, 5, 6) THEN "
        "COALESCE(CASE WHEN d.province THEN d.department END, d.parent_id) ELSE d.unit_id END",
        "procedure_id": "d.procedure_id",
        "status": "d.status",
        "channel": "CASE WHEN d.status IN (0, 1) OR d.r_channel < 0.33 THEN 2 "
        "WHEN d.r_channel < 0.35 THEN 3 ELSE 1 END",
        "online_mode": "CASE WHEN d.status IN (0, 1) OR d.r_channel < 0.33 THEN 'full' ELSE '' END",
        "applicant_kind": "CASE WHEN mod(d.g, 10) = 0 THEN 'organisation' ELSE 'individual' END",
        "applicant_name": "d.family[1 + mod(d.g, 12)] || ' ' "
        "|| d.middle[1 + mod(d.g / 12, 11)] || ' ' || d.given[1 + mod(d.g / 132, 12)]",
        "applicant_id_type": "CASE WHEN mod(d.g, 10) = 0 THEN 'tax_code' ELSE 'cccd' END",
        "applicant_id_number": "lpad(mod(d.g * 7919 + 12345, 1000000000000)::text, 12, '0')",
        "applicant_phone": "'09' || lpad(mod(d.g * 104729, 100000000)::text, 8, '0')",
        "applicant_address": "'Số ' || (1 + mod(d.g, 300)) || ' đường ' "
        "|| d.streets[1 + mod(d.g, 6)]",
        "submitted_at": "CASE WHEN d.status = 0 THEN NULL ELSE d.received_at END",
        "received_at": "CASE WHEN d.status IN (0, 1, 3) THEN NULL ELSE d.received_at END",
        "effective_received_at": "CASE WHEN d.status IN (0, 1, 3) THEN NULL ELSE d.received_at END",
        "due_at": "CASE WHEN d.status IN (0, 1, 3) THEN NULL ELSE d.due_at END",
        "appointment_at": "CASE WHEN d.status IN (0, 1, 3) THEN NULL ELSE d.due_at END",
        "resolved_at": f"CASE WHEN d.status IN (9, 10) THEN {done} END",
        "returned_at": f"CASE WHEN d.status = 10 THEN {done} + interval '1 day' END",
        "closed_at": f"CASE WHEN d.status = 10 THEN {done} + interval '1 day' "
        f"WHEN d.status IN (3, 7, 8) THEN d.received_at + interval '2 days' END",
        "current_step_id": f"CASE WHEN d.status = 2 THEN d.step1 "
        f"WHEN d.status IN {open_statuses} THEN d.step2 END",
        "current_handler_id": f"CASE WHEN d.status = 2 AND d.r_handler < 0.5 AND "
        f"d.unit_code = '000.01.31.H99' THEN {officer} WHEN d.status IN (4, 5, 6) AND "
        f"d.r_handler < 0.7 AND d.unit_code = '000.01.31.H99' THEN {processor} END",
        "outcome": "CASE WHEN d.status IN (9, 10) THEN 'approved' ELSE '' END",
        "result_number": "CASE WHEN d.status IN (9, 10) THEN (mod(d.g, 999) + 1) || '/QĐ-UBND' "
        "ELSE '' END",
        "result_date": f"CASE WHEN d.status IN (9, 10) THEN ({done})::date END",
        "return_method": "CASE WHEN d.status = 10 THEN 'counter' ELSE '' END",
        "returned_to": "CASE WHEN d.status = 10 THEN d.family[1 + mod(d.g, 12)] ELSE '' END",
        "fee_amount": "CASE WHEN mod(d.g, 4) = 0 THEN 50000 ELSE 0 END",
        "version": "CASE WHEN d.status = 10 THEN 6 ELSE 2 END",
        "created_at": "d.received_at",
        "updated_at": f"COALESCE(CASE WHEN d.status = 10 THEN {done} END, d.received_at)",
    }
    columns, values, params = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.column in expressions:
            values.append(expressions[field.column])
        elif field.null:
            values.append("NULL")
        else:
            values.append("%s")
            params.append(field.get_db_prep_save(field.get_default(), connection=connection))
    return columns, values, params


# -- timing --------------------------------------------------------------------------------------
def search_prefix() -> str:
    """A code prefix an officer types: their centre and a recent day (one day's dossiers)."""
    from cchc.dossiers.models import Dossier

    latest = (
        Dossier.objects.filter(receiving_unit__code="000.01.31.H99", code__isnull=False)
        .order_by("-submitted_at")
        .values_list("code", flat=True)
        .first()
    )
    return latest.rsplit("-", 1)[0] if latest else "000.01.31.H99"


def url_for(queue: str, prefix: str) -> str:
    if queue == "search":
        return f"/ho-so/hang-doi/tat-ca/?q={prefix}"
    return f"/ho-so/hang-doi/{queue}/"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return ordered[rank]


def time_pages(requests: int, warm_up: int) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cchc.dossiers import selectors

    prefix = search_prefix()
    results = []
    for label, username in USERS:
        user = get_user_model().objects.get(username=username)
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        for queue in QUEUES:
            url = url_for(queue, prefix)
            rows = selectors.search(
                selectors.queue(user, "tat-ca" if queue == "search" else queue),
                prefix if queue == "search" else "",
            ).count()
            for _ in range(warm_up):
                assert client.get(url).status_code == 200, url
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, url
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
            results.append(
                {
                    "user": label,
                    "queue": queue,
                    "url": url,
                    "rows": rows,
                    "p50": statistics.median(times),
                    "p95": percentile(times, 0.95),
                    "max": max(times),
                    "queries": len(captured.captured_queries),
                    "slowest_sql": slowest["sql"],
                    "slowest_ms": float(slowest["time"]) * 1000,
                }
            )
            log(f"  {label:<10} {queue:<12} p95 {results[-1]['p95']:7.1f} ms")
    return results


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def run(db_url: str, rows: int, requests: int, warm_up: int, keep: bool) -> dict:
    existing = database_rows(db_url) if keep else None
    if existing is None or existing < rows:
        name = db_url.rsplit("/", 1)[-1]
        admin_execute(
            db_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
        )
        configure(db_url)
        from django.core.management import call_command

        from cchc.demo import province as demo

        call_command("migrate", verbosity=0, interactive=False)
        units = demo.load_units()
        demo.load_users(units)
        demo.load_catalog(units)
        fill(rows)
    else:
        configure(db_url)
        log(f"reusing {existing:,} dossiers in {db_url.rsplit('/', 1)[-1]}")
    from django.db import connection

    log("timing pages…")
    pages = time_pages(requests, warm_up)
    slow = [page for page in pages if page["p95"] >= TARGET_MS]
    explains = {}
    for page in slow:
        explains[f"{page['user']} {page['queue']}"] = explain(page["slowest_sql"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), pg_size_pretty(pg_total_relation_size('dossiers_dossier'))"
                       " FROM dossiers_dossier")  # fmt: skip
        count, size = cursor.fetchone()
    return {"pages": pages, "explains": explains, "rows": count, "size": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--warm-up", type=int, default=5, help="untimed requests per page first")
    parser.add_argument("--db", default=DEFAULT_DB, help="database URL (name cchc_bench*)")
    parser.add_argument("--keep", action="store_true", help="keep the database and reuse it")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.db.rsplit("/", 1)[-1].startswith("cchc_bench"):
        raise SystemExit("benchmark databases are named cchc_bench*")
    try:
        result = run(args.db, args.rows, args.requests, args.warm_up, args.keep)
    finally:
        if not args.keep:
            drop_database(args.db)
    if args.json:
        p95 = {f"{page['user']}/{page['queue']}": round(page["p95"], 1) for page in result["pages"]}
        print(json.dumps({"p95_ms": p95}))
        for name, plan in result["explains"].items():
            log(f"\nEXPLAIN ANALYZE, slowest statement of {name}:\n{plan}")
        return
    print(f"{result['rows']:,} dossiers ({result['size']}), {args.requests} requests per page")
    print(f"{'user':<11}{'queue':<13}{'rows':>9}{'SQL':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
          f"{'slowest SQL ms':>16}")  # fmt: skip
    for page in result["pages"]:
        mark = "  ✗" if page["p95"] >= TARGET_MS else ""
        print(
            f"{page['user']:<11}{page['queue']:<13}{page['rows']:>9,}{page['queries']:>5}"
            f"{page['p50']:>9.1f}{page['p95']:>9.1f}{page['max']:>9.1f}"
            f"{page['slowest_ms']:>16.1f}{mark}"
        )
    for name, plan in result["explains"].items():
        print(f"\nEXPLAIN ANALYZE, slowest statement of {name}:\n{plan}")


if __name__ == "__main__":
    main()
