"""Prometheus metrics at ``/metrics`` (prometheus-client; docs/operations.md).

- Per request: latency by view, method and status class; the database time and the number of
  queries it spent (an ``execute_wrapper`` around the request's queries).
- Gauges read when Prometheus scrapes, registered by the app that owns each figure (``gauges``):
  dossiers received today, overdue now, apology letters not yet sent, the outbox backlog, the
  queue's depth and failed job runs.

Under gunicorn every worker process keeps its own request histograms; with
``PROMETHEUS_MULTIPROC_DIR`` set (deploy/, an empty directory per boot) they are summed across
processes. ``/metrics`` answers only a scraper presenting ``CCHC_METRICS_TOKEN``
(``Authorization: Bearer …``), or, when no token is set, requests from the machine itself. Labels
are view names, never paths or parameters, so no personal data and no unbounded series.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.http import HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from cchc.conf import conf

from .registry import Registry

REQUEST_SECONDS = Histogram(
    "cchc_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view", "method", "status"],
    buckets=(0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10),
)
DB_SECONDS = Histogram(
    "cchc_http_request_db_seconds",
    "Database time spent answering a request, by view.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 5),
)
DB_QUERIES = Histogram(
    "cchc_http_request_db_queries",
    "Database queries run to answer a request, by view.",
    ["view"],
    buckets=(1, 2, 5, 10, 20, 50, 100, 500),
)


@dataclass(frozen=True)
class Gauge:
    key: str  # the metric's name, "cchc_…"
    help: str
    compute: Callable[[], float | dict[tuple[str, ...], float]]  # one value, or by label values
    labels: tuple[str, ...] = ()
    order: int = 0


gauges: Registry[Gauge] = Registry("monitoring gauges")


class _QueryTimer:
    def __init__(self):
        self.seconds = 0.0
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timer = _QueryTimer()
        started = time.perf_counter()
        with connection.execute_wrapper(timer):
            response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unresolved"
        REQUEST_SECONDS.labels(view, request.method, f"{response.status_code // 100}xx").observe(
            time.perf_counter() - started
        )
        DB_SECONDS.labels(view).observe(timer.seconds)
        DB_QUERIES.labels(view).observe(timer.count)
        return response


class _PlatformGauges:
    def collect(self):
        for gauge in gauges:
            family = GaugeMetricFamily(gauge.key, gauge.help, labels=list(gauge.labels))
            value = gauge.compute()
            if isinstance(value, dict):
                for label_values, number in sorted(value.items()):
                    family.add_metric(list(label_values), float(number))
            else:
                family.add_metric([], float(value))
            yield family


class _ThisProcess:
    def collect(self):
        yield from REGISTRY.collect()


def _allowed(request) -> bool:
    token = conf.METRICS_TOKEN
    if token:
        offered = request.headers.get("Authorization", "")
        return hmac.compare_digest(offered.encode(), f"Bearer {token}".encode())
    return request.META.get("REMOTE_ADDR") in ("127.0.0.1", "::1")


def metrics_view(request):
    if not _allowed(request):
        return HttpResponse(status=403)
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(_PlatformGauges())
    response = HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
