"""The counts the 766 index and the dashboard read, on hand-built records with known answers."""

from datetime import date, timedelta
from itertools import count

import pytest
import time_machine

from cchc.feedback import selectors
from cchc.feedback.models import Feedback, FeedbackStatus

from .conftest import local, submit, to_state

pytestmark = pytest.mark.django_db

_numbers = count(1)
NOW = local(2025, 3, 31, 10, 0)
ZERO = {
    "total": 0,
    "classified": 0,
    "in_competence": 0,
    "handled_on_time": 0,
    "handled": 0,
    "dissatisfied_or_overdue": 0,
    "rated": 0,
    "satisfied": 0,
}


def make(unit, received, due, status="received", **fields) -> Feedback:
    return Feedback.objects.create(
        code=f"PA-TEST-{next(_numbers):04d}",
        subject_kind="other",
        title="Tiêu đề",
        content="Nội dung phản ánh",
        sender_name="Người gửi",
        unit=unit,
        status=status,
        received_at=received,
        due_at=due,
        public_title="Tiêu đề" if status in ("published", "rated") else "",
        **fields,
    )


@pytest.fixture
def march(unit, other_unit):
    """Eleven feedback of March 2025 for ``unit`` (and one elsewhere, one out of the period)."""
    day = lambda d, h=9: local(2025, 3, d, h, 0)  # noqa: E731
    due = day(24, 17)
    records = [
        # received, never classified, open past its due time at NOW: overdue
        make(unit, day(3), due),
        # classified, still open and overdue at NOW
        make(unit, day(3), due, "classified", category="fees"),
        # classified, open, due after NOW: pending within due
        make(unit, day(25), day(28, 17) + timedelta(days=7), "classified", category="other"),
        # answered but not published before due: not handled, overdue
        make(unit, day(4), due, "answered", category="fees", answered_at=day(10)),
        # published on time, not rated
        make(unit, day(4), due, "published", category="fees", published_at=day(12)),
        # published on time, rated satisfied
        make(
            unit,
            day(5),
            due,
            "rated",
            category="other",
            published_at=day(12),
            rating="satisfied",
        ),
        # published on time, rated dissatisfied
        make(
            unit,
            day(5),
            due,
            "rated",
            category="other",
            published_at=day(13),
            rating="dissatisfied",
        ),
        # published late, rated dissatisfied: counted once in dissatisfied_or_overdue
        make(
            unit,
            day(6),
            due,
            "rated",
            category="fees",
            published_at=day(26),
            rating="dissatisfied",
        ),
        # published late, rated neutral
        make(unit, day(6), due, "rated", category="fees", published_at=day(27), rating="neutral"),
        # refused as not within competence (classified first), past the due time: not overdue
        make(unit, day(7), due, "rejected", category="other"),
        # received on the last day of the period, at 23:30
        make(unit, local(2025, 3, 31, 23, 30), day(31, 17) + timedelta(days=21)),
    ]
    make(other_unit, day(3), due, "published", category="fees", published_at=day(4))
    make(unit, local(2025, 2, 28, 23, 59), due)  # February: out of the period
    make(unit, local(2025, 4, 1, 0, 0), due)  # April: out of the period
    return records


def test_counts_follow_the_documented_definitions(unit, march):
    counts = selectors.index_counts([unit.pk], date(2025, 3, 1), date(2025, 3, 31), now=NOW)
    assert {key: counts[key] for key in ZERO} == {
        "total": 11,
        "classified": 9,  # all but the two never classified
        "in_competence": 10,  # all but the refused one
        "handled": 5,  # published (rated ones were published)
        "handled_on_time": 3,
        # overdue: 2 open past due + 1 answered unpublished + 2 published late = 5;
        # plus the on-time dissatisfied one = 6
        "dissatisfied_or_overdue": 6,
        "rated": 4,
        "satisfied": 1,
    }
    assert counts["overdue"] == 5 and counts["dissatisfied"] == 2
    assert counts["pending_within_due"] == 2  # the 25/3 one and the 31/3 late-evening one


def test_all_units_and_several_units(unit, other_unit, march):
    period = (date(2025, 3, 1), date(2025, 3, 31))
    assert selectors.index_counts(None, *period, now=NOW)["total"] == 12
    assert selectors.index_counts([unit.pk, other_unit.pk], *period, now=NOW)["total"] == 12
    assert selectors.index_counts([other_unit.pk], *period, now=NOW)["handled_on_time"] == 1


def test_open_feedback_is_judged_at_the_end_of_a_past_period(unit, march):
    # For 1–10 March, the period ends before the due time (24/3): nothing open is overdue yet.
    counts = selectors.index_counts([unit.pk], date(2025, 3, 1), date(2025, 3, 10), now=NOW)
    assert counts["total"] == 9
    assert counts["overdue"] == 2  # only the two published after their due time
    assert counts["pending_within_due"] == 3


def test_a_series_of_periods_counts_as_each_period_alone(unit, other_unit, march):
    """``index_counts_series`` (the 766 weekly trend, one query) equals ``index_counts`` of
    each period: the open feedback judged at each period's own end, the edges by local day."""
    periods = [
        (date(2025, 2, 24), date(2025, 3, 2)),
        (date(2025, 3, 3), date(2025, 3, 9)),
        (date(2025, 3, 10), date(2025, 3, 30)),
        (date(2025, 3, 31), date(2025, 4, 6)),
    ]
    for ids in ([unit.pk], None):
        series = selectors.index_counts_series(ids, periods, now=NOW)
        alone = [selectors.index_counts(ids, start, end, now=NOW) for start, end in periods]
        assert series == alone
    assert [counts["total"] for counts in series] == [1, 10, 1, 2]  # every unit
    assert selectors.index_counts_series(None, [], now=NOW) == []


def test_zero_records(unit):
    counts = selectors.index_counts([unit.pk], date(2025, 3, 1), date(2025, 3, 31))
    assert {key: counts[key] for key in ZERO} == ZERO
    assert selectors.index_counts([], date(2025, 3, 1), date(2025, 3, 31))["total"] == 0
    assert selectors.dossier_ids_with_feedback([]) == set()
    assert selectors.waiting_count([unit.pk]) == 0


def test_dossier_ids_with_feedback(dossier, clock):
    submit(subject_kind="dossier", dossier_code=dossier.code, dossier_digits="4321")
    assert selectors.dossier_ids_with_feedback([dossier.pk, dossier.pk + 1000]) == {dossier.pk}


def test_waiting_count_is_feedback_not_yet_answered(unit, other_unit, officer, leader, clock):
    for state in ("received", "classified", "answered", "rejected"):
        feedback, _ = submit(unit)
        to_state(feedback, state, officer, leader)
    submit(other_unit)
    assert selectors.waiting_count([unit.pk]) == 2
    assert selectors.waiting_count(None) == 3


def test_queues(unit, officer, leader, clock):
    created = {}
    for state in ("received", "classified", "answered", "published"):
        feedback, _ = submit(unit)
        created[state] = to_state(feedback, state, officer, leader)

    def codes(slug, now=None):
        return {f.code for f in selectors.queue(officer, slug, now=now)}

    assert codes("can-xu-ly") == {created["received"].code, created["classified"].code}
    assert codes("da-tra-loi") == {created["answered"].code}
    assert codes("da-cong-khai") == {created["published"].code}
    assert len(codes("tat-ca")) == 4
    assert codes("qua-han") == set()
    # 13 working days later the open ones (answered included) are near their due time…
    open_codes = {created[s].code for s in ("received", "classified", "answered")}
    with time_machine.travel(local(2025, 3, 20, 9, 0), tick=False):
        assert codes("sap-den-han") == open_codes
    # …and after it, overdue.
    with time_machine.travel(local(2025, 3, 25, 9, 0), tick=False):
        assert codes("qua-han") == open_codes
        assert codes("sap-den-han") == set()


def test_queue_is_scoped_to_the_users_units(unit, stranger, clock):
    submit(unit)
    assert not selectors.queue(stranger, "tat-ca").exists()


def test_filters_and_search(unit, officer, leader, clock):
    first, _ = submit(unit, title="Lệ phí chứng thực")
    second, _ = submit(unit, title="Ghế chờ")
    second = to_state(second, "classified", officer, leader)
    everything = selectors.queue(officer, "tat-ca")
    assert list(selectors.filtered(everything, text="chứng thực")) == [first]
    assert list(selectors.filtered(everything, text=first.code.lower())) == [first]
    assert list(selectors.filtered(everything, category="other")) == [second]
    assert list(selectors.filtered(everything, category="chua-phan-loai")) == [first]
    assert list(selectors.filtered(everything, status=FeedbackStatus.CLASSIFIED)) == [second]
    assert selectors.filtered(everything, status="bogus").count() == 2
