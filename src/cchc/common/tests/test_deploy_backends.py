"""Sessions and uploaded files on several machines: the environment chooses the backends
(cchc.settings.base; docs/deploy.md, "Several machines")."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cchc.settings import base

from .settings_probe import load_base_settings as load


# -- sessions --------------------------------------------------------------------------------------
def test_without_redis_sessions_stay_in_the_database(monkeypatch, tmp_path):
    settings = load(monkeypatch, tmp_path)
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_with_redis_sessions_are_cached_in_front_of_the_database(monkeypatch, tmp_path):
    settings = load(monkeypatch, tmp_path, REDIS_URL="redis://127.0.0.1:6379/3")
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    assert settings.CACHES["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/3",
    }


@pytest.mark.parametrize(
    ("chosen", "engine"),
    [
        ("db", "django.contrib.sessions.backends.db"),
        ("cache", "django.contrib.sessions.backends.cache"),
        ("CACHED_DB", "django.contrib.sessions.backends.cached_db"),
    ],
)
def test_the_session_engine_can_be_chosen(monkeypatch, tmp_path, chosen, engine):
    settings = load(
        monkeypatch, tmp_path, REDIS_URL="redis://127.0.0.1:6379/3", CCHC_SESSION_ENGINE=chosen
    )
    assert engine == settings.SESSION_ENGINE


@pytest.mark.parametrize("chosen", ["cache", "cached_db"])
def test_a_cached_session_engine_without_redis_is_refused(monkeypatch, tmp_path, chosen):
    """Each process's own memory would keep a signed-out session alive in the others."""
    with pytest.raises(ImproperlyConfigured, match="needs REDIS_URL"):
        load(monkeypatch, tmp_path, CCHC_SESSION_ENGINE=chosen)


def test_an_unknown_session_engine_is_refused(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="CCHC_SESSION_ENGINE"):
        load(monkeypatch, tmp_path, REDIS_URL="redis://x", CCHC_SESSION_ENGINE="file")


# -- uploaded files --------------------------------------------------------------------------------
def test_files_are_on_local_disk_by_default(monkeypatch, tmp_path):
    settings = load(monkeypatch, tmp_path, CCHC_FILE_OFFLOAD="x-accel-redirect")
    assert settings.STORAGES["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    assert tmp_path / "media" == settings.MEDIA_ROOT
    assert settings.CCHC_FILE_OFFLOAD == "x-accel-redirect"


def test_files_in_a_private_bucket(monkeypatch, tmp_path):
    settings = load(
        monkeypatch,
        tmp_path,
        CCHC_MEDIA_STORAGE="s3",
        CCHC_S3_BUCKET="cchc-media",
        CCHC_S3_ENDPOINT_URL="https://s3.example.gov.vn",
        CCHC_S3_REGION="ap-southeast-1",
        CCHC_S3_PREFIX="/tinh-an-binh/",
        CCHC_S3_ADDRESSING_STYLE="path",
    )
    storage = settings.STORAGES["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "cchc-media"
    assert options["endpoint_url"] == "https://s3.example.gov.vn"
    assert options["region_name"] == "ap-southeast-1"
    assert options["location"] == "tinh-an-binh"
    assert options["addressing_style"] == "path"
    assert options["signature_version"] == "s3v4"
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 60
    assert options["file_overwrite"] is False
    # The static files stay with the application (WhiteNoise), whatever holds the uploads.
    assert settings.STORAGES["staticfiles"]["BACKEND"].startswith("whitenoise.")


def test_the_bucket_settings_build_a_working_storage(monkeypatch, tmp_path):
    """The options are ones django-storages accepts (it refuses unknown ones)."""
    from django.core.files.storage.handler import StorageHandler

    settings = load(
        monkeypatch, tmp_path, CCHC_MEDIA_STORAGE="s3", CCHC_S3_BUCKET="cchc-media",
        CCHC_S3_PRESIGNED_SECONDS="300",
    )  # fmt: skip
    storage = StorageHandler(settings.STORAGES)["default"]
    assert storage.bucket_name == "cchc-media"
    assert storage.querystring_expire == 300
    assert storage.endpoint_url is None and storage.region_name is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CCHC_MEDIA_STORAGE": "s3"}, "CCHC_S3_BUCKET"),
        ({"CCHC_MEDIA_STORAGE": "ftp"}, "CCHC_MEDIA_STORAGE"),
        (
            {"CCHC_MEDIA_STORAGE": "s3", "CCHC_S3_BUCKET": "b", "CCHC_FILE_OFFLOAD": "x-sendfile"},
            "CCHC_FILE_OFFLOAD",
        ),
        ({"CCHC_S3_PRESIGNED_SECONDS": "604801"}, "CCHC_S3_PRESIGNED_SECONDS"),
        ({"CCHC_S3_ADDRESSING_STYLE": "dns"}, "CCHC_S3_ADDRESSING_STYLE"),
    ],
)
def test_a_wrong_storage_setting_is_refused_at_start(monkeypatch, tmp_path, env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load(monkeypatch, tmp_path, **env)


def test_no_page_links_a_stored_file_by_its_storage_address():
    """``{{ x.file.url }}`` would be /media/… (served by nobody) or, from a bucket, a signed
    address handed out without the scope check: every file goes through a scoped route."""
    templates = Path(base.PACKAGE_DIR) / "templates"
    pattern = re.compile(r"\b\w*(file|document|evidence|scan)\w*\.url\b")
    offenders = [
        f"{path.relative_to(templates)}: {match.group(0)}"
        for path in templates.rglob("*.html")
        for match in pattern.finditer(path.read_text())
    ]
    assert offenders == []


def test_a_bucket_without_the_s3_extra_is_refused_at_start(monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "storages.backends.s3", None)  # as if not installed
    with pytest.raises(ImproperlyConfigured, match=r"cchc\[s3\]"):
        load(monkeypatch, tmp_path, CCHC_MEDIA_STORAGE="s3", CCHC_S3_BUCKET="cchc-media")
