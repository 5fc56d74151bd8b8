"""``cchc report`` (JSON on standard output, exit 2 with a Vietnamese message on bad input) and
``cchc rebuild-stats [--verify]`` (exit 1 and the differences when a counter was tampered with).

The data is the hand-built history of ``test_report_columns`` (March and April 2026).
"""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import F

from cchc.reports.models import ALL_PROCEDURES, Grain, StatCell
from cchc.reports.selectors import REPORT_KEYS, ReportRequest, build_report

from . import test_report_columns as columns

# The hand-built history of test_report_columns and its fixtures.
WARD_MARCH = columns.WARD_MARCH
history = columns.history
staff = columns.staff

pytestmark = pytest.mark.django_db

REQUIRED_KEYS = {
    "to_process",
    "carried_over",
    "received",
    "received_online",
    "received_counter",
    "received_postal",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "in_progress",
    "in_progress_on_time",
    "in_progress_late",
    "late_total",
    "waiting_supplement",
    "waiting_financial",
    "stopped",
    "returned",
    "withdrawn",
    "rates",
}
ADDITIVE = (*REPORT_KEYS, "received_online_full", "apology_sent")
Q1 = ("--from", "01/01/2026", "--to", "31/03/2026")


def run_report(capsys, *args) -> dict:
    call_command("report", *args)
    return json.loads(capsys.readouterr().out)


def run_failing(command: str, *args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command(command, *args, stdout=out, stderr=err)
    return exit_.value.code, out.getvalue(), err.getvalue()


def test_json_report_of_the_first_quarter(history, capsys):
    data = run_report(capsys, *Q1, "--format", "json")
    total = data["total"]
    assert set(total) >= REQUIRED_KEYS
    assert (data["from"], data["to"], data["unit"], data["by"]) == (
        "2026-01-01",
        "2026-03-31",
        None,
        None,
    )
    # A–L: the ward's eleven (A received 25/02) and the department's own L; M was never accepted
    assert (total["carried_over"], total["received"], total["to_process"]) == (0, 12, 12)
    assert (total["resolved"], total["resolved_early"], total["resolved_on_time"]) == (5, 3, 1)
    assert (total["resolved_late"], total["in_progress"], total["in_progress_late"]) == (1, 4, 1)
    assert (total["returned"], total["withdrawn"], total["stopped"]) == (1, 1, 1)
    assert (total["waiting_supplement"], total["waiting_financial"]) == (1, 1)
    assert (total["received_online"], total["received_counter"], total["received_postal"]) == (
        1,
        10,
        1,
    )
    for rate in total["rates"].values():
        assert {"numerator", "denominator", "value", "percent", "definition"} <= set(rate)
    assert (total["rates"]["late"]["numerator"], total["rates"]["late"]["denominator"]) == (2, 12)
    assert data["findings"] == [] and data["groups"] == []
    expected = build_report(ReportRequest(start=date(2026, 1, 1), end=date(2026, 3, 31)))
    assert data == json.loads(json.dumps(expected.to_dict()))


def test_iso_dates_and_a_unit(history, capsys, unit):
    data = run_report(
        capsys,
        "--unit",
        unit.code,
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--format",
        "json",
    )
    assert data["unit"]["code"] == unit.code
    assert {k: v for k, v in data["total"].items() if k not in ("rates", "due")} == WARD_MARCH


@pytest.mark.parametrize("by", ["field", "procedure", "unit"])
def test_groups_add_up_to_the_total(history, capsys, by):
    data = run_report(capsys, *Q1, "--format", "json", "--by", by)
    assert data["by"] == by and len(data["groups"]) == 2  # two fields, procedures, units
    for key in ADDITIVE:
        assert sum(g[key] for g in data["groups"]) == data["total"][key], key
    for name, rate in data["total"]["rates"].items():
        for part in ("numerator", "denominator"):
            assert sum(g["rates"][name][part] for g in data["groups"]) == rate[part]
    assert all(g["name"] for g in data["groups"])
    if by != "field":  # the test fields have no code
        assert all(g["code"] for g in data["groups"])


def test_report_to_a_file(history, tmp_path, capsys):
    target = tmp_path / "bao-cao.json"
    call_command("report", *Q1, "--output", str(target))
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["total"]["received"] == 12
    assert "Đã ghi" in capsys.readouterr().err


def test_unknown_unit_exits_2_with_a_vietnamese_message(history):
    code, out, err = run_failing("report", "--unit", "000.00.99.H99", *Q1)
    assert code == 2 and out == ""
    assert "không có đơn vị mã" in err and "000.00.99.H99" in err


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (("--from", "31/02/2026", "--to", "31/03/2026"), "“31/02/2026” không phải là từ ngày"),
        (("--from", "01/01/2026", "--to", "hôm nay"), "“hôm nay” không phải là đến ngày"),
        (("--from", "", "--to", "31/03/2026"), "Nhập từ ngày"),
        (("--from", "31/03/2026", "--to", "01/01/2026"), "Ngày kết thúc trước ngày bắt đầu"),
        (("--from", "01/01/2026", "--to", "31/12/2040"), "tối đa mười năm"),
    ],
)
def test_bad_dates_exit_2_with_a_vietnamese_message(db, dates, message):
    code, out, err = run_failing("report", *dates)
    assert code == 2 and out == ""
    assert err.startswith("Lỗi:") and message in err, err


def test_bad_option_exits_2(db, capsys):
    code, _out, _err = run_failing("report", *Q1, "--by", "tinh")
    # argparse reports before the command's own streams are set: standard error
    assert code == 2 and "Lỗi: tham số không hợp lệ" in capsys.readouterr().err


# -- rebuild-stats ---------------------------------------------------------------------------------
def test_verify_passes_on_counters_kept_by_the_actions(history):
    out = io.StringIO()
    call_command("rebuild-stats", "--verify", stdout=out)  # no SystemExit: exit status 0
    assert "Khớp" in out.getvalue()


def test_verify_exits_1_and_names_a_tampered_counter_then_rebuild_repairs_it(history, unit):
    cell = StatCell.objects.get(
        grain=Grain.MONTH, period=date(2026, 3, 1), unit_id=unit.pk, procedure_id=ALL_PROCEDURES
    )
    StatCell.objects.filter(pk=cell.pk).update(received=F("received") + 1)
    code, out, _err = run_failing("rebuild-stats", "--verify")
    assert code == 1
    assert f"M 2026-03-01 unit {unit.pk} procedure 0 received: stored 11, recomputed 10" in out, out
    assert "1 chênh lệch" in out
    rebuilt = io.StringIO()
    call_command("rebuild-stats", stdout=rebuilt)
    assert "Đã tính lại: 12 hồ sơ" in rebuilt.getvalue()  # A–L (M counts nowhere)
    call_command("rebuild-stats", "--verify", stdout=io.StringIO())


def test_verify_exits_1_when_a_dossiers_counters_are_missing(history, unit):
    """Counters lost for a whole day (e.g. a partial restore) are listed, one line per cell."""
    StatCell.objects.filter(grain=Grain.DAY, period=date(2026, 3, 2)).delete()
    code, out, _err = run_failing("rebuild-stats", "--verify")
    assert code == 1
    assert f"D 2026-03-02 unit {unit.pk} procedure 0 received: stored 0, recomputed 3" in out
