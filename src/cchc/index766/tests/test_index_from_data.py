"""The 766 index from the platform's own data: CLI, page and ranking agree with the counters."""

import json
from datetime import date
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.urls import reverse

from cchc.demo import province as demo
from cchc.demo.generate import generate
from cchc.index766 import counts, scores
from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment
from cchc.reports.selectors import ReportRequest, build_report

pytestmark = pytest.mark.django_db
PERIOD = (date(2026, 1, 1), date(2026, 9, 30))


@pytest.fixture
def history(settings):
    units = demo.load_units()
    demo.load_catalog(units)
    generate(600, units=4, years=1.5, events=False, seed=7)
    return units


def run_cli(*args) -> dict:
    out = StringIO()
    call_command(
        "index766", "--from", "01/01/2026", "--to", "30/09/2026", "--json", *args, stdout=out
    )
    return json.loads(out.getvalue())


def test_cli_groups_never_exceed_their_maxima_and_missing_data_is_missing(history):
    data = run_cli()
    assert data["max_points"] == 100
    for group in data["groups"]:
        assert group["points"] is None or group["points"] <= group["max_points"]
        for indicator in group["indicators"]:
            assert {"numerator", "denominator", "rate", "points", "max_points"} <= set(indicator)
    by_id = {i["id"]: i for g in data["groups"] for i in g["indicators"]}
    for held_nowhere in ("1.1", "1.2", "1.4"):
        assert by_id[held_nowhere]["state"] == "missing"
        assert by_id[held_nowhere]["points"] is None
    assert data["total"] == pytest.approx(sum(g["points"] or 0 for g in data["groups"]), abs=0.02)


def test_on_time_indicator_uses_the_report_counts(history):
    data = run_cli()
    total = build_report(ReportRequest(start=PERIOD[0], end=PERIOD[1])).total.counts
    on_time = next(i for g in data["groups"] for i in g["indicators"] if i["id"] == "2.1")
    assert on_time["denominator"] == total["to_process"] > 0
    assert on_time["numerator"] == total["to_process"] - total["late_total"]
    online = next(i for g in data["groups"] for i in g["indicators"] if i["id"] == "3.3")
    assert (online["numerator"], online["denominator"]) == (
        total["received_online"],
        total["received"],
    )


def test_unit_index_covers_its_subtree_and_ranking_lists_receiving_units(history):
    rows = scores.ranking(*PERIOD)
    assert len(rows) >= 2
    assert rows[0]["rank"] == 1
    assert all(a["score"] >= b["score"] for a, b in pairwise(rows))
    first = OrganisationUnit.objects.get(code=rows[0]["unit"]["code"])
    alone = scores.compute_index(first, *PERIOD)
    assert alone["score"] == pytest.approx(rows[0]["score"], abs=0.01)


def test_an_empty_period_has_missing_progress_not_zero(history):
    data = scores.compute_index(None, date(2023, 1, 1), date(2023, 1, 31))
    on_time = next(i for g in data["groups"] for i in g["indicators"] if i["id"] == "2.1")
    assert on_time["state"] == "missing" and on_time["points"] is None


def test_causes_name_procedures_with_late_dossiers(history):
    found = counts.causes("2.1", None, *PERIOD)
    assert found, "the synthetic history has late dossiers"
    assert all(c["missing"] > 0 and c["code"] for c in found)
    assert found == sorted(found, key=lambda c: -c["missing"])


@pytest.mark.parametrize(
    "period",
    [("31/02/2026", "01/03/2026"), ("01/01/2020", "31/01/2020"), ("02/03/2026", "01/03/2026")],
)
def test_cli_refuses_bad_input(db, period):
    err = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("index766", "--from", period[0], "--to", period[1], stderr=err)
    assert exit_info.value.code == 2
    assert err.getvalue().startswith("Lỗi:")


def test_page_for_a_leader_and_not_for_a_citizen(client, django_user_model, history):
    leader = django_user_model.objects.create_user("lead766", password="x")
    province = OrganisationUnit.objects.filter(parent__isnull=True).first()
    RoleAssignment.objects.create(user=leader, unit=province, role=Role.LEADER)
    client.force_login(leader)
    response = client.get(
        reverse("index766:index"), {"tu_ngay": "01/01/2026", "den_ngay": "30/09/2026"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "/100" in text and "1.1" in text
    bad = client.get(reverse("index766:index"), {"tu_ngay": "xx"})
    assert bad.status_code == 200 and "alert" in bad.content.decode()
    citizen = django_user_model.objects.create_user("citizen766", password="x")
    client.force_login(citizen)
    assert client.get(reverse("index766:index")).status_code == 404


def test_late_causes_link_to_the_report_drill_down(client, django_user_model, history):
    leader = django_user_model.objects.create_user("lead766b", password="x")
    province = OrganisationUnit.objects.filter(parent__isnull=True).first()
    RoleAssignment.objects.create(user=leader, unit=province, role=Role.LEADER)
    client.force_login(leader)
    page = client.get(
        reverse("index766:index"), {"tu_ngay": "01/01/2026", "den_ngay": "30/09/2026"}
    ).content.decode()
    cause = counts.causes("2.1", None, *PERIOD)[0]
    marker = f"thu_tuc={cause['code']}&amp;cot=late_total"
    assert marker in page
    start = page.index(reverse("reports:drill"), page.index(marker) - 300)
    link = page[start : page.index('"', start)].replace("&amp;", "&")
    drill = client.get(link)
    assert drill.status_code == 200
    assert drill.context["page"].paginator.count == cause["missing"]


def test_feedback_counts_per_unit_equal_one_unit_at_a_time(history):
    from cchc.feedback.selectors import index_counts, index_counts_by_unit

    generate(3000, units=4, years=1.5, events=False, seed=8)  # enough dossiers to draw complaints
    unit_ids = [u.pk for u in scores.receiving_units()]
    grouped = index_counts_by_unit(unit_ids, *PERIOD)
    assert any(row["total"] for row in grouped.values()), "the history has complaints"
    for unit_id in unit_ids:
        assert grouped[unit_id] == index_counts([unit_id], *PERIOD)


def test_returned_withdrawn_and_stopped_count_on_time_unless_configured(history, settings):
    """2.1 counts returned, withdrawn and stopped dossiers as processed in time by default; the
    setting ``CCHC_INDEX766_CLOSED_WITHOUT_RESULT`` leaves them out of both sides from a date."""
    total = build_report(ReportRequest(start=PERIOD[0], end=PERIOD[1])).total.counts
    closed = total["returned"] + total["withdrawn"] + total["stopped"]
    assert closed > 0
    on_time = (total["to_process"] - total["late_total"], total["to_process"])
    assert counts.collect(None, *PERIOD)["2.1"] == on_time
    settings.CCHC_INDEX766_CLOSED_WITHOUT_RESULT = {"2026-07-01": "excluded"}
    excluded = (on_time[0] - closed, on_time[1] - closed)
    assert counts.collect(None, *PERIOD)["2.1"] == excluded  # the rule in force on 30/09/2026
    by_unit = counts.collect_per_unit(
        [u.pk for u in scores.receiving_units()], PERIOD[0], PERIOD[1]
    )
    assert sum(c["2.1"][1] for c in by_unit.values()) == excluded[1]
    # a period ending before the date keeps the default rule
    march = (date(2026, 3, 1), date(2026, 3, 31))
    march_total = build_report(ReportRequest(start=march[0], end=march[1])).total.counts
    assert counts.collect(None, *march)["2.1"][1] == march_total["to_process"]


def test_the_weeks_read_together_count_as_each_week_alone(history):
    """``collect_series`` (the weekly trend's one pass) equals ``collect`` week by week, across a
    month's end, for the province and for one unit's subtree."""
    weeks = [(date(2026, 6, 1 + 7 * n), date(2026, 6, 7 + 7 * n)) for n in range(4)]
    weeks += [(date(2026, 6, 29), date(2026, 7, 5)), (date(2026, 7, 6), date(2026, 7, 9))]
    receiving = scores.receiving_units()[0]
    for ids in (None, scores.unit_ids_of(receiving)):
        series = counts.collect_series(ids, weeks)
        assert series == [counts.collect(ids, start, end) for start, end in weeks]
    assert any(week["2.1"] and week["2.1"][1] for week in series)  # the weeks hold dossiers
    with pytest.raises(ValueError):
        counts.collect_series(None, [weeks[0], weeks[2]])


def test_the_weekly_trend_scores_each_week_as_the_index_of_that_week(history):
    trend = scores.weekly_trend(None, 6, date(2026, 7, 9))
    assert [week["to"] for week in trend][-1] == "2026-07-09"
    for week in trend:
        start, end = date.fromisoformat(week["week_start"]), date.fromisoformat(week["to"])
        assert week["score"] == scores.compute_index(None, start, end)["score"]
