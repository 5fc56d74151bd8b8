"""The completion and forecast engines (pure): boundaries around deadlines and properties."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from cchc.plans.engine.completion import TaskFacts, completion, percent
from cchc.plans.engine.forecast import CriterionRule, forecast, forecast_criterion

DEADLINE = date(2026, 6, 30)
BANDS = {
    "bands": [
        {"above": "90", "inclusive": False, "points": "2"},
        {"above": "70", "inclusive": True, "points": "1"},
        {"above": None, "points": "0"},
    ]
}


def task(key=1, done_on=None, deadline=DEADLINE, cancelled=False, field="A"):
    return TaskFacts(key, field, 2026, deadline, done_on, cancelled)


def buckets(result):
    return {
        name: list(getattr(result, name))
        for name in ("total", "due", "done", "done_on_time", "done_late", "overdue")
    }


def test_26_of_28_is_92_86_half_up():
    assert percent(26, 28) == Decimal("92.86")
    assert percent(1, 8) == Decimal("12.50")
    assert percent(1, 200) == Decimal("0.50")  # 0.5 exactly
    assert percent(1, 3) == Decimal("33.33")
    assert percent(2, 3) == Decimal("66.67")
    assert percent(0, 0) is None


def test_the_day_before_the_deadline_an_open_task_is_neither_due_nor_overdue():
    result = completion([task()], DEADLINE - timedelta(days=1))
    assert buckets(result) == {
        "total": [1],
        "due": [],
        "done": [],
        "done_on_time": [],
        "done_late": [],
        "overdue": [],
    }
    assert result.completion_percent == Decimal("0.00")
    assert result.completion_of_due_percent is None


def test_on_the_deadline_it_is_due_but_not_yet_overdue():
    result = completion([task()], DEADLINE)
    assert result.due == [1]
    assert result.overdue == []


def test_the_day_after_the_deadline_it_is_overdue():
    result = completion([task()], DEADLINE + timedelta(days=1))
    assert result.overdue == [1]
    assert result.completion_of_due_percent == Decimal("0.00")


def test_done_on_the_deadline_is_on_time_and_a_day_later_is_late():
    on_time = task(1, done_on=DEADLINE)
    late = task(2, done_on=DEADLINE + timedelta(days=1))
    result = completion([on_time, late], date(2026, 12, 31))
    assert result.done_on_time == [1]
    assert result.done_late == [2]
    assert result.overdue == []
    assert result.completion_percent == Decimal("100.00")


def test_a_task_done_after_the_day_asked_about_is_not_done_that_day():
    result = completion([task(done_on=date(2026, 7, 5))], date(2026, 7, 1))
    assert result.done == []
    assert result.overdue == [1]


def test_a_recurring_task_is_due_on_31_12():
    recurring = task(deadline=None)
    assert completion([recurring], date(2026, 12, 30)).due == []
    assert completion([recurring], date(2026, 12, 31)).due == [1]
    assert completion([recurring], date(2026, 12, 31)).overdue == []
    assert completion([recurring], date(2027, 1, 1)).overdue == [1]


def test_a_cancelled_task_counts_nowhere():
    result = completion([task(1, cancelled=True), task(2, done_on=DEADLINE)], date(2026, 12, 31))
    assert result.total == [2]
    assert [row.tasks_total for row in result.fields] == [1]


def test_a_task_done_early_does_not_lift_the_share_of_due_tasks_above_100():
    early = task(1, done_on=date(2026, 3, 1), deadline=date(2026, 11, 30))
    due = task(2, done_on=None, deadline=date(2026, 3, 31))
    result = completion([early, due], date(2026, 4, 1))
    assert result.done == [1]
    assert result.due == [2]
    assert result.completion_of_due_percent == Decimal("0.00")


def test_fields_keep_their_first_seen_order_with_their_counts():
    tasks = [task(1, field="B", done_on=DEADLINE), task(2, field="A"), task(3, field="B")]
    result = completion(tasks, date(2026, 12, 31))
    assert [(r.name, r.tasks_total, r.tasks_done) for r in result.fields] == [
        ("B", 2, 1),
        ("A", 1, 0),
    ]
    assert result.fields[0].completion_percent == Decimal("50.00")


day = st.dates(min_value=date(2025, 6, 1), max_value=date(2027, 6, 30))
facts = st.lists(
    st.builds(
        TaskFacts,
        key=st.integers(),
        field=st.sampled_from(["A", "B", "C"]),
        year=st.just(2026),
        deadline=st.one_of(st.none(), day),
        done_on=st.one_of(st.none(), day),
        cancelled=st.booleans(),
    ),
    max_size=40,
    unique_by=lambda fact: fact.key,
)


@given(facts, day)
def test_the_buckets_partition_and_add_up(tasks, as_of):
    result = completion(tasks, as_of)
    counted = [t for t in tasks if not t.cancelled]
    assert len(result.total) == len(counted)
    assert sorted(result.done) == sorted(result.done_on_time + result.done_late)
    assert not set(result.done) & set(result.overdue)
    assert set(result.overdue) <= set(result.due)
    assert set(result.due_done) == set(result.due) & set(result.done)
    assert sum(row.tasks_total for row in result.fields) == len(result.total)
    assert sum(row.tasks_done for row in result.fields) == len(result.done)
    if result.total:
        assert Decimal(0) <= result.completion_percent <= Decimal(100)
    if result.due:
        assert Decimal(0) <= result.completion_of_due_percent <= Decimal(100)


@given(facts, day, st.integers(min_value=1, max_value=400))
def test_completion_never_falls_as_days_pass(tasks, as_of, days):
    earlier = completion(tasks, as_of)
    later = completion(tasks, as_of + timedelta(days=days))
    assert set(earlier.done) <= set(later.done)
    assert set(earlier.due) <= set(later.due)


@given(st.integers(min_value=0, max_value=500), st.integers(min_value=1, max_value=500))
def test_percent_is_within_half_a_hundredth_of_the_exact_ratio(numerator, denominator):
    numerator = min(numerator, denominator)
    value = percent(numerator, denominator)
    exact = Decimal(100) * numerator / denominator
    assert abs(value - exact) <= Decimal("0.005")
    assert value == value.quantize(Decimal("0.01"))


# -- forecast ---------------------------------------------------------------------------------


def rule(code="1.2", method="bands", spec=BANDS, maximum="2"):
    return CriterionRule(code, "Mức độ hoàn thành", Decimal(maximum), method, spec)


def test_forecast_names_the_overdue_task_that_costs_a_point():
    as_of = date(2026, 10, 15)
    tasks = [task(n, done_on=date(2026, 6, 1)) for n in range(1, 5)]
    tasks.append(task(5, deadline=date(2026, 9, 30)))  # overdue
    result = forecast_criterion(rule(), tasks, as_of)
    assert result.as_they_stand.percent == Decimal("80.00")
    assert result.as_they_stand.points == Decimal("1.00")
    assert result.on_time.points == Decimal("1.00")
    assert result.all_finished.points == Decimal("2.00")
    assert result.points_at_stake == Decimal("1.00")
    assert result.costly == [5]


def test_open_tasks_not_yet_due_finish_on_time_in_the_on_time_scenario():
    as_of = date(2026, 10, 15)
    tasks = [task(n, done_on=date(2026, 6, 1)) for n in range(1, 4)]
    tasks.append(task(4, deadline=date(2026, 11, 30)))  # open, not yet due
    tasks.append(task(5, deadline=None))  # recurring
    result = forecast_criterion(rule(), tasks, as_of)
    assert result.as_they_stand.points == Decimal("0.00")  # 60 %
    assert result.on_time.percent == Decimal("100.00")
    assert result.on_time.points == Decimal("2.00")
    assert result.open_on_track == [4, 5]
    assert result.costly == []


def test_a_task_due_today_and_open_is_still_on_track():
    result = forecast_criterion(rule(), [task(1, deadline=date(2026, 10, 15))], date(2026, 10, 15))
    assert result.open_on_track == [1]
    assert result.on_time.points == Decimal("2.00")


def test_a_criterion_scored_from_the_plan_completion_counts_every_task():
    completion_rule = rule("1.3", "computed", {"metric": "plans.completion", **BANDS})
    linked = rule("1.2")
    tasks = [task(1, done_on=DEADLINE), task(2), task(3, done_on=DEADLINE)]
    links = {1: ("1.2",), 2: (), 3: ()}
    whole, own = forecast([completion_rule, linked], tasks, links, date(2026, 12, 31))
    assert whole.tasks == [1, 2, 3]
    assert whole.as_they_stand.percent == Decimal("66.67")
    assert own.tasks == [1]


def test_methods_scored_by_people_have_percentages_but_no_points():
    result = forecast_criterion(rule(method="levels", spec={"levels": []}), [task()], DEADLINE)
    assert result.as_they_stand.percent == Decimal("0.00")
    assert result.as_they_stand.points is None
    assert result.points_at_stake == 0
    assert result.costly == []


def test_proportional_computed_rule_scores_the_share():
    proportional = rule("1.3", "computed", {"metric": "plans.completion", "proportional": True})
    tasks = [task(1, done_on=DEADLINE), task(2, done_on=DEADLINE), task(3), task(4)]
    result = forecast_criterion(proportional, tasks, date(2026, 7, 1))
    assert result.as_they_stand.points == Decimal("1.00")
    assert result.points_at_stake == Decimal("1.00")
    assert result.costly == [3, 4]


@given(facts, day)
def test_forecast_scenarios_are_ordered(tasks, as_of):
    result = forecast_criterion(rule(), tasks, as_of)
    stand, on_time, best = result.as_they_stand, result.on_time, result.all_finished
    assert stand.done <= on_time.done <= best.done == best.total
    if stand.points is not None:
        assert stand.points <= on_time.points <= best.points
    assert result.points_at_stake >= 0
    assert (result.points_at_stake > 0) == bool(result.costly)
