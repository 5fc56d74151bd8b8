"""``cchc import-organisations``: CSV and XLSX, any order, idempotent, updates, every error at
once, cycles, dry runs and the JSON report."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from cchc.organisations.importing import COLUMNS
from cchc.organisations.models import OrganisationUnit, UnitKind
from cchc.organisations.selectors import one_stop_unit
from cchc.organisations.services import import_units

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[4] / "deploy" / "samples" / "organisations.csv"
HEADER = "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Loại đơn vị,Mã bộ phận một cửa,Đang hoạt động"
# Children before their parents, on purpose.
ROWS = [
    "X.31,UBND phường Một,P,UBND phường,X.31.C,Có",
    "X.31.C,Trung tâm PVHCC phường Một,X.31,Trung tâm Phục vụ hành chính công,,Có",
    "D.15,Sở Tư pháp,P,department,C,",
    "P,Ủy ban nhân dân tỉnh Thử,,Ủy ban nhân dân tỉnh,C,Có",
    "C,Trung tâm Phục vụ hành chính công tỉnh,P,TTPVHCC,,Có",
]


def csv_bytes(*rows: str, header: str = HEADER, bom: bool = False) -> bytes:
    text = "\n".join([header, *rows]) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def run(tmp_path, content: bytes, *options: str, name: str = "don-vi.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import-organisations", str(path), *options, stdout=out, stderr=err)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def tree() -> dict[str, tuple]:
    units = OrganisationUnit.objects.select_related("parent", "one_stop_unit")
    return {
        unit.code: (
            unit.name,
            unit.kind,
            unit.parent.code if unit.parent else "",
            unit.one_stop_unit.code if unit.one_stop_unit else "",
            unit.active,
            unit.path,
            unit.depth,
        )
        for unit in units
    }


def assert_paths_consistent():
    for unit in OrganisationUnit.objects.select_related("parent"):
        expected = (unit.parent.path if unit.parent else "/") + f"{unit.pk}/"
        assert unit.path == expected, unit.code
        assert unit.depth == expected.count("/") - 2


def test_csv_in_any_order_builds_the_tree_with_who_receives_for_whom(tmp_path):
    code, _out, err = run(tmp_path, csv_bytes(*ROWS))
    assert (code, err) == (0, "")
    units = tree()
    assert set(units) == {"P", "C", "D.15", "X.31", "X.31.C"}
    assert units["X.31"][:4] == ("UBND phường Một", UnitKind.COMMUNE_COMMITTEE, "P", "X.31.C")
    assert units["D.15"][1:4] == (UnitKind.DEPARTMENT, "P", "C")
    assert units["C"][1] == UnitKind.SERVICE_CENTRE
    assert units["X.31.C"][5].startswith(units["X.31"][5])
    assert units["X.31.C"][6] == 2
    assert_paths_consistent()
    ward = OrganisationUnit.objects.get(code="X.31")
    assert one_stop_unit(ward).code == "X.31.C"


def test_bom_and_semicolons_are_read(tmp_path):
    rows = [row.replace(",", ";") for row in ROWS]
    code, _out, err = run(tmp_path, csv_bytes(*rows, header=HEADER.replace(",", ";"), bom=True))
    assert (code, err) == (0, "")
    assert OrganisationUnit.objects.count() == 5


def test_xlsx_is_read(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    for row in ROWS:
        sheet.append(row.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    code, _out, err = run(tmp_path, buffer.getvalue(), name="don-vi.xlsx")
    assert (code, err) == (0, "")
    assert tree()["X.31"][2:4] == ("P", "X.31.C")


def test_reimporting_the_same_file_changes_nothing(tmp_path):
    run(tmp_path, csv_bytes(*ROWS))
    before = tree()
    code, out, _err = run(tmp_path, csv_bytes(*ROWS), "--json")
    report = json.loads(out)
    assert code == 0
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 5)
    assert tree() == before


def test_a_changed_name_and_parent_update_the_unit_and_its_subtree(tmp_path):
    run(tmp_path, csv_bytes(*ROWS))
    moved = [
        row.replace("X.31,UBND phường Một,P", "X.31,UBND phường Một mới,D.15")
        for row in ROWS  # the ward (with its centre) now under the department
    ]
    code, out, _err = run(tmp_path, csv_bytes(*moved), "--json")
    report = json.loads(out)
    assert code == 0
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 4)
    units = tree()
    assert units["X.31"][0] == "UBND phường Một mới"
    assert units["X.31"][2] == "D.15"
    assert units["X.31.C"][6] == 3  # the child moved with it
    assert_paths_consistent()


def test_swapping_a_parent_and_its_child_recomputes_every_path(tmp_path):
    run(tmp_path, csv_bytes("A,Sở A,,department,,", "B,Phòng B,A,division,,"))
    code, _out, err = run(tmp_path, csv_bytes("B,Phòng B,,division,,", "A,Sở A,B,department,,"))
    assert (code, err) == (0, "")
    assert tree()["A"][2] == "B"
    assert_paths_consistent()


def test_every_error_is_reported_at_once_and_nothing_is_written(tmp_path):
    bad = [
        "P,Ủy ban nhân dân tỉnh Thử,,Ủy ban nhân dân tỉnh,,Có",
        "D1,Sở Một,P,Sở khoa học,,",  # line 3: unknown kind
        "D2,Sở Hai,Q,department,,",  # line 4: unknown parent
        "P,Trùng mã,,department,,",  # line 5: duplicate code
        ",Không mã,P,department,,",  # line 6: no code
        "D3,Sở Ba,P,department,ZZ,",  # line 7: unknown one-stop unit
        "D4,Sở Bốn,P,department,,có lẽ",  # line 8: bad active value
    ]
    code, _out, err = run(tmp_path, csv_bytes(*bad))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 6
    for line in (3, 4, 5, 6, 7, 8):
        assert any(f" {line}" in text.split(":")[0] for text in lines), line
    assert "P" in err and "Q" in err and "ZZ" in err
    assert OrganisationUnit.objects.count() == 0


def test_errors_in_json(tmp_path):
    code, out, _err = run(tmp_path, csv_bytes("D2,Sở Hai,Q,department,,"), "--json")
    report = json.loads(out)
    assert code == 1
    assert set(report) == {
        "rows",
        "created",
        "updated",
        "unchanged",
        "deactivated",
        "missing",
        "errors",
        "dry_run",
        "written",
    }
    assert report["written"] is False
    assert report["errors"] == [
        {"line": 2, "column": "Mã đơn vị cấp trên", "message": report["errors"][0]["message"]}
    ]


def test_a_cycle_is_refused(tmp_path):
    code, _out, err = run(
        tmp_path,
        csv_bytes("A,Sở A,C,department,,", "B,Sở B,A,department,,", "C,Sở C,B,department,,"),
    )
    assert code == 1
    assert "A → C → B → A" in err
    assert OrganisationUnit.objects.count() == 0


def test_a_cycle_through_a_unit_already_here_is_refused(tmp_path):
    run(tmp_path, csv_bytes("A,Sở A,,department,,", "B,Phòng B,A,division,,"))
    code, _out, err = run(tmp_path, csv_bytes("A,Sở A,B,department,,"))
    assert code == 1
    assert "A → B → A" in err
    assert tree()["A"][2] == ""


def test_own_parent_and_own_one_stop_unit_are_refused(tmp_path):
    code, _out, err = run(tmp_path, csv_bytes("A,Sở A,A,department,A,"))
    assert code == 1
    assert len(err.strip().splitlines()) == 2


def test_header_problems_are_line_one_errors(tmp_path):
    code, _out, err = run(tmp_path, csv_bytes("A,Sở A,", header="Mã đơn vị,Tên đơn vi,Loai"))
    assert code == 1
    assert err.count(" 1") >= 3  # the unknown columns and the missing required ones


def test_dry_run_writes_nothing_and_counts(tmp_path):
    code, out, _err = run(tmp_path, csv_bytes(*ROWS), "--dry-run", "--json")
    report = json.loads(out)
    assert code == 0
    assert (report["created"], report["dry_run"], report["written"]) == (5, True, False)
    assert OrganisationUnit.objects.count() == 0


def test_units_missing_from_the_file_are_reported_not_removed(tmp_path):
    run(tmp_path, csv_bytes(*ROWS))
    code, out, _err = run(tmp_path, csv_bytes(*ROWS[2:]), "--json")
    report = json.loads(out)
    assert code == 0
    assert report["missing"] == ["X.31", "X.31.C"]
    assert OrganisationUnit.objects.filter(active=True).count() == 5


def test_deactivate_missing(tmp_path):
    run(tmp_path, csv_bytes(*ROWS))
    code, out, _err = run(tmp_path, csv_bytes(*ROWS[2:]), "--deactivate-missing", "--json")
    assert code == 0
    assert json.loads(out)["deactivated"] == 2
    assert set(OrganisationUnit.objects.filter(active=False).values_list("code", flat=True)) == {
        "X.31",
        "X.31.C",
    }


def test_a_one_stop_unit_deactivated_by_the_import_is_refused(tmp_path):
    run(tmp_path, csv_bytes(*ROWS))
    rows = [row for row in ROWS if not row.startswith("C,")]
    code, _out, err = run(tmp_path, csv_bytes(*rows), "--deactivate-missing")
    assert code == 1
    assert "Mã bộ phận một cửa" in err


def test_unreadable_files_exit_2(tmp_path):
    assert run(tmp_path, b"\xff\xfe\x00bad", name="x.csv")[0] == 2
    assert run(tmp_path, b"abc", name="x.txt")[0] == 2
    assert run(tmp_path, b"not a zip", name="x.xlsx")[0] == 2
    assert run(tmp_path, csv_bytes())[0] == 2  # a header only


def test_the_shipped_sample_imports_cleanly_twice():
    content = SAMPLE.read_bytes()
    first = import_units(content, SAMPLE.name)
    assert first.written and not first.errors
    assert first.created == len(content.decode("utf-8").strip().splitlines()) - 1
    second = import_units(content, SAMPLE.name)
    assert (second.created, second.updated) == (0, 0)
    assert_paths_consistent()
    kinds = set(OrganisationUnit.objects.values_list("kind", flat=True))
    assert {UnitKind.PROVINCE_COMMITTEE, UnitKind.SERVICE_CENTRE, UnitKind.COMMUNE_COMMITTEE} <= (
        kinds
    )


def test_the_template_has_the_header_and_one_example():
    from cchc.organisations.importing import template_rows

    header, example = template_rows()
    assert header == COLUMNS
    assert len(example) == len(COLUMNS)


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("commune_committee", UnitKind.COMMUNE_COMMITTEE),
        ("Ủy ban nhân dân xã, phường, đặc khu", UnitKind.COMMUNE_COMMITTEE),
        ("uy ban nhan dan xa, phuong, dac khu", UnitKind.COMMUNE_COMMITTEE),
        ("Commune, ward or special zone People's Committee", UnitKind.COMMUNE_COMMITTEE),
        ("UBND đặc khu", UnitKind.COMMUNE_COMMITTEE),
        ("Phòng", UnitKind.DIVISION),
        ("Bộ phận một cửa", UnitKind.SERVICE_CENTRE),
        ("UBND huyện", UnitKind.DISTRICT_COMMITTEE),
    ],
)
def test_kinds_by_code_label_or_usual_word(tmp_path, written, kind):
    content = csv_bytes(
        f'U,Đơn vị,,"{written}"', header="Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Loại đơn vị"
    )
    code, _out, err = run(tmp_path, content)
    assert (code, err) == (0, "")
    assert OrganisationUnit.objects.get(code="U").kind == kind


def test_ascii_and_english_headers_are_accepted(tmp_path):
    content = csv_bytes(
        "U,Đơn vị,,department,Số 1,0200 1,a@b.vn,x",
        header="ma_don_vi,name,Ma don vi cap tren,kind,address,phone,email,active",
    )
    code, _out, err = run(tmp_path, content)
    assert (code, err) == (0, "")
    unit = OrganisationUnit.objects.get(code="U")
    assert (unit.address, unit.phone, unit.email, unit.active) == ("Số 1", "0200 1", "a@b.vn", True)


def test_columns_left_out_keep_the_fields_and_present_ones_replace_them(tmp_path):
    full = "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Loại đơn vị,Địa chỉ,Đang hoạt động"
    run(tmp_path, csv_bytes("U,Đơn vị,,department,Số 1,Có", header=full))
    short = "Mã đơn vị,Tên đơn vị,Mã đơn vị cấp trên,Loại đơn vị"
    code, out, _err = run(tmp_path, csv_bytes("U,Đơn vị,,department", header=short), "--json")
    assert (code, json.loads(out)["unchanged"]) == (0, 1)
    assert OrganisationUnit.objects.get(code="U").address == "Số 1"
    run(tmp_path, csv_bytes("U,Đơn vị,,department,,Không", header=full))
    unit = OrganisationUnit.objects.get(code="U")
    assert (unit.address, unit.active) == ("", False)


def test_the_report_is_in_vietnamese(tmp_path):
    code, out, err = run(tmp_path, csv_bytes("D2,Sở Hai,Q,department,,"))
    assert code == 1
    assert err.startswith("Dòng 2, cột “Mã đơn vị cấp trên”: Không có đơn vị nào mang mã Q")
    assert out.startswith("Chưa nhập dữ liệu nào: có 1/1 dòng không hợp lệ.")
    code, out, _err = run(tmp_path, csv_bytes(*ROWS), "--dry-run")
    assert out.startswith("Chỉ kiểm tra, chưa ghi gì: sẽ tạo mới 5 đơn vị")
