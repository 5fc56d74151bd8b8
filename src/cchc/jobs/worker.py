"""The entry point of the queue's processes: ``celery -A cchc.jobs.worker worker`` and
``celery -A cchc.jobs.worker beat`` (deploy/, docs/jobs.md). Django is set up first (production
settings unless ``DJANGO_SETTINGS_MODULE`` says otherwise), then the schedule is read from the
registry and ``CCHC_JOB_SCHEDULE``."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings.production")
django.setup()

from .queue import app  # noqa: E402
from .schedule import beat_schedule  # noqa: E402

app.conf.beat_schedule = beat_schedule()

__all__ = ["app"]
