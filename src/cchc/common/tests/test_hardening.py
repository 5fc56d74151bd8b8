"""Production hardening (issue 14): `cchc check --deploy` reports nothing under the production
settings; https only with HSTS; the API's schema and docs for signed-in users."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "cchc.settings.production",
    "DJANGO_SECRET_KEY": "Zx8kP2vQ9mW4nL7rT1yU6sA3dF5gH0jKcVbNmQwErTyUiOpLkJh",
    "CCHC_HISTORY_KEY": "Hq7Wm2Xp9Lr4Tz6Yk1Vn8Bc3Ds5Fg0JaQwErTy",
    "DJANGO_ALLOWED_HOSTS": "motcua.example.gov.vn",
    "CCHC_PUBLIC_URL": "https://motcua.example.gov.vn",
    "DATABASE_URL": "sqlite:////tmp/cchc-check-deploy.sqlite3",
}


def run_production(code: str, **extra) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "DJANGO_"))}
    env.update(PRODUCTION, **extra)
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=180
    )


def test_check_deploy_reports_no_issue_under_the_production_settings():
    done = run_production("from cchc.__main__ import main; main(['check', '--deploy'])")
    assert done.returncode == 0, done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout + done.stderr


def test_production_is_https_only_with_hsts():
    code = (
        "import cchc.settings.production as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.CCHC_API_DOCS_PUBLIC)"
    )
    assert run_production(code).stdout.split() == ["True", "31536000"] + ["True"] * 4 + ["False"]
    closed = run_production(code, CCHC_SSL_REDIRECT="0", CCHC_HSTS_SECONDS="0")
    assert closed.stdout.split()[:2] == ["False", "0"]


def test_the_redirect_and_hsts_header(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    plain = client.get("/thu-tuc/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = client.get("/thu-tuc/", HTTP_X_FORWARDED_PROTO="https", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_api_docs_need_a_signed_in_user_when_not_public(client, settings, django_user_model):
    settings.CCHC_API_DOCS_PUBLIC = False
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/tai-khoan/dang-nhap/")
    assert client.get("/api/schema/").status_code in (401, 403)
    user = django_user_model.objects.create_user(username="doc", password="pw-123456")
    client.force_login(user)
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/schema/").status_code == 200


def test_api_docs_for_an_api_token(client, settings, django_user_model):
    from rest_framework.authtoken.models import Token

    settings.CCHC_API_DOCS_PUBLIC = False
    user = django_user_model.objects.create_user(username="tool", password="pw-123456")
    token = Token.objects.create(user=user)
    answer = client.get("/api/schema/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert answer.status_code == 200


def test_api_docs_public_when_configured(client, settings):
    settings.CCHC_API_DOCS_PUBLIC = True
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/schema/").status_code == 200
