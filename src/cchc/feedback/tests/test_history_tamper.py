"""A feedback's history is sealed like a dossier's: tampering in the database is detected and named.

The answer deadline of the 766 index (indicators 5.1–5.4) is judged from these events, so the same
attacks as on dossiers (issue 8) must show: each case edits or deletes rows with raw SQL, as a
PostgreSQL superuser could (the append-only trigger switched off for the transaction).
"""

import io
import itertools
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from cchc.feedback import services
from cchc.feedback.models import Feedback, FeedbackEvent
from cchc.history import registry
from cchc.history import services as history
from cchc.history.testing import bypassing_append_only

from .conftest import submit, to_state

TABLE = FeedbackEvent._meta.db_table


@pytest.fixture
def feedbacks(unit, officer, leader, clock):
    """Two answered feedbacks (submitted, classified, answered); only the second is tampered."""
    made = []
    for _ in range(2):
        feedback, _token = submit(unit)
        to_state(feedback, "answered", officer, leader)
        made.append(Feedback.objects.get(pk=feedback.pk))
    assert [f.history_count for f in made] == [3, 3]
    return made


def sql(statement, params):
    with bypassing_append_only(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def verify(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify-history", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def event(feedback, sequence) -> FeedbackEvent:
    return FeedbackEvent.objects.get(feedback=feedback, sequence=sequence)


def intact(feedback) -> bool:
    return history.verify_owner(registry.get("feedback"), feedback) is None


def edit_note(target):
    sql(f"UPDATE {TABLE} SET note = %s WHERE id = %s", ["đã sửa", event(target, 2).pk])


def edit_time(target):
    moved = event(target, 2)
    sql(f"UPDATE {TABLE} SET at = %s WHERE id = %s", [moved.at - timedelta(days=3), moved.pk])


def delete_middle(target):
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [event(target, 2).pk])


def delete_newest(target):
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [event(target, 3).pk])


def delete_all(target):
    sql(f"DELETE FROM {TABLE} WHERE feedback_id = %s", [target.pk])


def rehash_edited_newest(target):
    """Edit the newest event and recompute its seal without the key (plain SHA-256)."""
    import hashlib

    newest = event(target, 3)
    forged = hashlib.sha256(f"{newest.previous_hash}đã sửa".encode()).hexdigest()
    sql(f"UPDATE {TABLE} SET note = %s, hash = %s WHERE id = %s", ["đã sửa", forged, newest.pk])
    owners = Feedback._meta.db_table
    sql(f"UPDATE {owners} SET history_head = %s WHERE id = %s", [forged, target.pk])


CHANGED = "nội dung đã bị sửa sau khi ghi (mã niêm phong không khớp)"
CASES = [
    (edit_note, f"sự kiện số 2 – {CHANGED}"),
    (edit_time, f"sự kiện số 2 – {CHANGED}"),
    (delete_middle, "sự kiện số 2 – thiếu sự kiện"),
    (delete_newest, "sự kiện số 3 – mất các sự kiện cuối (2/3)"),
    (delete_all, "mất toàn bộ lịch sử (0/3)"),
    (rehash_edited_newest, f"sự kiện số 3 – {CHANGED}"),
]


def test_verify_history_covers_feedback(feedbacks):
    code, out, errors = verify()
    assert (code, errors) == (0, "")
    assert "Đã kiểm tra 2 phản ánh, 6 sự kiện; 0 phản ánh có lịch sử bị phá vỡ." in out


@pytest.mark.parametrize(("tamper", "reason"), CASES, ids=[case[0].__name__ for case in CASES])
def test_tampering_with_feedback_history_is_detected_and_named(feedbacks, tamper, reason):
    tamper(feedbacks[1])
    code, out, errors = verify("--chain", "feedback")
    assert code == 1
    assert errors.strip().splitlines() == [f"Phản ánh {feedbacks[1].code}: {reason}."]
    assert "1 phản ánh có lịch sử bị phá vỡ" in out
    assert intact(feedbacks[0])
    assert not intact(feedbacks[1])


def publish(feedback, leader):
    return services.publish(feedback.pk, leader, "Câu hỏi đã biên tập.", "Câu trả lời công khai.")


def test_each_action_moves_the_head_on_the_feedback_row(feedbacks, leader):
    feedback = publish(feedbacks[0], leader)
    feedback.refresh_from_db()
    events = list(FeedbackEvent.objects.filter(feedback=feedback).order_by("sequence"))
    assert [e.sequence for e in events] == [1, 2, 3, 4]
    assert [e.action for e in events][-1] == "published"
    assert feedback.history_count == 4
    assert feedback.history_head == events[-1].hash
    assert all(e.previous_hash == p.hash for p, e in itertools.pairwise(events))
    assert intact(feedback)


def test_a_stale_copy_saved_later_does_not_set_the_head_back(feedbacks, leader):
    stale = Feedback.objects.get(pk=feedbacks[0].pk)
    publish(feedbacks[0], leader)
    stale.title = "Tiêu đề khác"
    stale.save()
    fresh = Feedback.objects.get(pk=stale.pk)
    assert fresh.history_count == 4
    assert intact(fresh)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "statement", ["UPDATE {t} SET note = 'x' WHERE id = %s", "DELETE FROM {t} WHERE id = %s"]
)
def test_postgresql_refuses_update_and_delete_of_feedback_history(feedbacks, statement):
    target = event(feedbacks[0], 3)
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(t=TABLE), [target.pk])
    assert "history is append-only" in str(error.value)
    assert intact(feedbacks[0])
