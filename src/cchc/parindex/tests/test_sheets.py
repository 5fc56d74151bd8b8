"""XLSX criteria sheets: the officers' layout read into a set, every line error at once and
nothing saved, export → import gives the same set."""

import io
from decimal import Decimal

import pytest

from cchc.parindex import criteria, sheets
from cchc.parindex.errors import CriteriaSetInvalid
from cchc.parindex.models import CriteriaSet
from cchc.parindex.samples import load_sample_sets

from .criteria_helpers import EXTRA, HEADER, ROWS, workbook_bytes

pytestmark = pytest.mark.django_db


def import_rows(rows, header=HEADER, **kwargs):
    content = workbook_bytes(rows, header)
    return sheets.import_sheet(content, year=2025, level="department", **kwargs)


def problems_of(rows, header=HEADER):
    with pytest.raises(CriteriaSetInvalid) as error:
        import_rows(rows, header)
    assert not CriteriaSet.objects.exists()  # all or nothing
    return error.value.problems


def test_officers_layout_with_title_rows_is_imported():
    criteria_set = import_rows(ROWS, name="Bộ tiêu chí sở 2025")
    assert criteria_set.declared_total == 10  # the "Tổng cộng" row
    leaves = {row.code: row for row in criteria_set.criteria.exclude(method="")}
    assert set(leaves) == {"1.1.1", "1.1.2", "1.2", "2", "3.1"}
    assert leaves["1.1.1"].method == "levels"
    assert leaves["1.1.1"].method_text.startswith("Ban hành kịp thời: 2")  # as written
    assert leaves["1.1.2"].method == "bands"
    assert leaves["2"].method == "survey"
    assert leaves["1.1.1"].evidence_required == "Quyết định ban hành"
    assert criteria_set.criteria.get(code="3").block == "bonus"  # "Điểm thưởng" row
    assert criteria_set.criteria.get(code="3.1").block == "bonus"


def test_name_defaults_to_the_title_row():
    assert import_rows(ROWS).name == "BỘ TIÊU CHÍ THỬ NGHIỆM"


def test_extra_columns():
    rows = [row + [""] * 5 for row in ROWS]
    rows[2][5:] = ["Chọn mức", "Có", "Văn phòng", "", ""]  # 1.1.1
    rows[6][5:] = ["", "", "", "Điểm trừ", ""]  # 3: penalty by the Khối column
    criteria_set = import_rows(rows, HEADER + EXTRA)
    leaf = criteria_set.criteria.get(code="1.1.1")
    assert (leaf.may_be_not_applicable, leaf.responsible_hint) == (True, "Văn phòng")
    assert criteria_set.criteria.get(code="3.1").block == "penalty"


def test_header_is_required():
    with pytest.raises(CriteriaSetInvalid) as error:
        sheets.import_sheet(
            workbook_bytes(ROWS, ["Mã", "Tên", "Điểm"]), year=2025, level="department"
        )
    assert "STT" in error.value.problems[0][2]


def test_not_a_workbook():
    with pytest.raises(CriteriaSetInvalid) as error:
        sheets.import_sheet(b"PK\x03\x04 not really", year=2025, level="department")
    assert error.value.problems[0][0] is None


def test_every_line_error_at_once_with_line_numbers():
    rows = [list(row) for row in ROWS]
    rows[2][2] = "hai"  # 1.1.1: maximum not a number (line 6)
    rows[3][3] = "trên chín mươi %: 2"  # 1.1.2: unreadable rule (line 7)
    rows[4][3] = ""  # 1.2: no rule (line 8)
    rows.insert(5, ["4.1", "Mồ côi", 1, "Có: 1; Không: 0", ""])  # no parent 4 (line 9)
    rows.insert(6, ["1.2", "Trùng mã", 1, "Có: 1; Không: 0", ""])  # duplicate (line 10)
    rows.insert(7, ["", "Ghi chú lạc", "", "", ""])  # no STT (line 11)
    problems = problems_of(rows)
    lines = [line for line, _code, _message in problems]
    assert lines == sorted(lines)
    assert {6, 7, 8, 9, 10, 11} <= set(lines)
    messages = "\n".join(message for _line, _code, message in problems)
    assert "Dòng 6" in messages and "“hai”" in messages
    assert "Dòng 7, tiêu chí 1.1.2" in messages
    assert "Dòng 8: tiêu chí 1.2 chưa có cách chấm" in messages
    assert "Dòng 9: tiêu chí 4.1" in messages
    assert "Dòng 10: mã 1.2 đã dùng ở dòng 8" in messages
    assert "Dòng 11" in messages


def test_sum_errors_from_the_engine_carry_the_line():
    rows = [list(row) for row in ROWS]
    rows[1][2] = 5  # 1.1 claims 5 (line 5), parts 4; 1 claims 6 while parts give 7
    problems = problems_of(rows)
    codes = {code: (line, message) for line, code, message in problems}
    assert codes["1.1"][0] == 5
    assert codes["1.1"][1].startswith("Dòng 5:")
    assert codes["1"][0] == 4


def test_combined_bonus_penalty_row_must_be_split():
    rows = [list(row) for row in ROWS]
    rows[6][1] = "Điểm thưởng, điểm trừ"
    problems = problems_of(rows)
    assert any(line == 10 and "thưởng" in message for line, _code, message in problems)


def test_export_import_round_trip_of_the_samples():
    originals = load_sample_sets([2025])
    for original in originals:
        content = sheets.export_sheet(original)
        sheet = sheets.read_sheet(content)
        assert sheet.declared_total == original.declared_total
        assert _shape(sheet.roots) == _shape(original.tree())
        assert sheet.details == criteria.details_of(original)


def test_export_then_import_as_new_version_when_frozen(django_user_model):
    original = import_rows(ROWS)
    content = sheets.export_sheet(original)
    again = sheets.import_sheet(content, year=2025, level="department", name=original.name)
    assert again.pk == original.pk  # unused: replaced in place
    assert _shape(again.tree()) == _shape(sheets.read_sheet(workbook_bytes(ROWS)).roots)


def _shape(roots):
    return [
        (
            node.code,
            node.name,
            Decimal(node.max_points),
            node.block,
            node.aggregation,
            node.method,
            node.spec,
            node.may_be_not_applicable,
        )
        for root in roots
        for node in root.walk()
    ]


def test_points_with_the_word_diem_and_numeric_codes():
    rows = [list(row) for row in ROWS]
    rows[4][2] = "2 điểm"  # 1.2
    rows[5][0] = 2  # STT typed as a number
    criteria_set = import_rows(rows)
    assert criteria_set.criteria.get(code="1.2").max_points == 2
    assert criteria_set.criteria.filter(code="2").exists()


def test_a_code_excel_turned_into_a_date_is_explained():
    from datetime import datetime

    rows = [list(row) for row in ROWS]
    rows[4][0] = datetime(2025, 1, 2)  # "1.2" typed in a Vietnamese Excel
    problems = problems_of(rows)
    assert any("định dạng cột STT là văn bản" in message for _l, _c, message in problems)


def test_overlong_values_are_line_errors_not_database_errors():
    rows = [list(row) for row in ROWS]
    rows[4][0] = "1." + ".".join(["2"] * 15)  # 31 characters
    with pytest.raises(CriteriaSetInvalid) as error:
        import_rows(rows)
    assert any(
        message.startswith("Dòng 8: Mã dài quá 30 ký tự")
        for _l, _c, message in error.value.problems
    )
    assert not CriteriaSet.objects.exists()


def test_formatted_empty_rows_are_skipped_and_lines_keep_their_numbers():
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook_bytes(ROWS)))
    sheet = book.active
    sheet.insert_rows(5, 2)  # two empty rows after the first criterion (lines 5–6)
    for line in range(20, 4000):  # formatting far below the table
        sheet.cell(line, 1).number_format = "@"
        sheet.cell(line, 1).value = ""
    sheet.cell(8, 3).value = "hai"  # 1.1.1 is now on line 8
    output = io.BytesIO()
    book.save(output)
    with pytest.raises(CriteriaSetInvalid) as error:
        sheets.import_sheet(output.getvalue(), year=2025, level="department")
    assert [line for line, _code, _message in error.value.problems] == [8]
