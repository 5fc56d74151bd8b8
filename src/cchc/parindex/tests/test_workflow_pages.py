"""The round pages: each person sees what is theirs, buttons ask first, forms refuse in place."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cchc.parindex import services
from cchc.parindex.models import Assessment, LeafScore

from . import factories
from .factories import PASSWORD

clock, world = factories.clock, factories.world  # fixtures
pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_home_lists_my_assessments_seats_and_rounds(world):
    round_ = world.open_round()
    page = client_for(world.officer).get("/chi-so-cchc/").content.decode()
    assert "Sở Tư pháp" in page and round_.name in page
    page = client_for(world.reform).get("/chi-so-cchc/").content.decode()
    assert f"/chi-so-cchc/ky-danh-gia/{round_.pk}/" in page
    page = client_for(world.member).get("/chi-so-cchc/").content.decode()
    assert f"/chi-so-cchc/tham-dinh/{round_.pk}/" in page


def test_outsiders_get_404(world, django_user_model):
    round_ = world.open_round()
    stranger = django_user_model.objects.create_user("nguoila", password=PASSWORD)
    client = client_for(stranger)
    assert client.get("/chi-so-cchc/").status_code == 404
    assert client.get(f"/chi-so-cchc/ky-danh-gia/{round_.pk}/").status_code == 404


def test_a_unit_sees_only_its_own_assessment_until_publication(world):
    round_ = world.open_round()
    justice = Assessment.objects.get(round=round_, unit=world.justice)
    building = Assessment.objects.get(round=round_, unit=world.building)
    client = client_for(world.officer)
    assert client.get(f"/chi-so-cchc/tu-danh-gia/{justice.pk}/").status_code == 200
    assert client.get(f"/chi-so-cchc/tu-danh-gia/{building.pk}/").status_code == 404
    leaf = world.leaf(round_, world.building, "1.1")
    assert client.get(f"/chi-so-cchc/tieu-chi/{leaf.pk}/").status_code == 404
    round_page = client.get(f"/chi-so-cchc/ky-danh-gia/{round_.pk}/").content.decode()
    assert "Sở Tư pháp" in round_page and "Sở Xây dựng" not in round_page


def test_workspace_progress_missing_and_my_office_filter(world):
    round_ = world.open_round()
    justice = Assessment.objects.get(round=round_, unit=world.justice)
    leaf = world.leaf(round_, world.justice, "1.1")
    services.assign_responsible(leaf.pk, world.leader, world.justice_office)
    page = client_for(world.leader).get(f"/chi-so-cchc/tu-danh-gia/{justice.pk}/")
    text = page.content.decode()
    assert 'id="progress"' in text and "0/4" in text
    assert 'id="missing"' in text
    assert 'data-confirm="' in text and 'id="submit-form"' in text
    mine = client_for(world.office_officer).get(f"/chi-so-cchc/tu-danh-gia/{justice.pk}/?cua_toi=1")
    rows = mine.context["leaves"]
    assert [row.criterion.code for row in rows] == ["1.1"]


def test_leaf_page_scores_by_the_method_and_shows_errors(world):
    round_ = world.open_round()
    client = client_for(world.officer)
    levels = world.leaf(round_, world.justice, "1.1")
    page = client.get(f"/chi-so-cchc/tieu-chi/{levels.pk}/").content.decode()
    assert 'type="radio"' in page and "Ban hành kịp thời" in page
    response = client.post(
        f"/chi-so-cchc/tieu-chi/{levels.pk}/thao-tac/score/",
        {"value": "kip_thoi", "explanation": "KH 12/KH-STP", "version": "0"},
    )
    assert response.status_code == 302
    assert LeafScore.objects.get(pk=levels.pk).self_score == 2
    bands = world.leaf(round_, world.justice, "1.2")
    response = client.post(f"/chi-so-cchc/tieu-chi/{bands.pk}/thao-tac/score/", {"value": "150"})
    assert response.status_code == 400
    assert response.context["score_form"].errors["value"]
    computed = world.leaf(round_, world.justice, "2.1")
    page = client.get(f"/chi-so-cchc/tieu-chi/{computed.pk}/").content.decode()
    assert "191/200" in page and "/ho-so/?don_vi=" in page and "thao-tac/contest/" in page


def test_evidence_form_and_history(world):
    round_ = world.open_round()
    client = client_for(world.officer)
    leaf = world.leaf(round_, world.justice, "1.1")
    response = client.post(
        f"/chi-so-cchc/tieu-chi/{leaf.pk}/thao-tac/evidence/",
        {
            "kind": "document",
            "document_number": "12/KH-STP",
            "issued_on": "15/01/2024",
            "summary": "Kế hoạch CCHC",
            "issuer": "Sở Tư pháp",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/chi-so-cchc/tieu-chi/{leaf.pk}/").content.decode()
    assert "12/KH-STP" in page and "badge text-bg-warning" in page  # outside the year
    response = client.post(
        f"/chi-so-cchc/tieu-chi/{leaf.pk}/thao-tac/evidence/", {"kind": "document"}
    )
    assert response.status_code == 400
    assert response.context["evidence_form"].errors


def test_submit_refusal_is_shown_and_success_locks(world):
    round_ = world.open_round()
    justice = Assessment.objects.get(round=round_, unit=world.justice)
    client = client_for(world.leader)
    response = client.post(
        f"/chi-so-cchc/tu-danh-gia/{justice.pk}/thao-tac/submit/", {"summary": ""}, follow=True
    )
    assert "1.1" in " ".join(str(m) for m in response.context["messages"])
    world.fill(round_, world.justice, world.officer)
    client.post(f"/chi-so-cchc/tu-danh-gia/{justice.pk}/thao-tac/submit/", {"summary": "Ổn"})
    assert Assessment.objects.get(pk=justice.pk).status == "submitted"
    leaf = world.leaf(round_, world.justice, "1.1")
    page = client_for(world.officer).get(f"/chi-so-cchc/tieu-chi/{leaf.pk}/").content.decode()
    assert 'id="score-form"' not in page


def test_round_pages_for_the_organiser(world):
    client = client_for(world.reform)
    response = client.post(
        "/chi-so-cchc/ky-danh-gia/tao/",
        {
            "name": "Chỉ số CCHC 2025",
            "year": "2025",
            "criteria_set": world.criteria_set.pk,
            "organiser": world.organiser.pk,
            "units": [world.justice.pk, world.building.pk],
            "self_assessment_opens": "05/01/2026",
            "self_assessment_closes": "20/01/2026",
            "appraisal_closes": "27/02/2026",
            "explanation_days": "5",
            "grade_preset": "custom",
            "custom_bands": "Tốt = 80\nKhá = 65\nTrung bình",
            "survey_scale": "100",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(response["Location"]).content.decode()
    assert "Tốt ≥ 80" in page and "thao-tac/open/" in page and "data-confirm" in page
    bad = client.post("/chi-so-cchc/ky-danh-gia/tao/", {"name": ""})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_evidence_file_is_served_only_in_scope(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    round_ = world.open_round()
    leaf = world.leaf(round_, world.justice, "1.1")
    client = client_for(world.officer)
    upload = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.7 scan", content_type="application/pdf")
    response = client.post(
        f"/chi-so-cchc/tieu-chi/{leaf.pk}/thao-tac/evidence/", {"kind": "file", "file": upload}
    )
    assert response.status_code == 302
    evidence = leaf.evidence.get()
    download = client.get(f"/chi-so-cchc/minh-chung/{evidence.pk}/tep/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    other = client_for(world.building_officer)
    assert other.get(f"/chi-so-cchc/minh-chung/{evidence.pk}/tep/").status_code == 404
    assert other.post(f"/chi-so-cchc/minh-chung/{evidence.pk}/xoa/").status_code == 404
    client.post(f"/chi-so-cchc/minh-chung/{evidence.pk}/xoa/")
    assert not leaf.evidence.exists()


def test_office_evidence_is_served_with_its_type_as_a_safe_attachment(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    round_ = world.open_round()
    leaf = world.leaf(round_, world.justice, "1.1")
    client = client_for(world.officer)
    upload = SimpleUploadedFile("Báo cáo quý.docx", b"PK\x03\x04 word", content_type="x/any")
    client.post(
        f"/chi-so-cchc/tieu-chi/{leaf.pk}/thao-tac/evidence/", {"kind": "file", "file": upload}
    )
    evidence = leaf.evidence.get()
    download = client.get(f"/chi-so-cchc/minh-chung/{evidence.pk}/tep/")
    assert download.status_code == 200
    assert download["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"
    assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20qu%C3%BD.docx" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"PK")


def test_stale_page_is_refused_with_a_message(world):
    round_ = world.open_round()
    leaf = world.leaf(round_, world.justice, "1.1")
    client = client_for(world.officer)
    services.score_leaf(leaf.pk, world.leader, value="khong")
    response = client.post(
        f"/chi-so-cchc/tieu-chi/{leaf.pk}/thao-tac/score/",
        {"value": "kip_thoi", "version": "0"},
        follow=True,
    )
    assert "tải lại trang" in " ".join(str(m) for m in response.context["messages"])
    assert LeafScore.objects.get(pk=leaf.pk).value == "khong"


def test_round_edit_and_council_on_the_page(world):
    round_ = world.draft_round()
    client = client_for(world.reform)
    page = client.get(f"/chi-so-cchc/ky-danh-gia/{round_.pk}/sua/")
    assert page.status_code == 200 and page.context["form"].initial["grade_preset"] == "abc"
    assert (
        client_for(world.leader).get(f"/chi-so-cchc/ky-danh-gia/{round_.pk}/sua/").status_code
        == 404
    )
    seat = round_.council.get(user=world.member)
    client.post(
        f"/chi-so-cchc/ky-danh-gia/{round_.pk}/thao-tac/council_remove/", {"member": seat.pk}
    )
    assert not round_.council.filter(user=world.member).exists()
    first = world.criteria_set.criteria.get(code="2")
    client.post(
        f"/chi-so-cchc/ky-danh-gia/{round_.pk}/thao-tac/council/",
        {"username": world.member.username, "role": "member", "fields_assigned": [first.pk]},
    )
    assert list(round_.council.get(user=world.member).fields.all()) == [first]


def test_evidence_file_in_a_bucket_is_streamed_in_scope_and_deleted_with_the_evidence(
    bucket, world, django_capture_on_commit_callbacks
):
    """CCHC_MEDIA_STORAGE=s3 (moto): the same page, route and scope; the object goes with it."""
    round_ = world.open_round()
    leaf = world.leaf(round_, world.justice, "1.1")
    client = client_for(world.officer)
    upload = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.7 scan", content_type="application/pdf")
    client.post(
        f"/chi-so-cchc/tieu-chi/{leaf.pk}/thao-tac/evidence/", {"kind": "file", "file": upload}
    )
    evidence = leaf.evidence.get()
    key = f"tep/{evidence.file.name}"
    assert [item["Key"] for item in bucket.list_objects_v2(Bucket="cchc-media")["Contents"]] == [
        key
    ]
    download = client.get(f"/chi-so-cchc/minh-chung/{evidence.pk}/tep/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 scan"
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    other = client_for(world.building_officer)
    assert other.get(f"/chi-so-cchc/minh-chung/{evidence.pk}/tep/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/chi-so-cchc/minh-chung/{evidence.pk}/xoa/")
    assert "Contents" not in bucket.list_objects_v2(Bucket="cchc-media")
