"""Load test: citizens, officers and leaders on gunicorn + PostgreSQL, at rising user counts.

    pip install -e ".[bench]"
    python bench/load.py [--users 5,10,20,40,80] [--seconds 60] [--warm-up 20] [--workers 5]
                         [--wait 1,3] [--spawn-rate 10] [--history 0] [--target-ms 300]
                         [--redis URL] [--keep] [--reuse] [--out DIR] [--json]

Creates the database ``cchc_bench_load`` (dropped first; ``--db`` for another ``cchc_bench*``
name), runs ``migrate`` and ``cchc load-demo`` (the province, its users, the sample catalog and a
few thousand demo dossiers), and with ``--history N`` adds N generated dossiers
(``cchc generate-demo``). ``--reuse`` keeps a database a ``--keep`` run left, without reloading.

Then gunicorn starts from ``deploy/gunicorn.conf.py`` with the production settings
(``cchc.settings.production``, plain http on 127.0.0.1: ``CCHC_SSL_REDIRECT=0``, no HSTS, cookies
not secure-only), ``--workers`` processes (``GUNICORN_WORKERS``), its access log to a file (the
statuses it answered are counted from it). Without ``--redis`` each gunicorn process keeps its
own cache and there is no task queue (the smallest install); with ``--redis URL`` the cache, the
sessions and the task queue are in Redis (databases 14 and 15 of that server, flushed first) and
one Celery worker runs beside gunicorn, as in the compose stack. Locust
(``bench/locustfile.py``) runs headless on the same machine, one process per step. The users
start at ``--spawn-rate`` a second (10); a step
measures ``--seconds`` once all run (and 3 s more, for the last sign-ins), so neither the ramp nor
the sign-in burst is counted. After an unmeasured ``--warm-up`` of the mix (20 s: each gunicorn
worker loads its code and templates), for each user count, first the mix, then the ceiling, each
for ``--seconds``:

- **the mix** — weights 6 : 3 : 1, each user waiting ``--wait`` seconds (uniform) between tasks:
  - *Citizen* (not signed in, except to submit): the catalog list, a catalog search
    (``/thu-tuc/?q=…``), a procedure page, the public lookup (``/tra-cuu/``, the form then a real
    dossier code with the last 4 digits of its phone), and now and then an online submission as
    the demo citizen ``congdan`` through the real form (CSRF token, applicant, a PDF for each
    mandatory document, submitted), then the acknowledgement and "my dossiers";
  - *Officer* (signs in once): in turns the one-stop officer ``motcua.tinh`` and the processing
    officer ``chuyenvien.tuphap``; "my work" (``/ho-so/``), named queues, dossier pages found in
    them; the one-stop officer also receives a new dossier at the counter (``/ho-so/tiep-nhan/``:
    the form, the htmx checklist, the POST, the printed receipt) and accepts online dossiers
    waiting for the counter's check (those the citizens submit);
  - *Leader* (``lanhdao.tuphap``, signs in once): the dashboard ``/dieu-hanh/``, its live part
    ``/dieu-hanh/cap-nhat/`` and the period report ``/bao-cao/?ky=…`` (month, quarter, last year).
- **the ceiling** — the same number of users requesting the bare view ``/healthz`` (no database,
  the full middleware) with no wait: the most requests per second this server and this load
  generator manage at that concurrency.

Every answer is checked (status 200, or 302 to the expected page after a form; a successful lookup
must show the dossier): anything else is an error. Per step and per user class: requests/s,
p50/p95/p99/max in ms, errors and error rate; then the highest user count whose mix has p95 under
``--target-ms`` (300) and no error. Written to ``var/bench-load/load.json`` and
``var/bench-load/load.md`` (``--out`` for another directory); ``--json`` also prints the JSON.

The load generator shares the machine with the server (and PostgreSQL): on 2 cores it takes a
part of them, which the ceiling shows. The database URL is never taken from ``DATABASE_URL``, so a
real database cannot be dropped by mistake.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from intake import configure, create_database  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/cchc_bench_load"
TARGET_MS = 300
ACCESS_STATUS = re.compile(
    r'^\S+ "[A-Z]+ [^"]*" (\d{3}) ', re.M
)  # deploy/gunicorn.conf.py's format
CITIZEN = "congdan"
LEADER = "lanhdao.tuphap"
ONE_STOP = "motcua.tinh"
PROCESSING = "chuyenvien.tuphap"
ONE_STOP_QUEUES = ["can-xu-ly", "cho-kiem-tra", "dang-xu-ly", "sap-den-han", "cho-tra", "tat-ca"]
PROCESSING_QUEUES = ["can-xu-ly", "dang-xu-ly", "sap-den-han", "qua-han", "tat-ca"]


def cchc(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "-m", "cchc", *args], env=env, check=True, cwd=REPO)


def prepare(db_url: str, history: int) -> None:
    """A fresh database: schema, the demo province and its dossiers, optionally more history."""
    create_database(db_url)
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DJANGO_SETTINGS_MODULE": "cchc.settings.dev",
        "DJANGO_DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(REPO / "src"),
    }
    started = time.perf_counter()
    cchc("migrate", "--noinput", "-v0", env=env)
    cchc("load-demo", env=env)
    if history:
        cchc("generate-demo", "--dossiers", str(history), env=env)
    print(f"database ready in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def fixture() -> dict:
    """What the users need to act like people: procedure codes, real dossier codes with the last
    digits of their phone, the form choices of the online and counter forms."""
    from django.contrib.auth import get_user_model

    from cchc.catalog.models import Procedure
    from cchc.dossiers.forms import IntakeForm
    from cchc.dossiers.models import Dossier
    from cchc.organisations.selectors import one_stop_units

    users = get_user_model().objects
    procedures = list(Procedure.objects.active().order_by("code").values_list("code", flat=True))
    lookups = [
        [code, phone[-4:]]
        for code, phone in Dossier.objects.exclude(code="")
        .exclude(applicant_phone="")
        .order_by("-pk")
        .values_list("code", "applicant_phone")[:500]
        if phone[-4:].isdigit()
    ]
    online = []
    for procedure in Procedure.objects.active().filter(channel_online=True).order_by("code"):
        units = list(procedure.implementing_units.active().order_by("path"))
        receivers = one_stop_units({unit.pk for unit in units})
        unit = next((unit for unit in units if receivers.get(unit.pk) is not None), None)
        if unit is None:
            continue
        files = [c.pk for c in procedure.components.filter(mandatory=True).order_by("pk")]
        online.append({"code": procedure.code, "unit": unit.pk, "files": files})
    officer = users.get(username=ONE_STOP)
    form = IntakeForm(user=officer)
    unit = form.fields["unit"].initial
    intake = [
        {
            "procedure": procedure.pk,
            "unit": unit.pk,
            "components": [c.pk for c in procedure.components.filter(mandatory=True)],
        }
        for procedure in form.fields["procedure"].queryset
        if procedure.channel_counter
    ]
    if not (procedures and lookups and online and intake):
        raise SystemExit("the demo data lacks procedures, dossiers or form choices")
    return {
        "procedures": procedures,
        "lookups": lookups,
        "online": online,
        "citizen": CITIZEN,
        "leader": LEADER,
        "officers": [
            {"username": ONE_STOP, "queues": ONE_STOP_QUEUES, "intake": intake},
            {"username": PROCESSING, "queues": PROCESSING_QUEUES, "intake": []},
        ],
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environ(db_url: str, workers: int, port: int, tmp: Path, redis: str) -> dict:
    """The production settings of one node: without ``redis`` each process keeps its own cache
    and there is no queue; with it (``--redis``) cache, sessions and the task queue are in Redis,
    as in the compose stack."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CCHC_"))}
    environ.pop("REDIS_URL", None)
    if redis:
        base = redis.rstrip("/").rsplit("/", 1)[0] if redis.count("/") > 2 else redis
        environ.update(REDIS_URL=f"{base}/14", CCHC_QUEUE_URL=f"{base}/15")
    environ.update(
        DJANGO_SETTINGS_MODULE="cchc.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        CCHC_HISTORY_KEY=secrets.token_urlsafe(40),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        CCHC_SSL_REDIRECT="0",
        CCHC_HSTS_SECONDS="0",
        CCHC_SECURE_COOKIES="0",
        CCHC_VAR_DIR=str(tmp / "var"),
        DATABASE_URL=db_url,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(workers),
        GUNICORN_ACCESS_LOG=str(tmp / "access.log"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(REPO / "src"),
    )
    return environ


def flush_redis(environ: dict) -> None:
    import redis

    for name in ("REDIS_URL", "CCHC_QUEUE_URL"):
        if environ.get(name):
            redis.Redis.from_url(environ[name]).flushdb()


def start_worker(environ: dict, tmp: Path):
    """One Celery worker process (the queue's jobs: outbox, dashboard refresh) beside gunicorn."""
    handle = (tmp / "worker.log").open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "cchc.jobs.worker", "worker",
         "--concurrency=1", "--loglevel=WARNING"],
        env=environ, stdout=handle, stderr=subprocess.STDOUT, cwd=REPO,
    )  # fmt: skip


def start_gunicorn(environ: dict, port: int, tmp: Path):
    log = tmp / "gunicorn.log"
    handle = log.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(REPO / "deploy" / "gunicorn.conf.py")],
        env=environ,
        stdout=handle,
        stderr=subprocess.STDOUT,
        cwd=REPO,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"gunicorn did not answer within 60 s:\n{log.read_text()}")


def run_step(host: str, users: int, args, ceiling: bool, env: dict, tmp: Path, seconds=None):
    out = tmp / f"step-{users}-{'ceiling' if ceiling else 'mix'}.json"
    command = [sys.executable, str(HERE / "locustfile.py"), "--host", host,
               "--users", str(users), "--seconds", str(seconds or args.seconds),
               "--spawn-rate", str(args.spawn_rate), "--out", str(out)]  # fmt: skip
    if ceiling:
        command.append("--ceiling")
    subprocess.run(command, env=env, check=True, cwd=REPO)
    return json.loads(out.read_text(encoding="utf-8"))


def statuses(access_log: str) -> dict[str, int]:
    """The statuses gunicorn answered, from its access log (warm-up and ramps included)."""
    found: dict[str, int] = {}
    for status in ACCESS_STATUS.findall(access_log):
        found[status] = found.get(status, 0) + 1
    return dict(sorted(found.items()))


def _row(label: str, block: dict) -> str:
    return (
        f"| {label} | {block['requests']} | {block['rps']:.1f} | {block['p50_ms']:.0f} | "
        f"{block['p95_ms']:.0f} | {block['p99_ms']:.0f} | {block['errors']} | "
        f"{100 * block['error_rate']:.2f}% |"
    )


def markdown(result: dict) -> str:
    lines = [
        f"Load test, {result['when']} — {result['machine']}; gunicorn {result['workers']} "
        f"workers, {result['stack']}, {result['seconds']:.0f} s per step, think time "
        f"{result['wait']} s, "
        f"{result['dossiers']} dossiers.",
        "",
        "| users | class | requests | req/s | p50 ms | p95 ms | p99 ms | errors | error rate |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for step in result["steps"]:
        mix, ceiling = step["mix"], step["ceiling"]
        for role, block in mix["roles"].items():
            lines.append(_row(f"{step['users']} | {role}", block))
        lines.append(_row(f"{step['users']} | **mix, total**", mix["total"]))
        lines.append(_row(f"{step['users']} | ceiling (`/healthz`)", ceiling["total"]))
    lines.append("")
    best = result["highest_load_within_target"]
    if best is None:
        lines.append(f"No step kept p95 under {result['target_ms']} ms with zero errors.")
    else:
        lines.append(
            f"Highest load with p95 < {result['target_ms']} ms and zero errors: **{best} users** "
            "of the mix."
        )
    last = result["steps"][-1]
    lines += [
        "",
        f"Per request at {last['users']} users:",
        "",
        "| request | requests | req/s | p50 ms | p95 ms | p99 ms | errors | error rate |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *(_row(name, block) for name, block in last["mix"]["requests"].items()),
    ]
    lines += [
        "",
        "Statuses gunicorn answered (warm-up and ramps included): "
        + ", ".join(f"{status} × {n}" for status, n in result["server_statuses"].items())
        + ".",
    ]
    errors = {k: v for s in result["steps"] for k, v in s["mix"]["error_kinds"].items()}
    if errors:
        lines += ["", "Errors:", *(f"- {k}: {v}" for k, v in sorted(errors.items()))]
    return "\n".join(lines) + "\n"


def print_step(step: dict) -> None:
    mix, ceiling = step["mix"], step["ceiling"]
    print(f"{step['users']:>4} users", file=sys.stderr)
    for label, block in [*mix["roles"].items(), ("mix", mix["total"]),
                         ("ceiling", ceiling["total"])]:  # fmt: skip
        print(
            f"     {label:<10} {block['requests']:>7} req {block['rps']:>8.1f}/s  "
            f"p50 {block['p50_ms']:>6.0f}  p95 {block['p95_ms']:>6.0f}  "
            f"p99 {block['p99_ms']:>6.0f} ms  errors {block['errors']}",
            file=sys.stderr,
        )
    for kind, number in {**mix["error_kinds"], **ceiling["error_kinds"]}.items():
        print(f"     ! {kind} × {number}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--users", default="5,10,20,40,80", help="user counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=60, help="duration of each measurement")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started a second")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers")
    parser.add_argument("--wait", default="1,3", help="think time between tasks: min,max seconds")
    parser.add_argument("--warm-up", type=float, default=20, help="unmeasured mix first, s")
    parser.add_argument("--history", type=int, default=0, help="generated dossiers to add")
    parser.add_argument("--target-ms", type=float, default=TARGET_MS)
    parser.add_argument("--out", default=str(REPO / "var" / "bench-load"))
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--reuse", action="store_true", help="use the database as it is")
    parser.add_argument(
        "--redis",
        default="",
        help="Redis URL (redis://127.0.0.1:6379): cache, sessions and the task queue in Redis "
        "(databases 14 and 15, flushed first) and one Celery worker, as in the compose stack",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    counts = [int(x) for x in args.users.split(",") if x.strip()]
    wait = [float(x) for x in args.wait.split(",")]
    if not counts or min(counts) < 1 or len(wait) != 2 or not 0 <= wait[0] <= wait[1]:
        parser.error("--users: positive whole numbers; --wait: min,max with 0 ≤ min ≤ max")

    if not args.reuse:
        prepare(args.db, args.history)
    configure(args.db)
    from django.db import connections

    from cchc.dossiers.models import Dossier

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data = fixture()
    dossiers = Dossier.objects.count()
    connections.close_all()
    (out / "load-fixture.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    result = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "workers": args.workers,
        "seconds": args.seconds,
        "wait": args.wait,
        "spawn_rate": args.spawn_rate,
        "dossiers": dossiers,
        "stack": "Redis cache, sessions and queue, 1 Celery worker" if args.redis else "no Redis",
        "target_ms": args.target_ms,
        "steps": [],
    }
    with tempfile.TemporaryDirectory(prefix="cchc-load-") as tmp_name:
        tmp = Path(tmp_name)
        port = _free_port()
        host = f"http://127.0.0.1:{port}"
        environ = server_environ(args.db, args.workers, port, tmp, args.redis)
        worker = None
        if args.redis:
            flush_redis(environ)
            worker = start_worker(environ, tmp)
        web = start_gunicorn(environ, port, tmp)
        env = {**os.environ, "BENCH_LOAD_FIXTURE": str(out / "load-fixture.json"),
               "BENCH_LOAD_WAIT": args.wait}  # fmt: skip
        try:
            if args.warm_up:  # every worker loads its code and templates before the clock runs
                run_step(host, min(max(counts), 10), args, False, env, tmp, args.warm_up)
            for users in counts:
                step = {
                    "users": users,
                    "mix": run_step(host, users, args, False, env, tmp),
                    "ceiling": run_step(host, users, args, True, env, tmp),
                }
                result["steps"].append(step)
                print_step(step)
        finally:
            web.terminate()
            web.wait(timeout=60)
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=60)
            server_log = (tmp / "gunicorn.log").read_text(errors="replace")
            access_log = (tmp / "access.log").read_text(errors="replace")
        if "Traceback" in server_log:
            print("gunicorn logged errors:\n" + server_log[-4000:], file=sys.stderr)
        result["server_statuses"] = statuses(access_log)
    fine = [
        step["users"]
        for step in result["steps"]
        if step["mix"]["total"]["errors"] == 0 and step["mix"]["total"]["p95_ms"] < args.target_ms
    ]
    result["highest_load_within_target"] = max(fine) if fine else None
    (out / "load.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    table = markdown(result)
    (out / "load.md").write_text(table, encoding="utf-8")
    print(table)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    if not args.keep:
        from intake import drop_database

        drop_database(args.db)


if __name__ == "__main__":
    main()
