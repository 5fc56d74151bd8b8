"""Malformed input is refused at one depth (cchc.common.input): 400 with a Vietnamese message, an
HTML page for pages and field errors as JSON under /api/; non-numeric ids are unknown URLs (404).
Never a 500, on SQLite and PostgreSQL alike (PostgreSQL text cannot hold NUL at all)."""

import json
import os
import subprocess
import sys

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cchc.dossiers.models import Dossier
from cchc.feedback.models import Feedback

pytestmark = pytest.mark.django_db

MESSAGE = "Yêu cầu chứa ký tự không được phép"


def api(user=None):
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def assert_refused_page(response):
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert MESSAGE in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/thu-tuc/a%00b/",
        "/thu-tuc/a%00b/du-kien/",
        "/minh-bach/a%00b/",
        "/phan-anh/?q=a%00b",
        "/phan-anh/cong-khai/a%00b/",
        "/phan-anh/da-gui/a%00b/",
        "/phan-anh/danh-gia/a%00b/x/",
        "/thu-tuc/?q=a%00b",
        "/tinh-han/?ngay_nhan=a%00b",
        "/?a%00b=1",
    ],
)
def test_nul_on_anonymous_pages_is_a_400_page(client, url, unit, procedure):
    assert_refused_page(client.get(url))


@pytest.mark.parametrize(
    "url",
    [
        "/ho-so/?q=a%00b",
        "/ho-so/hang-doi/a%00b/",
        "/so-theo-doi.xlsx?don_vi=a%00b",
        "/bao-cao/?don_vi=a%00b",
        "/chi-so-766/?don_vi=a%00b",
        "/phan-anh/xu-ly/?q=a%00b",
    ],
)
def test_nul_on_officer_pages_is_a_400_page(client, officer, url):
    client.force_login(officer)
    assert_refused_page(client.get(url))


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/procedures/?q=a%00b", "q"),
        ("/api/v1/procedures/a%00b/", "non_field_errors"),
        ("/api/v1/feedback/public/?q=a%00b", "q"),
        ("/api/v1/feedback/public/a%00b/", "non_field_errors"),
        ("/api/v1/workdays/day?date=a%00b", "date"),
    ],
)
def test_nul_in_the_api_is_a_400_with_the_field(url, field, unit):
    response = api().get(url)
    assert response.status_code == 400
    assert MESSAGE in response.json()[field][0]


def test_nul_in_a_json_body_names_the_field(unit, procedure):
    payload = {
        "sender_name": "Nguyễn Văn An",
        "sender_phone": "0912345678",
        "subject_kind": "other",
        "title": "Chờ lâu",
        "content": "Tôi phải chờ hơn một giờ ở quầy tiếp nhận.",
        "unit": "a\u0000",
    }
    response = api().post("/api/v1/feedback/", payload, format="json")
    assert response.status_code == 400
    assert MESSAGE in response.json()["unit"][0]
    assert not Feedback.objects.exists()


def test_nul_deep_in_json_names_the_top_field(officer, unit, procedure):
    body = json.dumps({"procedure": procedure.code, "components": [{"x": "a\u0000"}]})
    response = api(officer).post("/api/v1/dossiers/", body, content_type="application/json")
    assert response.status_code == 400 and "components" in response.json()


def test_a_lone_surrogate_in_json_is_refused(officer, unit, procedure):
    body = '{"applicant_name": "\\ud800", "unit": "' + unit.code + '"}'
    response = api(officer).post("/api/v1/dossiers/", body, content_type="application/json")
    assert response.status_code == 400
    assert MESSAGE in response.json()["applicant_name"][0]
    assert not Dossier.objects.exists()


def test_an_escaped_backslash_is_not_a_nul(officer, unit, procedure):
    """``"\\\\u0000"`` is the six characters ``\\u0000``, plain text: the API judges it itself."""
    body = json.dumps({"applicant_name": "\\u0000"})
    response = api(officer).post("/api/v1/dossiers/", body, content_type="application/json")
    assert response.status_code == 400
    assert "applicant_name" not in response.json()  # refused for the missing fields, not the name


def test_nul_in_a_form_post_is_refused(client, unit):
    response = client.post("/phan-anh/gui/", {"sender_name": "An\x00", "title": "x"})
    assert_refused_page(response)
    assert not Feedback.objects.exists()


def test_nul_in_the_token_header_is_refused(unit):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token abc\x00def")
    response = client.get("/api/v1/units/")
    assert response.status_code == 400


def test_a_cookie_with_nul_is_ignored_not_fatal(client, unit):
    """A quoted cookie may spell NUL as an octal escape; the session store never sees it."""
    response = client.get("/thu-tuc/", HTTP_COOKIE='sessionid="abc\\000defghijklmnop"')
    assert response.status_code == 200


def test_clean_requests_pass_untouched(client, unit, procedure):
    assert client.get("/thu-tuc/?q=khai%20sinh").status_code == 200
    assert api().get("/api/v1/procedures/", {"q": "hôn nhân"}).status_code == 200


@pytest.mark.parametrize("action", ["submit", "components"])
def test_non_numeric_ids_are_404_in_json(django_user_model, action):
    citizen = django_user_model.objects.create_user("congdan", password="x")
    response = api(citizen).post(f"/api/v1/online-dossiers/abc/{action}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/dossiers/abc/",
        "/api/v1/dossiers/abc/accept/",
        "/api/v1/feedback/officer/abc/",
        "/api/v1/fields/abc/",
        "/api/v1/khong-co/",
    ],
)
def test_unknown_api_urls_are_404_in_json(officer, url):
    response = api(officer).get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}


def test_non_ascii_digits_are_not_ids(officer, unit, procedure, applicant):
    """``"²".isdigit()`` is true but ``int("²")`` fails: ids and versions take ASCII digits only."""
    from cchc.dossiers import services

    dossier = services.receive_at_counter(officer, unit, procedure, applicant)
    client = api(officer)
    assert client.get("/api/v1/procedures/", {"field": "²"}).status_code == 200
    assert client.get("/api/v1/dossiers/", {"status": "²"}).status_code == 200
    response = client.post(
        f"/api/v1/dossiers/{dossier.pk}/accept/", {"version": "²"}, format="json"
    )
    assert response.status_code in (200, 409)


PRODUCTION_CHECK = """
import django
django.setup()
from django.test import Client
client = Client()
for url in ("/thu-tuc/a%00b/", "/minh-bach/a%00b/", "/phan-anh/?q=a%00b",
            "/api/v1/procedures/?q=a%00b"):
    print(url, client.get(url).status_code)
print("json", Client().post("/api/v1/feedback/", '{"unit": "a\\\\u0000"}',
                            content_type="application/json").status_code)
print("id", client.post("/api/v1/online-dossiers/abc/submit/").status_code)
"""


def test_production_settings_refuse_nul_without_a_500(tmp_path):
    """The same answers with the production settings (DEBUG off, no test runner): the requests
    are refused before any database access."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cchc.settings.production",
        "DJANGO_SECRET_KEY": "production-check",
        "CCHC_HISTORY_KEY": "production-check-history-key-0123456789abcdef",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_DEBUG": "0",
        "CCHC_SSL_REDIRECT": "0",  # the test client speaks plain http
        "CCHC_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_CHECK], env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = dict(line.rsplit(" ", 1) for line in result.stdout.splitlines())
    assert lines == {
        "/thu-tuc/a%00b/": "400",
        "/minh-bach/a%00b/": "400",
        "/phan-anh/?q=a%00b": "400",
        "/api/v1/procedures/?q=a%00b": "400",
        "json": "400",
        "id": "404",
    }


def test_a_json_body_over_the_memory_limit_is_a_json_400(settings, unit):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"title": "x" * 4096})
    response = api().post("/api/v1/feedback/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Yêu cầu không hợp lệ."]}


def test_too_many_query_fields_is_a_json_400(unit):
    query = "&".join(f"f{i}=1" for i in range(1200))
    response = api().get(f"/api/v1/procedures/?{query}")
    assert response.status_code == 400 and "non_field_errors" in response.json()


def test_json_nested_too_deep_is_a_400_not_a_recursion_error(unit):
    body = "[" * 100_000 + "]" * 100_000
    response = api().post("/api/v1/feedback/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Dữ liệu gửi lên lồng nhau quá sâu."]}
