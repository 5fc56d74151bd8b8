"""Every ``CCHC_*`` setting, declared once: name, type, default and what it is for.

Code reads a setting through :data:`conf` (``conf.FEEDBACK_ANSWER_DAYS``), never with
``getattr(settings, "CCHC_…", default)``: the default then lives in one place, a wrong value is a
clear ``ImproperlyConfigured`` naming the setting instead of a crash deep in a request, and
docs/settings.md is checked against this table by a test. Values are read from Django's settings
at each access, so ``override_settings`` in tests and per-environment settings modules apply.

Where a value comes from the environment, ``cchc.settings.base`` reads it (``CCHC_…=…``) into the
Django setting of the same name; the defaults there and here agree (a test checks it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured

MB = 1024 * 1024


@dataclass(frozen=True)
class Setting:
    """One ``CCHC_*`` setting: ``kind`` is the Python type its value must have (after coercion)."""

    name: str
    kind: type | tuple[type, ...]
    default: Any
    doc: str
    env: bool = False  # also read from the environment variable of the same name
    check: Callable[[Any], str | None] | None = None  # returns a problem, or None
    nullable: bool = False

    def coerce(self, value: Any) -> Any:
        if value is None:  # unset (``None``) means the default, except where None is a value
            if self.nullable:
                return None
            value = self.default
        kinds = self.kind if isinstance(self.kind, tuple) else (self.kind,)
        if float in kinds and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if (tuple in kinds or list in kinds) and isinstance(value, (list, tuple)):
            value = tuple(value)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(k.__name__ for k in kinds)
            raise ImproperlyConfigured(f"{self.name} must be {names}, not {value!r}.")
        problem = self.check(value) if self.check else None
        if problem:
            raise ImproperlyConfigured(f"{self.name}: {problem}")
        return value


def _between(low: float, high: float) -> Callable[[Any], str | None]:
    def check(value):
        return None if low <= value <= high else f"must be between {low} and {high}, not {value}."

    return check


def _positive(value) -> str | None:
    return None if value > 0 else f"must be positive, not {value}."


def _iso_day(value) -> str | None:
    if isinstance(value, date):
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        return f"“{value}” is not a date (YYYY-MM-DD)."
    return None


RETENTION_KINDS = ("dossiers", "drafts", "feedback", "survey_contacts", "outbox")


def _retention_years(value) -> str | None:
    """Each key a record type of RETENTION_KINDS, each value whole years (1–200) or None."""
    for kind, years in value.items():
        if kind not in RETENTION_KINDS:
            return f"unknown record type “{kind}” (one of {', '.join(RETENTION_KINDS)})."
        if years is not None and (
            isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 200
        ):
            return f"“{kind}”: whole years between 1 and 200, or null, not {years!r}."
    return None


def _reform_periods(value) -> str | None:
    """Each of q1, h1, q3, year with start, end and due as [year offset, month, day] (the report
    app's engine checks the dates themselves: cchc.reformreports.engine.periods.problems)."""
    for kind in ("q1", "h1", "q3", "year"):
        spec = value.get(kind)
        if not isinstance(spec, dict):
            return f"the period {kind!r} is missing."
        for point in ("start", "end", "due"):
            part = spec.get(point)
            if not (
                isinstance(part, list | tuple)
                and len(part) == 3
                and all(isinstance(n, int) for n in part)
                and -1 <= part[0] <= 1
                and 1 <= part[1] <= 12
                and 1 <= part[2] <= 31
            ):
                return f"{kind}.{point} must be [year offset -1..1, month, day], not {part!r}."
    return None


def _month_day(value) -> str | None:
    try:
        month, day = (int(part) for part in value.split("-"))
        date(2024, month, day)  # a leap year: 02-29 is a day some year
    except ValueError:
        return f"“{value}” is not a day of the year (MM-DD)."
    return None


def _offload(value) -> str | None:
    allowed = ("", "x-accel-redirect", "x-sendfile")
    return (
        None
        if value in allowed
        else f"must be empty, x-accel-redirect or x-sendfile, not {value!r}."
    )


SETTINGS: tuple[Setting, ...] = (
    # -- the site ---------------------------------------------------------------------------------
    Setting(
        "CCHC_AGENCY_NAME",
        str,
        "",
        "Agency name in the page header (default: the portal's generic title).",
        env=True,
    ),
    Setting(
        "CCHC_PUBLIC_URL",
        str,
        "",
        "The site's public root address (https://…): QR codes on "
        "printed forms, links in email/SMS; checked by `cchc check --deploy`.",
        env=True,
    ),
    Setting(
        "CCHC_VAR_DIR",
        str,
        "<repo>/var",
        "Directory of the SQLite file, uploads and collected static files.",
        env=True,
    ),
    Setting(
        "CCHC_SESSION_ENGINE",
        str,
        "",
        "Where sessions are kept: `db`, `cached_db` (Redis in front of the database) or `cache` "
        "(Redis alone: a Redis restart signs everybody out); empty: `cached_db` when REDIS_URL "
        "is set, else `db`.",
        env=True,
        check=lambda value: (
            None
            if value in ("", "db", "cached_db", "cache")
            else "must be empty, db, cached_db or cache."
        ),
    ),
    Setting(
        "CCHC_SECURE_COOKIES",
        bool,
        True,
        "Production only: session and CSRF cookies sent "
        "over https only (set 0 behind plain http on a closed network).",
        env=True,
    ),
    Setting(
        "CCHC_LOG_FORMAT",
        str,
        "text",
        "Log lines on standard output: `json` (one object a line, the production default) or "
        "`text`; both carry the request id and mask ID and phone numbers.",
        env=True,
    ),
    Setting(
        "CCHC_QUEUE_URL",
        str,
        "",
        "Broker of the task queue (Celery), e.g. `redis://127.0.0.1:6379/1`; empty: no queue, "
        "background jobs run from cron with `cchc run-job KEY` (docs/jobs.md).",
        env=True,
    ),
    Setting(
        "CCHC_API_DOCS_PUBLIC",
        bool,
        True,
        "`/api/docs/` and `/api/schema/` readable without signing in (production default: "
        "false, signed-in users and API tokens only).",
        env=True,
    ),
    Setting(
        "CCHC_SSL_REDIRECT",
        bool,
        True,
        "Production only: redirect http to https (the proxy's X-Forwarded-Proto says which); "
        "0 on a closed network served over plain http.",
        env=True,
    ),
    Setting(
        "CCHC_HSTS_SECONDS",
        int,
        31536000,
        "Production only: Strict-Transport-Security max-age, with includeSubDomains and "
        "preload; 0 switches HSTS off (plain-http networks).",
        env=True,
        check=lambda value: None if value >= 0 else "must be 0 or more",
    ),
    Setting(
        "CCHC_CSP_REPORT_URI",
        str,
        "",
        "Address browsers send Content-Security-Policy violation reports to (`report-uri`); "
        "empty: no reports (docs/adr/0015-content-security-policy.md).",
        env=True,
    ),
    Setting(
        "CCHC_CSP_REPORT_ONLY",
        bool,
        False,
        "Send the Content-Security-Policy as `Content-Security-Policy-Report-Only`: violations "
        "are reported, not blocked; for trying a deployment's own additions, never left on.",
        env=True,
    ),
    Setting(
        "CCHC_METRICS_TOKEN",
        str,
        "",
        "Bearer token Prometheus presents to read `/metrics`; empty: only requests from the "
        "machine itself are answered.",
        env=True,
    ),
    Setting(
        "CCHC_JOB_SCHEDULE",
        dict,
        {},
        'Cron expressions of background jobs by key, replacing their defaults; "" switches a '
        "job off (`cchc jobs` lists keys and defaults).",
    ),
    # -- files and requests -----------------------------------------------------------------------
    Setting(
        "CCHC_UPLOAD_MAX_BYTES",
        int,
        10 * MB,
        "Largest scanned document (PDF, JPEG, PNG) accepted by forms and the API.",
        env=True,
        check=_positive,
    ),
    Setting(
        "CCHC_UPLOAD_MAX_FILES",
        int,
        5,
        "Full-size documents one request may carry (sets the request body limit).",
        env=True,
        check=_positive,
    ),
    Setting(
        "CCHC_REQUEST_MAX_BYTES",
        int,
        51 * MB,
        "Request body refused (413) before it is read "
        "above this; default: upload limit × files + 1 MB.",
        env=True,
        check=_positive,
    ),
    Setting("CCHC_IMPORT_MAX_BYTES", int, 10 * MB, "Largest catalog import file.", check=_positive),
    Setting(
        "CCHC_DOSSIER_IMPORT_MAX_BYTES",
        int,
        None,
        "Largest dossier import file; unset: 20 MB for .xlsx, no limit for streamed CSV.",
        nullable=True,
        check=_positive,
    ),
    Setting(
        "CCHC_FILE_OFFLOAD",
        str,
        "",
        "Downloads handed to the front server: '' (Django "
        "streams), 'x-accel-redirect' (nginx) or 'x-sendfile'.",
        env=True,
        check=_offload,
    ),
    Setting(
        "CCHC_FILE_OFFLOAD_PREFIX",
        str,
        "/protected-media/",
        "nginx internal location, or the media directory for X-Sendfile.",
        env=True,
    ),
    Setting(
        "CCHC_MEDIA_STORAGE",
        str,
        "local",
        "Where uploaded files are kept: `local` (MEDIA_ROOT on this machine's disk) or `s3` (a "
        "private bucket of an S3-compatible store shared by every node; `pip install "
        "'cchc[s3]'`, docs/deploy.md).",
        env=True,
        check=lambda value: None if value in ("local", "s3") else "must be local or s3.",
    ),
    Setting(
        "CCHC_S3_BUCKET",
        str,
        "",
        "The bucket of uploaded files when CCHC_MEDIA_STORAGE=s3 (required then); keys from "
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.",
        env=True,
    ),
    Setting(
        "CCHC_S3_ENDPOINT_URL",
        str,
        "",
        "Address of an S3-compatible server (MinIO, Ceph, a provider's), e.g. "
        "`https://s3.example.gov.vn`; empty: Amazon S3.",
        env=True,
    ),
    Setting(
        "CCHC_S3_REGION",
        str,
        "",
        "Region of the bucket, e.g. `ap-southeast-1`; empty: the client's default.",
        env=True,
    ),
    Setting(
        "CCHC_S3_PREFIX",
        str,
        "",
        "Folder (key prefix) inside the bucket under which the files are kept; empty: its root.",
        env=True,
    ),
    Setting(
        "CCHC_S3_ADDRESSING_STYLE",
        str,
        "",
        "`path` (most MinIO and Ceph setups) or `virtual` bucket addresses; empty: the client "
        "chooses.",
        env=True,
        check=lambda value: (
            None if value in ("", "path", "virtual") else "must be empty, path or virtual."
        ),
    ),
    Setting(
        "CCHC_S3_PRESIGNED_SECONDS",
        int,
        0,
        "0: downloads are streamed from the bucket through the application; above 0: after the "
        "scope check the browser is redirected to a signed address of the object valid that "
        "many seconds (the bucket must be reachable by the users).",
        env=True,
        check=_between(0, 604800),
    ),
    # -- abuse limits (docs/security.md) ----------------------------------------------------------
    Setting(
        "CCHC_TRUSTED_PROXIES",
        (tuple, list),
        (),
        "Proxies (addresses or CIDR) whose X-Forwarded-For is believed.",
        env=True,
    ),
    Setting(
        "CCHC_LOGIN_MAX_FAILURES",
        int,
        5,
        "Failed logins for one user name from one address before the pair is locked.",
        env=True,
        check=_positive,
    ),
    Setting(
        "CCHC_LOGIN_WINDOW_SECONDS",
        int,
        900,
        "How long a login lock lasts after the last failure.",
        env=True,
        check=_positive,
    ),
    Setting(
        "CCHC_LOOKUP_MAX_FAILURES",
        int,
        10,
        "Failed public lookups per address within the window.",
        env=True,
        check=_positive,
    ),
    Setting(
        "CCHC_LOOKUP_WINDOW_SECONDS",
        int,
        900,
        "Window of the per-address lookup limit.",
        env=True,
        check=_positive,
    ),
    Setting(
        "CCHC_LOOKUP_CODE_MAX_FAILURES",
        int,
        10,
        "Failed lookups of one dossier code from all addresses within the code window.",
        env=True,
        check=_positive,
    ),
    Setting(
        "CCHC_LOOKUP_CODE_WINDOW_SECONDS",
        int,
        86400,
        "Window of the per-code lookup limit.",
        env=True,
        check=_positive,
    ),
    Setting(
        "CCHC_FEEDBACK_MAX_SUBMISSIONS",
        int,
        5,
        "Feedback submissions per address within the feedback window.",
        env=True,
        check=_positive,
    ),
    Setting(
        "CCHC_FEEDBACK_LOOKUP_MAX_FAILURES",
        int,
        10,
        "Failed feedback lookups per address within the feedback window.",
        env=True,
        check=_positive,
    ),
    Setting(
        "CCHC_FEEDBACK_WINDOW_SECONDS",
        int,
        3600,
        "Window of the feedback limits.",
        env=True,
        check=_positive,
    ),
    # -- histories --------------------------------------------------------------------------------
    Setting(
        "CCHC_HISTORY_KEY",
        str,
        "",
        "HMAC key sealing new history entries and checkpoints "
        "(production: required, ≥ 32 characters; elsewhere derived from SECRET_KEY).",
        env=True,
    ),
    Setting(
        "CCHC_HISTORY_OLD_KEYS",
        (tuple, list),
        (),
        "Retired history keys that still verify older entries (comma list in the environment).",
        env=True,
    ),
    # -- one-stop shop ----------------------------------------------------------------------------
    Setting(
        "CCHC_DOSSIER_CODE_FORMAT",
        str,
        "{unit}-{date:%y%m%d}-{seq:04d}",
        "Dossier code: "
        "unit identifier, reception date, daily number (Thông tư 01/2018/TT-VPCP Điều 19).",
    ),
    Setting(
        "CCHC_ONLINE_CHECK_WORKING_HOURS",
        (int, float),
        4.0,
        "Working hours the one-stop unit takes to check an online dossier (told to the applicant).",
        check=_between(0, 400),
    ),
    Setting(
        "CCHC_APOLOGY_HORIZON_HOURS",
        (int, float),
        16,
        "Working hours before the due time from which an apology letter (Mẫu 04) is offered.",
        check=_between(0, 2000),
    ),
    Setting(
        "CCHC_FORMS_2025_FROM",
        (str, date),
        "2025-09-15",
        "First day of the Thông tư 03/2025/TT-VPCP forms (before it: Thông tư 01/2018).",
        check=_iso_day,
    ),
    # -- feedback ---------------------------------------------------------------------------------
    Setting(
        "CCHC_FEEDBACK_ANSWER_DAYS",
        int,
        15,
        "Working days to answer and publish a feedback (766 technical deadline).",
        check=_between(1, 2000),
    ),
    Setting(
        "CCHC_FEEDBACK_NEAR_DUE_DAYS",
        int,
        3,
        "Working days before its due time a feedback counts as near due in the officers' queue.",
        check=_between(0, 2000),
    ),
    Setting(
        "CCHC_FEEDBACK_DEFAULT_UNIT",
        str,
        "",
        "Unit code receiving feedback the sender did "
        "not route (default: the highest service centre).",
    ),
    # -- notifications ----------------------------------------------------------------------------
    Setting(
        "CCHC_NOTIFICATION_CHANNELS",
        (tuple, list),
        ("email", "sms"),
        "Channels applicants are notified on.",
    ),
    Setting(
        "CCHC_NOTIFICATION_BACKENDS",
        dict,
        {},
        "Dotted backend path per channel, overriding the defaults.",
    ),
    Setting(
        "CCHC_NOTIFICATION_MAX_ATTEMPTS",
        int,
        8,
        "Delivery attempts before a message is marked failed.",
        check=_positive,
    ),
    Setting(
        "CCHC_NOTIFICATION_LEASE_SECONDS",
        int,
        600,
        "How long a worker holds a message before another may retry it.",
        check=_positive,
    ),
    # -- indices ----------------------------------------------------------------------------------
    Setting(
        "CCHC_INDEX766_CLOSED_WITHOUT_RESULT",
        dict,
        {},
        "766 indicator 2.1: how returned, "
        "withdrawn and stopped dossiers count, by start date (docs/index766.md).",
    ),
    # -- periodic reform reports ------------------------------------------------------------------
    Setting(
        "CCHC_SCHEDULED_REPORTS",
        (tuple, list),
        ("thang", "quy", "nam"),
        "Period kinds (thang, quy, 6-thang, nam) whose report is emailed to each unit's leaders "
        "and reform staff the day after the period closes; empty: none (docs/reports.md).",
        check=lambda value: (
            None
            if all(kind in ("thang", "quy", "6-thang", "nam") for kind in value)
            else "must list period kinds among thang, quy, 6-thang and nam."
        ),
    ),
    Setting(
        "CCHC_REFORM_REPORT_PERIODS",
        dict,
        {
            "q1": {"start": [-1, 12, 15], "end": [0, 3, 14], "due": [0, 3, 20]},
            "h1": {"start": [-1, 12, 15], "end": [0, 6, 14], "due": [0, 6, 20]},
            "q3": {"start": [0, 6, 15], "end": [0, 9, 14], "due": [0, 9, 20]},
            "year": {"start": [-1, 12, 15], "end": [0, 12, 14], "due": [0, 12, 20]},
        },
        "Periodic reform report periods: data window and due date of q1, h1, q3 and year as "
        "[year offset, month, day] (CV 581/BNV-CCHC; docs/reform-reports.md).",
        check=_reform_periods,
    ),
    Setting(
        "CCHC_REFORM_REPORT_UNIT_KINDS",
        (tuple, list),
        ("department", "commune_committee"),
        "Unit kinds expected to send the periodic reform report to the province "
        "(docs/reform-reports.md).",
    ),
    # -- reform plans -----------------------------------------------------------------------------
    Setting(
        "CCHC_PLAN_ISSUE_DEADLINE",
        str,
        "12-31",
        "Day (MM-DD) of the previous year by which a unit's yearly reform plan is issued on time: "
        "the PAR INDEX figure `plans.issued_on_time` (docs/plans-progress.md).",
        check=_month_day,
    ),
    # -- reform inspections -----------------------------------------------------------------------
    Setting(
        "CCHC_SELF_INSPECTION_MIN_SHARE",
        (int, float),
        50,
        "Share (%) of its sub-units a unit must inspect itself each year (docs/inspections.md).",
        check=_between(0, 100),
    ),
    Setting(
        "CCHC_REMEDIATION_WORKING_DAYS",
        int,
        15,
        "Working days after the inspection conclusion notice to remedy its recommendations.",
        check=_between(1, 365),
    ),
    # -- reform plans -----------------------------------------------------------------------------
    Setting(
        "CCHC_PLAN_DEFAULT_FIELDS",
        (tuple, list, dict),
        (),
        "Fields (lĩnh vực) a new yearly reform plan starts with: a list of names for every year, "
        "or {year: [names]} per year; empty or a year not listed: the built-in nine "
        "(docs/plans.md).",
    ),
    Setting(
        "CCHC_PLAN_REMINDER_DAYS",
        (tuple, list),
        (7, 1),
        "Days before a task's deadline or reporting milestone its lead unit is reminded.",
        check=lambda value: (
            None
            if value and all(isinstance(day, int) and 1 <= day <= 365 for day in value)
            else "must be whole numbers of days between 1 and 365."
        ),
    ),
    # -- personal data --------------------------------------------------------------------------
    Setting(
        "CCHC_RETENTION_YEARS",
        dict,
        {
            "dossiers": 10,
            "drafts": 1,
            "feedback": 5,
            "survey_contacts": 1,
            "outbox": 1,
        },
        "Years the personal data of each record type is kept after the record is closed, then "
        "anonymised (`dossiers`, `drafts`, `feedback`, `survey_contacts`, `outbox`; `null` keeps "
        "it); platform defaults to check against the agency's archive rules (docs/privacy.md).",
        check=_retention_years,
    ),
    # -- leaders' dashboard -----------------------------------------------------------------------
    Setting(
        "CCHC_DASHBOARD_CACHE_SECONDS",
        int,
        30,
        "Seconds the leaders' dashboard keeps its figures for one unit, period and day before "
        "reading them again (shorter than the page's 60 s refresh; 0: no cache). Figures can be "
        "this much older than the data (docs/dashboard.md).",
        check=_between(0, 3600),
    ),
    Setting(
        "CCHC_DASHBOARD_STALE_SECONDS",
        int,
        300,
        "With a task queue: how old the dashboard's figures may be while a worker computes them "
        "again (the page shows them meanwhile); past it the page computes them itself. Without a "
        "queue the page always computes figures older than CCHC_DASHBOARD_CACHE_SECONDS.",
        check=_between(0, 3600),
    ),
    # -- demo -------------------------------------------------------------------------------------
    Setting(
        "CCHC_DEMO_HISTORY_DOSSIERS",
        int,
        6000,
        "Synthetic dossiers `cchc load-demo` adds for the dashboard and reports.",
        check=_between(0, 10_000_000),
    ),
)

BY_NAME = {setting.name: setting for setting in SETTINGS}


class _Conf:
    """Attribute access without the prefix: ``conf.FEEDBACK_ANSWER_DAYS``."""

    def __getattr__(self, short: str) -> Any:
        return value(f"CCHC_{short}")


def value(name: str) -> Any:
    """The current value of the declared setting ``name``, type-checked."""
    from django.conf import settings

    try:
        setting = BY_NAME[name]
    except KeyError:
        raise AttributeError(f"{name} is not a declared CCHC setting (cchc/conf.py).") from None
    return setting.coerce(getattr(settings, name, setting.default))


conf = _Conf()
