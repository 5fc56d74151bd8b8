"""When the dossier page offers the apology letter (Mẫu 04), and the issue-by time it shows.

The rule is ``services.apology_at_risk`` / ``apology_deadline``: offered within the configured
horizon before the due time or once late, never with an issue-by time before the receipt; a
procedure of one working day or less is issued by its due time (docs/one-stop-shop.md).
"""

import re

import pytest
import time_machine

from cchc.dossiers import selectors, services

from .conftest import local

pytestmark = pytest.mark.django_db

RECEIVED = local(2026, 12, 4, 5, 26)  # a Friday, before office hours (an early counter, the post)


def receive(officer, unit, procedure, applicant, at=RECEIVED):
    with time_machine.travel(at, tick=False):
        return services.receive_at_counter(officer, unit, procedure, applicant)


def page(client, user, dossier, at) -> str:
    client.force_login(user)
    with time_machine.travel(at, tick=False):
        response = client.get(f"/ho-so/{dossier.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def offered(html: str, dossier) -> bool:
    return f'action="/ho-so/{dossier.pk}/xin-loi/"' in html


def shown(moment) -> str:
    return moment.astimezone(RECEIVED.tzinfo).strftime("%H:%M %d/%m/%Y")


def issue_by(html: str) -> str:
    """The issue-by time the apology panel shows, "HH:MM dd/mm/yyyy"."""
    match = re.search(r'id="apology-issue-by">.*?(\d\d:\d\d \d\d/\d\d/\d{4})', html, re.S)
    assert match, "no issue-by time on the page"
    return match.group(1)


def test_brand_new_five_day_dossier_offers_no_apology(
    client, officer, processor, unit, procedure, applicant
):
    dossier = receive(officer, unit, procedure, applicant)
    assert services.apology_deadline(dossier) > dossier.received_at
    html = page(client, processor, dossier, local(2026, 12, 4, 8, 5))
    assert not offered(html, dossier)
    assert "xin-loi" not in html and 'id="apology-issue-by"' not in html
    assert not services.apology_offered(dossier, local(2026, 12, 4, 8, 5))


def test_at_risk_dossier_offers_the_apology_with_an_issue_by_after_receipt(
    client, officer, processor, unit, procedure, applicant
):
    dossier = receive(officer, unit, procedure, applicant)
    due = dossier.due_at
    # Three working days before the due time: not yet at risk (horizon 16 working hours).
    early = services.apology_deadline(dossier)
    assert not services.apology_at_risk(dossier, local(due.year, due.month, due.day - 3, 9, 0))
    # Within 16 working hours of the due time.
    now = local(due.year, due.month, due.day - 1, 9, 0)
    assert services.apology_at_risk(dossier, now) and selectors.needs_apology(dossier, now)
    html = page(client, processor, dossier, now)
    assert offered(html, dossier)
    assert issue_by(html) == shown(early)
    assert early > dossier.received_at and early < due
    assert "trước hạn giải quyết 01 ngày làm việc" in html


@pytest.mark.parametrize("hours", [16, 4])
def test_horizon_is_a_setting(settings, officer, unit, procedure, applicant, hours):
    settings.CCHC_APOLOGY_HORIZON_HOURS = hours
    dossier = receive(officer, unit, procedure, applicant)
    due = dossier.due_at
    day_before = local(due.year, due.month, due.day - 1, 14, 0)  # before the issue-by time
    left = 11 * 60 if due.hour == 17 else None
    assert services.apology_horizon_minutes() == hours * 60 and left is not None
    assert services.apology_at_risk(dossier, day_before) is (hours * 60 >= left)


def test_same_day_procedure_is_issued_by_its_due_time(
    client, officer, processor, unit, procedure, applicant
):
    procedure.time_limit_unit = "same_day"
    procedure.time_limit_amount = 0
    procedure.save()
    received = local(2026, 12, 4, 8, 0)
    dossier = receive(officer, unit, procedure, applicant, at=received)
    assert dossier.due_at.date() == received.date()
    deadline = services.apology_deadline(dossier)
    # No working day before the due day: the letter must go before the due time itself.
    assert deadline == dossier.due_at and deadline > dossier.received_at
    # Just received: not at risk, even though the whole day is within a 16-hour horizon.
    html = page(client, processor, dossier, local(2026, 12, 4, 8, 30))
    assert not offered(html, dossier)
    # In the second half of its working time: at risk, issue by the due time.
    html = page(client, processor, dossier, local(2026, 12, 4, 15, 0))
    assert offered(html, dossier)
    assert issue_by(html) == shown(dossier.due_at)
    assert "trước hạn giải quyết 01 ngày làm việc" not in html and "tức thời hạn giải quyết" in html


def test_hours_long_procedure_received_before_office_hours(
    client, officer, processor, unit, procedure, applicant
):
    """The reported case: received 05:26, the page asked for the letter by 17:00 the day before."""
    procedure.time_limit_unit = "working_hours"
    procedure.time_limit_amount = 4
    procedure.save()
    dossier = receive(officer, unit, procedure, applicant)
    deadline = services.apology_deadline(dossier)
    assert deadline == dossier.due_at and deadline > dossier.received_at
    assert not offered(page(client, processor, dossier, local(2026, 12, 4, 8, 10)), dossier)


def test_late_dossier_offers_the_apology(client, officer, processor, unit, procedure, applicant):
    dossier = receive(officer, unit, procedure, applicant)
    late = local(dossier.due_at.year, dossier.due_at.month, dossier.due_at.day + 1, 9, 0)
    assert services.apology_at_risk(dossier, late)
    html = page(client, processor, dossier, late)
    assert offered(html, dossier)
    assert issue_by(html) == shown(services.apology_deadline(dossier))


def test_the_page_does_not_offer_a_second_letter(
    client, officer, processor, unit, procedure, applicant
):
    dossier = receive(officer, unit, procedure, applicant)
    late = local(dossier.due_at.year, dossier.due_at.month, dossier.due_at.day + 1, 9, 0)
    with time_machine.travel(late, tick=False):
        services.draft_apology(
            dossier.pk,
            processor,
            "Cần xác minh thêm",
            local(dossier.due_at.year, dossier.due_at.month, dossier.due_at.day + 4, 17, 0),
            expected_version=dossier.version,
        )
    assert not offered(page(client, processor, dossier, late), dossier)
