"""Health probes for the load balancer and the orchestrator.

- ``/healthz``: the process answers (liveness); it touches nothing else, so a database outage does
  not get every web process restarted.
- ``/readyz``: the process can serve (readiness): each registered check — the database, the cache,
  every migration applied, the bucket of uploaded files (``CCHC_MEDIA_STORAGE=s3``), and what
  later apps add (the task queue) — with its status. 200 when
  all pass, 503 otherwise, so the balancer takes the node out of rotation.

Both answer JSON, are never cached and need no session or sign-in. A check's error text is logged,
not returned: the probe is public and must not describe the infrastructure. They are answered by
:class:`ProbeMiddleware`, first in the chain, before the host check and the https redirect: a load
balancer probes each node by its address, over plain http.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from cchc.conf import conf

from .registry import Registry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadinessCheck:
    key: str  # stable: the name in the answer ("database", "cache", "migrations", "media", "queue")
    run: Callable[[], None]  # raises when not ready
    order: int = 0


readiness_checks: Registry[ReadinessCheck] = Registry("readiness checks")


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = "cchc:readyz"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")


_migrated = False


def _migrations() -> None:
    global _migrated
    if _migrated:  # once applied, migrations stay applied for the life of the process
        return
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise RuntimeError(f"{len(pending)} migration(s) not applied")
    _migrated = True


readiness_checks.register(ReadinessCheck("database", _database, order=10))
readiness_checks.register(ReadinessCheck("cache", _cache, order=20))
readiness_checks.register(ReadinessCheck("migrations", _migrations, order=30))


def bucket_answers() -> None:
    """The bucket of uploaded files answers with these keys (CCHC_MEDIA_STORAGE=s3): a node that
    cannot reach it would accept uploads it cannot store."""
    from django.core.files.storage import default_storage

    default_storage.connection.meta.client.head_bucket(Bucket=default_storage.bucket_name)


if conf.MEDIA_STORAGE == "s3":
    readiness_checks.register(ReadinessCheck("media", bucket_answers, order=35))


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    checks = {}
    for check in readiness_checks:
        started = time.perf_counter()
        try:
            check.run()
        except Exception:
            logger.exception("readiness check %s failed", check.key)
            status = "fail"
        else:
            status = "ok"
        checks[check.key] = {
            "status": status,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
    ready = all(result["status"] == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "fail", "checks": checks}, status=200 if ready else 503
    )


def _metrics(request):
    from .monitoring import metrics_view  # prometheus-client only when scraped

    return metrics_view(request)


# /metrics too: Prometheus scrapes each node by its address.
PROBES = {"/healthz": healthz, "/readyz": readyz, "/metrics": _metrics}


class ProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)
