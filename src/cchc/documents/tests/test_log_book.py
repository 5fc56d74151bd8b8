"""The log book (Sổ theo dõi hồ sơ) as XLSX: header, rows, period and unit limits."""

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from cchc.documents import rendering
from cchc.dossiers import services

from .conftest import NEW_DAY, OLD_DAY, received_on

pytestmark = pytest.mark.django_db

HEADER_ROW, SUB_ROW, FIRST_ROW = 7, 8, 9


def open_book(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def data_rows(sheet) -> list[tuple]:
    return [row for row in sheet.iter_rows(min_row=FIRST_ROW, values_only=True) if row[0]]


def test_rows_of_the_period_in_order(returned_old, officer, unit, procedure, applicant):
    second = received_on((2024, 6, 4), officer, unit, procedure, applicant)
    received_on((2024, 7, 1), officer, unit, procedure, applicant)  # outside the period
    sheet = open_book(rendering.log_book_xlsx(unit, date(2024, 6, 1), date(2024, 6, 30)))

    assert sheet["A1"].value == "Mẫu số 06 (Thông tư 01/2018/TT-VPCP)"
    assert sheet["A2"].value == "UBND TỈNH AN BÌNH"
    assert sheet["A3"].value == "UBND PHƯỜNG ĐÔNG THÀNH"
    assert sheet["A4"].value == "SỔ THEO DÕI HỒ SƠ"
    assert sheet["A5"].value == "Từ ngày 01/06/2024 đến ngày 30/06/2024"
    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header[:7] == [
        "STT",
        "Mã hồ sơ",
        "Tên TTHC",
        "Tên tổ chức, cá nhân",
        "Địa chỉ/SĐT",
        "Cơ quan chủ trì giải quyết",
        "Nhận và trả kết quả",
    ]
    assert [cell.value for cell in sheet[SUB_ROW]][6:] == [
        "Nhận hồ sơ",
        "Hẹn trả kết quả",
        "Trả kết quả",
        "Phương thức nhận kết quả",
        "Ký nhận",
    ]
    assert f"G{HEADER_ROW}:K{HEADER_ROW}" in {str(r) for r in sheet.merged_cells.ranges}

    rows = data_rows(sheet)
    assert [row[1] for row in rows] == [returned_old.code, second.code]
    assert rows[0] == (
        1,
        returned_old.code,
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "Nguyễn Văn An",
        "Số 1 đường Lê Lợi, phường Đông Thành / 0912345678",
        "UBND phường Đông Thành",
        datetime(2024, 6, 3, 8, 0),
        datetime(2024, 6, 10, 17, 0),
        datetime(2024, 6, 5, 10, 0),
        "Trực tiếp",
        "Nguyễn Văn An",
    )
    assert rows[1][0] == 2 and rows[1][8] is None and rows[1][9] is None
    received_cell = sheet.cell(row=FIRST_ROW, column=7)
    assert received_cell.number_format == "dd/mm/yyyy hh:mm"


def test_2026_period_uses_mau_07(returned_new, unit):
    sheet = open_book(rendering.log_book_xlsx(unit, date(2026, 3, 1), date(2026, 3, 31)))
    assert sheet["A1"].value == "Mẫu số 07 (Thông tư 03/2025/TT-VPCP)"
    assert [row[1] for row in data_rows(sheet)] == [returned_new.code]


def test_other_units_and_restricting_queryset(
    officer, unit, other_unit, procedure, applicant, django_user_model
):
    from cchc.dossiers.models import Dossier
    from cchc.organisations.models import Role, RoleAssignment

    mine = received_on(OLD_DAY, officer, unit, procedure, applicant)
    clerk = django_user_model.objects.create_user("so", password="x")
    RoleAssignment.objects.create(user=clerk, unit=other_unit, role=Role.ONE_STOP_OFFICER)
    procedure.level_province = True
    procedure.save()
    procedure.implementing_units.add(other_unit)  # the department handles it too
    theirs = received_on(OLD_DAY, clerk, other_unit, procedure, applicant)
    day = date(*OLD_DAY)
    codes = [r[1] for r in rendering.log_book_rows(unit, day, day)]
    assert codes == [mine.code]
    # The province's book covers the units under it.
    codes = [r[1] for r in rendering.log_book_rows(unit.parent, day, day)]
    assert codes == [mine.code, theirs.code]
    only = Dossier.objects.filter(pk=theirs.pk)
    assert [r[1] for r in rendering.log_book_rows(unit.parent, day, day, only)] == [theirs.code]


def test_text_is_never_a_formula(officer, unit, procedure, applicant):
    applicant.name = '=HYPERLINK("http://example.com","bấm")'
    received_on(NEW_DAY, officer, unit, procedure, applicant)
    day = date(*NEW_DAY)
    sheet = open_book(rendering.log_book_xlsx(unit, day, day))
    cell = sheet.cell(row=FIRST_ROW, column=4)
    assert cell.value == applicant.name and cell.data_type == "s"


def test_lead_unit_is_the_unit_holding_the_dossier_at_the_result(
    officer, processor, leader, unit, other_unit, procedure, applicant
):
    from cchc.organisations.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=leader, unit=other_unit, role=Role.LEADER)
    dossier = received_on(OLD_DAY, officer, unit, procedure, applicant)
    dossier = services.hand_off(dossier.pk, officer, other_unit, 8, "Liên thông")
    assert rendering.lead_unit_name(dossier) == "Sở Tư pháp"
    services.approve_result(dossier.pk, leader, "approved", "1/QĐ", "")
    dossier.refresh_from_db()
    assert dossier.current_unit == unit  # back at the counter
    assert rendering.lead_unit_name(dossier) == "Sở Tư pháp"
    rows = rendering.control_rows(dossier)
    assert [row.action for row in rows] == ["received", "handed_off", "resolved"]
    assert rows[1].giver == "motcua – UBND phường Đông Thành" and rows[1].receiver == "Sở Tư pháp"
