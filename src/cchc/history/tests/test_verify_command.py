"""``cchc verify-history``: the same answer whatever the batch size; messages and exit status."""

import pytest
from django.core.management.base import CommandError
from django.db import connection

from cchc.dossiers.models import DossierEvent
from cchc.history import registry
from cchc.history import services as history
from cchc.history.testing import bypassing_append_only

from .conftest import run

EVENTS = DossierEvent._meta.db_table


def sql(statement, params):
    with bypassing_append_only(), connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def seven(make_dossier):
    """Seven dossiers; the 2nd, 5th and 7th (the last of the last batch) tampered with."""
    dossiers = [make_dossier() for _ in range(7)]
    second, fifth, seventh = dossiers[1], dossiers[4], dossiers[6]
    sql(f"UPDATE {EVENTS} SET note = 'x' WHERE dossier_id = %s AND sequence = 1", [second.pk])
    sql(f"DELETE FROM {EVENTS} WHERE dossier_id = %s", [fifth.pk])
    sql(f"DELETE FROM {EVENTS} WHERE dossier_id = %s AND sequence = 3", [seventh.pk])
    return dossiers


@pytest.mark.parametrize("batch_size", [1, 2, 3, 7, 2000])
def test_every_batch_size_gives_the_same_result(seven, batch_size):
    args = ("--chain", "dossiers", "--batch-size", str(batch_size))
    code, out, errors = run("verify-history", *args)
    assert code == 1
    assert errors.strip().splitlines() == [
        f"Hồ sơ {seven[1].code}: sự kiện số 1 – nội dung đã bị sửa sau khi ghi "
        "(mã niêm phong không khớp).",
        f"Hồ sơ {seven[4].code}: mất toàn bộ lịch sử (0/3).",
        f"Hồ sơ {seven[6].code}: sự kiện số 3 – mất các sự kiện cuối (2/3).",
    ]
    assert "Đã kiểm tra 7 hồ sơ, 17 sự kiện; 3 hồ sơ có lịch sử bị phá vỡ." in out


def test_the_service_yields_the_same_problems_in_any_batches(seven):
    spec = registry.get("dossiers")
    one = list(history.verify_chains(spec, batch_size=10_000))
    assert [problem.owner_id for problem in one] == [seven[i].pk for i in (1, 4, 6)]
    for size in (1, 2, 4):
        tally = history.Tally()
        assert list(history.verify_chains(spec, batch_size=size, tally=tally)) == one
        assert (tally.owners, tally.entries) == (7, 17)


def test_intact_histories_exit_zero_with_a_summary_per_history(make_dossier):
    make_dossier()
    code, out, errors = run("verify-history")
    assert (code, errors) == (0, "")
    assert "Đã kiểm tra 1 hồ sơ, 3 sự kiện; 0 hồ sơ có lịch sử bị phá vỡ." in out
    assert "Đã kiểm tra 0 phản ánh, 0 sự kiện; 0 phản ánh có lịch sử bị phá vỡ." in out


def test_an_unknown_history_kind_is_refused_in_vietnamese(db):
    with pytest.raises(CommandError, match="Không có loại lịch sử: thu-tu"):
        run("verify-history", "--chain", "thu-tu")


def test_a_batch_size_below_one_is_refused(db):
    with pytest.raises(CommandError, match="--batch-size"):
        run("verify-history", "--batch-size", "0")


@pytest.mark.django_db(transaction=True)  # the workers read through their own connections
def test_parallel_workers_give_the_same_result(seven):
    one = run("verify-history", "--chain", "dossiers")
    assert one[0] == 1
    for args in (("--workers", "2"), ("--workers", "3", "--batch-size", "1")):
        code, out, errors = run("verify-history", "--chain", "dossiers", *args)
        assert (code, errors) == (one[0], one[2])
        assert out.splitlines()[0] == one[1].splitlines()[0]


def test_chunks_cover_every_owner_once_whatever_the_gaps(make_dossier):
    dossiers = [make_dossier() for _ in range(5)]
    spec = registry.get("dossiers")
    ids = [d.pk for d in dossiers]
    assert list(history.chunks(spec, 2)) == [(ids[0], ids[1]), (ids[2], ids[3]), (ids[4], ids[4])]
    assert list(history.chunks(spec, 5)) == [(ids[0], ids[4])]
    assert list(history.chunks(spec, 100)) == [(ids[0], ids[4])]


def test_a_worker_count_out_of_range_is_refused(db):
    with pytest.raises(CommandError, match="--workers"):
        run("verify-history", "--workers", "0")
