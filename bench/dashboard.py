"""Benchmark: the leaders' dashboard with 1,000,000 dossiers in PostgreSQL, p50/p95/max in ms.

    python bench/dashboard.py [--rows 1000000] [--requests 30] [--keep] [--json]

Creates the database ``cchc_bench_dashboard`` (``--db`` for another ``cchc_bench*`` name) and fills
it as ``bench/reports.py`` does (its ``fill``): ``migrate``, the demo province, users and sample
catalog, then ``cchc generate-demo --dossiers N --units 20 --years 3 --no-events`` in two
processes. The generator writes each dossier through the same statistics code as the services
(``DossierStat`` and the day/month counters ``StatCell``), with its clock stops, ratings, apology
letters and citizen feedback, so the counters agree with the dossiers by construction (``cchc
rebuild-stats --verify`` on a small run, ``--rows 20000 --workers 1 --verify``, checks it; two
generator processes collide on so few rows). ``--keep`` keeps the database and reuses it when it
already holds ``--rows`` dossiers.

The dashboard page ``/dieu-hanh/`` and its live fragment ``/dieu-hanh/cap-nhat/`` (what htmx
fetches every 60 s) are requested through Django's test ``Client`` (``force_login``, full
middleware and template) as the leader of phường Đông Thành, a provincial leader (the whole
province) and a superuser, for this month, quarter and year: ``--warm-up`` requests, then
``--requests`` timed ones, twice: with the cache cleared before each request (cold) and without
(warm, the realistic refresh); ``--modes warm`` (or ``cold``) times one of them only. When a p95
reaches 200 ms the script prints ``EXPLAIN ANALYZE`` of the slowest SQL statement of a cold request.

``--functions`` also times each figure of the dashboard alone (``cchc.dashboard.selectors``, the
median of ``--function-runs`` calls after one untimed call) for the commune, the province and the
whole tree, this month and this year: where a cold request's time goes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from intake import configure, create_database, drop_database
from queues import database_rows, explain, log, percentile
from reports import fill

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cchc_bench_dashboard"
TARGET_MS = 200
UNITS = 20
YEARS = 3
PROVINCIAL_LEADER = "lanhdao.tinh"
PROVINCE_CODE = "000.00.00.H99"
COMMUNE_LEADER = "lanhdao.dongthanh"
USERS = [  # (label, username)
    ("commune leader", COMMUNE_LEADER),
    ("province leader", PROVINCIAL_LEADER),
    ("superuser", "quantri"),
]
PERIODS = ["thang", "quy", "nam"]
PAGES = [("page", "/dieu-hanh/"), ("live", "/dieu-hanh/cap-nhat/")]

warnings.filterwarnings("ignore", message="No directory at")  # whitenoise, no collectstatic


def provincial_leader():
    """A leader of the provincial committee (the demo has none: its province users are staff)."""
    from django.contrib.auth import get_user_model

    from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment

    user, _ = get_user_model().objects.get_or_create(
        username=PROVINCIAL_LEADER, defaults={"full_name": "Lãnh đạo UBND tỉnh"}
    )
    province = OrganisationUnit.objects.get(code=PROVINCE_CODE)
    RoleAssignment.objects.get_or_create(
        user=user, unit=province, role=Role.LEADER, defaults={"active": True}
    )
    return user


def timed(client, url: str, requests: int, warm_up: int, cold: bool) -> list[float]:
    from django.core.cache import cache

    for _ in range(warm_up):
        assert client.get(url).status_code == 200, url
    times = []
    for _ in range(requests):
        if cold:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    return times


def time_pages(requests: int, warm_up: int, modes: tuple[str, ...]) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    provincial_leader()
    results = []
    for label, username in USERS:
        user = get_user_model().objects.get(username=username)
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        for period in PERIODS:
            for page, path in PAGES:
                url = f"{path}?ky={period}"
                row = {"user": label, "period": period, "page": page, "url": url}
                for mode in modes:
                    times = timed(client, url, requests, warm_up, cold=mode == "cold")
                    row[mode] = {
                        "p50": statistics.median(times),
                        "p95": percentile(times, 0.95),
                        "max": max(times),
                    }
                cache.clear()
                with CaptureQueriesContext(connection) as captured:
                    client.get(url)
                slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
                row.update(
                    queries=len(captured.captured_queries),
                    dossier_queries=sum(
                        '"dossiers_dossier"' in q["sql"] for q in captured.captured_queries
                    ),
                    slowest_sql=slowest["sql"],
                    slowest_ms=float(slowest["time"]) * 1000,
                )
                with CaptureQueriesContext(connection) as captured:
                    client.get(url)
                row["warm_queries"] = len(captured.captured_queries)
                results.append(row)
                log(
                    f"  {label:<16}{period:<6}{page:<5}"
                    + "".join(f"  {mode} p95 {row[mode]['p95']:7.1f} ms" for mode in modes)
                )
    return results


def figure_calls(unit, period):
    """(name, callable) for each figure :func:`cchc.dashboard.selectors.dashboard` computes."""
    from django.utils import timezone

    from cchc.dashboard import selectors as s

    now = timezone.now()
    today = timezone.localdate(now)
    ids = s.unit_ids(unit)
    start, end = period.start, period.end
    scope = s.TileScope(unit=unit, ids=ids, start=start, end=end, now=now, today=today)
    return [
        ("report total row", lambda: s.period_totals(unit, start, end)),
        ("overdue list (20 oldest)", lambda: list(s.overdue_now(unit, now)[:20])),
        ("overdue count", lambda: s.overdue_count(unit, now)),
        ("near due count", lambda: s.near_due(unit, now).count()),
        ("received today", lambda: s.received_today(ids, today)),
        ("apology letters", lambda: s.apologies_sent(ids, today.replace(day=1), today)),
        ("766 score and rank", lambda: s.index_tile(unit, start, end)),
        ("766 weekly trend", lambda: s.index_trend(unit, today)),
        ("satisfaction", lambda: s.satisfaction(ids, start, end)),
        ("feedback waiting", lambda: s.feedback_waiting(ids)),
        ("weekly flows", lambda: s.weekly_flows(ids, today)),
        ("on-time per child unit", lambda: s.on_time_by_child(unit, start, end)),
        ("plugged-in tiles", lambda: s.tile_values(scope)),
        ("whole dashboard", lambda: s.dashboard(unit, period, now)),
    ]


def time_functions(runs: int) -> list[dict]:
    from django.utils import timezone

    from cchc.dashboard import selectors as s
    from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment

    commune = RoleAssignment.objects.get(user__username=COMMUNE_LEADER, role=Role.LEADER).unit
    scopes = [
        ("commune", commune),
        ("province", OrganisationUnit.objects.get(code=PROVINCE_CODE)),
        ("whole tree", None),
    ]
    today = timezone.localdate()
    rows = []
    for scope, unit in scopes:
        for kind in ("thang", "nam"):
            period = s.named_period(kind, today)
            for name, call in figure_calls(unit, period):
                call()  # the first call pays for imports and plans
                times = []
                for _ in range(runs):
                    started = time.perf_counter()
                    call()
                    times.append((time.perf_counter() - started) * 1000)
                rows.append(
                    {"figure": name, "scope": scope, "period": kind, "ms": statistics.median(times)}
                )
            log(f"  {scope:<11}{kind:<6}whole dashboard {rows[-1]['ms']:7.1f} ms")
    return rows


def facts() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute(
            "SELECT (SELECT count(*) FROM dossiers_dossier),"
            " pg_size_pretty(pg_total_relation_size('dossiers_dossier')),"
            " (SELECT count(*) FROM reports_statcell),"
            " (SELECT count(*) FROM dossiers_dossierrating)"
        )
        rows, size, cells, ratings = cursor.fetchone()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU",
        "python": platform.python_version(),
        "postgresql": version,
        "rows": rows,
        "size": size,
        "counter_rows": cells,
        "ratings": ratings,
    }


def run(args) -> dict:
    db_url, rows, requests, warm_up, keep = (
        args.db,
        args.rows,
        args.requests,
        args.warm_up,
        args.keep,
    )
    existing = database_rows(db_url) if keep else None
    if existing is None or existing < rows:
        log(f"creating {db_url.rsplit('/', 1)[-1]} with {rows:,} dossiers…")
        create_database(db_url)
        configure(db_url)
        log(f"  filled in {fill(db_url, rows, UNITS, YEARS, args.workers):.0f} s")
    else:
        configure(db_url)
        log(f"reusing {existing:,} dossiers in {db_url.rsplit('/', 1)[-1]}")
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)  # the code's indexes
    if args.verify:
        from cchc.reports import services

        started = time.perf_counter()
        differences = services.verify()
        log(f"counters checked in {time.perf_counter() - started:.0f} s: {len(differences)} diff.")
        if differences:
            raise SystemExit("the counters do not match the dossiers")
    functions = []
    if args.functions:
        log("timing each figure…")
        functions = time_functions(args.function_runs)
    log("timing pages…")
    modes = tuple(args.modes.split(","))
    pages = time_pages(requests, warm_up, modes) if requests else []
    explains = {}
    for page in pages:
        if max(page[mode]["p95"] for mode in modes) >= TARGET_MS:
            name = f"{page['user']} {page['period']} {page['page']}"
            explains[name] = explain(page["slowest_sql"])
    return {
        **facts(),
        "modes": modes,
        "pages": pages,
        "functions": functions,
        "explains": explains,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warm-up", type=int, default=3, help="untimed requests per page first")
    parser.add_argument("--db", default=DEFAULT_DB, help="database URL (name cchc_bench*)")
    parser.add_argument("--keep", action="store_true", help="keep the database and reuse it")
    parser.add_argument("--workers", type=int, default=2, help="generate-demo processes")
    parser.add_argument("--verify", action="store_true", help="check the counters first (slow)")
    parser.add_argument("--modes", default="cold,warm", help="cold, warm or both (cold,warm)")
    parser.add_argument("--functions", action="store_true", help="time each figure alone")
    parser.add_argument("--function-runs", type=int, default=5, help="timed calls per figure")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.db.rsplit("/", 1)[-1].startswith("cchc_bench"):
        raise SystemExit("benchmark databases are named cchc_bench*")
    try:
        result = run(args)
    finally:
        if not args.keep:
            drop_database(args.db)
    if args.json:
        print(json.dumps({k: v for k, v in result.items() if k != "explains"}, indent=2))
        for name, plan in result["explains"].items():
            log(f"\nEXPLAIN ANALYZE, slowest statement of {name}:\n{plan}")
        return
    print(
        f"{result['rows']:,} dossiers ({result['size']}), {result['counter_rows']:,} counter rows,"
        f" {result['ratings']:,} ratings; PostgreSQL {result['postgresql']}, {result['machine']},"
        f" {result['date']}; {args.requests} requests per page"
    )
    modes = result["modes"]
    print(
        f"{'user':<17}{'period':<7}{'page':<6}{'SQL':>5}{'dossier':>8}"
        + "".join(f"{mode + ' p50':>10}{'p95':>8}{'max':>8}" for mode in modes)
        + f"{'SQL warm':>9}"
    )
    for page in result["pages"]:
        mark = "  ✗" if max(page[mode]["p95"] for mode in modes) >= TARGET_MS else ""
        print(
            f"{page['user']:<17}{page['period']:<7}{page['page']:<6}{page['queries']:>5}"
            f"{page['dossier_queries']:>8}"
            + "".join(
                f"{page[mode]['p50']:>10.1f}{page[mode]['p95']:>8.1f}{page[mode]['max']:>8.1f}"
                for mode in modes
            )
            + f"{page['warm_queries']:>9}{mark}"
        )
    for name, plan in result["explains"].items():
        print(f"\nEXPLAIN ANALYZE, slowest statement of {name}:\n{plan}")
    if result["functions"]:
        print_functions(result["functions"])


def print_functions(rows: list[dict]) -> None:
    """One line per figure, one column per scope and period (median ms)."""
    columns = list(dict.fromkeys((row["scope"], row["period"]) for row in rows))
    cells = {(row["figure"], row["scope"], row["period"]): row["ms"] for row in rows}
    print("\nEach figure alone, median ms:")
    print(f"{'figure':<26}" + "".join(f"{scope + ' ' + period:>18}" for scope, period in columns))
    for figure in dict.fromkeys(row["figure"] for row in rows):
        print(
            f"{figure:<26}"
            + "".join(f"{cells[(figure, scope, period)]:>18.1f}" for scope, period in columns)
        )


if __name__ == "__main__":
    main()
