"""The pages, the DOCX (the same numbers as the screen), the PDF, the roll-up, the missing
reports around the due date, the PAR INDEX figure and the dashboard tile."""

import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from docx import Document

from cchc.common.tiles import TileScope
from cchc.organisations.models import Role
from cchc.parindex.metrics import metrics
from cchc.reformreports import selectors, services
from cchc.reformreports.tiles import missing_tile

from .conftest import at, staff
from .test_services import NARRATIVE

pytestmark = pytest.mark.django_db


def approved(officer, leader, unit, kind="q1", year=2026, when=None):
    when = when or at(2026, 3, 18)
    with time_machine.travel(when, tick=False):
        report = services.create_report(officer, unit, year, kind)
        report = services.edit_report(officer, report.pk, report.version, NARRATIVE)
        report = services.submit_report(officer, report.pk, report.version)
        return services.approve_report(leader, report.pk, report.version)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_officer_starts_edits_and_submits_from_the_pages(client, officer, justice):
    client.force_login(officer)
    page = client.get(reverse("reformreports:list"))
    assert page.status_code == 200
    assert "Báo cáo CCHC định kỳ" in page.content.decode()
    with time_machine.travel(at(2026, 3, 10), tick=False):
        response = client.post(
            reverse("reformreports:create"), {"unit": justice.pk, "year": 2026, "kind": "q1"}
        )
    report = selectors.visible_reports(officer).get()
    assert response.url == reverse("reformreports:detail", args=[report.pk])
    detail = client.get(response.url).content.decode()
    assert "quý I năm 2026" in detail and 'id="narrative-form"' in detail
    client.post(
        reverse("reformreports:edit", args=[report.pk]), {**NARRATIVE, "version": report.version}
    )
    report.refresh_from_db()
    assert report.achievements == NARRATIVE["achievements"]
    client.post(
        reverse("reformreports:act", args=[report.pk, "submit"]), {"version": report.version}
    )
    report.refresh_from_db()
    assert report.status == "submitted"


def test_a_stale_form_is_refused_with_a_message(client, officer, justice):
    client.force_login(officer)
    with time_machine.travel(at(2026, 3, 10), tick=False):
        report = services.create_report(officer, justice, 2026, "q1")
    services.edit_report(officer, report.pk, report.version, NARRATIVE)
    response = client.post(
        reverse("reformreports:edit", args=[report.pk]),
        {**NARRATIVE, "version": report.version},
        follow=True,
    )
    assert "thay đổi" in response.content.decode()


def test_another_units_report_is_not_found(client, officer, other_officer, justice):
    with time_machine.travel(at(2026, 3, 10), tick=False):
        report = services.create_report(officer, justice, 2026, "q1")
    client.force_login(other_officer)
    assert client.get(reverse("reformreports:detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("reformreports:docx", args=[report.pk])).status_code == 404


def test_the_leader_approves_from_the_page_behind_a_confirm(client, officer, leader, justice):
    with time_machine.travel(at(2026, 3, 10), tick=False):
        report = services.create_report(officer, justice, 2026, "q1")
        report = services.edit_report(officer, report.pk, report.version, NARRATIVE)
        report = services.submit_report(officer, report.pk, report.version)
    client.force_login(leader)
    page = client.get(reverse("reformreports:detail", args=[report.pk])).content.decode()
    assert 'id="approve-form"' in page and "data-confirm=" in page
    client.post(
        reverse("reformreports:act", args=[report.pk, "approve"]), {"version": report.version}
    )
    report.refresh_from_db()
    assert report.status == "approved"


def test_the_docx_holds_the_heading_and_the_same_numbers_as_the_screen(
    client, officer, leader, justice
):
    report = approved(officer, leader, justice)
    report.snapshot["sections"][0]["value"]["received"] = 1234  # a number with a separator
    report.snapshot["sections"][0]["value"]["resolved_on_time_percent"] = 87.5
    report.save(update_fields=["snapshot"])
    client.force_login(leader)
    screen = client.get(reverse("reformreports:detail", args=[report.pk])).content.decode()
    assert 'data-key="received">1.234<' in screen
    assert 'data-key="resolved_on_time_percent">87,50<' in screen
    response = client.get(reverse("reformreports:docx", args=[report.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = docx_text(response.content)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "SỞ TƯ PHÁP",
        "UBND TỈNH THỬ",
        "BÁO CÁO",
        "Kết quả thực hiện công tác cải cách hành chính quý I năm 2026",
        "ngày 18 tháng 3 năm 2026",
        "I. KẾT QUẢ ĐẠT ĐƯỢC",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
        NARRATIVE["achievements"],
        "Nơi nhận:",
        "1.234",
        "87,50",
    ):
        assert expected in text, expected


def test_the_pdf_is_rendered(client, officer, leader, justice):
    report = approved(officer, leader, justice)
    client.force_login(leader)
    response = client.get(reverse("reformreports:pdf", args=[report.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_province_report_rolls_up_its_units(
    client, officer, leader, justice, home_affairs, commune, province_staff, province
):
    approved(officer, leader, justice)
    with time_machine.travel(at(2026, 3, 18), tick=False):
        own = services.create_report(province_staff, province, 2026, "q1")
    rows = {row.unit.code: row for row in selectors.rollup(own, date(2026, 3, 21))}
    assert set(rows) == {justice.code, home_affairs.code, commune.code}
    assert rows[justice.code].on_time and rows[justice.code].report is not None
    assert rows[home_affairs.code].missing and rows[home_affairs.code].report is None
    client.force_login(province_staff)
    page = client.get(reverse("reformreports:detail", args=[own.pk])).content.decode()
    assert 'id="rollup"' in page and "Sở Tư pháp" in page and "UBND xã Thử" in page
    # Its own figures cover the subtree.
    scope_ids = own.snapshot["sections"]
    assert scope_ids  # assembled for the province


def test_missing_reports_around_the_due_date(officer, leader, justice, commune, province_staff):
    # On the due day nobody is missing yet; the day after, the units without an approved report.
    assert selectors.missing_reports(province_staff, 2026, date(2026, 3, 20)) == []
    approved(officer, leader, justice, when=at(2026, 3, 20, 16))
    missing = selectors.missing_reports(province_staff, 2026, date(2026, 3, 21))
    assert [(row.unit.code, row.window.kind) for row in missing] == [(commune.code, "q1")]
    # A report approved after the due date still counts as missing for that period.
    late_leader = staff(Role.LEADER, commune, "lanhdao.xa")
    late_officer = staff(Role.REFORM_STAFF, commune, "cchc.xa")
    approved(late_officer, late_leader, commune, when=at(2026, 3, 23))
    missing = selectors.missing_reports(province_staff, 2026, date(2026, 3, 24))
    assert [row.unit.code for row in missing] == [commune.code]
    assert missing[0].report is not None


def test_the_missing_page_and_the_tile(client, justice, commune, province_staff, province):
    client.force_login(province_staff)
    with time_machine.travel(at(2026, 6, 25), tick=False):
        page = client.get(reverse("reformreports:missing"), {"nam": 2026}).content.decode()
        tile = missing_tile(
            TileScope(
                unit=province,
                ids=None,
                start=date(2026, 6, 1),
                end=date(2026, 6, 25),
                now=at(2026, 6, 25),
                today=date(2026, 6, 25),
            )
        )
    assert page.count(f'data-unit="{justice.code}"') == 2  # q1 and h1
    assert tile == {"year": 2026, "missing": 4, "units": 2}


def test_the_par_index_figure(officer, leader, justice):
    approved(officer, leader, justice)  # q1 on time
    with time_machine.travel(at(2026, 6, 25), tick=False):
        figure = metrics["reformreports.on_time"].compute(justice, 2026)
    assert (figure.numerator, figure.denominator, str(figure.percent)) == (1, 2, "50.00")
    assert figure.drilldown_url == reverse("reformreports:missing") + "?nam=2026"
    with time_machine.travel(at(2026, 3, 1), tick=False):
        assert metrics["reformreports.on_time"].compute(justice, 2026).percent is None
