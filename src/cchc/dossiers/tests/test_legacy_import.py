"""Importing dossiers from another one-stop system's export (``cchc import-dossiers``)."""

import csv
import io
from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import Workbook

from cchc.dossiers import legacy, services
from cchc.dossiers.models import (
    ApologyStatus,
    DailySequence,
    Dossier,
    DossierEvent,
    IdType,
    OnlineMode,
    Outcome,
    PauseKind,
    PaymentGateway,
    Status,
)
from cchc.workdays import services as workdays
from cchc.workdays.engine import Pause

from .conftest import local, seen

pytestmark = pytest.mark.django_db

CODE = "000.00.31.H99-240115-0001"


def full_row(**overrides) -> dict:
    """A returned online dossier with every column filled (supplement, apology, payment…)."""
    row = {
        "ma_ho_so": CODE,
        "ma_tthc": "1.004873",
        "ma_don_vi": "000.00.31.H99",
        "kenh": "2",
        "toan_trinh": "1",
        "ngay_nop": "14/01/2024 20:15",
        "ngay_tiep_nhan": "15/01/2024 08:00",
        "ngay_hen_tra": "22/01/2024 17:00",
        "ngay_ket_thuc_xu_ly": "24/01/2024 10:00",
        "ngay_tra_ket_qua": "2024-01-25T09:30:00+07:00",
        "trang_thai": "10",
        "so_lan_bo_sung": "1",
        "ngay_yeu_cau_bo_sung": "16/01/2024 08:00",
        "ngay_hoan_thanh_bo_sung": "17/01/2024 08:00",
        "co_van_ban_xin_loi": "1",
        "ngay_hen_tra_moi": "26/01/2024 17:00",
        "thanh_toan_truc_tuyen": "1",
        "da_so_hoa": "1",
        "co_ket_qua_dien_tu": "1",
        "ten_nguoi_nop": "Trần Thị Bình",
        "so_giay_to": "001190054321",
        "so_dien_thoai": "0987 654 321",
        "email": "binh@example.com",
        "dia_chi": "Số 5 đường Trần Phú",
    }
    row.update(overrides)
    return row


def simple_row(**overrides) -> dict:
    """A counter dossier still being processed: only the required columns and a few times."""
    row = {
        "ma_ho_so": "000.00.31.H99-240301-0007",
        "ma_tthc": "1.004873",
        "ma_don_vi": "000.00.31.H99",
        "kenh": "1",
        "ngay_tiep_nhan": "01/03/2024 09:00",
        "ngay_hen_tra": "08/03/2024 17:00",
        "trang_thai": "4",
    }
    row.update(overrides)
    return row


def csv_bytes(*rows: dict, delimiter: str = ",") -> bytes:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(*rows: dict) -> bytes:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(content: bytes, name: str = "ho-so-cu.csv", skip_invalid: bool = False):
    return legacy.import_file(content, name, skip_invalid=skip_invalid)


def run_command(path, **options):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import-dossiers", str(path), stdout=out, stderr=err, **options)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def messages(report) -> list[str]:
    return [str(error) for error in report.errors]


# -- happy path ----------------------------------------------------------------------------------
def test_csv_with_every_column(unit, procedure):
    report = run(csv_bytes(full_row()))
    assert report.errors == []
    assert report.written and (report.created, report.updated, report.unchanged) == (1, 0, 0)
    assert report.summary() == "Đã nhập: 1 hồ sơ mới, 0 cập nhật, 0 không thay đổi."

    dossier = Dossier.objects.get(code=CODE)
    assert dossier.imported
    assert dossier.procedure == procedure
    assert dossier.receiving_unit == unit and dossier.current_unit == unit
    assert dossier.status == Status.RETURNED
    assert dossier.channel == 2 and dossier.online_mode == OnlineMode.FULL
    assert dossier.submitted_at == local(2024, 1, 14, 20, 15)
    assert dossier.received_at == local(2024, 1, 15, 8, 0)
    assert dossier.due_at == local(2024, 1, 22, 17, 0)
    assert dossier.appointment_at == local(2024, 1, 26, 17, 0)
    assert dossier.resolved_at == local(2024, 1, 24, 10, 0)
    assert dossier.returned_at == local(2024, 1, 25, 9, 30)
    assert dossier.closed_at == dossier.returned_at
    assert dossier.outcome == Outcome.APPROVED
    assert dossier.result_electronic and dossier.digitised
    assert dossier.payment_gateway == PaymentGateway.NATIONAL_PORTAL and dossier.fee_paid_online
    assert dossier.supplement_count == 1 and dossier.pause_count == 1
    assert not dossier.late_by_rule
    assert dossier.current_step is None and dossier.current_handler is None
    assert dossier.applicant_name == "Trần Thị Bình"
    assert dossier.applicant_id_type == IdType.CITIZEN_ID
    assert dossier.applicant_id_number == "001190054321"
    assert dossier.applicant_phone == "0987 654 321"
    assert dossier.applicant_email == "binh@example.com"
    assert dossier.applicant_address == "Số 5 đường Trần Phú"
    # The engine: 5 working days from Monday 08:00 plus the 1 working day of the supplement.
    assert dossier.engine_due_at == local(2024, 1, 23, 17, 0)

    pause = dossier.pauses.get()
    assert pause.kind == PauseKind.SUPPLEMENT
    assert (pause.started_at, pause.ended_at) == (local(2024, 1, 16, 8, 0), local(2024, 1, 17, 8))
    letter = dossier.apologies.get()
    assert letter.status == ApologyStatus.SENT
    assert letter.reason == "Nhập từ hệ thống cũ"
    assert letter.original_appointment_at == local(2024, 1, 22, 17, 0)
    assert letter.new_appointment_at == local(2024, 1, 26, 17, 0)
    assert letter.created_at == letter.sent_at == local(2024, 1, 22, 17, 0)

    event = dossier.events.get()
    assert event.action == "imported" and event.actor is None
    assert event.status_before is None and event.status_after == Status.RETURNED
    assert event.note == "Nhập từ tệp ho-so-cu.csv, dòng 2"
    assert event.data["file"] == "ho-so-cu.csv" and event.data["line"] == 2
    assert event.data["row"]["ngay_tra_ket_qua"] == "2024-01-25T09:30:00+07:00"
    assert event.data["row"]["trang_thai"] == "10"
    # Personal data stays out of the append-only history.
    assert not {"ten_nguoi_nop", "so_giay_to", "so_dien_thoai", "email", "dia_chi"} & set(
        event.data["row"]
    )
    assert "001190054321" not in str(event.data)
    assert services.verify_chain(dossier) is None


def test_xlsx_with_date_cells_numbers_and_text(unit, procedure):
    row = full_row(
        kenh=2,
        toan_trinh=0,
        trang_thai=9,
        ngay_tiep_nhan=datetime(2024, 1, 15, 8, 0),  # a real Excel date cell
        ngay_hen_tra="2024-01-22T17:00",
        ngay_tra_ket_qua=None,
        so_lan_bo_sung=2,
        co_van_ban_xin_loi=0,
        ngay_hen_tra_moi=None,
        thanh_toan_truc_tuyen=2,
        da_so_hoa=0,
        co_ket_qua_dien_tu=1,
        so_giay_to="B1234567",
    )
    report = run(xlsx_bytes(row, simple_row()), "ho-so-cu.xlsx")
    assert report.errors == []
    assert report.created == 2
    dossier = Dossier.objects.get(code=CODE)
    assert dossier.status == Status.RESOLVED and dossier.online_mode == OnlineMode.PARTIAL
    assert dossier.received_at == local(2024, 1, 15, 8, 0)
    assert dossier.due_at == dossier.appointment_at == local(2024, 1, 22, 17, 0)
    assert dossier.returned_at is None and dossier.closed_at is None
    assert dossier.payment_gateway == PaymentGateway.LOCAL_GATEWAY and dossier.fee_paid_online
    assert not dossier.digitised and dossier.result_electronic
    assert dossier.supplement_count == 2 and dossier.late_by_rule  # a second request: late
    assert dossier.applicant_id_type == IdType.OTHER
    assert not dossier.apologies.exists()
    assert dossier.events.get().data["row"]["ngay_tiep_nhan"] == "2024-01-15T08:00:00"
    other = Dossier.objects.get(code="000.00.31.H99-240301-0007")
    assert other.status == Status.PROCESSING and other.channel == 1 and other.online_mode == ""
    assert other.events.get().note == "Nhập từ tệp ho-so-cu.xlsx, dòng 3"


def test_semicolon_csv_with_bom(unit, procedure):
    content = b"\xef\xbb\xbf" + csv_bytes(simple_row(), delimiter=";")
    report = run(content)
    assert report.errors == [] and report.created == 1


def test_missing_applicant_columns_use_the_documented_placeholders(unit, procedure):
    run(csv_bytes(simple_row()))
    dossier = Dossier.objects.get()
    assert dossier.applicant_kind == "individual"
    assert dossier.applicant_name == "(không rõ)"
    assert dossier.applicant_id_type == IdType.OTHER
    assert dossier.applicant_id_number == ""
    assert dossier.applicant_phone == dossier.applicant_email == dossier.applicant_address == ""
    assert dossier.submitted_at == dossier.received_at  # no ngay_nop: the receipt time
    assert dossier.supplement_count == 0 and not dossier.pauses.exists()
    assert not dossier.result_electronic and not dossier.fee_paid_online
    assert dossier.payment_gateway == PaymentGateway.NONE


def test_empty_cells_are_unknown(unit, procedure):
    row = simple_row(ngay_tiep_nhan="", ngay_hen_tra="", ngay_nop="29/02/2024 10:00")
    report = run(csv_bytes(row))
    assert report.errors == []
    dossier = Dossier.objects.get()
    assert dossier.received_at is None and dossier.due_at is None
    assert dossier.engine_due_at is None and dossier.appointment_at is None
    assert dossier.submitted_at == local(2024, 2, 29, 10, 0)


# -- the file's due time and the engine's --------------------------------------------------------
def test_file_due_time_is_kept_and_the_engine_due_time_stored_beside_it(unit, procedure):
    row = simple_row(ngay_tiep_nhan="15/01/2024 08:00", ngay_hen_tra="19/01/2024 17:00")
    run(csv_bytes(row))
    dossier = Dossier.objects.get()
    assert dossier.due_at == dossier.appointment_at == local(2024, 1, 19, 17, 0)
    expected = workdays.compute_deadline(local(2024, 1, 15, 8, 0), procedure.time_limit(), unit)
    assert dossier.engine_due_at == expected.due
    assert dossier.engine_due_at == local(2024, 1, 22, 17, 0)
    assert dossier.engine_due_at != dossier.due_at


def test_engine_moves_the_receipt_outside_office_hours(unit, procedure):
    row = simple_row(ngay_tiep_nhan="13/01/2024 09:00", ngay_hen_tra="22/01/2024 17:00")
    run(csv_bytes(row))
    dossier = Dossier.objects.get()
    assert dossier.received_at == local(2024, 1, 13, 9, 0)  # a Saturday
    assert dossier.effective_received_at > dossier.received_at
    assert dossier.engine_due_at == dossier.due_at == local(2024, 1, 22, 17, 0)


def test_engine_due_time_counts_a_closed_supplement_stop(unit, procedure):
    run(csv_bytes(full_row()))
    dossier = Dossier.objects.get()
    pause = Pause(local(2024, 1, 16, 8, 0), local(2024, 1, 17, 8, 0))
    expected = workdays.compute_deadline(
        local(2024, 1, 15, 8, 0), procedure.time_limit(), unit, [pause]
    )
    assert dossier.engine_due_at == expected.due


def test_supplement_still_awaited_is_an_open_stop(unit, procedure):
    row = simple_row(trang_thai="5", ngay_yeu_cau_bo_sung="04/03/2024 10:00")
    run(csv_bytes(row))
    dossier = Dossier.objects.get()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED and dossier.supplement_count == 1
    pause = dossier.pauses.get()
    assert pause.started_at == local(2024, 3, 4, 10, 0) and pause.ended_at is None


@pytest.mark.parametrize("status", [3, 7, 8])
def test_closed_without_result(unit, procedure, status):
    run(csv_bytes(simple_row(trang_thai=str(status), ngay_ket_thuc_xu_ly="05/03/2024 11:00")))
    dossier = Dossier.objects.get()
    assert dossier.status == status
    assert dossier.closed_at == local(2024, 3, 5, 11, 0)
    assert dossier.resolved_at is None and dossier.outcome == ""


# -- idempotency and updates ---------------------------------------------------------------------
def test_reimporting_the_same_file_changes_nothing(tmp_path, unit, procedure):
    path = tmp_path / "ho-so-cu.csv"
    path.write_bytes(csv_bytes(full_row(), simple_row()))
    code, out, err = run_command(path)
    assert (code, err) == (0, "")
    assert "2 hồ sơ mới" in out
    before = {d.code: (d.version, d.updated_at) for d in Dossier.objects.all()}

    code, out, err = run_command(path)
    assert (code, err) == (0, "")
    assert out.strip() == "Đã nhập: 0 hồ sơ mới, 0 cập nhật, 2 không thay đổi."
    assert {d.code: (d.version, d.updated_at) for d in Dossier.objects.all()} == before
    assert DossierEvent.objects.count() == 2
    assert Dossier.objects.get(code=CODE).apologies.count() == 1


def test_the_same_data_written_differently_is_unchanged(unit, procedure):
    run(csv_bytes(full_row()))
    same = full_row(
        kenh=2,
        trang_thai=10,
        ngay_tiep_nhan=datetime(2024, 1, 15, 8, 0),
        ngay_tra_ket_qua="25/01/2024 09:30",
        ngay_hen_tra="2024-01-22T10:00:00Z",
    )
    report = run(xlsx_bytes(same), "ban-xuat-lai.xlsx")
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)


def test_changed_row_updates_the_imported_dossier_and_appends_an_event(unit, procedure):
    row = simple_row()
    run(csv_bytes(row))
    dossier = Dossier.objects.get()
    changed = simple_row(
        trang_thai="10",
        ngay_ket_thuc_xu_ly="07/03/2024 15:00",
        ngay_tra_ket_qua="08/03/2024 09:00",
        co_van_ban_xin_loi="1",
        ngay_hen_tra_moi="11/03/2024 17:00",
        ten_nguoi_nop="Lê Văn Cường",
    )
    report = run(csv_bytes(changed), "ho-so-cu-2.csv")
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.version == 2
    assert dossier.returned_at == local(2024, 3, 8, 9, 0)
    assert dossier.appointment_at == local(2024, 3, 11, 17, 0)
    assert dossier.applicant_name == "Lê Văn Cường"
    assert dossier.apologies.get().new_appointment_at == local(2024, 3, 11, 17, 0)
    first, second = dossier.events.order_by("sequence")
    assert first.action == second.action == "imported"
    assert second.status_before == Status.PROCESSING and second.status_after == Status.RETURNED
    assert second.data["changes"] == [
        "ngay_ket_thuc_xu_ly",
        "ngay_tra_ket_qua",
        "trang_thai",
        "co_van_ban_xin_loi",
        "ngay_hen_tra_moi",
        "ten_nguoi_nop",
    ]
    assert second.note.startswith("Cập nhật từ tệp ho-so-cu-2.csv, dòng 2; thay đổi: ")
    assert services.verify_chain(dossier) is None

    # Back to the first version: the apology goes away again, nothing is duplicated.
    report = run(csv_bytes(row))
    assert report.updated == 1
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and not dossier.apologies.exists()
    assert dossier.applicant_name == "(không rõ)" and dossier.events.count() == 3


def test_a_dossier_created_here_is_never_overwritten(officer, unit, procedure, applicant):
    native = services.receive_at_counter(officer, unit, procedure, applicant)
    row = simple_row(ma_ho_so=native.code, trang_thai="10", ngay_ket_thuc_xu_ly="05/03/2024")
    report = run(csv_bytes(row, full_row()))
    assert not report.written
    assert messages(report) == [
        f"Dòng 2, cột “ma_ho_so”: Mã hồ sơ “{native.code}” thuộc một hồ sơ tiếp nhận trong hệ "
        "thống này: không ghi đè."
    ]
    assert Dossier.objects.count() == 1  # all or nothing: the valid row is not written either
    native.refresh_from_db()
    assert native.status == Status.RECEIVED and not native.imported
    assert native.events.count() == 1

    report = run(csv_bytes(row, full_row()), skip_invalid=True)
    assert report.written and report.created == 1
    native.refresh_from_db()
    assert native.status == Status.RECEIVED


def test_an_imported_dossier_worked_on_here_is_not_updated(unit, procedure, leader):
    run(csv_bytes(simple_row()))
    dossier = Dossier.objects.get()
    services.extend(
        dossier.pk,
        leader,
        local(2024, 3, 15, 17, 0),
        "Cần xác minh",
        expected_version=seen(dossier.pk),
    )
    assert run(csv_bytes(simple_row())).unchanged == 1  # the same file: nothing to do
    report = run(csv_bytes(simple_row(trang_thai="9", ngay_ket_thuc_xu_ly="07/03/2024 10:00")))
    assert not report.written
    assert "đã được xử lý tiếp trong hệ thống này" in messages(report)[0]
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.due_at == local(2024, 3, 15, 17, 0)


def test_codes_of_this_systems_shape_keep_the_daily_counter_ahead(
    officer, unit, procedure, applicant
):
    with time_machine.travel(local(2024, 6, 3, 8, 0), tick=False):
        row = simple_row(
            ma_ho_so="000.00.31.H99-240603-0005",
            ngay_tiep_nhan="03/06/2024 07:45",
            ngay_hen_tra="10/06/2024 17:00",
        )
        assert run(csv_bytes(row)).created == 1
        assert DailySequence.objects.get(unit=unit).last_value == 5
        native = services.receive_at_counter(officer, unit, procedure, applicant)
    assert native.code == "000.00.31.H99-240603-0006"


def test_verify_history_stays_green_after_imports(unit, procedure):
    run(csv_bytes(full_row(), simple_row()))
    run(csv_bytes(full_row(trang_thai="9", ngay_tra_ket_qua="", co_ket_qua_dien_tu="0")))
    assert all(services.verify_chain(dossier) is None for dossier in Dossier.objects.all())
    out = io.StringIO()
    call_command("verify-history", stdout=out, stderr=io.StringIO())
    assert "Đã kiểm tra 2 hồ sơ, 3 sự kiện; 0 hồ sơ có lịch sử bị phá vỡ." in out.getvalue()


# -- validation ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("overrides", "column", "fragment"),
    [
        ({"ma_ho_so": ""}, "ma_ho_so", "Thiếu mã hồ sơ"),
        ({"ma_ho_so": "H99 240115 1"}, "ma_ho_so", "không có khoảng trắng"),
        ({"ma_ho_so": "X" * 81}, "ma_ho_so", "tối đa 80 ký tự"),
        ({"ma_tthc": "9.999999"}, "ma_tthc", "Không có thủ tục mã “9.999999”"),
        ({"ma_tthc": ""}, "ma_tthc", "Thiếu mã thủ tục"),
        ({"ma_don_vi": "000.00.99.H99"}, "ma_don_vi", "Không có đơn vị mã “000.00.99.H99”"),
        ({"ma_don_vi": ""}, "ma_don_vi", "Thiếu mã đơn vị"),
        ({"kenh": "4"}, "kenh", "Kênh phải là 1"),
        ({"kenh": ""}, "kenh", "Kênh phải là 1"),
        ({"kenh": "trực tiếp"}, "kenh", "Kênh phải là 1"),
        ({"toan_trinh": "2"}, "toan_trinh", "Giá trị phải là 0 hoặc 1"),
        ({"kenh": "1"}, "toan_trinh", "Chỉ hồ sơ trực tuyến"),
        ({"trang_thai": "0"}, "trang_thai", "từ 1 đến 10"),
        ({"trang_thai": "11"}, "trang_thai", "từ 1 đến 10"),
        ({"trang_thai": ""}, "trang_thai", "từ 1 đến 10"),
        ({"so_lan_bo_sung": "-1"}, "so_lan_bo_sung", "số nguyên ≥ 0"),
        ({"so_lan_bo_sung": "một"}, "so_lan_bo_sung", "số nguyên ≥ 0"),
        ({"so_lan_bo_sung": "0"}, "so_lan_bo_sung", "số lần bổ sung là 0"),
        ({"co_van_ban_xin_loi": "có"}, "co_van_ban_xin_loi", "0 hoặc 1"),
        ({"da_so_hoa": "2"}, "da_so_hoa", "0 hoặc 1"),
        ({"co_ket_qua_dien_tu": "x"}, "co_ket_qua_dien_tu", "0 hoặc 1"),
        ({"thanh_toan_truc_tuyen": "3"}, "thanh_toan_truc_tuyen", "0, 1 hoặc 2"),
        ({"ngay_nop": "31/02/2024 08:00"}, "ngay_nop", "Không đọc được thời điểm"),
        ({"ngay_tiep_nhan": "hôm qua"}, "ngay_tiep_nhan", "dd/mm/yyyy HH:MM hoặc ISO 8601"),
        ({"ngay_tra_ket_qua": "2999-01-01T08:00"}, "ngay_tra_ket_qua", "chưa đến"),
        ({"ngay_tiep_nhan": "14/01/2024 08:00"}, "ngay_tiep_nhan", "sớm hơn ngày nộp"),
        ({"ngay_hen_tra": "15/01/2024 07:00"}, "ngay_hen_tra", "sớm hơn ngày tiếp nhận"),
        (
            {"ngay_ket_thuc_xu_ly": "15/01/2024 07:59"},
            "ngay_ket_thuc_xu_ly",
            "sớm hơn ngày tiếp nhận",
        ),
        (
            {"ngay_tra_ket_qua": "24/01/2024 09:00"},
            "ngay_tra_ket_qua",
            "sớm hơn ngày kết thúc xử lý",
        ),
        ({"ngay_ket_thuc_xu_ly": ""}, "ngay_ket_thuc_xu_ly", "trạng thái 10 phải có ngày kết"),
        (
            {"trang_thai": "9", "ngay_ket_thuc_xu_ly": ""},
            "ngay_ket_thuc_xu_ly",
            "trạng thái 9 phải có ngày kết thúc",
        ),
        (
            {"trang_thai": "4", "ngay_tra_ket_qua": "", "co_ket_qua_dien_tu": "0"},
            "ngay_ket_thuc_xu_ly",
            "(chưa kết thúc) không thể có ngày kết thúc",
        ),
        (
            {"trang_thai": "8", "ngay_ket_thuc_xu_ly": "", "co_ket_qua_dien_tu": "0"},
            "ngay_tra_ket_qua",
            "phải có ngày kết thúc xử lý hoặc trạng thái 10",
        ),
        (
            {"trang_thai": "8", "co_ket_qua_dien_tu": "1"},
            "co_ket_qua_dien_tu",
            "trạng thái 9 hoặc 10",
        ),
        ({"co_van_ban_xin_loi": "0"}, "ngay_hen_tra_moi", "co_van_ban_xin_loi = 1"),
        ({"ngay_hen_tra": ""}, "ngay_hen_tra", "phải có ngày hẹn trả ban đầu"),
        ({"ngay_hen_tra_moi": "22/01/2024 17:00"}, "ngay_hen_tra_moi", "phải sau ngày hẹn trả"),
        ({"ngay_yeu_cau_bo_sung": ""}, "ngay_hoan_thanh_bo_sung", "phải có ngày yêu cầu"),
        (
            {"ngay_hoan_thanh_bo_sung": "16/01/2024 07:00"},
            "ngay_hoan_thanh_bo_sung",
            "sớm hơn ngày yêu cầu bổ sung",
        ),
        (
            {"ngay_yeu_cau_bo_sung": "14/01/2024 20:00"},
            "ngay_yeu_cau_bo_sung",
            "sớm hơn ngày nộp",
        ),
        ({"so_dien_thoai": "12ab"}, "so_dien_thoai", "Số điện thoại không hợp lệ"),
        ({"email": "binh@"}, "email", "email không hợp lệ"),
        ({"ten_nguoi_nop": "A" * 256}, "ten_nguoi_nop", "Tối đa 255 ký tự"),
    ],
)
def test_each_validation_error_names_line_column_and_reason(
    unit, procedure, overrides, column, fragment
):
    report = run(csv_bytes(simple_row(), full_row(**overrides)))
    assert not report.written
    assert not Dossier.objects.exists()
    found = [error for error in report.errors if error.column == column]
    assert found, messages(report)
    assert all(error.line == 3 for error in report.errors)
    assert any(fragment in error.message for error in found), messages(report)
    assert str(found[0]).startswith(f"Dòng 3, cột “{column}”: ")


def test_status_1_cannot_have_a_receipt_time(unit, procedure):
    report = run(csv_bytes(simple_row(kenh="2", trang_thai="1")))
    assert messages(report) == [
        "Dòng 2, cột “ngay_tiep_nhan”: Hồ sơ mới đăng ký (trạng thái 1) chưa được tiếp nhận: để "
        "trống ngày tiếp nhận."
    ]


def test_several_errors_in_one_row_are_all_reported(unit, procedure):
    report = run(csv_bytes(simple_row(kenh="9", trang_thai="12", ma_tthc="0.000000")))
    assert {error.column for error in report.errors} == {"kenh", "trang_thai", "ma_tthc"}


def test_duplicate_codes_in_a_file_reject_every_occurrence(unit, procedure):
    report = run(csv_bytes(simple_row(), full_row(), simple_row(trang_thai="2")), skip_invalid=True)
    assert messages(report) == [
        "Dòng 2, cột “ma_ho_so”: Mã hồ sơ “000.00.31.H99-240301-0007” lặp lại ở dòng 4.",
        "Dòng 4, cột “ma_ho_so”: Mã hồ sơ “000.00.31.H99-240301-0007” lặp lại ở dòng 2.",
    ]
    assert list(Dossier.objects.values_list("code", flat=True)) == [CODE]


@pytest.mark.parametrize(
    ("header_change", "expected"),
    [
        ({"ngay_hen_tra ": "x"}, "Dòng 1, cột “ngay_hen_tra”: Tên cột bị lặp lại."),
        (
            {"ngay_hen": "x"},
            "Dòng 1, cột “ngay_hen”: Cột không xác định; xem định dạng trong "
            "docs/dossier-import.md.",
        ),
    ],
)
def test_header_problems_refuse_the_whole_file(unit, procedure, header_change, expected):
    report = run(csv_bytes({**simple_row(), **header_change}), skip_invalid=True)
    assert not report.written and report.header_invalid
    assert messages(report) == [expected]
    assert report.summary() == "Không nhập hồ sơ nào: dòng tiêu đề (tên cột) không hợp lệ."
    assert not Dossier.objects.exists()


def test_missing_required_column(unit, procedure):
    row = simple_row()
    del row["trang_thai"]
    report = run(csv_bytes(row), skip_invalid=True)
    assert messages(report) == ["Dòng 1, cột “trang_thai”: Thiếu cột bắt buộc."]
    assert not Dossier.objects.exists()


def test_values_beyond_the_header_are_an_error(unit, procedure):
    content = csv_bytes(simple_row()).replace(b",4\n", ",4,bất ngờ\n".encode())
    report = run(content)
    assert messages(report) == ["Dòng 2: Có giá trị nằm ngoài các cột có tên trong dòng tiêu đề."]


def test_xlsx_error_lines_are_sheet_rows(unit, procedure):
    report = run(xlsx_bytes(simple_row(), full_row(kenh=7)), "ho-so-cu.xlsx")
    assert [error.line for error in report.errors] == [3]


# -- all or nothing ------------------------------------------------------------------------------
def test_one_bad_row_writes_nothing(unit, procedure):
    report = run(csv_bytes(full_row(), simple_row(trang_thai="42")))
    assert not report.written
    assert report.summary() == "Không nhập hồ sơ nào: 1/2 dòng không hợp lệ."
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()


def test_skip_invalid_imports_the_valid_rows(unit, procedure):
    report = run(csv_bytes(full_row(), simple_row(trang_thai="42")), skip_invalid=True)
    assert report.written and report.created == 1
    assert report.summary() == (
        "Đã nhập: 1 hồ sơ mới, 0 cập nhật, 0 không thay đổi; bỏ qua 1 dòng lỗi."
    )
    assert list(Dossier.objects.values_list("code", flat=True)) == [CODE]


# -- command -------------------------------------------------------------------------------------
def test_command_rejects_bad_rows_with_exit_1(tmp_path, unit, procedure):
    path = tmp_path / "ho-so-cu.csv"
    path.write_bytes(csv_bytes(full_row(), simple_row(kenh="5")))
    code, out, err = run_command(path)
    assert code == 1
    assert "Dòng 3, cột “kenh”: Kênh phải là 1 (trực tiếp)" in err
    assert "Không nhập hồ sơ nào: 1/2 dòng không hợp lệ." in out
    assert not Dossier.objects.exists()

    code, out, err = run_command(path, skip_invalid=True)
    assert code == 0
    assert "Dòng 3" in err and "1 hồ sơ mới" in out
    assert Dossier.objects.count() == 1


def test_command_imports_xlsx(tmp_path, unit, procedure):
    path = tmp_path / "ho-so-cu.xlsx"
    path.write_bytes(xlsx_bytes(full_row(), simple_row()))
    code, _, err = run_command(path)
    assert (code, err) == (0, "")
    assert Dossier.objects.filter(imported=True).count() == 2


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("khong-co.csv", None),
        ("ho-so.json", b"[]"),
        ("ho-so.txt", b"ma_ho_so\n1"),
        ("hong.xlsx", b"PK\x03\x04 not really a zip"),
        ("rong.xlsx", b""),
        ("rong.csv", b""),
        ("utf16.csv", "ma_ho_so,trang_thai\nA,1".encode("utf-16")),
        ("latin.csv", "ma_ho_so,ten_nguoi_nop\nA,Trân".encode("cp1258")),
    ],
)
def test_command_unreadable_file_exits_2(tmp_path, unit, procedure, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, _, err = run_command(path)
    assert code == 2
    assert err.startswith("Lỗi: ")
    assert not Dossier.objects.exists()


def test_command_unreadable_directory_exits_2(tmp_path):
    code, _, err = run_command(tmp_path)
    assert code == 2 and err.startswith("Lỗi: không đọc được tệp")


def test_files_over_the_limit_are_refused(tmp_path, settings, unit, procedure):
    assert legacy.max_bytes() == 20 * 1024 * 1024
    settings.CCHC_DOSSIER_IMPORT_MAX_BYTES = 100
    path = tmp_path / "ho-so-cu.csv"
    path.write_bytes(csv_bytes(full_row()))
    code, _, err = run_command(path)
    assert code == 2 and "Tệp quá lớn" in err
    with pytest.raises(legacy.ImportFileError):
        run(csv_bytes(full_row()))
    assert not Dossier.objects.exists()


# -- every state the report counts, fees, date-only deadlines --------------------------------------
def report_of(unit, start, end) -> dict:
    from cchc.reports.selectors import ReportRequest, build_report

    return build_report(ReportRequest(start=start, end=end, unit=unit)).to_dict()["total"]


def march_row(code: str, **overrides) -> dict:
    """A counter dossier received on Monday 02/03/2026, due Monday 09/03/2026 17:00."""
    row = {
        "ma_ho_so": code,
        "ma_tthc": "1.004873",
        "ma_don_vi": "000.00.31.H99",
        "kenh": "1",
        "ngay_tiep_nhan": "02/03/2026 09:00",
        "ngay_hen_tra": "09/03/2026 17:00",
        "trang_thai": "4",
    }
    row.update(overrides)
    return row


@pytest.mark.parametrize(
    ("status", "ket_qua"),
    [
        ("Trả lại hồ sơ", ""),
        ("tra lai ho so", ""),
        ("10", "2"),
        ("9", "2"),
        ("TỪ CHỐI GIẢI QUYẾT", ""),
    ],
)
def test_returned_dossiers_are_imported_as_returned(unit, procedure, status, ket_qua):
    """A reasoned refusal after receipt (hồ sơ trả lại): the report's column (14), never a
    result. Before, status 9/10 always became *approved* and “Trả lại hồ sơ” was refused."""
    row = march_row(
        "HS-TL-1",
        trang_thai=status,
        ket_qua=ket_qua,
        ngay_ket_thuc_xu_ly="05/03/2026 10:00",
        ngay_tra_ket_qua="06/03/2026 09:00",
    )
    report = run(csv_bytes(row))
    assert report.written, messages(report)
    dossier = Dossier.objects.get(code="HS-TL-1")
    assert dossier.outcome == Outcome.REFUSED
    assert dossier.status in (Status.RESOLVED, Status.RETURNED)
    total = report_of(unit, datetime(2026, 3, 1).date(), datetime(2026, 3, 31).date())
    assert (total["returned"], total["resolved"], total["received"]) == (1, 0, 1)
    assert total["due"]["returned_or_withdrawn"] == 1


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mới đăng ký", 1),
        ("Được tiếp nhận", 2),
        ("Không được tiếp nhận", 3),
        ("Đang xử lý", 4),
        ("Yêu cầu bổ sung", 5),
        ("Yêu cầu thực hiện nghĩa vụ tài chính", 6),
        ("Công dân yêu cầu rút hồ sơ", 7),
        ("Dừng xử lý", 8),
        ("Đã xử lý xong", 9),
        ("  đã trả   kết quả ", 10),
    ],
)
def test_status_names_map_to_their_codes(text, code):
    assert legacy._status(text) == (code, None)


def test_every_state_the_report_counts_can_be_imported(unit, procedure):
    """One imported dossier per column of the March 2026 report, then the counters verify."""
    from cchc.reports import services as stats

    done = {"trang_thai": "10", "ngay_tra_ket_qua": "10/03/2026 09:00"}
    rows = [
        march_row("HS-01", ngay_ket_thuc_xu_ly="05/03/2026 10:00", **done),  # early
        march_row("HS-02", ngay_ket_thuc_xu_ly="09/03/2026 16:00", **done),  # on time
        march_row("HS-03", trang_thai="9", ngay_ket_thuc_xu_ly="09/03/2026 17:01"),  # late
        march_row("HS-04", trang_thai="Trả lại hồ sơ", ngay_ket_thuc_xu_ly="04/03/2026 10:00"),
        march_row("HS-05", trang_thai="7", ngay_ket_thuc_xu_ly="03/03/2026 10:00"),  # withdrawn
        march_row("HS-06", trang_thai="8", ngay_ket_thuc_xu_ly="03/03/2026 11:00"),  # stopped
        march_row("HS-07", ngay_hen_tra="09/04/2026 17:00"),  # in progress, within time
        march_row("HS-08"),  # in progress, overdue
        march_row(  # waiting for a supplement since before its due time
            "HS-09", trang_thai="5", so_lan_bo_sung="1", ngay_yeu_cau_bo_sung="04/03/2026 10:00"
        ),
        march_row(  # waiting for financial obligations since before its due time
            "HS-10",
            trang_thai="6",
            ngay_yeu_cau_nghia_vu_tai_chinh="05/03/2026 10:00",
            le_phi="100.000",
        ),
        march_row(  # paid online, its fee known
            "HS-11",
            kenh="2",
            ngay_ket_thuc_xu_ly="06/03/2026 10:00",
            thanh_toan_truc_tuyen="1",
            le_phi="50000",
            ngay_thanh_toan="03/03/2026 08:00",
            **done,
        ),
    ]
    with time_machine.travel(local(2026, 4, 15, 9, 0), tick=False):
        report = run(csv_bytes(*rows))
        assert report.written, messages(report)
        total = report_of(unit, datetime(2026, 3, 1).date(), datetime(2026, 3, 31).date())
    assert {
        key: total[key]
        for key in (
            "received",
            "resolved_early",
            "resolved_on_time",
            "resolved_late",
            "returned",
            "withdrawn",
            "stopped",
            "in_progress",
            "in_progress_on_time",
            "in_progress_late",
            "waiting_supplement",
            "waiting_financial",
        )
    } == {
        "received": 11,
        "resolved_early": 2,  # HS-01, HS-11
        "resolved_on_time": 1,
        "resolved_late": 1,
        "returned": 1,
        "withdrawn": 1,
        "stopped": 1,
        "in_progress": 4,
        "in_progress_on_time": 3,  # HS-07, and HS-09, HS-10 waiting with the clock stopped
        "in_progress_late": 1,
        "waiting_supplement": 1,
        "waiting_financial": 1,
    }
    financial = Dossier.objects.get(code="HS-10").pauses.get()
    assert financial.kind == PauseKind.FINANCIAL and financial.ended_at is None
    assert stats.verify() == []  # cchc rebuild-stats --verify is clean


def test_fee_columns_feed_766_indicator_3_6(unit, procedure):
    """3.6 = dossiers paid online / fee-bearing dossiers received (docs/index766.md): without a
    fee column an imported dossier could never be fee-bearing."""
    from cchc.index766.counts import collect

    rows = [
        march_row(
            "HS-P1",
            kenh="2",
            le_phi="50.000",
            thanh_toan_truc_tuyen="2",
            ngay_thanh_toan="02/03/2026 10:00",
        ),
        march_row("HS-P2", le_phi="30 000"),  # fee-bearing, paid at the counter later
        march_row("HS-P3", le_phi="0"),  # free
        march_row("HS-P4"),  # fee unknown
    ]
    with time_machine.travel(local(2026, 4, 15, 9, 0), tick=False):
        report = run(csv_bytes(*rows))
    assert report.written, messages(report)
    paid = Dossier.objects.get(code="HS-P1")
    assert (paid.fee_amount, paid.fee_paid_online) == (50000, True)
    assert paid.payment_gateway == PaymentGateway.LOCAL_GATEWAY
    assert paid.fee_paid_at == local(2026, 3, 2, 10, 0)
    assert Dossier.objects.get(code="HS-P2").fee_amount == 30000
    assert Dossier.objects.get(code="HS-P4").fee_amount == 0
    counts = collect([unit.pk], datetime(2026, 3, 1).date(), datetime(2026, 3, 31).date())
    assert counts["3.6"] == (1, 2)


@pytest.mark.parametrize(
    ("overrides", "column", "fragment"),
    [
        ({"le_phi": "năm mươi"}, "le_phi", "Lệ phí phải là số tiền nguyên"),
        ({"le_phi": "-5000"}, "le_phi", "Lệ phí phải là số tiền nguyên"),
        ({"le_phi": "50,5"}, "le_phi", "Lệ phí phải là số tiền nguyên"),
        ({"le_phi": "1" * 14}, "le_phi", "tối đa 1.000.000.000.000"),
        ({"le_phi": "0"}, "le_phi", "thanh toán trực tuyến"),
        ({"le_phi": "", "ngay_thanh_toan": "16/01/2024 08:00"}, "ngay_thanh_toan", "lệ phí"),
        ({"le_phi": "5000", "ngay_thanh_toan": "14/01/2024 08:00"}, "ngay_thanh_toan", "ngày nộp"),
        ({"le_phi": "5000", "ngay_thanh_toan": "hôm qua"}, "ngay_thanh_toan", "dd/mm/yyyy"),
        ({"ket_qua": "3"}, "ket_qua", "1 (có kết quả giải quyết) hoặc 2"),
        (
            {
                "ket_qua": "2",
                "trang_thai": "4",
                "ngay_ket_thuc_xu_ly": "",
                "ngay_tra_ket_qua": "",
                "co_ket_qua_dien_tu": "0",
            },
            "ket_qua",
            "trạng thái 9 hoặc 10",
        ),
        ({"ket_qua": "1", "trang_thai": "Trả lại hồ sơ"}, "ket_qua", "không khớp"),
        ({"trang_thai": "Đã hủy"}, "trang_thai", "tên trạng thái"),
        (
            {"ngay_hoan_thanh_nghia_vu_tai_chinh": "16/01/2024 08:00"},
            "ngay_hoan_thanh_nghia_vu_tai_chinh",
            "phải có ngày yêu cầu nghĩa vụ tài chính",
        ),
        (
            {
                "ngay_yeu_cau_nghia_vu_tai_chinh": "16/01/2024 08:00",
                "ngay_hoan_thanh_nghia_vu_tai_chinh": "15/01/2024 09:00",
            },
            "ngay_hoan_thanh_nghia_vu_tai_chinh",
            "sớm hơn ngày yêu cầu nghĩa vụ tài chính",
        ),
        (
            {"ngay_yeu_cau_nghia_vu_tai_chinh": "15/01/2024 07:00"},
            "ngay_yeu_cau_nghia_vu_tai_chinh",
            "sớm hơn ngày tiếp nhận",
        ),
    ],
)
def test_new_columns_are_validated_with_line_errors(unit, procedure, overrides, column, fragment):
    report = run(csv_bytes(simple_row(), full_row(**overrides)))
    assert not report.written and not Dossier.objects.exists()
    found = [error for error in report.errors if error.column == column]
    assert found, messages(report)
    assert any(fragment in error.message for error in found), messages(report)
    assert str(found[0]).startswith(f"Dòng 3, cột “{column}”: ")


def test_date_only_due_means_the_end_of_that_working_day(unit, procedure):
    """``ngay_hen_tra = 05/03/2026``: due at the unit's afternoon close, so a result signed at
    10:00 that day is on time (it used to be stored as 00:00 and counted late)."""
    rows = [
        march_row(
            "HS-D1",
            ngay_hen_tra="05/03/2026",
            trang_thai="9",
            ngay_ket_thuc_xu_ly="05/03/2026 10:00",
        ),
        march_row(  # ISO date alone, and a new appointment given as a date alone
            "HS-D2",
            ngay_hen_tra="2026-03-05",
            co_van_ban_xin_loi="1",
            ngay_hen_tra_moi="12-03-2026",
        ),
        march_row("HS-D3", ngay_tiep_nhan="02/03/2026", ngay_hen_tra="05/03/2026 00:00"),
    ]
    with time_machine.travel(local(2026, 4, 15, 9, 0), tick=False):
        report = run(csv_bytes(*rows))
    assert report.written, messages(report)
    d1, d2, d3 = (Dossier.objects.get(code=f"HS-D{n}") for n in (1, 2, 3))
    assert d1.due_at == local(2026, 3, 5, 17, 0)
    assert d2.due_at == local(2026, 3, 5, 17, 0)
    assert d2.appointment_at == local(2026, 3, 12, 17, 0)
    assert d3.received_at == local(2026, 3, 2, 0, 0)  # an event's date alone stays 00:00
    assert d3.due_at == local(2026, 3, 5, 0, 0)  # a time written out is kept as written
    total = report_of(unit, datetime(2026, 3, 1).date(), datetime(2026, 3, 31).date())
    assert (total["resolved_on_time"], total["resolved_late"]) == (1, 0)


def test_date_only_due_uses_the_units_afternoon_close(unit, procedure):
    unit.afternoon_end = datetime(2026, 1, 1, 17, 30).time()
    unit.save()
    report = run(xlsx_bytes(march_row("HS-D4", ngay_hen_tra=datetime(2026, 3, 5))), "cu.xlsx")
    assert report.written, messages(report)
    assert Dossier.objects.get(code="HS-D4").due_at == local(2026, 3, 5, 17, 30)
