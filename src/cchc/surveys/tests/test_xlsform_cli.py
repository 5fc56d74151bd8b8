"""``cchc sipas-export-xlsform`` and ``cchc sipas-import-xlsform``: a round trip through files,
and refusals that say why, exit non-zero and write nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.organisations.models import Role
from cchc.surveys import services
from cchc.surveys.models import Questionnaire
from cchc.surveys.xlsform import read_xlsform, validate_with_pyxform

from .factories import agency_questionnaire, reform_staff, unit, user_with
from .test_xlsform_pages import BROKEN_FORM, KOBO_FORM, workbook

pytestmark = pytest.mark.django_db


def run(command: str, *args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue(), err.getvalue()
    except CommandError as error:  # a bad argument, refused by the parser
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def test_round_trip_through_files(tmp_path):
    owner = unit(code="000.00.10.H99")
    original = agency_questionnaire(owner)
    exported = tmp_path / "out.xlsx"
    code, out, _err = run("sipas-export-xlsform", original.code, "--output", str(exported))
    assert code == 0 and str(exported) in out
    assert validate_with_pyxform(exported.read_bytes()) == []

    code, out, err = run("sipas-import-xlsform", str(exported), "--unit", owner.code)
    assert (code, err) == (0, "")
    imported = Questionnaire.objects.get(code=original.code, version=2)
    assert "phiên bản 2" in out and imported.owner_unit == owner
    assert imported.previous == original and imported.created_by is None  # the operator
    assert imported.as_spec().sections == original.as_spec().sections
    assert imported.as_spec().factors == original.as_spec().factors

    again = tmp_path / "again.xlsx"
    code, _out, _err = run("sipas-export-xlsform", original.code, "-o", str(again))  # latest: v2
    assert code == 0
    assert validate_with_pyxform(again.read_bytes()) == []
    assert read_xlsform(again.read_bytes()).sections == original.as_spec().sections


def test_the_default_file_name_is_code_and_version(tmp_path, monkeypatch):
    template = services.ensure_builtin()
    monkeypatch.chdir(tmp_path)
    code, _out, _err = run("sipas-export-xlsform", template.code, "--version", "1")
    assert code == 0
    written = tmp_path / f"{template.code}-v1.xlsx"
    assert validate_with_pyxform(written.read_bytes()) == []


def test_import_as_a_named_editor_and_refusal_of_others(tmp_path):
    owner = unit(code="000.00.10.H99")
    editor = reform_staff(owner)
    officer = user_with(Role.PROCESSING_OFFICER, owner)
    path = tmp_path / "form.xlsx"
    path.write_bytes(workbook(KOBO_FORM))
    code, _out, err = run(
        "sipas-import-xlsform", str(path), "--unit", owner.code, "--user", officer.username
    )
    assert code == 2 and err.startswith("Lỗi: ") and "Traceback" not in err
    assert not Questionnaire.objects.filter(code="khao_sat_quay").exists()
    code, _out, _err = run(
        "sipas-import-xlsform", str(path), "--unit", owner.code, "--user", editor.username
    )
    assert code == 0
    assert Questionnaire.objects.get(code="khao_sat_quay").created_by == editor


def test_a_broken_workbook_prints_every_problem_and_saves_nothing(tmp_path):
    owner = unit(code="000.00.10.H99")
    path = tmp_path / "broken.xlsx"
    path.write_bytes(workbook(BROKEN_FORM))
    before = Questionnaire.objects.count()
    code, out, err = run("sipas-import-xlsform", str(path), "--unit", owner.code)
    assert code == 2 and out == ""
    problems = [line for line in err.splitlines() if line.startswith("Lỗi: ")]
    assert len(problems) == 5
    assert "nolist" in err and "geopoint" in err and "Không ghi phiếu nào." in err
    assert Questionnaire.objects.count() == before


def test_the_builtin_code_cannot_be_taken_by_a_unit(tmp_path):
    template = services.ensure_builtin()
    owner = unit(code="000.00.10.H99")
    path = tmp_path / "builtin.xlsx"
    assert run("sipas-export-xlsform", template.code, "-o", str(path))[0] == 0
    code, _out, err = run("sipas-import-xlsform", str(path), "--unit", owner.code)
    assert code == 2 and template.code in err
    assert not Questionnaire.objects.filter(owner_unit=owner).exists()


@pytest.mark.parametrize(
    ("command", "args", "exit_code", "message"),
    [
        (
            "sipas-import-xlsform",
            ["missing.xlsx", "--unit", "000.00.10.H99"],
            2,
            "không đọc được tệp",
        ),
        ("sipas-import-xlsform", ["{form}", "--unit", "nowhere"], 2, "không có đơn vị"),
        (
            "sipas-import-xlsform",
            ["{form}", "--unit", "000.00.10.H99", "--user", "ghost"],
            2,
            "không có người dùng",
        ),
        # A parser error: a CommandError here, usage and exit 2 from the shell.
        ("sipas-import-xlsform", ["{form}"], None, "tham số không hợp lệ"),
        ("sipas-export-xlsform", ["no-such-form"], 1, "không có phiếu"),
        ("sipas-export-xlsform", ["sipas-1001-2023", "--version", "9"], 1, "phiên bản 9"),
        (
            "sipas-export-xlsform",
            ["sipas-1001-2023", "-o", "{tmp}/no/dir/x.xlsx"],
            2,
            "không ghi được",
        ),
    ],
)
def test_bad_input_says_why_and_exits_non_zero(tmp_path, command, args, exit_code, message):
    services.ensure_builtin()
    unit(code="000.00.10.H99")
    form = tmp_path / "form.xlsx"
    form.write_bytes(workbook(KOBO_FORM))
    args = [arg.format(form=form, tmp=tmp_path) for arg in args]
    code, _out, err = run(command, *args)
    assert code == exit_code if exit_code is not None else code != 0
    assert message in err and "Traceback" not in err


def test_from_the_shell_a_refusal_has_no_traceback(tmp_path):
    root = Path(__file__).resolve().parents[3]  # src/
    env = {**os.environ, "PYTHONPATH": str(root), "DJANGO_SETTINGS_MODULE": "cchc.settings.test"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cchc",
            "sipas-import-xlsform",
            str(tmp_path / "none.xlsx"),
            "--unit",
            "x",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "không đọc được tệp" in done.stderr
