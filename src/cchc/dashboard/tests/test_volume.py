"""The dashboard's figures on a generated history, checked against the dossiers themselves.

``cchc.demo.generate`` writes a year of dossiers at three communes' one-stop centres (clock
stops, supplements, ratings, late dossiers). Each figure is then recounted here straight from the
dossier, pause and rating tables, without the counters the dashboard reads.
"""

from datetime import date, timedelta

import pytest
import time_machine
from django.db.models import Q
from django.utils import timezone

from cchc.dashboard import selectors
from cchc.dossiers import selectors as dossier_selectors
from cchc.dossiers.models import Dossier, DossierRating, Outcome, Status

from .conftest import at

pytestmark = pytest.mark.django_db

NOW = at(2026, 3, 18, 10, 0)
TODAY = date(2026, 3, 18)
OPEN = (
    Status.RECEIVED,
    Status.PROCESSING,
    Status.SUPPLEMENT_REQUESTED,
    Status.FINANCIAL_OBLIGATION,
)
COUNTED = (*OPEN, Status.WITHDRAWN, Status.STOPPED, Status.RESOLVED, Status.RETURNED)


@pytest.fixture
def history(unit, procedure):
    from cchc.demo.generate import generate

    with time_machine.travel(NOW, tick=False):
        summary = generate(900, units=3, years=1, seed=11, now=NOW, events=False)
    assert summary.dossiers == 900
    return unit.parent  # the province, above the generated centres


def local_day(moment):
    return timezone.localtime(moment).date()


def received(dossier) -> bool:
    return dossier.status in COUNTED and dossier.received_at is not None


@pytest.fixture
def dossiers(history):
    return list(Dossier.objects.select_related("receiving_unit"))


def test_weekly_received_and_resolved_match_the_dossiers(history, dossiers):
    weeks = selectors.weekly_flows(selectors.unit_ids(history), TODAY)
    for week in weeks:
        days = (week["start"], week["end"])
        got = [
            d for d in dossiers if received(d) and days[0] <= local_day(d.received_at) <= days[1]
        ]
        resolved = [
            d
            for d in dossiers
            if d.status in (Status.RESOLVED, Status.RETURNED)
            and d.outcome != Outcome.REFUSED
            and d.resolved_at is not None
            and days[0] <= local_day(d.resolved_at) <= days[1]
        ]
        online = [d for d in got if d.channel == 2]
        assert (week["received"], week["resolved"], week["received_online"]) == (
            len(got),
            len(resolved),
            len(online),
        ), week["start"]
    assert sum(week["received"] for week in weeks) > 100


def test_received_today_matches(history, dossiers):
    expected = sum(1 for d in dossiers if received(d) and local_day(d.received_at) == TODAY)
    assert selectors.received_today(selectors.unit_ids(history), TODAY) == expected


def test_overdue_now_matches_the_dossiers(history, dossiers):
    """The dashboard's overdue list (the report's overdue facts) is the open dossiers the one
    lateness definition calls late now."""
    expected = {
        d.code
        for d in dossiers
        if d.status in OPEN and d.received_at is not None and dossier_selectors.is_late(d, NOW)
    }
    got = [d.code for d in selectors.overdue_now(history, NOW)]
    assert set(got) == expected and len(got) == len(expected)
    assert expected, "the generated history should hold overdue dossiers"
    due = [d.due_at for d in selectors.overdue_now(history, NOW)]
    assert due == sorted(due)


def test_near_due_matches_the_dossiers(history, dossiers):
    horizon = dossier_selectors.near_due_horizon(NOW, history)
    assert horizon == at(2026, 3, 19, 10, 0)  # eight office hours after Wednesday 10:00
    expected = {
        d.code
        for d in dossiers
        if d.status in (Status.RECEIVED, Status.PROCESSING)
        and not d.late_by_rule
        and NOW <= d.due_at <= horizon
    }
    assert {d.code for d in selectors.near_due(history, NOW)} == expected


def test_satisfaction_matches_the_ratings(history):
    start = date(2025, 9, 1)
    ratings = DossierRating.objects.filter(
        dossier__received_at__gte=at(2025, 9, 1, 0, 0),
        dossier__received_at__lt=at(2026, 3, 19, 0, 0),
    )
    scores = list(ratings.values_list("score", flat=True))
    got = selectors.satisfaction(selectors.unit_ids(history), start, TODAY)
    assert got["denominator"] == len(scores) > 10
    assert got["numerator"] == sum(1 for s in scores if s >= 4)
    assert got["dissatisfied"] == sum(1 for s in scores if s <= 2)


def test_units_add_up_to_the_total(history):
    start = TODAY - timedelta(days=89)
    totals = selectors.period_totals(history, start, TODAY)
    rows = selectors.on_time_by_child(history, start, TODAY)
    assert len(rows) == 3  # the three communes (their centres' dossiers)
    assert sum(r["denominator"] for r in rows) == totals["to_process"]
    assert sum(r["numerator"] for r in rows) == totals["to_process"] - totals["late_total"]
    percents = [r["percent"] for r in rows]
    assert percents == sorted(percents, reverse=True)


def test_public_page_holds_no_personal_data(client, history, dossiers):
    centre = next(d.receiving_unit for d in dossiers)
    with time_machine.travel(NOW, tick=False):
        html = client.get(f"/minh-bach/{centre.code}/").content.decode()
        listing = client.get("/minh-bach/").content.decode()
    assert f'href="/minh-bach/{centre.code}/"' in listing
    personal = set()
    for d in dossiers:
        personal |= {d.applicant_name, d.applicant_phone, d.applicant_id_number}
        personal |= {d.applicant_email, d.applicant_address, d.code}
    leaked = sorted(value for value in personal if value and value in html + listing)
    assert leaked == []
    assert not Dossier.objects.filter(Q(applicant_name="") & Q(applicant_phone="")).exists()
