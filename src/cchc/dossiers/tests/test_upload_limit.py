"""Uploads over the limit: refused from the declared length, before the body is read (413), and one
setting for the per-file check of the forms and the API."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from cchc.dossiers.models import Dossier

pytestmark = pytest.mark.django_db

SIXTY_MB = 60 * 1024 * 1024


class ExplodingInput(io.RawIOBase):
    """A wsgi.input that fails the test if more than a few bytes are read from it."""

    def __init__(self):
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        self.read_bytes += len(buffer)
        if self.read_bytes > 16:
            raise AssertionError("the request body was read")
        buffer[: len(buffer)] = b"-" * len(buffer)
        return len(buffer)


def _post_declared(client, path, length, **extra):
    stream = ExplodingInput()
    response = client.generic(
        "POST",
        path,
        CONTENT_TYPE="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": stream},
        **extra,
    )
    return response, stream


def test_a_declared_60_mb_upload_is_refused_before_reading(client, officer):
    client.force_login(officer)
    response, stream = _post_declared(client, "/ho-so/tiep-nhan/", SIXTY_MB)
    assert response.status_code == 413
    assert stream.read_bytes == 0
    page = response.content.decode()
    assert "Tệp tải lên quá lớn" in page
    assert "tối đa 51 MB mỗi lần gửi, 10 MB mỗi tệp" in page
    assert not Dossier.objects.exists()


def test_the_api_answers_413_in_json(client, officer):
    token = Token.objects.create(user=officer)
    response, stream = _post_declared(
        client, "/api/v1/dossiers/", SIXTY_MB, HTTP_AUTHORIZATION=f"Token {token.key}"
    )
    assert response.status_code == 413
    assert stream.read_bytes == 0
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "request_too_large"
    assert "51 MB" in response.json()["detail"]


def test_anonymous_pages_are_refused_too(client):
    response, stream = _post_declared(client, "/phan-anh/gui/", SIXTY_MB)
    assert response.status_code == 413 and stream.read_bytes == 0


def test_body_limit_follows_the_settings(client, officer, unit, procedure, settings):
    from cchc.dossiers.tests.test_views import intake_data

    settings.CCHC_REQUEST_MAX_BYTES = 64 * 1024
    procedure.implementing_units.add(unit)
    client.force_login(officer)
    component = procedure.components.get()
    scan = SimpleUploadedFile("to-khai.pdf", b"%PDF-" + b"0" * (100 * 1024))
    response = client.post(
        "/ho-so/tiep-nhan/", intake_data(unit, procedure, **{f"file_{component.pk}": scan})
    )
    assert response.status_code == 413
    assert not Dossier.objects.exists()
    small = SimpleUploadedFile("to-khai.pdf", b"%PDF-" + b"0" * 1024)
    response = client.post(
        "/ho-so/tiep-nhan/", intake_data(unit, procedure, **{f"file_{component.pk}": small})
    )
    assert response.status_code == 302
    assert Dossier.objects.get().components.get().file


def test_per_file_limit_is_one_setting(client, officer, unit, procedure, settings):
    from cchc.dossiers.tests.test_views import intake_data

    settings.CCHC_UPLOAD_MAX_BYTES = 1024 * 1024
    procedure.implementing_units.add(unit)
    client.force_login(officer)
    component = procedure.components.get()
    scan = SimpleUploadedFile("to-khai.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    response = client.post(
        "/ho-so/tiep-nhan/", intake_data(unit, procedure, **{f"file_{component.pk}": scan})
    )
    assert response.status_code == 200
    assert "Tệp lớn hơn 1 MB." in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_bad_content_length_is_not_an_error(client, officer):
    client.force_login(officer)
    response = client.generic("GET", "/ho-so/tiep-nhan/", CONTENT_LENGTH="abc")
    assert response.status_code == 200
