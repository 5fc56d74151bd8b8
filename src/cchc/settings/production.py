"""Production: everything from the environment; refuses to start without a secret key and a
history key."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CCHC_HISTORY_KEY, SECRET_KEY, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
# The key that seals histories must not be derivable from anything else (docs/security.md).
if len(CCHC_HISTORY_KEY.strip()) < 32:
    raise ImproperlyConfigured(
        "CCHC_HISTORY_KEY must be set in production: at least 32 random characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(32))'."
    )
if CCHC_HISTORY_KEY.strip() == SECRET_KEY.strip():
    raise ImproperlyConfigured("CCHC_HISTORY_KEY must differ from DJANGO_SECRET_KEY.")

LOG_FORMAT = os.environ.get("CCHC_LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "text"  # noqa: F405

SESSION_COOKIE_SECURE = env_bool("CCHC_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# https only, remembered by browsers (HSTS); a closed network on plain http sets both off
# (docs/deploy.md). The probes and /metrics are answered before the redirect.
CCHC_SSL_REDIRECT = env_bool("CCHC_SSL_REDIRECT", True)
SECURE_SSL_REDIRECT = CCHC_SSL_REDIRECT
CCHC_HSTS_SECONDS = int(os.environ.get("CCHC_HSTS_SECONDS", "31536000"))
SECURE_HSTS_SECONDS = CCHC_HSTS_SECONDS
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# The API's schema and docs are for signed-in users and API clients (CCHC_API_DOCS_PUBLIC=1 opens).
CCHC_API_DOCS_PUBLIC = env_bool("CCHC_API_DOCS_PUBLIC", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Error reports to Sentry (or a compatible server) when a DSN is set; never personal data.
if os.environ.get("SENTRY_DSN"):
    from cchc.common.errortracking import init_sentry

    init_sentry(os.environ["SENTRY_DSN"], os.environ.get("SENTRY_ENVIRONMENT", "production"))
