"""Deadline reminders go to the outbox once per deadline and lead time."""

from datetime import date

import pytest
from django.core.management import call_command

from cchc.notifications.models import OutboxMessage
from cchc.parindex import services
from cchc.parindex.models import ReminderSent

from . import factories

clock, world = factories.clock, factories.world  # fixtures
pytestmark = pytest.mark.django_db


def test_self_assessment_reminder_to_draft_units_once(world):
    round_ = world.open_round()
    world.fill(round_, world.building, world.building_officer)
    services.submit(round_.assessments.get(unit=world.building).pk, world.building_leader)
    assert services.send_reminders(date(2026, 1, 10)) == 0  # 10 days before: nothing
    queued = services.send_reminders(date(2026, 1, 17))  # 3 days before
    recipients = set(OutboxMessage.objects.values_list("recipient", flat=True))
    assert queued == len(recipients) == 3  # the justice staff (office included), not building
    assert all("tuphap" in r for r in recipients)
    assert services.send_reminders(date(2026, 1, 17)) == 0
    assert services.send_reminders(date(2026, 1, 18)) == 0  # still the 3-day reminder
    assert services.send_reminders(date(2026, 1, 19)) == 3  # the 1-day one
    assert ReminderSent.objects.count() == 2


def test_explanation_and_appraisal_reminders_by_command(world, capsys):
    round_ = world.appraisal_round()
    leaf = world.leaf(round_, world.justice, "1.2")
    services.request_explanation(leaf.pk, world.member, "Gửi báo cáo", date(2026, 1, 16))
    call_command("par-reminders", "--today", "15/01/2026", "--days-before", "1")
    assert "Đã xếp hàng" in capsys.readouterr().out
    explained = OutboxMessage.objects.filter(subject__contains="1.2")
    assert explained.count() == 3
    call_command("par-reminders", "--today", "2026-01-15", "--days-before", "1")
    assert OutboxMessage.objects.count() == 3
    call_command("par-reminders", "--today", "2026-02-24")
    council = set(
        OutboxMessage.objects.exclude(subject__contains="1.2").values_list("recipient", flat=True)
    )
    assert council == {
        f"{u.username}@example.gov.vn" for u in (world.chair, world.secretary, world.member)
    }


def test_publication_reminder_to_those_who_publish_until_published(world, clock):
    round_ = world.appraisal_round()
    assert services.send_reminders(date(2026, 3, 1)) == 0  # 9 days before: nothing
    assert services.send_reminders(date(2026, 3, 7)) == 3  # 3 days before
    publishers = {
        u.username + "@example.gov.vn" for u in (world.chair, world.secretary, world.reform)
    }
    published = OutboxMessage.objects.filter(subject__startswith="Công bố kết quả ngày 10/03/2026")
    assert set(published.values_list("recipient", flat=True)) == publishers  # not the member
    assert services.send_reminders(date(2026, 3, 7)) == 0
    clock.move_to("2026-03-08 09:00+07:00")
    services.decide(round_.pk, world.chair, "15/QĐ-UBND", date(2026, 3, 8))
    assert services.send_reminders(date(2026, 3, 9)) == 3  # the 1-day one, the round decided
    services.publish(round_.pk, world.chair)
    assert services.send_reminders(date(2026, 3, 10)) == 0
    assert ReminderSent.objects.filter(deadline="publication_date").count() == 2
