"""One public address for every absolute link (issue 9, item 15): ``CCHC_PUBLIC_URL``.

Printed QR codes, notification links and the feedback sender's private link all use it;
``cchc check --deploy`` warns when it is unset, not an address, local or not https."""

import io
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import RequestFactory

from cchc.common.public_url import absolute_url, public_url
from cchc.documents import rendering
from cchc.feedback.tests.conftest import clock, province, unit  # noqa: F401 (fixtures)
from cchc.notifications import services as notifications

DOSSIER = SimpleNamespace(code="000.00.31.H99-260302-0001")
PUBLIC = "https://dichvucong.anbinh.gov.vn"


def public_url_warnings() -> list[str]:
    return sorted(
        message.id
        for message in run_checks(include_deployment_checks=True)
        if (message.id or "").startswith("cchc.W00")
    )


def test_qr_codes_and_notifications_use_the_one_setting(settings):
    settings.CCHC_PUBLIC_URL = PUBLIC + "/"
    lookup = f"{PUBLIC}/tra-cuu/?ma=000.00.31.H99-260302-0001"
    assert public_url() == PUBLIC
    assert rendering.lookup_url(DOSSIER) == lookup  # the QR code on printed receipts
    assert notifications.lookup_url(DOSSIER) == lookup  # email and SMS
    assert notifications.lookup_url(DOSSIER, with_code=False) == f"{PUBLIC}/tra-cuu/"


def test_without_the_setting_printed_documents_fall_back_to_the_demo_address(settings):
    settings.CCHC_PUBLIC_URL = ""
    assert rendering.lookup_url(DOSSIER).startswith("http://127.0.0.1:8000/tra-cuu/?ma=")
    assert notifications.lookup_url(DOSSIER) == ""  # messages name the page instead


def test_absolute_links_prefer_the_public_address_over_the_request_host(settings):
    request = RequestFactory().get("/", HTTP_HOST="10.0.0.5:8000")
    settings.ALLOWED_HOSTS = ["10.0.0.5"]
    settings.CCHC_PUBLIC_URL = ""
    assert absolute_url("/phan-anh/x/", request) == "http://10.0.0.5:8000/phan-anh/x/"
    assert absolute_url("/phan-anh/x/") == ""
    settings.CCHC_PUBLIC_URL = PUBLIC
    assert absolute_url("/phan-anh/x/", request) == f"{PUBLIC}/phan-anh/x/"


def test_the_feedback_senders_private_link_uses_the_public_address(settings, client, unit, clock):  # noqa: F811
    from cchc.feedback.tests.conftest import submit
    from cchc.feedback.views import SESSION_TOKENS

    settings.CCHC_PUBLIC_URL = PUBLIC
    feedback, token = submit(unit=unit)
    session = client.session
    session[SESSION_TOKENS] = {feedback.code: token}
    session.save()
    response = client.get(f"/phan-anh/da-gui/{feedback.code}/")
    assert response.status_code == 200
    assert f"{PUBLIC}/phan-anh/" in response.content.decode()
    assert "http://testserver/" not in response.content.decode()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ["cchc.W001"]),
        ("dichvucong.anbinh.gov.vn", ["cchc.W002"]),
        ("http://127.0.0.1:8000", ["cchc.W003"]),
        ("https://localhost", ["cchc.W003"]),
        ("http://dichvucong.anbinh.gov.vn", ["cchc.W004"]),
        ("https://dichvucong.anbinh.gov.vn/tra-cuu/", ["cchc.W005"]),
        (PUBLIC, []),
        (PUBLIC + "/", []),
    ],
)
def test_deploy_check_warns_about_the_public_address(settings, value, expected):
    settings.CCHC_PUBLIC_URL = value
    assert public_url_warnings() == expected


def test_the_public_address_is_not_a_routine_check(settings):
    settings.CCHC_PUBLIC_URL = ""
    assert not [m for m in run_checks() if (m.id or "").startswith("cchc.W00")]


def test_cchc_check_deploy_prints_the_warning(settings):
    settings.CCHC_PUBLIC_URL = ""
    out, err = io.StringIO(), io.StringIO()
    call_command("check", deploy=True, stdout=out, stderr=err, fail_level="CRITICAL")
    assert "cchc.W001" in out.getvalue() + err.getvalue()
    assert "CCHC_PUBLIC_URL" in out.getvalue() + err.getvalue()


def test_the_setting_reads_its_environment_variable():
    code = "from django.conf import settings; print(settings.CCHC_PUBLIC_URL)"
    env = {"CCHC_PUBLIC_URL": " https://a.gov.vn ", "DJANGO_SETTINGS_MODULE": "cchc.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "https://a.gov.vn"


def test_no_second_name_for_the_same_setting():
    package = Path(django_settings.PACKAGE_DIR)
    docs = package.parent.parent / "docs"
    files = [*package.rglob("*.py"), *docs.rglob("*.md"), package.parent.parent / "README.md"]
    old_name = "CCHC_PUBLIC_" + "BASE_URL"
    assert [str(f) for f in files if old_name in f.read_text(encoding="utf-8")] == []
