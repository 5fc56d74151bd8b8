"""Officer pages: queues, the dossier page and its action buttons, counter intake, the receipt."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.dossiers import services
from cchc.dossiers.models import Dossier, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(officer, unit, procedure, applicant):
    return services.receive_at_counter(officer, unit, procedure, applicant)


def intake_data(unit, procedure, **overrides):
    component = procedure.components.get()
    data = {
        "unit": unit.pk,
        "channel": 1,
        "procedure": procedure.pk,
        "applicant_kind": "individual",
        "applicant_name": "Trần Thị Bình",
        "applicant_id_type": "cccd",
        "applicant_id_number": "079190001234",
        "applicant_phone": "0987654321",
        "applicant_birth_date": "05/02/1990",
        f"component_{component.pk}": "on",
    }
    data.update(overrides)
    return data


def test_queues_list_only_visible_dossiers(client, officer, received, django_user_model):
    client.force_login(officer)
    page = client.get("/ho-so/hang-doi/dang-xu-ly/").content.decode()
    assert received.code in page
    outsider = django_user_model.objects.create_user("ngoai", password="x")
    client.force_login(outsider)
    assert client.get("/ho-so/").status_code == 404
    assert client.get(f"/ho-so/{received.pk}/").status_code == 404


def test_queue_search_and_unknown_queue(client, officer, received):
    client.force_login(officer)
    assert received.code in client.get("/ho-so/hang-doi/tat-ca/", {"q": "Nguyễn"}).content.decode()
    assert (
        received.code
        not in client.get("/ho-so/hang-doi/tat-ca/", {"q": "không có ai"}).content.decode()
    )
    assert client.get("/ho-so/hang-doi/khong-co/").status_code == 404
    assert (
        client.get("/ho-so/hang-doi/tat-ca/", {"trang_thai": "abc", "page": "x"}).status_code == 200
    )


def test_detail_offers_only_allowed_actions(client, officer, leader, received):
    client.force_login(officer)
    page = client.get(f"/ho-so/{received.pk}/").content.decode()
    assert f"/ho-so/{received.pk}/forward/" in page
    assert f"/ho-so/{received.pk}/approve_result/" not in page
    client.force_login(leader)
    assert (
        f"/ho-so/{received.pk}/approve_result/"
        in client.get(f"/ho-so/{received.pk}/").content.decode()
    )


def test_action_button_runs_the_service(client, officer, received):
    client.force_login(officer)
    response = client.post(
        f"/ho-so/{received.pk}/forward/", {"version": received.version, "note": "Chuyển thẩm định"}
    )
    assert response.status_code == 302
    received.refresh_from_db()
    assert received.status == Status.PROCESSING
    assert received.events.last().note == "Chuyển thẩm định"


def test_refused_action_shows_a_message_and_changes_nothing(client, officer, received):
    client.force_login(officer)
    response = client.post(
        f"/ho-so/{received.pk}/return_result/", {"method": "counter", "received_by": "A"},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    assert list(response.context["messages"])
    received.refresh_from_db()
    assert received.status == Status.RECEIVED


def test_stale_form_is_refused(client, officer, received):
    client.force_login(officer)
    client.post(f"/ho-so/{received.pk}/forward/", {"version": received.version})
    response = client.post(
        f"/ho-so/{received.pk}/forward/", {"version": received.version}, follow=True
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert "tải lại" in text.lower() or "reload" in text.lower()
    assert Dossier.objects.get(pk=received.pk).events.count() == 2


def test_action_get_is_not_allowed(client, officer, received):
    client.force_login(officer)
    assert client.get(f"/ho-so/{received.pk}/forward/").status_code == 405


def test_counter_intake_creates_the_dossier_and_shows_the_receipt(client, officer, unit, procedure):
    client.force_login(officer)
    assert client.get("/ho-so/tiep-nhan/").status_code == 200
    scan = SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    component = procedure.components.get()
    data = intake_data(unit, procedure, **{f"file_{component.pk}": scan})
    response = client.post("/ho-so/tiep-nhan/", data)
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"].endswith("/giay-tiep-nhan/")
    assert dossier.applicant_birth_date.isoformat() == "1990-02-05"
    assert dossier.components.get().digitised
    receipt = client.get(response["Location"]).content.decode()
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in receipt
    assert dossier.code in receipt and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in receipt


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("to-khai.exe", b"MZ\x90\x00"),
        ("to-khai.pdf", b"MZ\x90\x00 not a pdf"),
        ("anh.png", b"\xff\xd8\xff jpeg bytes"),
    ],
)
def test_wrong_uploads_are_refused(client, officer, unit, procedure, name, content):
    client.force_login(officer)
    component = procedure.components.get()
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(
        "/ho-so/tiep-nhan/", intake_data(unit, procedure, **{f"file_{component.pk}": upload})
    )
    assert response.status_code == 200
    assert not Dossier.objects.exists()


def test_oversized_upload_is_refused(client, officer, unit, procedure, settings):
    client.force_login(officer)
    component = procedure.components.get()
    big = SimpleUploadedFile("lon.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1))
    client.post("/ho-so/tiep-nhan/", intake_data(unit, procedure, **{f"file_{component.pk}": big}))
    assert not Dossier.objects.exists()


def test_intake_reports_invalid_applicant_without_saving(client, officer, unit, procedure):
    client.force_login(officer)
    response = client.post(
        "/ho-so/tiep-nhan/", intake_data(unit, procedure, applicant_id_number="123")
    )
    assert response.status_code == 200
    assert not Dossier.objects.exists()
    assert response.context["form"].errors


def test_intake_fragments(client, officer, received, procedure):
    client.force_login(officer)
    checklist = client.get("/ho-so/tiep-nhan/danh-muc-giay-to/", {"procedure": procedure.pk})
    assert "Tờ khai" in checklist.content.decode()
    lookup = client.get(
        "/ho-so/tiep-nhan/tra-cuu-nguoi-nop/", {"applicant_id_number": "001090012345"}
    )
    assert "Nguyễn Văn An" in lookup.content.decode()
    assert client.get("/ho-so/tiep-nhan/danh-muc-giay-to/", {"procedure": "x"}).status_code == 200


def test_intake_needs_the_one_stop_role(client, leader):
    client.force_login(leader)
    assert client.get("/ho-so/tiep-nhan/").status_code == 404


def test_component_field_names_survive_large_ids(client, officer, procedure):
    component = procedure.components.get()
    type(component).objects.filter(pk=component.pk).update(id=1048)
    client.force_login(officer)
    fragment = client.get("/ho-so/tiep-nhan/danh-muc-giay-to/", {"procedure": procedure.pk})
    assert 'name="file_1048"' in fragment.content.decode()


def test_queue_filters_by_field_channel_and_due_range(client, officer, received):
    client.force_login(officer)
    url = "/ho-so/hang-doi/tat-ca/"
    field = received.procedure.field_id
    due = received.due_at.strftime("%d/%m/%Y")
    assert received.code in client.get(url, {"linh_vuc": field, "kenh": 1}).content.decode()
    assert received.code not in client.get(url, {"kenh": 2}).content.decode()
    assert received.code in client.get(url, {"han_tu": due, "han_den": due}).content.decode()
    assert received.code not in client.get(url, {"han_den": "01/01/2000"}).content.decode()
    assert (
        client.get(url, {"han_tu": "32/13/2025", "linh_vuc": "x", "kenh": "9"}).status_code == 200
    )


def test_intake_with_a_case(client, officer, unit, procedure):
    from cchc.catalog.models import ProcedureVariant

    case = ProcedureVariant.objects.create(
        procedure=procedure, name="Xác minh", time_limit_amount=10, time_limit_unit="working_days"
    )
    client.force_login(officer)
    fragment = client.get("/ho-so/tiep-nhan/danh-muc-giay-to/", {"procedure": procedure.pk})
    assert "Xác minh" in fragment.content.decode()
    client.post("/ho-so/tiep-nhan/", intake_data(unit, procedure, variant=case.pk))
    assert Dossier.objects.get().variant == case
