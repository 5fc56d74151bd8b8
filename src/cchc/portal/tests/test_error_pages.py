"""Vietnamese error pages in the site's look, with a way back, and a favicon (issue 9, item 11).

Also under the settings ``make demo`` serves with (cchc.settings.demo): debug off, so a mistyped
address never shows Django's English debug page, and static files still served by the app."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path

from cchc.organisations.tests.factories import UserFactory

REPO = Path(django_settings.PACKAGE_DIR).parent.parent
WAYS_BACK = ('href="/"', 'href="/tra-cuu/"', 'href="/thu-tuc/"')


def boom(request):
    raise RuntimeError("a bug")


def refused(request):
    raise PermissionDenied


def malformed(request):
    raise SuspiciousOperation("bad")


urlpatterns = [
    path("loi/500/", boom),
    path("loi/403/", refused),
    path("loi/400/", malformed),
    path("", include("cchc.urls")),
]


def assert_error_page(response, status: int, *texts: str):
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="vi">' in html
    for text in texts:
        assert text in html, (text, html[:2000])
    for link in WAYS_BACK:
        assert link in html, link
    assert "portal/site.css" in html and "portal/favicon" in html  # the site's look and icon
    assert not re.search(r"Page not found|Server Error|Traceback|Django", html)


@pytest.mark.django_db
def test_unknown_address_answers_the_vietnamese_404(client):
    response = client.get("/thu-tuc/khong-co-trang-nay/x/")
    assert_error_page(response, 404, "Không tìm thấy trang", "/thu-tuc/khong-co-trang-nay/x/")
    assert 'class="navbar' in response.content.decode()  # the site's own header and menu


@pytest.mark.django_db
def test_unknown_api_address_still_answers_json(client):
    response = client.get("/api/v1/khong-co/")
    assert response.status_code == 404
    assert set(json.loads(response.content)) == {"detail"}


@pytest.mark.django_db
def test_refused_page_answers_the_vietnamese_403(client, settings):
    settings.ROOT_URLCONF = __name__
    client.force_login(UserFactory())
    assert_error_page(client.get("/loi/403/"), 403, "Không có quyền truy cập")


@pytest.mark.django_db
def test_anonymous_403_offers_to_sign_in(client, settings):
    settings.ROOT_URLCONF = __name__
    response = client.get("/loi/403/")
    assert_error_page(response, 403, "Không có quyền truy cập", "/tai-khoan/dang-nhap/?next=")


@pytest.mark.django_db
def test_server_error_answers_the_vietnamese_500(settings):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    assert_error_page(client.get("/loi/500/"), 500, "Lỗi hệ thống", "Bộ phận Một cửa")


@pytest.mark.django_db
def test_malformed_request_answers_the_vietnamese_400(client, settings):
    settings.ROOT_URLCONF = __name__
    assert_error_page(client.get("/loi/400/"), 400, "Không xử lý được yêu cầu")


@pytest.mark.django_db
def test_expired_form_answers_the_vietnamese_csrf_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/tai-khoan/dang-nhap/", {"username": "a", "password": "b"})
    assert_error_page(response, 403, "Biểu mẫu đã hết hạn", "tải lại trang")


@pytest.mark.django_db
def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/portal/favicon.ico"
    home = client.get("/").content.decode()
    assert 'rel="icon" href="/static/portal/favicon.svg"' in home
    assert 'rel="icon" href="/static/portal/favicon.ico"' in home
    static = REPO / "src" / "cchc" / "portal" / "static" / "portal"
    assert (static / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert (static / "favicon.svg").read_text().startswith("<svg")


DEMO_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
answers = {"debug": settings.DEBUG}
urls = ("/khong-co/", "/favicon.ico", "/static/portal/favicon.ico", "/static/portal/confirm.js")
for url in urls:
    response = client.get(url, follow=False)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    body = body.decode("utf-8", "replace")
    answers[url] = [response.status_code, response.get("Location", ""), body]
print(json.dumps(answers))
"""


@pytest.mark.django_db
def test_make_demo_serves_vietnamese_errors_and_its_static_files(tmp_path):
    makefile = (REPO / "Makefile").read_text()
    demo = makefile.split("\ndemo:")[1].split("\n\n")[0]
    assert "runserver" in demo and "cchc.settings.demo" in makefile
    assert "DJANGO_SETTINGS_MODULE=cchc.settings.demo" in makefile
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "PYTEST"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cchc.settings.demo",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        CCHC_VAR_DIR=str(tmp_path),
    )
    subprocess.run(
        [sys.executable, "-m", "cchc", "migrate", "-v0"], env=env, check=True, cwd=tmp_path
    )
    result = subprocess.run(
        [sys.executable, "-c", DEMO_PROBE], env=env, capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["debug"] is False
    status, _, html = answers["/khong-co/"]
    assert status == 404
    assert "Không tìm thấy trang" in html and 'href="/tra-cuu/"' in html
    assert "Django" not in html and "DEBUG = True" not in html
    assert answers["/favicon.ico"][:2] == [301, "/static/portal/favicon.ico"]
    assert answers["/static/portal/favicon.ico"][0] == 200  # served by the app (WhiteNoise)
    assert answers["/static/portal/confirm.js"][0] == 200
    assert "window.confirm(" in answers["/static/portal/confirm.js"][2]
