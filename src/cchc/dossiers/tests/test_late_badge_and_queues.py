"""The dossier's late badge and the overdue / near-due queues follow the one lateness definition
(``cchc.dossiers.lateness``), through the real services."""

import pytest
import time_machine

from cchc.dossiers import selectors, services
from cchc.dossiers.lateness import EARLY, LATE, ON_TIME
from cchc.dossiers.models import Dossier, Status

from .conftest import local, seen

pytestmark = pytest.mark.django_db

NOW = local(2024, 6, 12, 9, 0)  # Wednesday; dossiers received on Monday 03/06 are due 10/06 17:00


def at(moment, action, *args, **kwargs):
    with time_machine.travel(moment, tick=False):
        return getattr(services, action)(*args, **kwargs)


def received(officer, unit, procedure, applicant, day=3):
    dossier = at(
        local(2024, 6, day, 8, 0), "receive_at_counter", officer, unit, procedure, applicant
    )
    return at(local(2024, 6, day, 8, 30), "forward", dossier.pk, officer)


@pytest.fixture
def dossiers(officer, processor, leader, unit, procedure, applicant):
    past_due = received(officer, unit, procedure, applicant)

    by_rule = received(officer, unit, procedure, applicant, day=5)  # due 12/06, moved 20 min
    for minute, actor in ((0, processor), (20, leader)):  # the second request needs the leader
        at(local(2024, 6, 5, 9, minute), "request_supplement", by_rule.pk, actor, "Ảnh", "Thiếu",
           expected_version=seen(by_rule.pk))  # fmt: skip
        at(local(2024, 6, 5, 9, minute + 10), "complete_supplement", by_rule.pk, officer,
           expected_version=seen(by_rule.pk))  # fmt: skip

    waiting = received(officer, unit, procedure, applicant)
    at(local(2024, 6, 4, 9), "request_supplement", waiting.pk, processor, "Tờ khai", "Sai",
       expected_version=seen(waiting.pk))  # fmt: skip

    withdrawn_late = received(officer, unit, procedure, applicant)
    at(local(2024, 6, 11, 9), "withdraw", withdrawn_late.pk, officer, "Người nộp xin rút")

    early = received(officer, unit, procedure, applicant)
    at(local(2024, 6, 4, 9), "approve_result", early.pk, leader, "approved", "1/XN", "")

    due_soon = received(officer, unit, procedure, applicant, day=5)  # due 12/06 17:00
    return {
        name: Dossier.objects.get(pk=d.pk)
        for name, d in {
            "past_due": past_due,
            "by_rule": by_rule,
            "waiting": waiting,
            "withdrawn_late": withdrawn_late,
            "early": early,
            "due_soon": due_soon,
        }.items()
    }


def test_the_badge_is_the_definition(dossiers):
    got = {name: selectors.lateness_of(d, NOW) for name, d in dossiers.items()}
    assert got == {
        "past_due": LATE,
        "by_rule": LATE,  # late by rule before its due time has come
        "waiting": ON_TIME,  # waiting for the applicant since before its due time
        "withdrawn_late": LATE,  # ended after its due time (the report's due basis says late)
        "early": EARLY,
        "due_soon": ON_TIME,
    }
    by_rule = dossiers["by_rule"]
    assert by_rule.late_by_rule and NOW < by_rule.due_at < local(2024, 6, 13, 9, 0)
    assert {name for name, d in dossiers.items() if selectors.is_late(d, NOW)} == {
        "past_due",
        "by_rule",
        "withdrawn_late",
    }


def test_the_overdue_queue_holds_the_running_dossiers_the_definition_calls_late(dossiers, leader):
    with time_machine.travel(NOW, tick=False):
        overdue = set(selectors.queue(leader, "qua-han"))
        near = set(selectors.queue(leader, "sap-den-han"))
    running = [d for d in dossiers.values() if d.status in (Status.RECEIVED, Status.PROCESSING)]
    assert overdue == {d for d in running if selectors.is_late(d, NOW)}
    assert overdue == {dossiers["past_due"], dossiers["by_rule"]}
    # Late by rule (due within the horizon too) is already late, not near its due time.
    assert near == {dossiers["due_soon"]}


def test_the_queue_row_of_a_dossier_late_by_rule_says_so(dossiers, leader, client):
    """Not "time left" in green in the overdue queue: late by rule (tính là quá hạn)."""
    client.force_login(leader)
    with time_machine.travel(NOW, tick=False):
        html = client.get("/ho-so/hang-doi/qua-han/").content.decode()
    by_rule, past_due = dossiers["by_rule"], dossiers["past_due"]
    assert by_rule.code in html and past_due.code in html
    assert html.count("tính là quá hạn") == 2  # the table row and the phone card of one dossier


def test_each_queue_row_shows_its_due_time_and_the_working_time_left_or_late(
    dossiers, leader, client
):
    """The due column (dossier_tags.due_cell) in the table row and the phone card alike."""
    client.force_login(leader)
    with time_machine.travel(NOW, tick=False):
        html = client.get("/ho-so/hang-doi/tat-ca/").content.decode()
    late = (
        '17:00 10/06/2024<div class="due-left text-danger fw-semibold">đã quá hạn 1 ngày làm việc'
    )
    assert html.count(late) == 2  # received Monday 03/06, due Monday 10/06 17:00, local time
    assert html.count('17:00 12/06/2024<div class="due-left text-success">còn ') == 2  # due soon
    assert html.count("tính là quá hạn") == 2


def test_near_due_reaches_the_next_working_day_not_the_next_24_hours(
    officer, leader, unit, procedure, applicant
):
    """Friday after office hours, a dossier due at the end of Monday is near due (the weekend is
    not working time; 24 calendar hours would reach only Saturday evening); one due Tuesday is
    not. The queue, the morning digest and the dashboard read this one definition."""
    friday_evening = local(2024, 6, 14, 17, 30)
    monday = received(officer, unit, procedure, applicant, day=10)  # due Monday 17/06 17:00
    tuesday = received(officer, unit, procedure, applicant, day=11)  # due Tuesday 18/06 17:00
    assert monday.due_at == local(2024, 6, 17, 17, 0) and tuesday.due_at.day == 18
    horizon = selectors.near_due_horizon(friday_evening)
    assert horizon.date() == local(2024, 6, 17, 17, 0).date() and horizon >= monday.due_at
    with time_machine.travel(friday_evening, tick=False):
        assert set(selectors.queue(leader, "sap-den-han")) == {monday}
        assert set(Dossier.objects.filter(selectors.near_due(friday_evening))) == {monday}
