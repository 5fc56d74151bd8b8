"""``cchc par-import-criteria`` and ``cchc par-export-criteria``."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from cchc.parindex.models import CriteriaSet

from .criteria_helpers import ROWS, workbook_bytes

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_import_prints_json(tmp_path):
    sheet = tmp_path / "bo.xlsx"
    sheet.write_bytes(workbook_bytes(ROWS))
    code, out, _err = run(
        "par-import-criteria",
        str(sheet),
        "--year",
        "2025",
        "--level",
        "department",
        "--name",
        "Bộ tiêu chí sở",
        "--legal-basis",
        "QĐ 5666/QĐ-UBND",
        "--sample",
        "--json",
    )
    assert code == 0
    result = json.loads(out)
    criteria_set = CriteriaSet.objects.get()
    assert result == {
        "criteria_set": criteria_set.pk,
        "year": 2025,
        "level": "department",
        "version": 1,
        "leaves": 5,
        "total": "10",
    }
    assert criteria_set.is_sample and criteria_set.legal_basis == "QĐ 5666/QĐ-UBND"


def test_bad_sheet_exits_1_with_line_errors_and_saves_nothing(tmp_path):
    rows = [list(row) for row in ROWS]
    rows[2][2] = "hai"
    rows[3][3] = "bốc thăm %: 2"
    sheet = tmp_path / "bo.xlsx"
    sheet.write_bytes(workbook_bytes(rows))
    code, _out, err = run("par-import-criteria", str(sheet), "--year", "2025", "--level", "commune")
    assert code == 1
    assert "Dòng 6" in err and "Dòng 7" in err
    assert not CriteriaSet.objects.exists()


def test_missing_file_exits_2(tmp_path):
    code, _out, err = run(
        "par-import-criteria", str(tmp_path / "none.xlsx"), "--year", "2025", "--level", "commune"
    )
    assert code == 2 and "Lỗi" in err


def test_export_then_import_again(tmp_path):
    sheet = tmp_path / "bo.xlsx"
    sheet.write_bytes(workbook_bytes(ROWS))
    assert run("par-import-criteria", str(sheet), "--year", "2025", "--level", "commune")[0] == 0
    exported = tmp_path / "out.xlsx"
    code, out, _err = run(
        "par-export-criteria",
        "--year",
        "2025",
        "--level",
        "commune",
        "--version",
        "1",
        "-o",
        str(exported),
    )
    assert code == 0 and exported.read_bytes().startswith(b"PK")
    code, out, _err = run(
        "par-import-criteria", str(exported), "--year", "2026", "--level", "commune", "--json"
    )
    assert code == 0
    assert json.loads(out)["leaves"] == 5


def test_export_of_a_missing_set_exits_1(tmp_path):
    code, _out, err = run(
        "par-export-criteria", "--year", "2030", "--level", "commune", "-o", str(tmp_path / "x")
    )
    assert code == 1 and "Lỗi" in err
