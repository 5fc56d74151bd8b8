"""Sessions on several machines: the engine the settings chose works end to end, and the daily
job deletes expired sessions from the database (docs/deploy.md, "Several machines")."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone

from cchc.common.jobs import jobs

pytestmark = pytest.mark.django_db


def store(settings):
    return import_module(settings.SESSION_ENGINE).SessionStore


def test_the_daily_job_removes_only_expired_sessions():
    now = timezone.now()
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=now - timedelta(1))
    Session.objects.create(session_key="b" * 32, session_data="x", expire_date=now + timedelta(1))
    job = next(job for job in jobs if job.key == "clear-sessions")
    assert job.once_per == "day"
    assert job.run(now) == "1 expired sessions removed"
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


def test_cached_db_sessions_outlive_a_cache_flush_and_end_everywhere_on_sign_out(
    client, django_user_model, settings
):
    """What REDIS_URL selects (cached_db), here over the test cache: a flushed cache (a Redis
    restart) signs nobody out; a sign-out removes the session from the cache and the table."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    user = django_user_model.objects.create_user("motcua", password="pw-123456", full_name="A")
    assert (
        client.post(
            "/tai-khoan/dang-nhap/", {"username": "motcua", "password": "pw-123456"}
        ).status_code
        == 302
    )
    key = client.cookies["sessionid"].value
    assert store(settings)(key).get("_auth_user_id") == str(user.pk)
    assert Session.objects.filter(session_key=key).exists()  # in the database too
    cache.clear()
    assert client.get("/tai-khoan/dang-nhap/").status_code == 302  # still signed in
    client.post("/tai-khoan/dang-xuat/")
    assert not Session.objects.filter(session_key=key).exists()
    assert store(settings)(key).get("_auth_user_id") is None
