"""Test runs (``make test``): fast hashing, in-memory cache; database from DATABASE_URL."""

import os

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"  # whatever REDIS_URL the shell has
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Live-server threads (browser tests) must not keep connections open past the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared memory: concurrency tests need real locks between threads.
    # One file per run, so two test runs on one machine do not trample each other.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-cchc-{os.getpid()}.sqlite3")  # noqa: F405
    }
CCHC_DEMO_HISTORY_DOSSIERS = 300  # load-demo in tests: a small synthetic history
