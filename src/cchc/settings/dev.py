"""Local development (``cchc runserver``): debug on, a fixed insecure key, SQLite by default.

``make demo`` uses :mod:`cchc.settings.demo`: these settings with debug off."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-change-me"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
