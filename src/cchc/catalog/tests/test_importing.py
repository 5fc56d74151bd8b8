"""Importing procedures from JSON, CSV and XLSX files: parsing, validation, writing, CLI, admin."""

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from openpyxl import Workbook

from cchc.catalog import importing
from cchc.catalog.importing import (
    COL_CHANNELS,
    COL_CODE,
    COL_COMPONENTS,
    COL_EXTENSION,
    COL_FEES,
    COL_FIELD,
    COL_LEVELS,
    COL_LIMIT_AMOUNT,
    COL_LIMIT_UNIT,
    COL_NAME,
    COL_ONLINE,
    COL_UNITS,
    COL_WORKFLOW,
    ImportFileError,
)
from cchc.catalog.models import (
    Channel,
    Field,
    OnlineLevel,
    Procedure,
    ProcedureComponent,
    ProcedureFee,
    TimeUnit,
    WorkflowStep,
)
from cchc.organisations.models import Role
from cchc.organisations.tests.factories import OrganisationUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(importing.__file__).resolve().parent / "data" / "sample_procedures.json"
ADMIN_IMPORT_URL = "/quan-tri/catalog/procedure/nhap-tu-tep/"

WORKFLOW_5_DAYS = [
    {"Bước": "Tiếp nhận hồ sơ", "Vai trò": "Cán bộ một cửa", "Thời gian (giờ)": 4},
    {"Bước": "Thẩm định", "Vai trò": "Chuyên viên", "Thời gian (giờ)": 28},
    {"Bước": "Phê duyệt", "Vai trò": "Lãnh đạo", "Thời gian (giờ)": 4},
    {"Bước": "Trả kết quả", "Vai trò": "Cán bộ một cửa", "Thời gian (giờ)": 4},
]


def record(**overrides) -> dict:
    """A valid procedure row (JSON shape) with the national column names."""
    row = {
        COL_CODE: "1.004873",
        COL_NAME: "Cấp Giấy xác nhận tình trạng hôn nhân",
        COL_FIELD: "Hộ tịch",
        COL_LEVELS: "Cấp xã",
        COL_LIMIT_AMOUNT: 5,
        COL_LIMIT_UNIT: "Ngày làm việc",
        COL_CHANNELS: "Trực tiếp, Trực tuyến",
        COL_ONLINE: "Toàn trình",
        COL_FEES: [
            {"Kênh": "Trực tiếp", "Số tiền": 20000, "Mô tả": "Lệ phí"},
            {"Kênh": "Trực tuyến", "Số tiền": 10000, "Mô tả": "Giảm 50%"},
        ],
        COL_COMPONENTS: [
            {"Tên": "Tờ khai", "Bản chính": 1, "Bản sao": 0, "Bắt buộc": True, "Mẫu đơn": "TK-01"},
            {"Tên": "Giấy tờ khác", "Bản chính": 0, "Bản sao": 1, "Bắt buộc": False},
        ],
        COL_WORKFLOW: WORKFLOW_5_DAYS,
    }
    for key, value in overrides.items():
        column = getattr(importing, key, key)
        if value is None:
            row.pop(column, None)
        else:
            row[column] = value
    return row


def second_record(**overrides) -> dict:
    defaults = dict(
        COL_CODE="2.000815",
        COL_NAME="Chứng thực bản sao từ bản chính",
        COL_FIELD="Chứng thực",
        COL_LEVELS="Cấp tỉnh, Cấp xã",
        COL_LIMIT_AMOUNT=0,
        COL_LIMIT_UNIT="Trong ngày",
        COL_FEES=[{"Kênh": "Tất cả", "Số tiền": 2000, "Mô tả": "mỗi trang"}],
        COL_COMPONENTS=[],
        COL_WORKFLOW=[
            {"Bước": "Tiếp nhận", "Vai trò": "Cán bộ một cửa", "Thời gian (giờ)": "1,5"},
            {"Bước": "Chứng thực", "Vai trò": "Lãnh đạo", "Thời gian (giờ)": 6.5},
        ],
    )
    return record(**{**defaults, **overrides})


def json_file(*records) -> bytes:
    return json.dumps({"procedures": list(records)}, ensure_ascii=False).encode()


def _cell(value) -> str:
    """A multi-valued JSON cell as CSV/XLSX text: one item per line, fields split by |."""
    if isinstance(value, list):
        lines = []
        for item in value:
            parts = [
                "Có" if v is True else "Không" if v is False else str(v) for v in item.values()
            ]
            lines.append(" | ".join(parts))
        return "\n".join(lines)
    return "" if value is None else str(value)


def table(*records) -> tuple[list[str], list[list[str]]]:
    header = list(dict.fromkeys(key for rec in records for key in rec))
    return header, [[_cell(rec.get(column)) for column in header] for rec in records]


def csv_file(*records, delimiter=",", bom=True) -> bytes:
    header, rows = table(*records)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def xlsx_file(*records, numbers=True) -> bytes:
    header, rows = table(*records)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        if numbers:  # Excel keeps numbers as numbers
            row = [int(v) if v.isdigit() else v for v in row]
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_as_tuples(report) -> list[tuple[int, str]]:
    return [(error.line, error.column) for error in report.errors]


# -- JSON --------------------------------------------------------------------------------------
def test_json_import_creates_procedures_with_all_parts():
    unit = OrganisationUnitFactory(code="000.00.01.H12")
    data = json_file(
        record(COL_UNITS=unit.code, COL_EXTENSION=2, COL_STATUS="Đang áp dụng"), second_record()
    )
    report = importing.import_file(data, "danh-muc.json")

    assert report.errors == []
    assert report.written
    assert (report.rows, report.created, report.updated) == (2, 2, 0)

    procedure = Procedure.objects.get(code="1.004873")
    assert procedure.name == "Cấp Giấy xác nhận tình trạng hôn nhân"
    assert procedure.field.name == "Hộ tịch"
    assert (procedure.level_province, procedure.level_commune) == (False, True)
    assert (procedure.time_limit_amount, procedure.time_limit_unit) == (5, TimeUnit.WORKING_DAYS)
    assert procedure.extension_amount == 2
    assert (procedure.channel_counter, procedure.channel_online, procedure.channel_postal) == (
        True,
        True,
        False,
    )
    assert procedure.online_level == OnlineLevel.FULL
    assert procedure.active
    assert list(procedure.implementing_units.all()) == [unit]
    assert [(f.channel, f.amount, f.description) for f in procedure.fees.all()] == [
        (Channel.COUNTER, 20000, "Lệ phí"),
        (Channel.ONLINE, 10000, "Giảm 50%"),
    ]
    assert [
        (c.name, c.originals, c.copies, c.mandatory, c.form_template)
        for c in procedure.components.all()
    ] == [("Tờ khai", 1, 0, True, "TK-01"), ("Giấy tờ khác", 0, 1, False, "")]
    steps = list(procedure.workflow_steps.all())
    assert [(s.order, s.role, s.hours) for s in steps] == [
        (0, Role.ONE_STOP_OFFICER, Decimal(4)),
        (1, Role.PROCESSING_OFFICER, Decimal(28)),
        (2, Role.LEADER, Decimal(4)),
        (3, Role.ONE_STOP_OFFICER, Decimal(4)),
    ]
    assert procedure.workflow_hours() == procedure.legal_hours() == Decimal(40)

    same_day = Procedure.objects.get(code="2.000815")
    assert (same_day.level_province, same_day.level_commune) == (True, True)
    assert same_day.time_limit_unit == TimeUnit.SAME_DAY
    assert same_day.workflow_hours() == Decimal(8)
    assert same_day.fees.get().channel == Channel.ALL
    # The search column is built on save, so the catalog search finds imported rows.
    assert list(Procedure.objects.search("chung thuc ban sao")) == [same_day]


def test_json_list_without_wrapper_and_status_retired():
    data = json.dumps([record(COL_STATUS="Hết hiệu lực")], ensure_ascii=False).encode()
    report = importing.import_file(data, "x.JSON")
    assert report.written and report.errors == []
    assert not Procedure.objects.get(code="1.004873").active


def test_reimport_updates_instead_of_duplicating():
    importing.import_file(json_file(record(), second_record()), "a.json")
    changed = record(
        COL_NAME="Cấp Giấy xác nhận tình trạng hôn nhân (sửa đổi)",
        COL_FEES=[{"Kênh": "Tất cả", "Số tiền": 15000, "Mô tả": ""}],
        COL_COMPONENTS=[{"Tên": "Tờ khai mới", "Bản chính": 2, "Bản sao": 1, "Bắt buộc": True}],
        COL_LIMIT_AMOUNT=3,
        COL_WORKFLOW=[
            {"Bước": "Xử lý", "Vai trò": "Chuyên viên", "Thời gian (giờ)": 20},
            {"Bước": "Ký", "Vai trò": "leader", "Thời gian (giờ)": 4},
        ],
    )
    report = importing.import_file(json_file(changed, second_record()), "a.json")

    assert (report.created, report.updated) == (0, 2)
    assert Procedure.objects.count() == 2
    assert Field.objects.count() == 2
    procedure = Procedure.objects.get(code="1.004873")
    assert procedure.name.endswith("(sửa đổi)")
    assert procedure.time_limit_amount == 3
    assert [(f.channel, f.amount) for f in procedure.fees.all()] == [(Channel.ALL, 15000)]
    assert [(c.name, c.originals, c.copies) for c in procedure.components.all()] == [
        ("Tờ khai mới", 2, 1)
    ]
    assert [(s.name, s.role) for s in procedure.workflow_steps.all()] == [
        ("Xử lý", Role.PROCESSING_OFFICER),
        ("Ký", Role.LEADER),
    ]
    # Nothing left behind from the first import.
    assert ProcedureFee.objects.count() == 2
    assert ProcedureComponent.objects.count() == 1
    assert WorkflowStep.objects.count() == 4


def test_reimport_with_empty_lists_clears_parts():
    importing.import_file(json_file(record()), "a.json")
    importing.import_file(
        json_file(record(COL_FEES=[], COL_COMPONENTS=[], COL_WORKFLOW=[])), "a.json"
    )
    procedure = Procedure.objects.get(code="1.004873")
    assert not procedure.fees.exists()
    assert not procedure.components.exists()
    assert not procedure.workflow_steps.exists()


# -- CSV and XLSX ------------------------------------------------------------------------------
@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("bom", [True, False])
def test_csv_import(delimiter, bom):
    data = csv_file(record(), second_record(), delimiter=delimiter, bom=bom)
    report = importing.import_file(data, "danh-muc.csv")
    assert report.errors == []
    assert (report.created, report.updated) == (2, 0)
    procedure = Procedure.objects.get(code="1.004873")
    assert procedure.field.name == "Hộ tịch"
    assert [(f.channel, f.amount) for f in procedure.fees.all()] == [
        (Channel.COUNTER, 20000),
        (Channel.ONLINE, 10000),
    ]
    assert [(c.name, c.mandatory) for c in procedure.components.all()] == [
        ("Tờ khai", True),
        ("Giấy tờ khác", False),
    ]
    assert procedure.workflow_hours() == Decimal(40)
    assert Procedure.objects.get(code="2.000815").workflow_hours() == Decimal(8)


def test_csv_fee_amount_with_thousands_separator():
    data = csv_file(record(COL_FEES="Trực tiếp | 200.000 | Lệ phí"))
    report = importing.import_file(data, "a.csv")
    assert report.errors == []
    assert Procedure.objects.get().fees.get().amount == 200000


def test_csv_error_lines_are_file_lines():
    data = csv_file(
        record(COL_FEES="", COL_COMPONENTS="", COL_WORKFLOW=""),
        record(COL_CODE="2.000815", COL_FEES="", COL_COMPONENTS="", COL_WORKFLOW=""),
        record(COL_CODE="sai-ma", COL_FEES="", COL_COMPONENTS="", COL_WORKFLOW=""),
    )
    report = importing.import_file(data, "a.csv")
    assert errors_as_tuples(report) == [(4, COL_CODE)]
    assert not report.written


@pytest.mark.parametrize("numbers", [True, False])
def test_xlsx_import(numbers):
    data = xlsx_file(record(), second_record(), numbers=numbers)
    report = importing.import_file(data, "danh-muc.xlsx")
    assert report.errors == []
    assert (report.created, report.updated) == (2, 0)
    procedure = Procedure.objects.get(code="1.004873")
    assert procedure.time_limit_amount == 5
    assert [f.amount for f in procedure.fees.all()] == [20000, 10000]
    assert procedure.workflow_hours() == Decimal(40)


def test_xlsx_error_lines_are_sheet_rows_and_blank_rows_are_skipped():
    header, rows = table(record(), second_record(COL_LIMIT_UNIT="Tuần"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    sheet.append(rows[0])
    sheet.append([None] * len(header))  # blank row 3
    sheet.append(rows[1])  # row 4
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = importing.import_file(buffer.getvalue(), "a.xlsx")
    assert report.rows == 2
    assert errors_as_tuples(report) == [(4, COL_LIMIT_UNIT)]


# -- all or nothing ----------------------------------------------------------------------------
def test_one_bad_row_writes_nothing():
    data = json_file(record(), record(COL_CODE="1.00487"), second_record())
    report = importing.import_file(data, "a.json")

    assert not report.written
    assert Procedure.objects.count() == 0
    assert Field.objects.count() == 0
    assert len(report.errors) == 1
    error = report.errors[0]
    assert (error.line, error.column) == (2, COL_CODE)
    assert "1.00487" in error.message
    assert str(error).startswith("Dòng 2")
    assert COL_CODE in str(error)
    assert report.invalid_lines == [2]
    assert "1" in report.summary() and "3" in report.summary()


def test_skip_invalid_imports_the_valid_rows():
    data = json_file(record(), record(COL_CODE="1.00487"), second_record())
    report = importing.import_file(data, "a.json", skip_invalid=True)
    assert report.written
    assert (report.created, report.updated) == (2, 0)
    assert report.invalid_lines == [2]
    assert set(Procedure.objects.values_list("code", flat=True)) == {"1.004873", "2.000815"}


def test_nothing_is_written_when_a_later_row_is_bad_even_if_earlier_ones_exist():
    importing.import_file(json_file(record()), "a.json")
    data = json_file(record(COL_NAME="Tên mới"), second_record(COL_LEVELS="Trung ương"))
    report = importing.import_file(data, "a.json")
    assert not report.written
    assert Procedure.objects.get().name == "Cấp Giấy xác nhận tình trạng hôn nhân"


# -- error reasons -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("overrides", "column"),
    [
        ({"COL_CODE": "1.00119"}, COL_CODE),
        ({"COL_CODE": "01.001193"}, COL_CODE),
        ({"COL_CODE": "1.001193 xyz"}, COL_CODE),
        ({"COL_NAME": ""}, COL_NAME),
        ({"COL_NAME": None}, COL_NAME),
        ({"COL_FIELD": "  "}, COL_FIELD),
        ({"COL_LEVELS": ""}, COL_LEVELS),
        ({"COL_LEVELS": "Trung ương"}, COL_LEVELS),
        ({"COL_LIMIT_UNIT": ""}, COL_LIMIT_UNIT),
        ({"COL_LIMIT_UNIT": "Tuần"}, COL_LIMIT_UNIT),
        ({"COL_LIMIT_AMOUNT": "năm", "COL_WORKFLOW": []}, COL_LIMIT_AMOUNT),
        ({"COL_LIMIT_AMOUNT": 0, "COL_WORKFLOW": []}, COL_LIMIT_AMOUNT),
        ({"COL_LIMIT_AMOUNT": -3, "COL_WORKFLOW": []}, COL_LIMIT_AMOUNT),
        ({"COL_EXTENSION": "0"}, COL_EXTENSION),
        ({"COL_ONLINE": "Mức độ 4"}, COL_ONLINE),
        ({"COL_FEES": [{"Kênh": "Chuyển khoản", "Số tiền": 1000}]}, COL_FEES),
        ({"COL_FEES": [{"Kênh": "Tất cả", "Số tiền": "miễn phí"}]}, COL_FEES),
        ({"COL_COMPONENTS": [{"Tên": "", "Bản chính": 1, "Bản sao": 0}]}, COL_COMPONENTS),
        (
            {"COL_COMPONENTS": [{"Tên": "Tờ khai", "Bản chính": "hai", "Bản sao": 0}]},
            COL_COMPONENTS,
        ),
        (
            {
                "COL_COMPONENTS": [
                    {"Tên": "Tờ khai", "Bản chính": 1, "Bản sao": 0, "Bắt buộc": "tùy"}
                ]
            },
            COL_COMPONENTS,
        ),
        ({"Ghi chú": "cột lạ"}, "Ghi chú"),
    ],
)
def test_row_errors_name_the_column(overrides, column):
    report = importing.import_file(json_file(record(**overrides)), "a.json")
    assert not report.written
    assert column in {error.column for error in report.errors}
    assert all(error.line == 1 and error.message for error in report.errors)
    assert not Procedure.objects.exists()


def test_workflow_hours_must_add_up_to_the_legal_limit():
    steps = [
        {"Bước": "Tiếp nhận", "Vai trò": "Cán bộ một cửa", "Thời gian (giờ)": 4},
        {"Bước": "Thẩm định", "Vai trò": "Chuyên viên", "Thời gian (giờ)": 28},
    ]
    report = importing.import_file(json_file(record(COL_WORKFLOW=steps)), "a.json")
    assert errors_as_tuples(report) == [(1, COL_WORKFLOW)]
    message = report.errors[0].message
    assert "32" in message and "40" in message


@pytest.mark.parametrize(
    ("amount", "unit", "hours", "ok"),
    [
        (5, "Ngày làm việc", 40, True),
        (5, "Ngày làm việc", 39.5, False),
        (0, "Trong ngày", 8, True),
        (0, "Trong ngày", 4, False),
        (3, "Buổi làm việc", 12, True),
        (3, "buổi", 12, True),
        (16, "Giờ làm việc", 16, True),
        (30, "Ngày", 240, True),
    ],
)
def test_workflow_totals_per_time_unit(amount, unit, hours, ok):
    steps = [{"Bước": "Xử lý", "Vai trò": "Chuyên viên", "Thời gian (giờ)": hours}]
    row = record(COL_LIMIT_AMOUNT=amount, COL_LIMIT_UNIT=unit, COL_WORKFLOW=steps)
    report = importing.import_file(json_file(row), "a.json")
    assert (report.errors == []) is ok
    if ok:
        procedure = Procedure.objects.get()
        assert procedure.workflow_hours() == procedure.legal_hours() == Decimal(str(hours))


@pytest.mark.parametrize(
    "step",
    [
        {"Bước": "Thẩm định", "Vai trò": "Thủ quỹ", "Thời gian (giờ)": 40},
        {"Bước": "", "Vai trò": "Chuyên viên", "Thời gian (giờ)": 40},
        {"Bước": "Thẩm định", "Vai trò": "Chuyên viên", "Thời gian (giờ)": 0},
        {"Bước": "Thẩm định", "Vai trò": "Chuyên viên", "Thời gian (giờ)": "bốn mươi"},
        {"Bước": "Thẩm định", "Vai trò": "Chuyên viên", "Thời gian (giờ)": "NaN"},
        {"Bước": "Thẩm định", "Vai trò": "Chuyên viên", "Thời gian (giờ)": "sNaN"},
        {"Bước": "Thẩm định", "Vai trò": "Chuyên viên", "Thời gian (giờ)": "Infinity"},
        {"Bước": "Thẩm định", "Vai trò": "Chuyên viên", "Thời gian (giờ)": 40, "Mã đơn vị": "X"},
    ],
)
def test_bad_workflow_steps(step):
    report = importing.import_file(json_file(record(COL_WORKFLOW=[step])), "a.json")
    assert not report.written
    assert COL_WORKFLOW in {error.column for error in report.errors}


def test_unknown_role_is_reported():
    steps = [
        {**step, "Vai trò": "Thủ quỹ"} if i == 1 else step for i, step in enumerate(WORKFLOW_5_DAYS)
    ]
    report = importing.import_file(json_file(record(COL_WORKFLOW=steps)), "a.json")
    assert errors_as_tuples(report) == [(1, COL_WORKFLOW)]


def test_unit_codes_must_exist():
    known = OrganisationUnitFactory(code="000.00.02.H12")
    steps = [{**step, "Mã đơn vị": known.code} for step in WORKFLOW_5_DAYS]
    report = importing.import_file(
        json_file(record(COL_UNITS=f"{known.code}, 000.00.99.H12", COL_WORKFLOW=steps)), "a.json"
    )
    assert errors_as_tuples(report) == [(1, COL_UNITS)]
    assert "000.00.99.H12" in report.errors[0].message

    report = importing.import_file(
        json_file(record(COL_UNITS=known.code, COL_WORKFLOW=steps)), "a.json"
    )
    assert report.errors == []
    procedure = Procedure.objects.get()
    assert list(procedure.implementing_units.all()) == [known]
    assert {step.responsible_unit for step in procedure.workflow_steps.all()} == {known}


def test_duplicate_code_in_the_same_file():
    data = json_file(record(), second_record(), record(COL_NAME="Bản trùng"))
    report = importing.import_file(data, "a.json")
    assert errors_as_tuples(report) == [(3, COL_CODE)]
    assert "1" in report.errors[0].message
    assert not Procedure.objects.exists()

    report = importing.import_file(data, "a.json", skip_invalid=True)
    assert (report.created, report.updated) == (2, 0)
    assert Procedure.objects.get(code="1.004873").name != "Bản trùng"


def test_several_errors_in_one_row_are_all_reported():
    row = record(COL_CODE="x", COL_LIMIT_UNIT="Tuần", COL_ONLINE="?")
    report = importing.import_file(json_file(row), "a.json")
    assert {error.column for error in report.errors} == {COL_CODE, COL_LIMIT_UNIT, COL_ONLINE}


def test_json_item_that_is_not_an_object_is_a_row_error():
    report = importing.import_file(json_file(record(), "chuỗi"), "a.json")
    assert not report.written
    assert report.invalid_lines == [2]


# -- unreadable files --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"{}", "danh-muc.txt"),
        (b"", "danh-muc"),
        (b"{not json", "a.json"),
        (b'{"procedures": 5}', "a.json"),
        (b'"text"', "a.json"),
        (b"\xff\xfe\x00\x00", "a.json"),
        ("Mã thủ tục,Tên thủ tục\n1.000001,Đăng ký".encode("utf-16"), "a.csv"),
        (b"", "a.csv"),
        (b"PK\x03\x04 not really a zip", "a.xlsx"),
        (b"", "a.xlsx"),
    ],
)
def test_unreadable_files_raise_import_file_error(content, name):
    with pytest.raises(ImportFileError) as excinfo:
        importing.import_file(content, name)
    assert str(excinfo.value)


# -- management command ------------------------------------------------------------------------
def run_command(path, **options):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import-procedures", str(path), stdout=out, stderr=err, **options)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_command_imports_a_file(tmp_path):
    path = tmp_path / "danh-muc.csv"
    path.write_bytes(csv_file(record(), second_record()))
    code, out, err = run_command(path)
    assert code == 0
    assert err == ""
    assert "2" in out
    assert Procedure.objects.count() == 2


def test_command_rejects_bad_rows_with_exit_1(tmp_path):
    path = tmp_path / "danh-muc.json"
    path.write_bytes(json_file(record(), second_record(COL_CODE="2.0008")))
    with pytest.raises(SystemExit) as excinfo:
        call_command("import-procedures", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert excinfo.value.code == 1
    assert not Procedure.objects.exists()

    code, _, err = run_command(path)
    assert code == 1
    assert "Dòng 2" in err and COL_CODE in err


def test_command_skip_invalid(tmp_path):
    path = tmp_path / "danh-muc.json"
    path.write_bytes(json_file(record(), second_record(COL_CODE="2.0008")))
    code, _, err = run_command(path, skip_invalid=True)
    assert code == 0
    assert "Dòng 2" in err
    assert list(Procedure.objects.values_list("code", flat=True)) == ["1.004873"]


@pytest.mark.parametrize(
    ("name", "content"),
    [("khong-co.json", None), ("danh-muc.txt", b"{}"), ("hong.json", b"{")],
)
def test_command_unreadable_file_exits_2(tmp_path, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SystemExit) as excinfo:
        call_command("import-procedures", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert excinfo.value.code == 2


def test_command_refuses_a_too_large_file(tmp_path, settings):
    settings.CCHC_IMPORT_MAX_BYTES = 10
    path = tmp_path / "danh-muc.json"
    path.write_bytes(json_file(record()))
    code, _, _ = run_command(path)
    assert code == 2
    assert not Procedure.objects.exists()


# -- the shipped sample ------------------------------------------------------------------------
def test_shipped_sample_imports_cleanly():
    report = importing.import_file(SAMPLE.read_bytes(), SAMPLE.name)
    assert report.errors == []
    assert report.written
    assert report.created >= 100
    assert Procedure.objects.count() == report.created
    assert Field.objects.filter(procedures__isnull=False).distinct().count() >= 15
    # After the 2025 reform there is no district level (Nghị định 118/2025/NĐ-CP).
    assert not Procedure.objects.filter(level_district=True).exists()
    assert Procedure.objects.filter(level_commune=True).count() >= 60
    assert Procedure.objects.filter(level_province=True).count() >= 25
    with_workflow = Procedure.objects.filter(workflow_steps__isnull=False).distinct()
    assert with_workflow.exists()
    for procedure in with_workflow:
        assert procedure.workflow_hours() == procedure.legal_hours(), procedure.code
    # Importing it again changes nothing but the counts.
    again = importing.import_file(SAMPLE.read_bytes(), SAMPLE.name)
    assert (again.created, again.updated) == (0, report.created)
    assert Procedure.objects.count() == report.created


def test_shipped_sample_via_command():
    code, _, err = run_command(SAMPLE)
    assert code == 0
    assert err == ""
    assert Procedure.objects.count() >= 100


def test_shipped_sample_records_carry_their_result_and_sources():
    """Every sample record is real: a national code, its result and where it came from."""
    records = json.loads(SAMPLE.read_text(encoding="utf-8"))["procedures"]
    codes = [record[COL_CODE] for record in records]
    assert len(codes) == len(set(codes))
    for record in records:
        code = record[COL_CODE]
        assert re.fullmatch(r"\d\.\d{6}", code), code  # national codes only, no local suffix
        assert record["Kết quả"].strip(), code
        assert record["Nguồn"] and all(url.startswith("https://") for url in record["Nguồn"]), code
        assert record["Ghi chú nguồn"].strip(), code
        assert "huyện" not in record["Cấp thực hiện"].lower(), code
        steps = record.get("Quy trình nội bộ") or []
        # The demo's dossier generator has the processing officer act at the second step.
        assert len(steps) < 2 or steps[1]["Vai trò"] == "Chuyên viên", code


# -- admin import view -------------------------------------------------------------------------
@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def upload(name, content, **extra):
    return {"file": SimpleUploadedFile(name, content), **extra}


def test_admin_import_page_renders(admin_client):
    response = admin_client.get(ADMIN_IMPORT_URL)
    assert response.status_code == 200
    assert COL_CODE in response.content.decode()
    assert b'type="file"' in response.content


def test_admin_import_valid_file(admin_client):
    response = admin_client.post(
        ADMIN_IMPORT_URL, upload("danh-muc.xlsx", xlsx_file(record(), second_record()))
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert report.written and (report.created, report.updated) == (2, 0)
    assert set(Procedure.objects.values_list("code", flat=True)) == {"1.004873", "2.000815"}


def test_admin_import_invalid_file_shows_the_errors_and_writes_nothing(admin_client):
    data = json_file(record(), second_record(COL_LIMIT_UNIT="Tuần"))
    response = admin_client.post(ADMIN_IMPORT_URL, upload("danh-muc.json", data))
    assert response.status_code == 200
    assert not Procedure.objects.exists()
    html = response.content.decode()
    assert "<table>" in html
    assert "<td>2</td>" in html
    assert f"<td>{COL_LIMIT_UNIT}</td>" in html
    assert "Tuần" in html


def test_admin_import_skip_invalid(admin_client):
    data = json_file(record(), second_record(COL_LIMIT_UNIT="Tuần"))
    response = admin_client.post(ADMIN_IMPORT_URL, upload("danh-muc.json", data, skip_invalid="on"))
    assert response.status_code == 200
    assert list(Procedure.objects.values_list("code", flat=True)) == ["1.004873"]
    assert "<td>2</td>" in response.content.decode()


@pytest.mark.parametrize(("name", "content"), [("a.txt", b"{}"), ("a.json", b"{")])
def test_admin_import_unreadable_file_is_a_form_error(admin_client, name, content):
    response = admin_client.post(ADMIN_IMPORT_URL, upload(name, content))
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert response.context["report"] is None


def test_admin_import_needs_add_permission():
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    response = client.post(ADMIN_IMPORT_URL, upload("a.json", json_file(record())))
    assert response.status_code == 302
    assert not Procedure.objects.exists()


def test_admin_import_is_not_public():
    response = Client().post(ADMIN_IMPORT_URL, upload("a.json", json_file(record())))
    assert response.status_code == 302
    assert "/quan-tri/login/" in response.url
    assert not Procedure.objects.exists()


@pytest.mark.parametrize("amount", ["5.5", 5.5, "5,5"])
def test_fractional_time_limit_is_an_error_not_multiplied(amount):
    report = importing.import_rows([(2, record(COL_LIMIT_AMOUNT=amount))])
    assert (2, COL_LIMIT_AMOUNT) in errors_as_tuples(report)
    assert not Procedure.objects.exists()


def test_component_with_only_a_name_takes_the_usual_counts():
    report = importing.import_file(csv_file(record(COL_COMPONENTS="Tờ khai")), "a.csv")
    assert report.errors == []
    component = Procedure.objects.get().components.get()
    assert (component.name, component.originals, component.copies) == ("Tờ khai", 1, 0)


def test_trailing_delimiter_is_not_an_unknown_column():
    header, rows = table(record())
    text = ",".join(f'"{name}"' for name in [*header, ""]) + "\n"
    text += ",".join(f'"{value}"' for value in [*rows[0], ""]) + "\n"
    report = importing.import_file(text.encode(), "a.csv")
    assert report.errors == []
