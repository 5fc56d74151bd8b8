"""Pages, the conclusion DOCX/PDF, the dashboard tile, the report section and the API."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from urllib.parse import unquote

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from rest_framework.test import APIClient

from cchc.common.report_sections import SectionScope, report_sections
from cchc.common.tiles import TileScope
from cchc.inspections import sections, selectors
from cchc.inspections.models import Inspection, InspectionStatus, RecommendationStatus

from .factories import INSPECTED, PDF_BYTES, VN

pytestmark = pytest.mark.django_db
LATER = datetime(2026, 1, 5, 9, tzinfo=VN)  # after both deadlines


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_the_team_fills_the_record_through_the_pages(client, world):
    inspection = world.in_progress()
    client.force_login(world.secretary)
    url = f"/kiem-tra-cchc/{inspection.pk}/"
    html = client.get(url).content.decode()
    assert "Bảng kiểm theo lĩnh vực" in html and "87,50 (175/200)" in html
    with time_machine.travel(INSPECTED, tick=False):
        client.post(
            f"{url}checklist/",
            {"version": inspection.version, "result_1": "ok", "result_2": "not_ok"},
        )
        inspection.refresh_from_db()
        client.post(
            f"{url}finding/",
            {
                "version": inspection.version,
                "kind": "weakness",
                "text": "Trễ hạn",
                "criteria": "2.1",
            },
        )
        inspection.refresh_from_db()
        response = client.post(
            f"{url}recommendation/",
            {
                "version": inspection.version,
                "text": "Rà soát",
                "responsible_unit": world.justice.pk,
                "deadline": "",
            },
            follow=True,
        )
        assert "Rà soát" in response.content.decode()
        inspection.refresh_from_db()
        response = client.post(f"{url}close_record/", {"version": inspection.version}, follow=True)
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.RECORD_CLOSED
    assert "Đã lập biên bản" in response.content.decode()


def test_a_refusal_is_shown_in_vietnamese(client, world):
    inspection = world.in_progress()
    client.force_login(world.secretary)
    with time_machine.travel(INSPECTED, tick=False):
        response = client.post(
            f"/kiem-tra-cchc/{inspection.pk}/close_record/",
            {"version": inspection.version},
            follow=True,
        )
    assert "Hãy đánh giá tất cả lĩnh vực trong bảng kiểm trước." in response.content.decode()


def test_the_unit_reads_its_record_only_after_the_conclusion(client, world):
    inspection = world.record_closed()
    url = f"/kiem-tra-cchc/{inspection.pk}/"
    assert page(client, world.justice_officer, url).status_code == 404
    assert page(client, world.outsider, url).status_code == 404
    assert page(client, world.member, url).status_code == 200
    world_concluded = world.concluded()
    html = page(client, world.justice_officer, f"/kiem-tra-cchc/{world_concluded.pk}/").content
    assert "Báo cáo kết quả khắc phục" in html.decode()
    assert (
        page(client, world.building_officer, f"/kiem-tra-cchc/{world_concluded.pk}/").status_code
        == 404
    )


def test_the_docx_holds_the_numbers_and_findings_of_the_page(client, world):
    inspection = world.concluded()
    html = page(client, world.head, f"/kiem-tra-cchc/{inspection.pk}/").content.decode()
    response = client.get(f"/kiem-tra-cchc/{inspection.pk}/thong-bao-ket-luan.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    everything = text + "\n" + cells
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in everything
    assert "Số: 15/TB-ĐKT" in everything
    assert "Nơi nhận:" in everything and "Hoàng Văn Thành" in everything
    content = selectors.conclusion(inspection)
    for finding in [*content["strengths"], *content["weaknesses"], *content["causes"]]:
        assert finding.text in text and finding.text in html
    assert "(tiêu chí 2.1)" in text
    for item in content["recommendations"]:
        assert item.text in cells and item.text in html
        assert (
            item.deadline.strftime("%d/%m/%Y") in cells
            and item.deadline.strftime("%d/%m/%Y") in html
        )
    assert "Kết quả kiểm tra theo lĩnh vực: 1/2 đạt" in text
    assert "(1/2 Đạt)" in html or "1/2" in html
    assert "87,50 (175/200)" in text and "87,50 (175/200)" in html
    due = inspection.remediation_due.strftime("%d/%m/%Y")
    assert due in text and due in html


def test_the_pdf_is_served_once_concluded(client, world):
    inspection = world.record_closed()
    assert (
        page(
            client, world.head, f"/kiem-tra-cchc/{inspection.pk}/thong-bao-ket-luan.pdf"
        ).status_code
        == 404
    )
    inspection = world.concluded()
    response = client.get(f"/kiem-tra-cchc/{inspection.pk}/thong-bao-ket-luan.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_remediation_through_the_page_with_a_file(client, world):
    inspection = world.concluded()
    item = inspection.recommendations.first()
    client.force_login(world.justice_officer)
    upload = SimpleUploadedFile("ket-qua.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        f"/kiem-tra-cchc/kien-nghi/{item.pk}/khac-phuc/",
        {
            f"r{item.pk}-status": "done",
            f"r{item.pk}-text": "Đã rà soát",
            f"r{item.pk}-file": upload,
            "version": item.version,
        },
        follow=True,
    )
    assert "Đã báo cáo kết quả khắc phục." in response.content.decode()
    item.refresh_from_db()
    assert item.status == RecommendationStatus.DONE
    assert item.reports.get().files.count() == 1


def test_tile_counts_open_and_overdue_and_drills_down(client, world):
    inspection = world.concluded()
    ids = [world.province.pk, world.justice.pk]
    scope = TileScope(
        world.province, ids, date(2026, 1, 1), date(2026, 1, 5), LATER, date(2026, 1, 5)
    )
    assert sections.tile_data(scope) == {"open": 2, "overdue": 2}
    other = TileScope(
        world.building,
        [world.building.pk],
        date(2026, 1, 1),
        date(2026, 1, 5),
        LATER,
        date(2026, 1, 5),
    )
    assert sections.tile_data(other) == {"open": 0, "overdue": 0}
    with time_machine.travel(LATER, tick=False):
        html = page(client, world.head, "/kiem-tra-cchc/kien-nghi/?qua_han=1").content.decode()
    assert html.count("Quá hạn") >= 2
    assert inspection.target.name in html


def test_the_dashboard_shows_the_tile(client, world):
    world.concluded()
    client.force_login(world.reform)
    with time_machine.travel(LATER, tick=False):
        html = client.get("/dieu-hanh/").content.decode()
    assert 'id="tile-inspections"' in html
    assert re.search(r'id="inspections-open"[^>]*data-value="2"', html)


def test_report_section(world):
    section = report_sections["inspections"]
    world.concluded()
    scope = SectionScope(
        world.province,
        [world.province.pk, world.justice.pk],
        date(2025, 10, 1),
        date(2025, 12, 31),
        2025,
    )
    value = section.compute(scope)
    assert value["inspections"] == 1
    row = value["units"][0]
    assert row["findings"] == {"strength": 1, "weakness": 1, "cause": 1}
    assert row["recommendations"] == {"done": 0, "open": 2, "overdue": 1}  # 1 due on 31/12 not yet
    document = Document()
    section.docx(document, value)
    assert document.tables[0].rows[1].cells[0].text == "Sở Tư pháp"
    before = SectionScope(
        world.province, [world.province.pk], date(2025, 1, 1), date(2025, 6, 30), 2025
    )
    assert section.compute(before)["inspections"] == 0


def test_self_inspection_line_on_the_plan_page(client, world):
    world.record_closed()
    html = page(client, world.reform, f"/kiem-tra-cchc/ke-hoach/{world.plan.pk}/").content.decode()
    assert "đã tự kiểm tra 1/3 đơn vị (33,33 %)" in html
    assert "chưa đạt mức tối thiểu 50 %" in html


def test_evidence_url_is_stable(world):
    inspection = world.plan_inspection()
    from django.urls import reverse

    assert (
        reverse("inspections:inspection", args=[inspection.pk])
        == f"/kiem-tra-cchc/{inspection.pk}/"
    )


# -- API ------------------------------------------------------------------------------------------
def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_lists_in_scope(world):
    inspection = world.record_closed()
    assert [
        row["id"] for row in api(world.member).get("/api/v1/inspections/records/").json()["results"]
    ] == [inspection.pk]
    assert api(world.justice_officer).get("/api/v1/inspections/records/").json()["results"] == []
    assert api(world.reform).get("/api/v1/inspections/plans/").json()["results"][0]["name"]
    world.concluded()
    rows = api(world.justice_officer).get("/api/v1/inspections/recommendations/").json()["results"]
    assert len(rows) == 2


def test_api_report_remediation_and_errors(world):
    inspection = world.concluded()
    item = inspection.recommendations.first()
    url = f"/api/v1/inspections/recommendations/{item.pk}/report/"
    bad = api(world.justice_officer).post(url, {"status": "done", "text": ""}, format="json")
    assert bad.status_code == 400 and "text" in bad.json()
    forbidden = api(world.head).post(url, {"status": "done", "text": "x"}, format="json")
    assert forbidden.status_code == 403
    ok = api(world.justice_officer).post(
        url,
        {
            "status": "done",
            "text": "Xong",
            "version": item.version,
            "files": [SimpleUploadedFile("a.pdf", PDF_BYTES)],
        },
        format="multipart",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "done"
    again = api(world.justice_officer).post(url, {"status": "done", "text": "x"}, format="json")
    assert again.status_code == 400
    stale = api(world.justice_officer).post(
        f"/api/v1/inspections/recommendations/{inspection.recommendations.last().pk}/report/",
        {"status": "done", "text": "x", "version": 99},
        format="json",
    )
    assert stale.status_code == 409
    Inspection.objects.filter(pk=inspection.pk).update(status=InspectionStatus.REMEDIATED)
    wrong = api(world.justice_officer).post(
        f"/api/v1/inspections/recommendations/{inspection.recommendations.last().pk}/report/",
        {"status": "done", "text": "x"},
        format="json",
    )
    assert wrong.status_code == 409


def test_the_organiser_sets_up_a_plan_a_team_and_an_inspection(client, world):
    client.force_login(world.reform)
    assert "Lập kế hoạch kiểm tra" in client.get("/kiem-tra-cchc/").content.decode()
    upload = SimpleUploadedFile("kh.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        "/kiem-tra-cchc/ke-hoach/moi/",
        {
            "organiser": world.province.pk,
            "year": 2026,
            "name": "Kế hoạch kiểm tra CCHC năm 2026",
            "document_number": "12/KH-UBND",
            "document_date": "05/01/2026",
            "document_file": upload,
        },
    )
    from cchc.inspections.models import InspectionPlan

    plan = InspectionPlan.objects.get(year=2026)
    assert response.status_code == 302 and plan.document_file
    url = f"/kiem-tra-cchc/ke-hoach/{plan.pk}/"
    client.post(
        f"{url}team/",
        {
            "name": "Đoàn 2026",
            "decision_number": "5/QĐ-UBND",
            "decision_date": "06/01/2026",
            "head": world.head.pk,
            "secretary": world.secretary.pk,
            "members": [world.member.pk],
        },
    )
    team = plan.teams.get()
    assert team.members.count() == 3
    client.post(
        f"{url}inspection/",
        {
            "target": world.building.pk,
            "planned_start": "10/06/2026",
            "planned_end": "11/06/2026",
            "kind": "surprise",
            "method": "reports",
            "fields_text": "1",
            "topic": "Tài chính công",
            "team": team.pk,
        },
    )
    inspection = plan.inspections.get()
    assert inspection.field_codes == ["1"] and inspection.kind == "surprise"
    html = client.get(url).content.decode()
    assert "Sở Xây dựng" in html and "Đột xuất" in html
    # A team member may read the plan but not set it up.
    client.force_login(world.member)
    assert client.get("/kiem-tra-cchc/ke-hoach/moi/").status_code == 404
    response = client.post(f"{url}inspection/", {"target": world.justice.pk}, follow=True)
    assert plan.inspections.count() == 1


def test_the_plans_document_is_downloaded_through_the_plans_scope(
    client, world, plan_with_document
):
    """No public address (``.url``) for the uploaded document: the plan's own scoped route."""
    plan = plan_with_document
    client.force_login(world.reform)
    html = client.get(f"/kiem-tra-cchc/ke-hoach/{plan.pk}/").content.decode()
    route = f"/kiem-tra-cchc/ke-hoach/{plan.pk}/van-ban.pdf"
    assert f'href="{route}"' in html and "/media/" not in html
    response = client.get(route)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Kế hoạch kiểm tra 2025.pdf" in unquote(response["Content-Disposition"])
    client.force_login(world.outsider)
    assert client.get(route).status_code == 404
    client.force_login(world.reform)
    plan.document_file = ""
    plan.save(update_fields=["document_file"])
    assert client.get(route).status_code == 404


@pytest.fixture
def plan_with_document(world):
    from cchc.inspections.models import InspectionPlan

    plan = InspectionPlan.objects.get(pk=world.plan.pk)
    plan.document_file.save("kh.pdf", SimpleUploadedFile("kh.pdf", PDF_BYTES), save=True)
    return plan
