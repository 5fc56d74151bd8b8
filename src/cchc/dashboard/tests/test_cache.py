"""The dashboard's short cache and the figures read from the counters instead of the dossiers."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from cchc.common import jobs
from cchc.dashboard import selectors

from .conftest import NOW, at
from .test_views import value

pytestmark = pytest.mark.django_db

HOME = "/dieu-hanh/"
LIVE = "/dieu-hanh/cap-nhat/"
DOSSIERS = '"dossiers_dossier"'


def sql_of(captured) -> list[str]:
    return [query["sql"] for query in captured.captured_queries]


def test_a_second_request_within_the_window_reads_no_figure_again(client, march, leader, clock):
    client.force_login(leader)
    with CaptureQueriesContext(connection) as first:
        assert client.get(LIVE).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(LIVE).status_code == 200
    assert any("reports_statcell" in sql for sql in sql_of(first))
    assert any(DOSSIERS in sql for sql in sql_of(first))
    read_again = [
        sql for sql in sql_of(second) if "reports_statcell" in sql or "reports_dossierstat" in sql
    ]
    assert read_again == []
    assert not any(DOSSIERS in sql for sql in sql_of(second))
    assert len(second.captured_queries) < len(first.captured_queries) - 10
    assert first.captured_queries and second.captured_queries  # the session and the user's scope


def test_the_page_and_the_fragment_share_the_entry(client, march, leader, clock):
    client.force_login(leader)
    client.get(HOME)
    with CaptureQueriesContext(connection) as live:
        html = client.get(LIVE).content.decode()
    assert not any("reports_statcell" in sql for sql in sql_of(live))
    assert 'id="overdue-count"' in html


def test_entries_are_per_unit_period_and_day(march, unit, clock):
    province, month = unit.parent, selectors.named_period("thang", NOW.date())
    quarter = selectors.named_period("quy", NOW.date())
    assert selectors.cached_dashboard(province, month)["overdue_count"] == 2  # A and H
    ward = selectors.cached_dashboard(unit, month)
    assert ward["overdue_count"] == 1  # A only: H is the department's
    assert [row["dossier"].code for row in ward["overdue"]] == [march["A"].code]
    keys = {
        selectors.cache_key(province, month, NOW.date()),
        selectors.cache_key(unit, month, NOW.date()),
        selectors.cache_key(unit, quarter, NOW.date()),
        selectors.cache_key(unit, month, NOW.date() + timedelta(days=1)),
        selectors.cache_key(None, month, NOW.date()),
    }
    assert len(keys) == 5
    # February's resolved dossier I counts in the quarter, not in the month.
    assert selectors.cached_dashboard(unit, quarter)["on_time"]["denominator"] == (
        ward["on_time"]["denominator"] + 1
    )


def test_users_of_different_units_do_not_share_figures(client, march, leader, auditor, clock):
    client.force_login(auditor)  # the province: A and H overdue
    html = client.get(HOME).content.decode()
    assert value(html, "overdue-count") == "2"
    client.force_login(leader)  # the ward, right after: its own figures
    html = client.get(HOME).content.decode()
    assert value(html, "overdue-count") == "1"


def test_figures_are_at_most_the_window_old(march, unit, desk, officer, procedure, clock):
    month = selectors.named_period("thang", NOW.date())
    assert selectors.cached_dashboard(unit, month)["received_today"] == 2
    desk.receive(NOW, officer, unit, procedure)
    assert selectors.dashboard(unit, month)["received_today"] == 3
    assert selectors.cached_dashboard(unit, month)["received_today"] == 2  # within 30 s
    clock.shift(timedelta(seconds=31))
    data = selectors.cached_dashboard(unit, month)
    assert data["received_today"] == 3
    assert data["now"] == NOW + timedelta(seconds=31)


@override_settings(CCHC_DASHBOARD_CACHE_SECONDS=0)
def test_no_cache_when_the_setting_is_zero(march, unit, desk, officer, procedure, clock):
    month = selectors.named_period("thang", NOW.date())
    assert selectors.cached_dashboard(unit, month)["received_today"] == 2
    desk.receive(NOW, officer, unit, procedure)
    assert selectors.cached_dashboard(unit, month)["received_today"] == 3


@pytest.mark.parametrize(
    "moment, expected",
    [
        (NOW, {"A"}),  # X is due today at 17:00: the report counts it, "now" does not yet
        (at(2026, 3, 18, 17, 0), {"A"}),  # due at 17:00 sharp: not yet past it
        (at(2026, 3, 18, 17, 1), {"A", "X"}),
        (at(2026, 3, 20, 10, 0), {"A", "X", "N"}),
    ],
)
def test_overdue_count_from_the_counters_is_the_overdue_list(march, unit, moment, expected):
    with time_machine.travel(moment, tick=False):
        listed = {d.code for d in selectors.overdue_now(unit, moment)}
        assert listed == {march[name].code for name in expected}
        assert selectors.overdue_count(unit, moment) == len(listed)
        assert selectors.overdue_count(unit.parent, moment) == len(listed) + 1  # H


def test_counter_figures_do_not_read_the_dossier_table(march, unit, clock):
    """Only what names or dates single dossiers reads their rows: the 20 oldest overdue, the
    dossiers due later today (the overdue count's correction) and the near-due count. Every other
    figure, satisfaction included, comes from the counters."""
    month = selectors.named_period("thang", NOW.date())
    with CaptureQueriesContext(connection) as captured:
        data = selectors.dashboard(unit, month)
    on_dossiers = [sql for sql in sql_of(captured) if DOSSIERS in sql]
    overdue_list = [sql for sql in on_dossiers if "LIMIT 20" in sql]
    ratings = [sql for sql in sql_of(captured) if '"dossiers_dossierrating"' in sql]
    counts = [sql for sql in on_dossiers if sql.startswith("SELECT COUNT(*)")]
    assert len(overdue_list) == 1 and not ratings
    assert len(counts) == 2  # the overdue due later today, the near due
    assert len(on_dossiers) == 3, on_dossiers
    assert data["received_today"] == 2 and data["apologies"] == 1 and data["overdue_count"] == 1


@pytest.fixture
def queue():
    """A task queue as ``cchc.jobs`` sets it up: the keys of the jobs the pages started."""
    started = []
    jobs.set_dispatcher(started.append)
    yield started
    jobs.set_dispatcher(None)


def test_with_a_queue_a_worker_computes_older_figures_while_the_page_shows_them(
    march, unit, desk, officer, procedure, clock, queue, django_capture_on_commit_callbacks
):
    month = selectors.named_period("thang", NOW.date())
    assert selectors.cached_dashboard(unit, month)["received_today"] == 2
    desk.receive(NOW, officer, unit, procedure)
    clock.shift(timedelta(seconds=61))  # the next refresh of the page, after the 30 s window
    with django_capture_on_commit_callbacks(execute=True):
        shown = selectors.cached_dashboard(unit, month)
    assert (shown["received_today"], shown["now"]) == (2, NOW)  # the entry, not computed again
    assert queue == [selectors.REFRESH_JOB]
    assert jobs.jobs[selectors.REFRESH_JOB].run(timezone.now()) == (
        "1 dashboard entries computed again"
    )
    fresh = selectors.cached_dashboard(unit, month)
    assert (fresh["received_today"], fresh["now"]) == (3, NOW + timedelta(seconds=61))
    assert selectors.refresh_pending(timezone.now()) == 0  # the list was emptied


def test_with_a_queue_figures_past_the_stale_limit_are_computed_by_the_page(
    march, unit, desk, officer, procedure, clock, queue, django_capture_on_commit_callbacks
):
    month = selectors.named_period("thang", NOW.date())
    selectors.cached_dashboard(unit, month)
    desk.receive(NOW, officer, unit, procedure)
    clock.shift(timedelta(seconds=301))  # CCHC_DASHBOARD_STALE_SECONDS: the worker is behind
    with django_capture_on_commit_callbacks(execute=True):
        data = selectors.cached_dashboard(unit, month)
    assert (data["received_today"], data["now"]) == (3, NOW + timedelta(seconds=301))
    assert queue == []


def test_the_refresh_job_skips_a_unit_removed_since(march, unit, clock, queue):
    month = selectors.named_period("thang", NOW.date())
    selectors._ask_refresh("dashboard:gone", type(unit)(pk=987654), month)
    assert selectors.refresh_pending(timezone.now()) == 0
