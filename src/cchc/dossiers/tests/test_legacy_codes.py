"""Imported codes and odd cells: line errors, never a traceback, and intake keeps working."""

import io
import string

import pytest
import time_machine
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.dossiers import legacy, services
from cchc.dossiers.models import DailySequence, Dossier

from .conftest import local
from .test_legacy_import import csv_bytes, full_row, run, simple_row, xlsx_bytes

pytestmark = pytest.mark.django_db

NOW = local(2026, 12, 4, 9, 0)


def _row(code: str) -> dict:
    return simple_row(
        ma_ho_so=code, ngay_tiep_nhan="04/12/2026 07:45", ngay_hen_tra="11/12/2026 17:00"
    )


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("000.00.31.H99-261204-2147483647", "số thứ tự trong ngày “2147483647” không hợp lệ"),
        ("000.00.31.H99-261204-99999999999", "4 đến 6 chữ số, từ 0001 đến 999999"),
        ("000.00.31.H99-261204-0000", "“0000” không hợp lệ"),
        ("000.00.31.H99-261204-12", "“12” không hợp lệ"),
        ("000.00.31.H99-261304-0001", "“261304” không phải ngày có thật"),
    ],
)
def test_codes_of_this_platforms_shape_must_fit_the_daily_counter(unit, procedure, code, fragment):
    with time_machine.travel(NOW, tick=False):
        report = run(csv_bytes(_row(code)))
    assert not report.written and not Dossier.objects.exists()
    [error] = report.errors
    assert (error.line, error.column) == (2, "ma_ho_so")
    assert fragment in error.message, error.message
    assert not DailySequence.objects.exists()


def test_after_refusing_an_absurd_code_intake_that_day_still_works(
    tmp_path, officer, unit, procedure, applicant
):
    path = tmp_path / "ho-so-cu.csv"
    path.write_bytes(
        csv_bytes(_row("000.00.31.H99-261204-2147483647"), _row("000.00.31.H99-261204-0041"))
    )
    err = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(SystemExit):
            call_command("import-dossiers", str(path), stdout=io.StringIO(), stderr=err)
        assert err.getvalue().startswith("Dòng 2, cột “ma_ho_so”: Mã hồ sơ có dạng mã hồ sơ")
        call_command(
            "import-dossiers", str(path), skip_invalid=True, stdout=io.StringIO(), stderr=err
        )
        assert DailySequence.objects.get(unit=unit).last_value == 41
        dossier = services.receive_at_counter(officer, unit, procedure, applicant)
    assert dossier.code == "000.00.31.H99-261204-0042"


def test_another_systems_codes_are_kept_as_they_are(officer, unit, procedure, applicant):
    codes = ["HS-2026-000123", "000.00.99.H99-261204-2147483647", "000.00.31.H99-0001"]
    with time_machine.travel(NOW, tick=False):
        report = run(csv_bytes(*[_row(code) for code in codes]))
        assert report.errors == [] and report.created == 3
        assert not DailySequence.objects.exists()
        native = services.receive_at_counter(officer, unit, procedure, applicant)
    assert native.code == "000.00.31.H99-261204-0001"
    assert set(Dossier.objects.filter(imported=True).values_list("code", flat=True)) == set(codes)


@pytest.mark.parametrize(
    ("column", "value", "fragment"),
    [
        ("ma_ho_so", "HS\x00001", "ký tự điều khiển"),
        ("ten_nguoi_nop", "Trần\x00Bình", "ký tự điều khiển"),
        ("dia_chi", "Số 5\x1b[31m", "ký tự điều khiển"),
        ("so_lan_bo_sung", "40000", "tối đa 99"),
        ("so_lan_bo_sung", "9" * 5000, "tối đa 99"),
        ("kenh", "1" * 5000, "Kênh phải là 1"),
        ("ngay_nop", "01/01/0001 00:00", "Năm phải từ 1990 đến 2099"),
        ("ngay_hen_tra", "9999-12-31T23:59-10:00", "Năm phải từ 1990 đến 2099"),
        ("ngay_hen_tra", "0001-01-01T00:00+14:00", "Năm phải từ 1990 đến 2099"),
        ("ngay_hen_tra_moi", "31/12/2999 17:00", "Năm phải từ 1990 đến 2099"),
    ],
)
def test_odd_cells_are_line_errors(unit, procedure, column, value, fragment):
    report = run(csv_bytes(full_row(**{column: value})))
    assert not report.written and not Dossier.objects.exists()
    found = [error for error in report.errors if error.column == column]
    assert any(fragment in error.message for error in found), [str(e) for e in report.errors]
    assert {error.line for error in report.errors} == {2}


ODD = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=string.digits, min_size=1, max_size=30),
    st.sampled_from(
        [
            "",
            "-1",
            "0",
            "1",
            "2",
            "10",
            "2147483648",
            "99999999999",
            "1e9",
            "NaN",
            "31/02/2024",
            "15/01/2024 08:00",
            "2024-01-15T08:00+14:00",
            "9999-12-31T23:59:59-12:00",
            "0001-01-01",
            "000.00.31.H99-240115-2147483647",
            "000.00.31.H99-240115-0001",
            "\x00",
            "\ud800",
            "x" * 600,
        ]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    column=st.sampled_from(legacy.COLUMNS),
    value=ODD,
    base=st.sampled_from(["full", "simple"]),
    xlsx=st.booleans(),
)
def test_fuzz_every_column_gives_a_report_never_a_traceback(
    unit, procedure, column, value, base, xlsx
):
    row = (full_row if base == "full" else simple_row)(**{column: value})
    if xlsx:
        try:
            content = xlsx_bytes(row)
        except Exception:  # openpyxl refuses to write some characters: nothing to import
            return
        try:
            report = run(content, "ho-so.xlsx")
        except legacy.ImportFileError as error:  # a sheet its own writer made unreadable
            assert str(error).startswith("Không đọc được tệp Excel")
            return
    else:
        if "\ud800" in value:
            return  # not encodable in UTF-8: the CSV cannot hold it
        report = run(csv_bytes(row))
    assert report.written or report.errors
    for error in report.errors:
        assert str(error).startswith("Dòng "), str(error)
    if report.written:
        dossier = Dossier.objects.get(code=str(row["ma_ho_so"]).strip())
        assert services.verify_chain(dossier) is None
