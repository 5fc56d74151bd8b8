"""The importer at migration scale: bulk writes, chunks, exact counters and histories."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.dossiers import legacy
from cchc.dossiers.models import Dossier, DossierEvent
from cchc.reports import services as stats

from .test_legacy_import import csv_bytes, full_row, run, simple_row

pytestmark = pytest.mark.django_db


def rows(count: int, start: int = 0) -> list[dict]:
    """A mix: returned with supplement and apology, resolved, in progress, stopped, waiting."""
    kinds = [
        lambda code: full_row(ma_ho_so=code),
        lambda code: full_row(
            ma_ho_so=code, trang_thai="9", ngay_tra_ket_qua="", co_van_ban_xin_loi="0",
            ngay_hen_tra_moi="",
        ),
        lambda code: simple_row(ma_ho_so=code),
        lambda code: simple_row(ma_ho_so=code, trang_thai="8", ngay_ket_thuc_xu_ly="05/03/2024"),
        lambda code: simple_row(
            ma_ho_so=code, trang_thai="5", ngay_yeu_cau_bo_sung="04/03/2024 10:00"
        ),
    ]  # fmt: skip
    return [kinds[n % len(kinds)](f"HS-CU-{n:06d}") for n in range(start, start + count)]


def test_statements_do_not_grow_with_the_number_of_rows(unit, procedure):
    with CaptureQueriesContext(connection) as small:
        assert run(csv_bytes(*rows(20))).created == 20
    with CaptureQueriesContext(connection) as large:
        assert run(csv_bytes(*rows(200, start=1000))).created == 200
    # A chunk's rows go in a few bulk statements (SQLite splits long inserts into batches), not
    # about eighteen statements per row as one by one.
    assert len(large.captured_queries) < 50, len(large.captured_queries)
    assert len(large.captured_queries) < 2 * len(small.captured_queries)


def test_counters_and_histories_verify_after_imports(unit, procedure):
    assert run(csv_bytes(*rows(25))).created == 25
    assert stats.verify() == []
    # Re-import: some rows changed (updates, one by one), the rest unchanged, plus new rows.
    changed = rows(25)
    for row in changed[2::5]:
        row.update(trang_thai="9", ngay_ket_thuc_xu_ly="07/03/2024 10:00")
    report = run(csv_bytes(*changed, *rows(5, start=25)))
    assert (report.created, report.updated, report.unchanged) == (5, 5, 20), report.errors
    assert stats.verify() == []
    out = io.StringIO()
    call_command("verify-history", stdout=out, stderr=io.StringIO())
    assert "Đã kiểm tra 30 hồ sơ, 35 sự kiện; 0 hồ sơ có lịch sử bị phá vỡ." in out.getvalue()


def test_all_or_nothing_across_chunks(unit, procedure, monkeypatch):
    monkeypatch.setattr(legacy, "CHUNK", 3)
    data = rows(10)
    data[8]["kenh"] = "9"  # line 10, in the third chunk: the first two were written already
    data[9]["trang_thai"] = "0"
    report = run(csv_bytes(*data))
    assert not report.written
    assert [error.line for error in report.errors] == [10, 11]  # every row was still checked
    assert not Dossier.objects.exists() and not DossierEvent.objects.exists()
    assert stats.verify() == [] and not stats.StatCell.objects.exists()

    report = run(csv_bytes(*data), skip_invalid=True)
    assert report.written and report.created == 8
    assert Dossier.objects.count() == 8 and stats.verify() == []


def test_progress_is_reported_per_chunk(unit, procedure, monkeypatch):
    monkeypatch.setattr(legacy, "CHUNK", 4)
    calls = []
    report = legacy.import_source(
        legacy.Source.from_bytes(csv_bytes(*rows(10)), "ho-so.csv"),
        progress=lambda done, fraction: calls.append((done, fraction)),
    )
    assert report.created == 10
    assert calls == [(4, 0.4), (8, 0.8), (10, 1.0)]


def test_a_csv_is_streamed_without_a_size_limit_unless_one_is_set(settings):
    assert legacy.max_bytes(".csv") is None
    assert legacy.max_bytes(".xlsx") == 20 * 1024 * 1024
    settings.CCHC_DOSSIER_IMPORT_MAX_BYTES = 1000
    assert legacy.max_bytes(".csv") == legacy.max_bytes(".xlsx") == 1000
