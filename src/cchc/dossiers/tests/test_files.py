"""Downloads of stored files: the dossier page's scope, attachment headers, offload to the front
server, and no way to the files except through these routes."""

from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.dossiers import services
from cchc.dossiers.models import Dossier
from cchc.organisations.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 scan of the declaration"
PNG = b"\x89PNG\r\n\x1a\n fake image"


def _user(django_user_model, username, role=None, unit=None):
    user = django_user_model.objects.create_user(username, password="pw-123456", full_name=username)
    if role:
        RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def citizen(django_user_model):
    return _user(django_user_model, "congdan")


@pytest.fixture
def other_citizen(django_user_model):
    return _user(django_user_model, "hangxom")


@pytest.fixture
def outsider(django_user_model, other_unit):
    """A one-stop officer of a sibling unit: same province, not this dossier's chain."""
    return _user(django_user_model, "motcua-so", Role.ONE_STOP_OFFICER, other_unit)


@pytest.fixture
def counter_dossier(officer, unit, procedure, applicant):
    procedure.implementing_units.add(unit)
    component = procedure.components.get()
    upload = SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf")
    return services.receive_at_counter(
        officer, unit, procedure, applicant, [{"required_id": component.pk, "file": upload}]
    )


@pytest.fixture
def online_dossier(citizen, unit, procedure, applicant):
    """Submitted online by ``citizen`` with a PNG scan; now in the counter's queue."""
    from cchc.dossiers.models import DossierComponent

    procedure.implementing_units.add(unit)
    draft = services.create_draft(citizen, unit, procedure, applicant)
    component = procedure.components.get()
    DossierComponent.objects.create(
        dossier=draft, required=component, name=component.name,
        file=SimpleUploadedFile("anh.png", PNG, content_type="image/png"), digitised=True,
    )  # fmt: skip
    return services.submit_online(draft.pk, citizen)


def officer_url(dossier):
    return f"/ho-so/{dossier.pk}/giay-to/{dossier.components.get().pk}/"


def citizen_url(dossier):
    return f"/cong-dan/ho-so/{dossier.pk}/giay-to/{dossier.components.get().pk}/"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# -- scope -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "route", "expected"),
    [
        ("officer", "officer", 200),  # one-stop officer of the receiving unit
        ("processor", "officer", 200),
        ("auditor", "officer", 200),  # role held at the parent unit covers the dossier's unit
        ("outsider", "officer", 404),  # officer of another unit: the id is not revealed
        ("citizen", "officer", 404),  # the owner has no officer's role
        ("other_citizen", "officer", 404),
        ("citizen", "citizen", 200),  # the owner, on the citizen's pages
        ("other_citizen", "citizen", 404),
        ("officer", "citizen", 404),  # officers use their own route
    ],
)
def test_scope_matrix(client, request, online_dossier, who, route, expected):
    client.force_login(request.getfixturevalue(who))
    url = officer_url(online_dossier) if route == "officer" else citizen_url(online_dossier)
    response = client.get(url)
    assert response.status_code == expected
    if expected == 200:
        assert body(response) == PNG


@pytest.mark.parametrize("route", ["officer", "citizen"])
def test_anonymous_is_sent_to_login(client, online_dossier, route):
    url = officer_url(online_dossier) if route == "officer" else citizen_url(online_dossier)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/")


def test_a_document_is_reached_only_through_its_own_dossier(
    client, officer, counter_dossier, online_dossier
):
    client.force_login(officer)
    other = online_dossier.components.get()
    assert client.get(f"/ho-so/{counter_dossier.pk}/giay-to/{other.pk}/").status_code == 404
    assert client.get(f"/ho-so/{counter_dossier.pk}/giay-to/999999/").status_code == 404
    assert client.get(f"/ho-so/999999/giay-to/{other.pk}/").status_code == 404
    huge = "9" * 30  # beyond any database integer: still a plain 404
    assert client.get(f"/ho-so/{counter_dossier.pk}/giay-to/{huge}/").status_code == 404


def test_a_document_without_a_file_is_not_found(client, officer, unit, procedure, applicant):
    procedure.implementing_units.add(unit)
    component = procedure.components.get()
    dossier = services.receive_at_counter(
        officer, unit, procedure, applicant, [{"required_id": component.pk}]
    )
    client.force_login(officer)
    assert client.get(officer_url(dossier)).status_code == 404
    assert client.get(f"/ho-so/{dossier.pk}/tep-ket-qua/").status_code == 404


def test_a_citizen_draft_is_only_the_citizens(client, citizen, officer, unit, procedure, applicant):
    from cchc.dossiers.models import DossierComponent

    procedure.implementing_units.add(unit)
    draft = services.create_draft(citizen, unit, procedure, applicant)
    DossierComponent.objects.create(
        dossier=draft, name="Tờ khai", file=ContentFile(PDF, name="to-khai.pdf"), digitised=True
    )
    client.force_login(citizen)
    assert client.get(citizen_url(draft)).status_code == 200
    client.force_login(officer)  # a draft is not in the officers' lists yet
    assert client.get(officer_url(draft)).status_code == 404


# -- headers ---------------------------------------------------------------------------------------
def test_download_headers(client, officer, counter_dossier):
    client.force_login(officer)
    response = client.get(officer_url(counter_dossier))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    name = f"{counter_dossier.code} Tờ khai.pdf"
    assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition
    assert f'filename="{counter_dossier.code} To khai.pdf"' in disposition
    assert body(response) == PDF


def test_content_type_is_the_validated_type_not_the_declared_one(client, citizen, online_dossier):
    client.force_login(citizen)
    response = client.get(citizen_url(online_dossier))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith(".png")


def test_unknown_stored_type_is_served_as_bytes(client, officer, counter_dossier):
    component = counter_dossier.components.get()
    component.file.save("ghi-chu.html", ContentFile(b"<script>alert(1)</script>"))
    client.force_login(officer)
    response = client.get(officer_url(counter_dossier))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"


# -- offload ---------------------------------------------------------------------------------------
def test_x_accel_redirect(client, officer, counter_dossier, settings):
    settings.CCHC_FILE_OFFLOAD = "x-accel-redirect"
    settings.CCHC_FILE_OFFLOAD_PREFIX = "/protected-media/"
    client.force_login(officer)
    response = client.get(officer_url(counter_dossier))
    stored = counter_dossier.components.get().file.name
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + quote(stored)
    assert body(response) == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_x_sendfile(client, citizen, online_dossier, settings):
    settings.CCHC_FILE_OFFLOAD = "x-sendfile"
    settings.CCHC_FILE_OFFLOAD_PREFIX = "/srv/cchc/var/media"
    client.force_login(citizen)
    response = client.get(citizen_url(online_dossier))
    stored = online_dossier.components.get().file.name
    assert response["X-Sendfile"] == "/srv/cchc/var/media/" + quote(stored)
    assert body(response) == b""


def test_offload_of_a_missing_file_is_not_found(client, officer, counter_dossier, settings):
    settings.CCHC_FILE_OFFLOAD = "x-accel-redirect"
    default_storage.delete(counter_dossier.components.get().file.name)
    client.force_login(officer)
    assert client.get(officer_url(counter_dossier)).status_code == 404


def test_missing_file_is_not_found(client, officer, counter_dossier):
    default_storage.delete(counter_dossier.components.get().file.name)
    client.force_login(officer)
    assert client.get(officer_url(counter_dossier)).status_code == 404


# -- the result file ---------------------------------------------------------------------------
@pytest.fixture
def with_result(online_dossier):
    name = default_storage.save("results/2025/03/quyet-dinh.pdf", ContentFile(PDF))
    Dossier.objects.filter(pk=online_dossier.pk).update(result_file=name, result_number="12/QĐ")
    online_dossier.refresh_from_db()
    return online_dossier


@pytest.mark.parametrize(
    ("who", "url", "expected"),
    [
        ("officer", "/ho-so/{pk}/tep-ket-qua/", 200),
        ("outsider", "/ho-so/{pk}/tep-ket-qua/", 404),
        ("citizen", "/cong-dan/ho-so/{pk}/tep-ket-qua/", 200),
        ("other_citizen", "/cong-dan/ho-so/{pk}/tep-ket-qua/", 404),
    ],
)
def test_result_file_scope(client, request, with_result, who, url, expected):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url.format(pk=with_result.pk))
    assert response.status_code == expected
    if expected == 200:
        assert body(response) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert quote("Kết quả", safe="") in response["Content-Disposition"]


# -- links, and no other way in -------------------------------------------------------------------
def test_pages_link_each_stored_document(client, officer, citizen, with_result):
    client.force_login(officer)
    page = client.get(f"/ho-so/{with_result.pk}/").content.decode()
    assert f'href="{officer_url(with_result)}"' in page
    assert f'href="/ho-so/{with_result.pk}/tep-ket-qua/"' in page
    client.force_login(citizen)
    page = client.get(f"/cong-dan/ho-so/{with_result.pk}/").content.decode()
    assert f'href="{citizen_url(with_result)}"' in page
    assert f'href="/cong-dan/ho-so/{with_result.pk}/tep-ket-qua/"' in page


def test_media_is_not_served_publicly(client, officer, counter_dossier, settings):
    stored = counter_dossier.components.get().file.name
    client.force_login(officer)
    assert client.get(f"{settings.MEDIA_URL}{stored}").status_code == 404


def test_public_lookup_shows_no_file_links(client, online_dossier, applicant):
    response = client.post("/tra-cuu/", {"code": online_dossier.code, "digits": "5678"})
    page = response.content.decode()
    assert online_dossier.code in page
    assert "/giay-to/" not in page and "tep-ket-qua" not in page


# -- API -------------------------------------------------------------------------------------------
def _token(client, user):
    from rest_framework.authtoken.models import Token

    client.defaults["HTTP_AUTHORIZATION"] = f"Token {Token.objects.create(user=user).key}"
    return client


def test_api_detail_links_each_stored_file(client, officer, with_result):
    _token(client, officer)
    data = client.get(f"/api/v1/dossiers/{with_result.pk}/").json()
    component = with_result.components.get()
    url = f"/api/v1/dossiers/{with_result.pk}/components/{component.pk}/file/"
    assert data["components"][0]["download_url"] == f"http://testserver{url}"
    assert data["result_file_url"] == (
        f"http://testserver/api/v1/dossiers/{with_result.pk}/result-file/"
    )
    response = client.get(url)
    assert response.status_code == 200
    assert body(response) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert body(client.get(f"/api/v1/dossiers/{with_result.pk}/result-file/")) == PDF


@pytest.mark.parametrize(
    ("who", "route", "expected"),
    [
        ("officer", "dossiers", 200),
        ("outsider", "dossiers", 404),
        ("citizen", "dossiers", 403),  # no officer's role: the officers' API is closed to them
        ("citizen", "online-dossiers", 200),
        ("other_citizen", "online-dossiers", 404),
    ],
)
def test_api_download_scope(client, request, online_dossier, who, route, expected):
    _token(client, request.getfixturevalue(who))
    component = online_dossier.components.get()
    response = client.get(f"/api/v1/{route}/{online_dossier.pk}/components/{component.pk}/file/")
    assert response.status_code == expected
    if expected == 404:
        assert response["Content-Type"] == "application/json"


def test_api_download_needs_credentials(client, online_dossier):
    component = online_dossier.components.get()
    response = client.get(f"/api/v1/dossiers/{online_dossier.pk}/components/{component.pk}/file/")
    assert response.status_code in (401, 403)


def test_api_unknown_component_is_a_json_404(client, officer, online_dossier):
    _token(client, officer)
    for component_id in ("999999", "9" * 30):
        url = f"/api/v1/dossiers/{online_dossier.pk}/components/{component_id}/file/"
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
