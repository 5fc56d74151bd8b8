"""Checkpoints: a signed digest of every chain head, printed to be kept outside the database.

What the keyed chain alone cannot show — somebody who holds the key deleting the newest event,
resealing and moving the head so that every chain verifies — a checkpoint taken before shows.
"""

import json
import re

import pytest
from django.db import DatabaseError, connection, transaction

from cchc.dossiers.models import Dossier, DossierEvent
from cchc.history import chain, keys, registry
from cchc.history import services as history
from cchc.history.models import AppendOnlyError, Checkpoint
from cchc.history.testing import bypassing_append_only

from .conftest import run

LINE = re.compile(r"^CCHC-CHECKPOINT (\d+) (\S+) ([0-9a-f]{64}) ([0-9a-f]{16}) ([0-9a-f]{64})$")
EVENTS = DossierEvent._meta.db_table
CHECKPOINTS = Checkpoint._meta.db_table


def sql(statement, params):
    with bypassing_append_only(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_history_checkpoint_prints_the_line_and_stores_the_row(make_dossier):
    make_dossier(), make_dossier()
    code, out, errors = run("history-checkpoint")
    assert code == 0
    match = LINE.match(out.strip())
    assert match, out
    checkpoint = Checkpoint.objects.get()
    assert match.groups() == (
        str(checkpoint.pk),
        checkpoint.created_at.isoformat(),
        checkpoint.digest,
        checkpoint.key_id,
        checkpoint.signature,
    )
    assert checkpoint.key_id == keys.ring().current_id
    summary = checkpoint.chains["dossiers"]
    assert (summary["owners"], summary["entries"]) == (2, 6)
    assert summary["upto"] == DossierEvent.objects.order_by("-pk").first().pk
    assert "dossiers: 2 bản ghi, 6 sự kiện" in errors
    assert checkpoint.digest == chain.digest_of(checkpoint.chains)


def test_a_checkpoint_row_cannot_be_changed_through_the_orm(make_dossier):
    checkpoint = history.write_checkpoint()
    with pytest.raises(AppendOnlyError):
        checkpoint.save()
    with pytest.raises(AppendOnlyError):
        checkpoint.delete()


def test_untouched_histories_match_the_checkpoint_and_later_events_do_not_matter(
    make_dossier, leader
):
    from cchc.dossiers import services

    dossier = make_dossier()
    history.write_checkpoint()
    services.forward(dossier.pk, leader)  # after the checkpoint: an ordinary new entry
    make_dossier()
    code, out, errors = run("verify-history", "--since-checkpoint")
    assert (code, errors) == (0, "")
    assert re.search(r"Điểm kiểm tra #\d+ \(.*, mã [0-9a-f]{64}\): khớp\.", out)


def reseal_without_newest(dossier: Dossier) -> None:
    """A key holder with database access deletes the newest event and covers it up: the chain
    left is intact and the head on the dossier row is moved back, so plain verification passes."""
    newest = DossierEvent.objects.filter(dossier=dossier).order_by("-sequence").first()
    sql(f"DELETE FROM {EVENTS} WHERE id = %s", [newest.pk])
    sql(
        f"UPDATE {Dossier._meta.db_table} SET history_count = %s, history_head = %s WHERE id = %s",
        [newest.sequence - 1, newest.previous_hash, dossier.pk],
    )


def test_a_key_holder_covering_up_a_deleted_event_is_caught_by_the_checkpoint(make_dossier):
    make_dossier()
    dossier = make_dossier()
    checkpoint = history.write_checkpoint()
    reseal_without_newest(dossier)
    code, _out, errors = run("verify-history")
    assert (code, errors) == (0, "")  # the cover-up holds …
    code, out, errors = run("verify-history", "--since-checkpoint")
    assert code == 1  # … until compared with the checkpoint
    first = dossier.pk // history.BLOCK * history.BLOCK
    assert errors.strip() == (
        f"Điểm kiểm tra #{checkpoint.pk}: Hồ sơ id {first}–{first + history.BLOCK - 1}: "
        "đầu chuỗi có trước điểm kiểm tra đã thay đổi."
    )
    assert "1 sai khác" in out


def test_a_key_holder_rewriting_an_event_and_resealing_is_caught(make_dossier):
    dossier = make_dossier()
    history.write_checkpoint()
    ring = keys.ring()
    spec = registry.get("dossiers")
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("sequence"))
    previous = chain.GENESIS
    for event in events:  # rewrite the first event's note, then reseal the whole chain
        if event.sequence == 1:
            event.note = "Nộp muộn hơn thực tế"
        event.previous_hash = previous
        event.hash = history.seal_event(spec, event, ring.current)
        previous = event.hash
        sql(
            f"UPDATE {EVENTS} SET note = %s, previous_hash = %s, hash = %s WHERE id = %s",
            [event.note, event.previous_hash, event.hash, event.pk],
        )
    sql(
        f"UPDATE {Dossier._meta.db_table} SET history_head = %s WHERE id = %s",
        [previous, dossier.pk],
    )
    assert run("verify-history")[0] == 0
    assert run("verify-history", "--since-checkpoint")[0] == 1


def test_deleting_a_dossier_with_its_whole_history_is_caught(make_dossier):
    dossier = make_dossier()
    make_dossier()
    history.write_checkpoint()
    for relation in Dossier._meta.related_objects:  # the events, statistics, outbox, …
        if relation.many_to_many:
            continue
        table, column = relation.related_model._meta.db_table, relation.field.column
        sql(f"DELETE FROM {table} WHERE {column} = %s", [dossier.pk])
    sql(f"DELETE FROM {Dossier._meta.db_table} WHERE id = %s", [dossier.pk])
    assert run("verify-history")[0] == 0  # nothing left to verify …
    assert run("verify-history", "--since-checkpoint")[0] == 1  # … but the checkpoint knew it


def test_a_changed_checkpoint_row_is_caught_by_its_digest(make_dossier):
    dossier = make_dossier()
    checkpoint = history.write_checkpoint()
    reseal_without_newest(dossier)
    # Hide the cover-up by writing today's heads into the checkpoint's content.
    chains = dict(checkpoint.chains)
    chains["dossiers"] = history._summarise(
        registry.get("dossiers"), checkpoint.chains["dossiers"]["upto"]
    )
    sql(f"UPDATE {CHECKPOINTS} SET chains = %s WHERE id = %s", [json.dumps(chains), checkpoint.pk])
    code, _out, errors = run("verify-history", "--since-checkpoint")
    assert code == 1
    assert (
        f"Điểm kiểm tra #{checkpoint.pk}: Mã tổng hợp của điểm kiểm tra không khớp nội dung."
        in errors.splitlines()
    )


def test_a_checkpoint_re_digested_without_the_key_is_caught_by_its_signature(make_dossier):
    dossier = make_dossier()
    checkpoint = history.write_checkpoint()
    reseal_without_newest(dossier)
    chains = dict(checkpoint.chains)
    chains["dossiers"] = history._summarise(
        registry.get("dossiers"), checkpoint.chains["dossiers"]["upto"]
    )
    digest = chain.digest_of(chains)
    sql(
        f"UPDATE {CHECKPOINTS} SET chains = %s, digest = %s WHERE id = %s",
        [json.dumps(chains), digest, checkpoint.pk],
    )
    code, _out, errors = run("verify-history", "--since-checkpoint")
    assert code == 1
    assert errors.strip().splitlines() == [
        f"Điểm kiểm tra #{checkpoint.pk}: Chữ ký của điểm kiểm tra không hợp lệ."
    ]


def test_a_given_checkpoint_is_used_and_a_missing_one_is_refused(make_dossier):
    from django.core.management.base import CommandError

    dossier = make_dossier()
    first = history.write_checkpoint()
    reseal_without_newest(dossier)
    second = history.write_checkpoint()  # taken after the cover-up: it agrees with it
    assert run("verify-history", "--since-checkpoint")[0] == 0
    assert run("verify-history", "--since-checkpoint", str(second.pk))[0] == 0
    assert run("verify-history", "--since-checkpoint", str(first.pk))[0] == 1
    with pytest.raises(CommandError, match="Không có điểm kiểm tra số 999"):
        run("verify-history", "--since-checkpoint", "999")
    with pytest.raises(CommandError, match="Không có điểm kiểm tra số abc"):
        run("verify-history", "--since-checkpoint", "abc")


def test_without_any_checkpoint_the_option_says_what_to_do(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="chạy cchc history-checkpoint trước"):
        run("verify-history", "--since-checkpoint")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_to_change_a_checkpoint_row(make_dossier):
    checkpoint = history.write_checkpoint()
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {CHECKPOINTS} SET digest = 'x' WHERE id = %s", [checkpoint.pk])
    assert "history is append-only" in str(error.value)
