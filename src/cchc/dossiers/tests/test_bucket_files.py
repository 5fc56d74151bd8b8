"""Dossier files in an S3-compatible bucket (CCHC_MEDIA_STORAGE=s3, moto in the test process):
an upload through the citizen's page lands in the private bucket, the scoped routes stream it back
with the usual headers, other units' officers get 404, and nothing reaches the bucket any other
way (docs/deploy.md, "Several machines")."""

from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.common import downloads
from cchc.dossiers import services
from cchc.dossiers.models import Dossier
from cchc.history import registry
from cchc.history import services as history
from cchc.organisations.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 scan of the declaration " + bytes(range(256)) * 400  # ~100 kB, several chunks
BUCKET = "cchc-media"


def _user(django_user_model, username, role=None, unit=None):
    user = django_user_model.objects.create_user(username, password="pw-123456", full_name=username)
    if role:
        RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def citizen(django_user_model):
    return _user(django_user_model, "congdan")


@pytest.fixture
def outsider(django_user_model, other_unit):
    """A one-stop officer of a sibling unit: same province, not this dossier's chain."""
    return _user(django_user_model, "motcua-so", Role.ONE_STOP_OFFICER, other_unit)


def submit_through_the_page(client, citizen, unit, procedure, content=PDF) -> Dossier:
    procedure.implementing_units.add(unit)
    component = procedure.components.get()
    client.force_login(citizen)
    response = client.post(
        f"/cong-dan/nop/{procedure.code}/",
        {
            "unit": unit.pk, "online_mode": "full", "applicant_kind": "individual",
            "applicant_name": "Lê Thị Cúc", "applicant_id_type": "cccd",
            "applicant_id_number": "001190004321", "applicant_phone": "0901234567",
            "submit": "1",
            f"file_{component.pk}": SimpleUploadedFile("to-khai.pdf", content),
        },
    )  # fmt: skip
    assert response.status_code == 302
    return Dossier.objects.filter(applicant_user=citizen).latest("pk")


def officer_url(dossier):
    return f"/ho-so/{dossier.pk}/giay-to/{dossier.components.get().pk}/"


def citizen_url(dossier):
    return f"/cong-dan/ho-so/{dossier.pk}/giay-to/{dossier.components.get().pk}/"


def keys(client) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def body(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


def test_the_upload_is_a_private_object_in_the_bucket(bucket, client, citizen, unit, procedure):
    dossier = submit_through_the_page(client, citizen, unit, procedure)
    stored = dossier.components.get().file
    assert downloads.is_object_storage(stored.storage)
    assert keys(bucket) == [f"tep/{stored.name}"]  # under the configured prefix
    assert stored.name.startswith("dossiers/") and stored.name.endswith(".pdf")
    assert bucket.get_object(Bucket=BUCKET, Key=f"tep/{stored.name}")["Body"].read() == PDF
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=f"tep/{stored.name}")["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers/AuthenticatedUsers


def test_the_officer_downloads_it_streamed_with_the_usual_headers(
    bucket, client, citizen, officer, unit, procedure
):
    dossier = submit_through_the_page(client, citizen, unit, procedure)
    services.accept(dossier.pk, officer)
    client.force_login(officer)
    response = client.get(officer_url(dossier))
    assert response.status_code == 200
    assert body(response) == PDF
    assert response["Content-Length"] == str(len(PDF))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    name = f"{dossier.code} {dossier.components.get().name}.pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"filename*=UTF-8''{quote(name, safe='')}" in response["Content-Disposition"]
    assert "X-Accel-Redirect" not in response and "Location" not in response


def test_the_applicant_downloads_it_on_the_citizen_pages(bucket, client, citizen, unit, procedure):
    dossier = submit_through_the_page(client, citizen, unit, procedure)
    response = client.get(citizen_url(dossier))
    assert response.status_code == 200
    assert body(response) == PDF


def test_another_units_officer_and_another_citizen_get_not_found(
    bucket, client, citizen, outsider, django_user_model, unit, procedure
):
    dossier = submit_through_the_page(client, citizen, unit, procedure)
    client.force_login(outsider)
    assert client.get(officer_url(dossier)).status_code == 404
    client.force_login(_user(django_user_model, "hangxom"))
    assert client.get(citizen_url(dossier)).status_code == 404
    client.logout()
    assert client.get(officer_url(dossier)).status_code == 302  # to the sign-in page


def test_an_object_gone_from_the_bucket_is_not_found(
    bucket, client, citizen, officer, unit, procedure
):
    dossier = submit_through_the_page(client, citizen, unit, procedure)
    bucket.delete_object(Bucket=BUCKET, Key=f"tep/{dossier.components.get().file.name}")
    client.force_login(officer)
    assert client.get(officer_url(dossier)).status_code == 404


def test_two_uploads_of_the_same_name_keep_both_files(
    bucket, client, citizen, officer, unit, procedure
):
    first = submit_through_the_page(client, citizen, unit, procedure, b"%PDF-1.7 first")
    second = submit_through_the_page(client, citizen, unit, procedure, b"%PDF-1.7 second")
    assert first.components.get().file.name != second.components.get().file.name
    assert len(keys(bucket)) == 2
    client.force_login(officer)
    assert body(client.get(officer_url(first))) == b"%PDF-1.7 first"
    assert body(client.get(officer_url(second))) == b"%PDF-1.7 second"


def test_the_front_servers_offload_is_never_used_for_bucket_files(
    bucket, client, citizen, officer, unit, procedure, settings
):
    """X-Accel-Redirect names a file on local disk: for an object it would serve nothing."""
    dossier = submit_through_the_page(client, citizen, unit, procedure)
    settings.CCHC_FILE_OFFLOAD = "x-accel-redirect"
    client.force_login(officer)
    response = client.get(officer_url(dossier))
    assert "X-Accel-Redirect" not in response
    assert body(response) == PDF


def test_a_signed_short_lived_address_when_allowed(
    bucket, client, citizen, officer, outsider, unit, procedure, settings
):
    import requests

    dossier = submit_through_the_page(client, citizen, unit, procedure)
    settings.CCHC_S3_PRESIGNED_SECONDS = 120
    client.force_login(outsider)
    assert client.get(officer_url(dossier)).status_code == 404  # the scope is checked first
    client.force_login(officer)
    response = client.get(officer_url(dossier))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    address = urlsplit(response["Location"])
    query = parse_qs(address.query)
    assert address.path.endswith("/tep/" + dossier.components.get().file.name)
    assert query["X-Amz-Expires"] == ["120"]
    assert query["response-content-type"] == ["application/pdf"]
    assert query["response-content-disposition"][0].startswith("attachment;")
    assert query["response-cache-control"] == ["private, no-store"]
    fetched = requests.get(response["Location"], timeout=10)  # answered by moto's S3
    assert fetched.status_code == 200
    assert fetched.content == PDF
    assert fetched.headers["Content-Disposition"] == query["response-content-disposition"][0]
    unsigned = requests.get(response["Location"].split("?")[0], timeout=10)
    assert unsigned.status_code == 403  # the object itself is not public


def test_the_history_of_a_dossier_with_bucket_files_verifies(
    bucket, client, citizen, officer, unit, procedure
):
    dossier = submit_through_the_page(client, citizen, unit, procedure)
    services.accept(dossier.pk, officer)
    dossier.refresh_from_db()
    assert dossier.history_count >= 2 and dossier.history_head  # submitted, then accepted
    assert all(list(history.verify_chains(spec)) == [] for spec in registry.chains())


def test_the_default_storage_is_the_bucket(bucket):
    name = default_storage.save("kiem-tra/tep.pdf", SimpleUploadedFile("tep.pdf", b"%PDF-1.7"))
    assert keys(bucket) == [f"tep/{name}"]
    assert default_storage.exists(name)
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == b"%PDF-1.7"
    default_storage.delete(name)
    assert keys(bucket) == []
