"""The officers' morning digest of their dossiers near due and overdue (``dossier-near-due``)."""

from datetime import date

import pytest
import time_machine

from cchc.common.jobs import jobs
from cchc.dossiers import selectors
from cchc.dossiers import services as dossiers
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.conftest import local, seen
from cchc.notifications.models import OutboxMessage
from cchc.organisations.models import Role, RoleAssignment
from cchc.workdays.models import CalendarDay, CalendarDayKind

pytestmark = pytest.mark.django_db

MORNING = local(2024, 6, 12, 7, 0)  # Wednesday; received Monday 03/06 is due Monday 10/06 17:00


def at(moment, action, *args, **kwargs):
    with time_machine.travel(moment, tick=False):
        return getattr(dossiers, action)(*args, **kwargs)


def received(officer, unit, procedure, applicant, day):
    dossier = at(local(2024, 6, day, 8, 0), "receive_at_counter", officer, unit, procedure,
                 applicant)  # fmt: skip
    return at(local(2024, 6, day, 8, 30), "forward", dossier.pk, officer)


def digests():
    return {
        m.recipient: m
        for m in OutboxMessage.objects.filter(dedup_key__startswith="near-due:").order_by("pk")
    }


def run(moment=MORNING) -> str:
    with time_machine.travel(moment, tick=False):
        return jobs.get("dossier-near-due").run(moment)


@pytest.fixture
def world(officer, processor, leader, unit, other_unit, procedure, applicant, django_user_model):
    for user, email in ((officer, "motcua@anbinh.gov.vn"), (processor, "cv@anbinh.gov.vn"),
                        (leader, "ld@anbinh.gov.vn")):  # fmt: skip
        user.email = email
        user.save(update_fields=["email"])
    justice = django_user_model.objects.create_user(
        "tuphap", password="pw-123456", full_name="Trần Thị Bình", email="stp@anbinh.gov.vn"
    )
    RoleAssignment.objects.create(user=justice, unit=other_unit, role=Role.PROCESSING_OFFICER)
    overdue = received(officer, unit, procedure, applicant, 3)  # due 10/06 17:00
    near = received(officer, unit, procedure, applicant, 5)  # due 12/06 17:00
    later = received(officer, unit, procedure, applicant, 11)  # due 18/06: not yet
    waiting = received(officer, unit, procedure, applicant, 5)  # due 12/06, but stopped
    at(local(2024, 6, 6, 9), "request_supplement", waiting.pk, processor, "Tờ khai", "Sai",
       expected_version=seen(waiting.pk))  # fmt: skip
    mine = received(officer, unit, procedure, applicant, 4)  # due 11/06 17:00: overdue
    Dossier.objects.filter(pk=mine.pk).update(current_handler=processor)
    elsewhere = received(officer, unit, procedure, applicant, 5)  # due 12/06, at the department
    Dossier.objects.filter(pk=elsewhere.pk).update(current_unit=other_unit, current_handler=None)
    Dossier.objects.exclude(pk=mine.pk).update(current_handler=None)
    return {
        "officer": officer,
        "processor": processor,
        "leader": leader,
        "justice": justice,
        **{
            name: Dossier.objects.get(pk=d.pk)
            for name, d in {
                "overdue": overdue,
                "near": near,
                "later": later,
                "waiting": waiting,
                "mine": mine,
                "elsewhere": elsewhere,
            }.items()
        },
    }


def test_the_digest_follows_the_queues_definitions(world):
    with time_machine.travel(MORNING, tick=False):
        near = set(Dossier.objects.filter(selectors.near_due(MORNING)).values_list("pk", flat=True))
        late = set(Dossier.objects.filter(selectors.overdue(MORNING)).values_list("pk", flat=True))
    assert near == {world["near"].pk, world["elsewhere"].pk}
    assert late == {world["overdue"].pk, world["mine"].pk}


def test_each_officer_gets_the_dossiers_in_their_hands(world):
    assert run() == "3 digests queued, 0 already queued today, 0 officers without an email skipped"
    sent = digests()
    # The leader's role is not a handling role; the one-stop and processing officers of the ward
    # see its unassigned dossiers, the assigned one goes to its handler only; the department's
    # officer sees the department's dossier only.
    assert set(sent) == {"motcua@anbinh.gov.vn", "cv@anbinh.gov.vn", "stp@anbinh.gov.vn"}
    codes = {key: world[key].code for key in ("overdue", "near", "later", "waiting", "mine")}
    codes["elsewhere"] = world["elsewhere"].code

    def listed(recipient):
        return {name for name, code in codes.items() if code in sent[recipient].body}

    assert listed("motcua@anbinh.gov.vn") == {"overdue", "near"}
    assert listed("cv@anbinh.gov.vn") == {"overdue", "near", "mine"}
    assert listed("stp@anbinh.gov.vn") == {"elsewhere"}
    officer = sent["motcua@anbinh.gov.vn"]
    assert officer.subject == "Hồ sơ cần theo dõi ngày 12/06/2024: 1 sắp đến hạn, 1 quá hạn"
    assert officer.channel == "email" and officer.dossier_id is None
    body = officer.body
    near_part, late_part = body.split("Đã quá hạn")
    assert world["near"].code in near_part and world["overdue"].code in late_part
    assert "hạn 12/06/2024 17:00" in near_part and "hạn 10/06/2024 17:00" in late_part
    assert world["near"].procedure.name in body
    assert world["near"].applicant_name not in body  # nothing of the applicant


def test_the_links_point_at_the_queues(world, settings):
    settings.CCHC_PUBLIC_URL = "https://dichvucong.anbinh.gov.vn/"
    run()
    body = digests()["cv@anbinh.gov.vn"].body
    assert "https://dichvucong.anbinh.gov.vn/ho-so/hang-doi/sap-den-han/" in body
    assert "https://dichvucong.anbinh.gov.vn/ho-so/hang-doi/qua-han/" in body


def test_a_rerun_or_a_second_worker_sends_nothing_more(world):
    run()
    count = OutboxMessage.objects.count()
    assert run() == "0 digests queued, 3 already queued today, 0 officers without an email skipped"
    assert run(local(2024, 6, 12, 11, 0)).startswith("0 digests queued, 3 already")
    assert OutboxMessage.objects.count() == count
    assert run(local(2024, 6, 13, 7, 0)).startswith("3 digests queued")  # the next day: again
    assert len({m.dedup_key for m in OutboxMessage.objects.all()}) == OutboxMessage.objects.count()


def test_an_officer_without_email_is_skipped_and_counted(world):
    world["officer"].email = ""
    world["officer"].save(update_fields=["email"])
    assert run() == "2 digests queued, 0 already queued today, 1 officers without an email skipped"
    assert set(digests()) == {"cv@anbinh.gov.vn", "stp@anbinh.gov.vn"}


def test_nothing_on_days_off_and_a_make_up_saturday_is_worked(world):
    assert run(local(2024, 6, 8, 7, 0)) == "not a working day: no digest"  # Saturday
    assert run(local(2024, 6, 9, 7, 0)) == "not a working day: no digest"  # Sunday
    assert not digests()
    CalendarDay.objects.create(
        date=date(2024, 6, 15), kind=CalendarDayKind.WORKING_DAY, name="Làm bù"
    )
    assert run(local(2024, 6, 15, 7, 0)).startswith("3 digests queued")


def test_an_officer_with_nothing_near_due_gets_nothing(world):
    Dossier.objects.filter(pk=world["elsewhere"].pk).update(current_unit=world["near"].current_unit)
    run()
    assert "stp@anbinh.gov.vn" not in digests()


def test_a_long_list_is_cut_and_points_at_the_queue(world, monkeypatch):
    from cchc.notifications import near_due

    monkeypatch.setattr(near_due, "MAX_LISTED", 1)
    run()
    body = digests()["cv@anbinh.gov.vn"].body
    assert "… và 1 hồ sơ khác." in body and world["mine"].code not in body
    assert "Xem danh sách “Quá hạn” trên trang Hồ sơ." in body  # no public address set


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_queue_each_digest_once(world):
    from django.db import transaction

    from cchc.notifications.near_due import send_digests
    from cchc.workflow.testing import run_together

    def worker():
        with transaction.atomic():
            return send_digests(MORNING)

    with time_machine.travel(MORNING, tick=False):
        first, second = run_together(worker, worker)
    assert not isinstance(first, Exception) and not isinstance(second, Exception), (first, second)
    assert (first.queued + second.queued, first.already + second.already) == (3, 3)
    assert len(digests()) == 3
    assert OutboxMessage.objects.filter(dedup_key__startswith="near-due:").count() == 3
