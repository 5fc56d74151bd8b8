"""Property-based fuzzing of the whole API with Schemathesis, from the schema the app serves.

Every operation of ``/api/schema/`` is called with generated requests, valid and invalid (negative
mode), anonymously and with the DRF token of a one-stop officer, a leader and a superuser, on a
small fixture database. Any 5xx, any response that does not match the schema, any undocumented
status code or content type fails the test. Bounded and derandomised, so CI is stable.
"""

import contextlib
import logging
import os
import time

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cchc.wsgi import application

pytestmark = pytest.mark.django_db

# Requests per operation and identity (CCHC_FUZZ_EXAMPLES, default 25): three in five valid, the
# rest invalid (negative mode). Raise it for a deeper run by hand; CI keeps the default.
TOTAL = int(os.environ.get("CCHC_FUZZ_EXAMPLES", "25"))
EXAMPLES = {
    GenerationMode.POSITIVE: max(1, TOTAL * 3 // 5),
    GenerationMode.NEGATIVE: max(1, TOTAL - TOTAL * 3 // 5),
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
SKIPPED = {"GET /api/schema/"}  # the schema itself: YAML or JSON, not described by itself

STATS = {"operations": 0, "cases": 0, "failures": 0}


def _fuzz_operation(operation, headers, mode, failures):
    seen: dict[str, str] = {}

    @settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=["explicit", "generate"],
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        STATS["cases"] += 1
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as error:  # collect each distinct failure
            for failure in getattr(error, "exceptions", [error]):
                title = getattr(failure, "title", type(failure).__name__)
                lines = str(failure).splitlines() or [""]
                seen.setdefault(f"{title}: {lines[0]}", str(error)[:2000])

    with contextlib.suppress(Unsatisfiable):  # e.g. no invalid request for an input-less call
        run()
    for key, text in seen.items():
        failures.append(f"{operation.label} [{mode.value}]: {key}\n{text}")


@pytest.fixture
def keep_connection():
    """Requests go through the WSGI handler, which closes the database connection when each one
    finishes; inside a test transaction it must stay open (as Django's own test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    requests_log = logging.getLogger("django.request")
    level = requests_log.level
    requests_log.setLevel(logging.ERROR)  # thousands of expected 4xx warnings otherwise
    yield
    requests_log.setLevel(level)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.usefixtures("keep_connection")
@pytest.mark.parametrize("identity", ["anonymous", "officer", "leader", "superuser"])
def test_api_conforms_to_its_schema(identity, request, sample_data):
    headers = {}
    if identity != "anonymous":
        user = request.getfixturevalue(identity)
        headers["Authorization"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    failures: list[str] = []
    started = time.monotonic()
    cases_before = STATS["cases"]
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.label in SKIPPED:
            continue
        operations += 1
        for mode in EXAMPLES:
            _fuzz_operation(operation, headers, mode, failures)
    STATS["operations"] = operations
    STATS["failures"] += len(failures)
    print(
        f"\n{identity}: {operations} operations, {STATS['cases'] - cases_before} cases, "
        f"{len(failures)} failures, {time.monotonic() - started:.1f} s"
    )
    assert operations >= 40, "the schema lost its operations"
    assert not failures, "\n\n".join(failures)


@pytest.mark.usefixtures("keep_connection")
def test_the_fuzzer_reports_a_broken_operation(monkeypatch, unit):
    """The harness itself can fail: a view that crashes, or answers off-schema, is reported."""
    from cchc.workdays.api import views

    def broken(self, request):
        if len(request.query_params.get("date", "")) % 2:
            raise RuntimeError("boom")
        return views.Response([1, 2, 3])  # an array where the schema says object

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    monkeypatch.setattr(views.DayView, "get", broken)
    operation = schema.find_operation_by_path("GET", "/api/v1/workdays/day")
    failures: list[str] = []
    _fuzz_operation(operation, {}, GenerationMode.POSITIVE, failures)
    report = "\n".join(failures)
    assert "Server error" in report
    assert "Response violates schema" in report
