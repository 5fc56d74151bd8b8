"""Settings shared by every environment, read from environment variables.

Variables:
- ``DATABASE_URL``: e.g. ``postgres://user@127.0.0.1:5432/cchc``;
  default: a SQLite file under ``var/``.
- ``DJANGO_SECRET_KEY``, ``DJANGO_DEBUG`` (``1``/``0``), ``DJANGO_ALLOWED_HOSTS`` (comma list).
- ``REDIS_URL``: cache (public lookup and feedback limits, dashboard figures) and sessions in
  front of the database; default: in-process memory, sessions in the database.
- ``CCHC_SESSION_ENGINE``: db, cached_db or cache (default: cached_db with Redis, else db).
- ``CCHC_MEDIA_STORAGE`` (local or s3), ``CCHC_S3_*``: where uploaded files are kept.
- ``CCHC_TRUSTED_PROXIES``, ``CCHC_LOGIN_*``, ``CCHC_LOOKUP_*``, ``CCHC_FEEDBACK_*``: abuse limits
  (docs/security.md).
- ``CCHC_VAR_DIR``: where the SQLite file and uploads live; default ``<repo>/var``.
- ``CCHC_AGENCY_NAME``: the agency name shown in the page header.
- ``CCHC_PUBLIC_URL``: the site's public address (QR codes, links in messages), e.g.
  ``https://dichvucong.example.gov.vn``.
- ``CCHC_CSP_REPORT_URI``, ``CCHC_CSP_REPORT_ONLY``: where browsers report Content-Security-Policy
  violations, and the switch that only reports them (docs/security.md, ADR 0015).
- ``CCHC_HISTORY_KEY``, ``CCHC_HISTORY_OLD_KEYS`` (comma list): the key sealing histories and the
  retired keys still verifying them (docs/security.md, "History").
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cchc.common.replicas import replica_databases

PACKAGE_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CCHC_VAR_DIR", REPO_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "axes",  # login lockout and the audit of sign-in attempts (docs/security.md)
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "cchc.common",
    "cchc.history",
    "cchc.accounts",
    "cchc.organisations",
    "cchc.workdays",
    "cchc.catalog",
    "cchc.dossiers",
    "cchc.documents",
    "cchc.notifications",
    "cchc.reports",
    "cchc.feedback",
    "cchc.index766",
    "cchc.parindex",
    "cchc.surveys",
    "cchc.plans",
    "cchc.committee",
    "cchc.inspections",
    "cchc.reformreports",
    "cchc.privacy",  # personal data: export on request, retention, anonymisation (NĐ 13/2023)
    "cchc.dashboard",
    "cchc.portal",
    "cchc.jobs",  # background jobs on the task queue (ADR 0014)
    "cchc.demo",  # demo loaders and generator (load-demo, generate-demo); imported by no app
]

MIDDLEWARE = [
    "cchc.common.logs.RequestIdMiddleware",  # first: every later log line carries the id
    "cchc.common.health.ProbeMiddleware",  # /healthz, /readyz: before the host check and redirects
    "cchc.common.monitoring.MetricsMiddleware",  # latency and database time by view (/metrics)
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy with a fresh nonce per response (ADR 0015): before any middleware
    # that may answer with a page (413, 400), so every HTML answer carries the policy.
    "csp.middleware.CSPMiddleware",
    "cchc.common.middleware.RequestSizeLimitMiddleware",  # before anything reads the body
    "cchc.common.memo.RequestMemoMiddleware",  # answers kept for one request
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # NUL and other characters no field may hold: 400 before sessions, forms or queries see them.
    "cchc.common.input.MalformedInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a sign-in refused by the lockout into its answer (cchc.accounts.lockout).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cchc.portal.context_processors.site",
                "csp.context_processors.nonce",  # CSP_NONCE for the platform's own scripts
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'cchc.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh checkout has no var/ yet (it is not in git): create it for the embedded database.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Concurrent intake at the counter must not fail with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Streaming replicas of the primary for the dashboard's and reports' reads (cchc.common.replicas,
# docs/scale.md): comma-separated database URLs; none by default.
DATABASES.update(
    replica_databases(
        os.environ.get("DATABASE_REPLICA_URLS", ""),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
)
DATABASE_ROUTERS = ["cchc.common.replicas.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions (docs/deploy.md, "Several machines"). With Redis, ``cached_db``: every web process reads
# a session from the shared cache and falls back to the database, so sessions survive a Redis
# restart or flush and a sign-out is seen by every process at once. Without Redis, ``db``: a cache
# in each process's memory would keep a signed-out session alive in the other processes.
# CCHC_SESSION_ENGINE chooses explicitly: db, cached_db or cache (the cache alone: faster, but a
# Redis restart signs everybody out); the last two need REDIS_URL.
SESSION_ENGINES = {
    "db": "django.contrib.sessions.backends.db",
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "cache": "django.contrib.sessions.backends.cache",
}
CCHC_SESSION_ENGINE = os.environ.get("CCHC_SESSION_ENGINE", "").strip().lower()
if CCHC_SESSION_ENGINE not in ("", *SESSION_ENGINES):
    raise ImproperlyConfigured(
        f"CCHC_SESSION_ENGINE must be empty, db, cached_db or cache, not {CCHC_SESSION_ENGINE!r}."
    )
if CCHC_SESSION_ENGINE in ("cached_db", "cache") and not REDIS_URL:
    raise ImproperlyConfigured(
        f"CCHC_SESSION_ENGINE={CCHC_SESSION_ENGINE} needs REDIS_URL: a cache in each process's "
        "memory is not shared between the web processes."
    )
SESSION_ENGINE = SESSION_ENGINES[CCHC_SESSION_ENGINE or ("cached_db" if REDIS_URL else "db")]

LANGUAGE_CODE = "vi"
# Vietnamese only: many officers' browsers ask for English first, and the interface must not follow.
LANGUAGES = [("vi", _("Vietnamese"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["cchc.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded files (docs/deploy.md, "Several machines"): on this machine's disk under MEDIA_ROOT
# (``local``) or in a private bucket of an S3-compatible object store (``s3``: Amazon S3, MinIO,
# Ceph, a provider's object storage) that every node shares; ``pip install 'cchc[s3]'``. The keys
# come from the standard AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY variables (or the machine's
# role). Either way no file has a public address: each is read through a scoped download route
# (cchc.common.downloads), streamed by the application, or, when CCHC_S3_PRESIGNED_SECONDS > 0,
# redirected to a signed address valid that many seconds.
CCHC_MEDIA_STORAGE = os.environ.get("CCHC_MEDIA_STORAGE", "local").strip().lower()
CCHC_S3_BUCKET = os.environ.get("CCHC_S3_BUCKET", "").strip()
CCHC_S3_ENDPOINT_URL = os.environ.get("CCHC_S3_ENDPOINT_URL", "").strip()
CCHC_S3_REGION = os.environ.get("CCHC_S3_REGION", "").strip()
CCHC_S3_PREFIX = os.environ.get("CCHC_S3_PREFIX", "").strip().strip("/")
CCHC_S3_ADDRESSING_STYLE = os.environ.get("CCHC_S3_ADDRESSING_STYLE", "").strip().lower()
CCHC_S3_PRESIGNED_SECONDS = int(os.environ.get("CCHC_S3_PRESIGNED_SECONDS", "0"))
if CCHC_MEDIA_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured(
        f"CCHC_MEDIA_STORAGE must be local or s3, not {CCHC_MEDIA_STORAGE!r}."
    )
if CCHC_S3_ADDRESSING_STYLE not in ("", "path", "virtual"):
    raise ImproperlyConfigured(
        "CCHC_S3_ADDRESSING_STYLE must be empty, path or virtual, not "
        f"{CCHC_S3_ADDRESSING_STYLE!r}."
    )
if not 0 <= CCHC_S3_PRESIGNED_SECONDS <= 604800:  # S3 signs for seven days at most
    raise ImproperlyConfigured("CCHC_S3_PRESIGNED_SECONDS must be between 0 and 604800.")
if CCHC_MEDIA_STORAGE == "s3":
    if not CCHC_S3_BUCKET:
        raise ImproperlyConfigured("CCHC_MEDIA_STORAGE=s3 needs CCHC_S3_BUCKET.")
    try:
        import storages.backends.s3  # noqa: F401  (boto3 too)
    except ImportError as error:  # else every page would work and every upload fail
        raise ImproperlyConfigured(
            "CCHC_MEDIA_STORAGE=s3 needs the s3 extra: pip install 'cchc[s3]'."
        ) from error
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": CCHC_S3_BUCKET,
            "endpoint_url": CCHC_S3_ENDPOINT_URL or None,
            "region_name": CCHC_S3_REGION or None,
            "addressing_style": CCHC_S3_ADDRESSING_STYLE or None,
            "signature_version": "s3v4",  # signed addresses too (SigV2 is retired)
            "location": CCHC_S3_PREFIX,
            "default_acl": "private",  # objects readable only with the keys
            "querystring_auth": True,  # any address the storage gives is signed ...
            "querystring_expire": CCHC_S3_PRESIGNED_SECONDS or 60,  # ... and short-lived
            "file_overwrite": False,  # a new upload never replaces another file of the same name
            "max_memory_size": 2 * 1024 * 1024,  # a file read whole spills to disk past 2 MB
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads: hard limits so a bad upload cannot exhaust the server (docs/security.md, "Files").
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CCHC_IMPORT_MAX_BYTES = 10 * 1024 * 1024
# One scanned document (PDF, JPEG, PNG): checked by the forms and the API.
CCHC_UPLOAD_MAX_BYTES = int(os.environ.get("CCHC_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
# Full-size documents one request may carry; with a margin for the form fields and the multipart
# framing, this gives the body limit past which a request is refused (413) before it is read.
CCHC_UPLOAD_MAX_FILES = int(os.environ.get("CCHC_UPLOAD_MAX_FILES", "5"))
_FILES_BYTES = max(CCHC_UPLOAD_MAX_BYTES * CCHC_UPLOAD_MAX_FILES, CCHC_IMPORT_MAX_BYTES)
CCHC_REQUEST_MAX_BYTES = int(
    os.environ.get("CCHC_REQUEST_MAX_BYTES", str(_FILES_BYTES + 1024 * 1024))  # 1 MB margin
)
# Downloads: "" (Django streams the file), "x-accel-redirect" (nginx) or "x-sendfile" (Apache,
# lighttpd); the prefix is the nginx internal location, or the media directory for X-Sendfile.
CCHC_FILE_OFFLOAD = os.environ.get("CCHC_FILE_OFFLOAD", "").strip().lower()
if CCHC_FILE_OFFLOAD not in ("", "x-accel-redirect", "x-sendfile"):
    raise ImproperlyConfigured(
        "CCHC_FILE_OFFLOAD must be empty, x-accel-redirect or x-sendfile, not "
        f"{CCHC_FILE_OFFLOAD!r}."
    )
if CCHC_FILE_OFFLOAD and CCHC_MEDIA_STORAGE != "local":
    raise ImproperlyConfigured(
        "CCHC_FILE_OFFLOAD hands files on this machine's disk to the front server: leave it empty "
        "with CCHC_MEDIA_STORAGE=s3 (the application streams the objects)."
    )
CCHC_FILE_OFFLOAD_PREFIX = os.environ.get(
    "CCHC_FILE_OFFLOAD_PREFIX",
    str(MEDIA_ROOT) if CCHC_FILE_OFFLOAD == "x-sendfile" else "/protected-media/",
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "cchc.common.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "cchc.common.schema.AutoSchema",  # documents 400/401/403/404/409
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CCHC API",
    "DESCRIPTION": "One-stop shop, catalog and working-day engine of the CCHC platform.",
    "VERSION": "1",
    # Swagger UI from the sidecar package: served locally, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "DossierChannelEnum": "cchc.dossiers.models.Channel",
        "FeeChannelEnum": "cchc.catalog.models.Channel",
        "DossierStatusEnum": "cchc.dossiers.models.Status",
        "ReformReportStatusEnum": "cchc.reformreports.models.ReportStatus",
        "ParEvidenceKindEnum": "cchc.parindex.models.EvidenceKind",
        "ParCouncilRoleEnum": "cchc.parindex.models.CouncilRole",
    },
}

# Content-Security-Policy (django-csp, docs/adr/0015-content-security-policy.md), on in every
# environment so the tests and browser tests run under it. Scripts and <style> elements only from
# this site or carrying the response's nonce; no eval; nothing framed, embedded or posted elsewhere.
# ``style-src-attr 'unsafe-inline'``: indentations, bars and legend colours computed on the server
# are style="…" attributes; an attribute cannot run script, and every url() it could name still
# falls under img-src/font-src 'self' (ADR 0015).
CCHC_CSP_REPORT_URI = os.environ.get("CCHC_CSP_REPORT_URI", "").strip()
CCHC_CSP_REPORT_ONLY = env_bool("CCHC_CSP_REPORT_ONLY", False)
_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'", csp_constants.NONCE],
    "style-src": ["'self'", csp_constants.NONCE],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],  # bootstrap's icons (toggler, select arrow) are data: SVGs
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],  # no page is framed on purpose, not even by the site itself
    "form-action": ["'self'"],
}
if CCHC_CSP_REPORT_URI:
    _CSP_DIRECTIVES["report-uri"] = [CCHC_CSP_REPORT_URI]
if CCHC_CSP_REPORT_ONLY:
    # Trying the policy on a deployment with its own additions: violations reported, not blocked.
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# The client address behind reverse proxies (cchc.common.client_address): X-Forwarded-For is read
# only on connections from these addresses or CIDR networks; none by default (REMOTE_ADDR only).
CCHC_TRUSTED_PROXIES = env_list("CCHC_TRUSTED_PROXIES", "")
try:
    from cchc.common.client_address import parse_networks

    parse_networks(CCHC_TRUSTED_PROXIES)
except ValueError as error:
    raise ImproperlyConfigured(f"CCHC_TRUSTED_PROXIES: {error}") from error

# Login lockout (django-axes, docs/security.md): this many failures for one user name from one
# client address lock that pair until CCHC_LOGIN_WINDOW_SECONDS after the last failure; other
# addresses, and other user names from that address, are not affected. A success resets the count.
CCHC_LOGIN_MAX_FAILURES = int(os.environ.get("CCHC_LOGIN_MAX_FAILURES", "5"))
CCHC_LOGIN_WINDOW_SECONDS = int(os.environ.get("CCHC_LOGIN_WINDOW_SECONDS", "900"))
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked pair before any password
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = CCHC_LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = timedelta(seconds=CCHC_LOGIN_WINDOW_SECONDS)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the wait shown is the wait there is
AXES_CLIENT_IP_CALLABLE = "cchc.common.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "cchc.accounts.lockout.lockout_response"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure in the admin, beside the attempts and logins
AXES_VERBOSE = False

# Public dossier lookup (cchc.dossiers.lookup): failures per client address within a window, and
# failures on one dossier code from all addresses together within a longer window. Past either
# limit the lookup is refused; past the per-code limit it answers exactly as for a wrong code.
CCHC_LOOKUP_MAX_FAILURES = int(os.environ.get("CCHC_LOOKUP_MAX_FAILURES", "10"))
CCHC_LOOKUP_WINDOW_SECONDS = int(os.environ.get("CCHC_LOOKUP_WINDOW_SECONDS", "900"))
CCHC_LOOKUP_CODE_MAX_FAILURES = int(os.environ.get("CCHC_LOOKUP_CODE_MAX_FAILURES", "10"))
CCHC_LOOKUP_CODE_WINDOW_SECONDS = int(os.environ.get("CCHC_LOOKUP_CODE_WINDOW_SECONDS", "86400"))
# Public feedback (cchc.feedback.limits): submissions and failed lookups per client address.
CCHC_FEEDBACK_MAX_SUBMISSIONS = int(os.environ.get("CCHC_FEEDBACK_MAX_SUBMISSIONS", "5"))
CCHC_FEEDBACK_LOOKUP_MAX_FAILURES = int(os.environ.get("CCHC_FEEDBACK_LOOKUP_MAX_FAILURES", "10"))
CCHC_FEEDBACK_WINDOW_SECONDS = int(os.environ.get("CCHC_FEEDBACK_WINDOW_SECONDS", "3600"))

CCHC_AGENCY_NAME = os.environ.get("CCHC_AGENCY_NAME", "")

# Sealed histories (cchc.history, docs/security.md "History"): the HMAC key that seals new history
# entries and signs checkpoints, and the retired keys (comma list) that still verify older ones.
# Keep them outside the database; production refuses to start without CCHC_HISTORY_KEY, elsewhere
# a key is derived from SECRET_KEY.
CCHC_HISTORY_KEY = os.environ.get("CCHC_HISTORY_KEY", "")
CCHC_HISTORY_OLD_KEYS = env_list("CCHC_HISTORY_OLD_KEYS", "")

# Email to applicants (cchc.notifications, docs/notifications.md); SMTP server from the environment.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))  # must stay well below the outbox lease
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@localhost")
# The site's public address, e.g. https://dichvucong.example.gov.vn: QR codes on printed receipts,
# links in emails and SMS, the feedback sender's private link (cchc.common.public_url). One setting
# for every absolute link; ``cchc check --deploy`` warns when it is unset, local or not https.
CCHC_PUBLIC_URL = os.environ.get("CCHC_PUBLIC_URL", "").strip()

# The task queue (cchc.jobs, ADR 0014): Celery with a Redis or RabbitMQ broker. Without one, the
# background jobs run from cron (`cchc run-job KEY`) and nothing is sent to a queue.
CCHC_QUEUE_URL = os.environ.get("CCHC_QUEUE_URL", "").strip()
CCHC_METRICS_TOKEN = os.environ.get("CCHC_METRICS_TOKEN", "").strip()
CCHC_API_DOCS_PUBLIC = env_bool("CCHC_API_DOCS_PUBLIC", True)
CELERY_BROKER_URL = CCHC_QUEUE_URL or "memory://"
CELERY_TASK_DEFAULT_QUEUE = "cchc"
CELERY_TASK_ACKS_LATE = True  # a job interrupted by a worker's death is given to another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # keep the JSON lines of LOGGING

# Logs go to standard output (the service manager or the container keeps them): one JSON object a
# line in production (``CCHC_LOG_FORMAT=json``), with the request id, and ID and phone numbers
# masked (cchc.common.logs).
LOG_FORMAT = os.environ.get("CCHC_LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "cchc.common.logs.RequestIdFilter"},
        "personal_data": {"()": "cchc.common.logs.PersonalDataFilter"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "personal_data"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The statistics' covering index (reports.StatCell) names INCLUDE columns that only PostgreSQL uses;
# on SQLite, the embedded default, the index simply has no extra columns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
