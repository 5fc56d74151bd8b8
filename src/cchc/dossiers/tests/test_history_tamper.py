"""Tampering with a dossier's history directly in the database is detected and named.

The eight cases an attacker with database access tried (issue 8): each edits or deletes rows with
raw SQL, bypassing the ORM and, on PostgreSQL, the append-only trigger, as a superuser could.
``cchc verify-history`` must exit 1 and name the dossier and what is wrong.
"""

import hashlib
import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from cchc.dossiers import services
from cchc.dossiers.models import DossierEvent
from cchc.history.testing import bypassing_append_only

from .test_lifecycle import receive

TABLE = DossierEvent._meta.db_table


@pytest.fixture
def dossiers(officer, processor, unit, procedure, applicant):
    """Two dossiers with three events each; only the second is tampered with."""
    made = []
    for _ in range(2):
        dossier = receive(officer, unit, procedure, applicant)
        services.forward(dossier.pk, officer)
        services.forward(dossier.pk, processor)
        dossier.refresh_from_db()
        made.append(dossier)
    assert [d.history_count for d in made] == [3, 3]
    return made


def sql(statement, params):
    with bypassing_append_only(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def verify() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify-history", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, err.getvalue()
    return 0, err.getvalue()


def newest(dossier, offset=0) -> DossierEvent:
    return DossierEvent.objects.filter(dossier=dossier).order_by("-sequence")[offset]


def middle(dossier) -> DossierEvent:
    return DossierEvent.objects.get(dossier=dossier, sequence=2)


def rehash_plain(event_id):
    """What the attacker did: recompute an unkeyed SHA-256 over the edited content."""
    event = DossierEvent.objects.get(pk=event_id)
    payload = {"note": event.note, "previous": event.previous_hash, "at": event.at.isoformat()}
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    sql(f"UPDATE {TABLE} SET hash = %s WHERE id = %s", [digest, event_id])


def edit_note(dossiers):
    sql(f"UPDATE {TABLE} SET note = %s WHERE id = %s", ["đã sửa", middle(dossiers[1]).pk])


def edit_time(dossiers):
    event = middle(dossiers[1])
    sql(f"UPDATE {TABLE} SET at = %s WHERE id = %s", [event.at - timedelta(days=3), event.pk])


def edit_data(dossiers):
    sql(f"UPDATE {TABLE} SET data = %s WHERE id = %s", ['{"x": 1}', middle(dossiers[1]).pk])


def delete_middle(dossiers):
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [middle(dossiers[1]).pk])


def delete_newest(dossiers):
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [newest(dossiers[1]).pk])


def delete_two_newest(dossiers):
    ids = [newest(dossiers[1]).pk, newest(dossiers[1], 1).pk]
    sql(f"DELETE FROM {TABLE} WHERE id IN (%s, %s)", ids)


def delete_all(dossiers):
    sql(f"DELETE FROM {TABLE} WHERE dossier_id = %s", [dossiers[1].pk])


def rehash_edited_newest(dossiers):
    event = newest(dossiers[1])
    sql(f"UPDATE {TABLE} SET note = %s WHERE id = %s", ["đã sửa", event.pk])
    rehash_plain(event.pk)


CASES = [
    (edit_note, "nội dung đã bị sửa sau khi ghi"),
    (edit_time, "nội dung đã bị sửa sau khi ghi"),
    (edit_data, "nội dung đã bị sửa sau khi ghi"),
    (delete_middle, "thiếu sự kiện"),
    (delete_newest, "mất các sự kiện cuối"),
    (delete_two_newest, "mất các sự kiện cuối"),
    (delete_all, "mất toàn bộ lịch sử"),
    (rehash_edited_newest, "nội dung đã bị sửa sau khi ghi"),
]


def test_untouched_histories_verify(dossiers):
    assert verify() == (0, "")


@pytest.mark.parametrize(("tamper", "reason"), CASES, ids=[case[0].__name__ for case in CASES])
def test_tampering_is_detected_and_named(dossiers, tamper, reason):
    tamper(dossiers)
    code, errors = verify()
    assert code == 1
    lines = errors.strip().splitlines()
    assert len(lines) == 1, errors  # only the tampered dossier
    assert lines[0].startswith(f"Hồ sơ {dossiers[1].code}:")
    assert reason in lines[0]
    assert services.verify_chain(dossiers[0]) is None


def test_the_dossier_row_keeps_the_head_of_its_history(dossiers):
    dossier = dossiers[0]
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("sequence"))
    assert dossier.history_count == len(events)
    assert dossier.history_head == events[-1].hash
    # An ordinary save of a stale copy does not set the head back.
    stale = type(dossier).objects.get(pk=dossier.pk)
    stale.close_reason = "x"
    stale.save()
    dossier.refresh_from_db()
    assert dossier.history_head == events[-1].hash


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "statement", ["UPDATE {t} SET note = 'x' WHERE id = %s", "DELETE FROM {t} WHERE id = %s"]
)
def test_postgresql_refuses_update_and_delete_of_history(dossiers, statement):
    event = newest(dossiers[0])
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(t=TABLE), [event.pk])
    assert "history is append-only" in str(error.value)
    assert services.verify_chain(dossiers[0]) is None
