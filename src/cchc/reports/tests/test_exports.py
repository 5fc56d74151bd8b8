"""The report as XLSX and PDF: read back, every number must equal the JSON of ``cchc report``."""

import csv as csvmodule
import io
import re
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook

from cchc.reports import exports, services
from cchc.reports.selectors import ReportRequest, build_report

from . import test_views as shared

# The hand-built March set and its fixtures (see test_views).
AFTER_MARCH = shared.AFTER_MARCH
WARD_MARCH = shared.WARD_MARCH
at = shared.at
make = shared.make
march = shared.march
other_unit = shared.other_unit
procedure = shared.procedure
second_procedure = shared.second_procedure
unit = shared.unit

# Column numbers of the form and the JSON key each must hold (written out here on purpose: the
# test does not trust the layout it checks).
NUMBER_KEYS = {
    "(3)": "to_process",
    "(4)": "carried_over",
    "(5)": "received",
    "(5.1)": "received_online",
    "(5.2)": "received_counter",
    "(5.3)": "received_postal",
    "(6)": "resolved",
    "(7)": "resolved_early",
    "(8)": "resolved_on_time",
    "(9)": "resolved_late",
    "(10)": "in_progress",
    "(11)": "in_progress_on_time",
    "(12)": "in_progress_late",
    "(13)": "late_total",
    "(14)": "returned",
    "(15)": "withdrawn",
    "(16)": "stopped",
    "(17)": "waiting_supplement",
    "(18)": "waiting_financial",
}
RATE_NUMBERS = {"(19)": "on_time", "(20)": "resolved_in_time", "(21)": "online"}
MARCH_START, MARCH_END = date(2026, 3, 1), date(2026, 3, 31)


@pytest.fixture
def clock():
    with time_machine.travel(AFTER_MARCH, tick=False):
        yield


def ward_report(unit, by=None):
    return build_report(ReportRequest(start=MARCH_START, end=MARCH_END, unit=unit, by=by))


# -- XLSX ----------------------------------------------------------------------------------------
def read_form(content: bytes):
    """(sheet, {tag: column}, [data rows as {column: value}]) of the report sheet."""
    book = load_workbook(io.BytesIO(content))
    sheet = book["Báo cáo"]
    numbers_row = next(
        row[0].row for row in sheet.iter_rows() if row[0].value == "(1)" and row[1].value == "(2)"
    )
    columns = {}
    for cell in sheet[numbers_row]:
        if isinstance(cell.value, str):
            columns[cell.value.split("=")[0]] = cell.column
    rows = []
    for row in sheet.iter_rows(min_row=numbers_row + 1):
        if row[1].value is None:
            break
        rows.append({cell.column: cell.value for cell in row})
    return book, sheet, columns, rows


def test_xlsx_numbers_equal_the_json(march, unit, clock):
    report = ward_report(unit, by="field")
    data = report.to_dict()
    book, _sheet, columns, rows = read_form(exports.render_xlsx(report))
    assert book.sheetnames == ["Báo cáo", "Hồ sơ đến hạn", "Kiểm tra số liệu", "Định nghĩa"]
    expected = [*data["groups"], data["total"]]
    assert len(rows) == len(expected) == 3
    assert [row[2] for row in rows] == ["Chứng thực", "Hộ tịch", "TỔNG CỘNG"]
    assert [row[1] for row in rows] == [1, 2, None]
    for row, values in zip(rows, expected, strict=True):
        for tag, key in NUMBER_KEYS.items():
            assert row[columns[tag]] == values[key], (row[2], tag, key)
        for tag, key in RATE_NUMBERS.items():
            rate = values["rates"][key]
            if rate["value"] is None:
                assert row[columns[tag]] == "–"
            else:
                assert row[columns[tag]] == pytest.approx(rate["value"], abs=5e-5)
    assert {key: rows[-1][columns[tag]] for tag, key in NUMBER_KEYS.items()} == WARD_MARCH


def test_xlsx_layout_of_the_official_form(march, unit, clock):
    report = ward_report(unit)
    _book, sheet, columns, rows = read_form(exports.render_xlsx(report))
    texts = [cell.value for row in sheet.iter_rows(max_row=12) for cell in row if cell.value]
    assert "BÁO CÁO TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in texts
    assert "UBND PHƯỜNG ĐÔNG THÀNH" in texts and "UBND TỈNH AN BÌNH" in texts
    assert "Kỳ báo cáo: từ ngày 01/03/2026 đến ngày 31/03/2026" in texts
    for heading in (
        "STT",
        "Số hồ sơ nhận giải quyết",
        "Kỳ trước chuyển qua",
        "Tiếp nhận trong kỳ",
        "Trực tuyến",
        "Trực tiếp",
        "Qua dịch vụ BCCI",
        "Số hồ sơ đã giải quyết",
        "Trước hạn",
        "Đúng hạn",
        "Số hồ sơ đang giải quyết",
        "Trong hạn",
        "Tổng số hồ sơ trễ hạn",
        "Hồ sơ trả lại (từ chối)",
        "Hồ sơ rút (công dân xin rút)",
        "Hồ sơ dừng xử lý",
        "Chờ bổ sung hồ sơ",
        "Chờ thực hiện nghĩa vụ tài chính",
    ):
        assert heading in texts, heading
    # group headings span their columns: "Số hồ sơ nhận giải quyết" (3)…(5.3), "Tiếp nhận trong
    # kỳ" (5)…(5.3), "Số hồ sơ đã giải quyết" (6)…(9); "STT" spans the header's three rows
    spans = {}
    for merged in sheet.merged_cells.ranges:
        spans[sheet.cell(row=merged.min_row, column=merged.min_col).value] = merged
    for heading, first, last in (
        ("Số hồ sơ nhận giải quyết", "(3)", "(5.3)"),
        ("Tiếp nhận trong kỳ", "(5)", "(5.3)"),
        ("Số hồ sơ đã giải quyết", "(6)", "(9)"),
        ("Số hồ sơ đang giải quyết", "(10)", "(12)"),
    ):
        assert (spans[heading].min_col, spans[heading].max_col) == (columns[first], columns[last])
    assert spans["STT"].max_row - spans["STT"].min_row == 2
    assert "(3)=(4)+(5)" in [cell.value for row in sheet.iter_rows() for cell in row]
    only_total = rows[0]
    assert only_total[2] == "TỔNG CỘNG"
    # frozen below the column-number row, right of the names
    numbers_row = next(row[0].row for row in sheet.iter_rows() if row[0].value == "(1)")
    assert sheet.freeze_panes == f"C{numbers_row + 1}"
    assert sheet.print_title_rows.endswith(f"${numbers_row}")
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == str(sheet.PAPERSIZE_A4)
    assert sheet.cell(row=sheet.max_row, column=2).value.startswith("Kiểm tra số liệu")
    notes = {
        row[1].value: (row[3].value, row[4].value)
        for row in sheet.iter_rows()
        if isinstance(row[1].value, str) and row[1].value.startswith("Tỷ lệ hồ sơ")
    }
    total = report.to_dict()["total"]["rates"]
    assert notes["Tỷ lệ hồ sơ đúng hạn"] == (total["on_time"]["numerator"], 10)
    assert notes["Tỷ lệ hồ sơ trễ hạn"] == (3, 10)
    assert notes["Tỷ lệ hồ sơ tiếp nhận trực tuyến"] == (2, 9)


def test_xlsx_number_formats_and_widths(march, unit, clock):
    _book, sheet, columns, _rows = read_form(exports.render_xlsx(ward_report(unit)))
    total_row = next(row for row in sheet.iter_rows() if row[1].value == "TỔNG CỘNG")
    assert total_row[columns["(5)"] - 1].number_format == "#,##0"
    assert total_row[columns["(19)"] - 1].number_format == "0.00%"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["C"].width


def test_consistency_sheet_lists_findings_with_codes(unit, procedure, clock):
    make("Z1", unit, procedure, 9, 1, received_at=at(3, 2), due_at=at(3, 9, 17), outcome="approved")
    make("Z2", unit, procedure, 4, 9, received_at=at(3, 3), due_at=at(3, 20, 17))
    services.rebuild()
    report = ward_report(unit)
    findings = report.to_dict()["findings"]
    assert findings
    sheet = load_workbook(io.BytesIO(exports.render_xlsx(report)))["Kiểm tra số liệu"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
    assert len(rows) == len(findings)
    by_identity = {row[3]: row for row in rows}
    for finding in findings:
        row = by_identity[finding["identity"]]
        assert row[4:7] == [finding["left"], finding["right"], finding["gap"]]
        assert row[8] == ", ".join(finding["dossiers"])
    assert "(5) = (5.1) + (5.2) + (5.3)" in [row[2] for row in rows]
    assert any("Z2" in (row[8] or "") for row in rows)


def test_consistency_sheet_says_when_nothing_is_wrong(march, unit, clock):
    sheet = load_workbook(io.BytesIO(exports.render_xlsx(ward_report(unit))))["Kiểm tra số liệu"]
    assert "Không phát hiện chênh lệch" in [cell.value for row in sheet.iter_rows() for cell in row]


def test_definitions_sheet_covers_every_column(clock, db):
    report = build_report(ReportRequest(start=MARCH_START, end=MARCH_END))
    sheet = load_workbook(io.BytesIO(exports.render_xlsx(report)))["Định nghĩa"]
    keys = {row[2].value: row[3].value for row in sheet.iter_rows(min_row=4)}
    for key in NUMBER_KEYS.values():
        assert keys.get(key), key
    for key in report.to_dict()["total"]["rates"]:
        assert keys.get(f"rates.{key}"), key


def test_text_is_never_a_formula(unit, clock):
    from cchc.catalog.models import Field, Procedure

    field = Field.objects.create(name='=HYPERLINK("http://x")')
    tricky = Procedure.objects.create(
        code="1.000001", name="=1+1", field=field, time_limit_amount=1,
        time_limit_unit="working_days", channel_counter=True,
    )  # fmt: skip
    make("T1", unit, tricky, 4, 1, received_at=at(3, 2), due_at=at(3, 9, 17))
    services.rebuild()
    content = exports.render_xlsx(ward_report(unit, by="procedure"))
    _book, sheet, _columns, rows = read_form(content)
    assert rows[0][2] == "1.000001 – =1+1"
    content = exports.render_xlsx(ward_report(unit, by="field"))
    _book, sheet, _columns, rows = read_form(content)
    assert rows[0][2] == '=HYPERLINK("http://x")'
    name_cell = next(row[1] for row in sheet.iter_rows() if row[1].value == rows[0][2])
    assert name_cell.data_type == "s"


def test_empty_report_of_the_whole_tree(unit, clock):
    report = build_report(ReportRequest(start=MARCH_START, end=MARCH_END))
    _book, sheet, columns, rows = read_form(exports.render_xlsx(report))
    assert rows[-1][columns["(3)"]] == 0
    assert rows[-1][columns["(19)"]] == "–"  # no denominator, no rate
    texts = [cell.value for row in sheet.iter_rows(max_row=8) for cell in row if cell.value]
    assert "UBND TỈNH AN BÌNH" in texts  # the root heads the form
    assert "Phạm vi: toàn bộ các đơn vị" in texts


LIBREOFFICE = next(
    (p for p in ("/usr/bin/libreoffice", "/usr/bin/soffice") if Path(p).exists()), None
)


@pytest.mark.skipif(LIBREOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_workbook(march, unit, clock, tmp_path):
    source = tmp_path / "bao-cao.xlsx"
    source.write_bytes(exports.render_xlsx(ward_report(unit)))
    # first sheet, comma-separated, UTF-8 (filter options 44,34,76)
    subprocess.run(
        [LIBREOFFICE, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
         "--outdir", str(tmp_path), str(source)],
        check=True, timeout=180, capture_output=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    lines = (tmp_path / "bao-cao.csv").read_text(encoding="utf-8").splitlines()
    [total] = [next(csvmodule.reader([line])) for line in lines if "TỔNG CỘNG" in line]
    assert [int(value) for value in total[2 : 2 + len(NUMBER_KEYS)]] == list(WARD_MARCH.values())


# -- PDF -----------------------------------------------------------------------------------------
def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def numbers_after(text: str, label: str, count: int) -> list[str]:
    start = text.index(label) + len(label)
    return re.findall(r"–|\d+(?:[.,]\d+)*", text[start:])[:count]


def test_pdf_numbers_equal_the_json(march, unit, clock):
    report = ward_report(unit, by="field")
    data = report.to_dict()
    text = pdf_text(exports.render_pdf(report))
    for heading in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND PHƯỜNG ĐÔNG THÀNH",
        "BÁO CÁO TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "Kỳ báo cáo: từ ngày 01/03/2026 đến ngày 31/03/2026",
        "Đông Thành, ngày 15 tháng 4 năm 2026",
        "THỦ TRƯỞNG ĐƠN VỊ",
        "Các số liệu khớp nhau",
    ):
        assert heading in text, heading
    order = list(NUMBER_KEYS.values())
    for label, values in (
        ("TỔNG CỘNG", data["total"]),
        ("Chứng thực", data["groups"][0]),
        ("Hộ tịch", data["groups"][1]),
    ):
        found = numbers_after(text, label, len(order) + len(RATE_NUMBERS))
        assert [int(n) for n in found[: len(order)]] == [values[key] for key in order], label
        for number, key in zip(found[len(order) :], RATE_NUMBERS.values(), strict=True):
            percent = values["rates"][key]["percent"]
            assert number == ("–" if percent is None else f"{percent:.2f}".replace(".", ","))
    rates = data["total"]["rates"]
    for key in ("on_time", "late", "resolved_in_time", "online", "online_full"):
        assert f"{rates[key]['numerator']}/{rates[key]['denominator']}" in text, key


def test_due_basis_in_the_xlsx_and_the_pdf_equals_the_json(march, unit, clock):
    """The "due in the period" block: a sheet of the workbook and a table of the PDF, each rate
    with its numerator and denominator."""
    report = ward_report(unit, by="field")
    data = report.to_dict()
    book = load_workbook(io.BytesIO(exports.render_xlsx(report)))
    sheet = book["Hồ sơ đến hạn"]
    lines = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5) if row[1].value]
    expected = [*data["groups"], data["total"]]
    assert [line[1] for line in lines] == [*(g["name"] for g in data["groups"]), "TỔNG CỘNG"]
    keys = [key for key, _official, _label in exports.DUE_COLUMNS]
    for line, values in zip(lines, expected, strict=True):
        due = values["due"]
        assert line[2 : 2 + len(keys)] == [due[key] for key in keys]
        rest = line[2 + len(keys) :]
        for index, (key, _official, _label) in enumerate(exports.DUE_RATES):
            rate = due["rates"][key]
            value, fraction = rest[2 * index], rest[2 * index + 1]
            assert fraction == f"{rate['numerator']}/{rate['denominator']}"
            if rate["value"] is None:
                assert value == "–"
            else:
                assert value == pytest.approx(rate["value"], abs=5e-5)
    total = data["total"]["due"]
    assert total["due_in_period"] > 0
    definitions = {row[2].value for row in book["Định nghĩa"].iter_rows(min_row=4)}
    assert {f"due.{key}" for key in keys} <= definitions
    text = pdf_text(exports.render_pdf(report))
    assert "Số liệu theo hồ sơ đến hạn giải quyết trong kỳ" in text
    after = text[text.index("Số liệu theo hồ sơ đến hạn giải quyết trong kỳ") :]
    found = numbers_after(after, "TỔNG CỘNG", len(keys))
    assert [int(n) for n in found] == [total[key] for key in keys]
    rate = total["rates"]["resolved_in_time"]
    assert f"({rate['numerator']}/{rate['denominator']})" in after


def test_pdf_lists_the_findings(unit, procedure, clock):
    make("Z2", unit, procedure, 4, 9, received_at=at(3, 3), due_at=at(3, 20, 17))
    services.rebuild()
    text = pdf_text(exports.render_pdf(ward_report(unit)))
    assert "(5) = (5.1) + (5.2) + (5.3)" in text
    assert "chênh lệch 1" in text and "Z2" in text
    assert "Không rõ kênh tiếp nhận" in text


# -- the CLI writes the same files ---------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_cli_writes_the_exports(march, unit, clock, tmp_path, fmt):
    target = tmp_path / f"bao-cao.{fmt}"
    call_command(
        "report", "--unit", unit.code, "--from", "01/03/2026", "--to", "31/03/2026",
        "--format", fmt, "--output", str(target),
    )  # fmt: skip
    content = target.read_bytes()
    if fmt == "xlsx":
        _book, _sheet, columns, rows = read_form(content)
        assert rows[-1][columns["(5)"]] == 9
    else:
        assert "TỔNG CỘNG 10 1 9 2 6 1" in pdf_text(content)
