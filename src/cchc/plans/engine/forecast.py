"""What a PAR INDEX criterion linked to plan tasks would score at the end of the year (★), in
plain Python (docs/plans-progress.md, "Forecast").

For each criterion the figure is a completion percentage as of 31/12 of the plan's year: of the
whole plan for a criterion scored from the figure ``plans.completion`` (PAR field 1 scores plan
completion: the Ministry of Home Affairs' PAR INDEX practice, docs/plans-progress.md),
otherwise of the tasks linked to the criterion (``Task.par_criteria``). Three scenarios, from the
day ``as_of``:

``as_they_stand``  nothing more is done: the tasks done as of ``as_of``;
``on_time``        every open task not yet overdue finishes by its due day; overdue tasks stay
                   undone (they can no longer finish on time);
``all_finished``   every open task finishes, the overdue ones late.

A task done late still counts as done at the year's end (completion counts done tasks, the way
the seed "26/28 nhiệm vụ" counts them), so the points a late task costs are those between
``on_time`` and ``all_finished``: the overdue tasks named in ``costly`` cost them unless they are
finished. The points come from the criterion's own scoring rule (data: ``bands``, ``computed``
with bands or ``proportional``), scored by the PAR INDEX engine; other methods (levels, points
entered) are scored by people from evidence: their forecast has the percentages but no points.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cchc.parindex.engine import BANDS, COMPUTED, ScoringError, score_leaf

from .completion import TaskFacts, percent

COMPLETION_METRIC = "plans.completion"
SCORED_METHODS = (BANDS, COMPUTED)


@dataclass(frozen=True)
class CriterionRule:
    code: str
    name: str
    max_points: Decimal
    method: str
    spec: dict = field(default_factory=dict)

    @property
    def whole_plan(self) -> bool:
        """Scored from the plan's completion figure: every task of the plan counts."""
        return self.method == COMPUTED and (self.spec or {}).get("metric") == COMPLETION_METRIC

    @property
    def scorable(self) -> bool:
        if self.method == BANDS:
            return True
        if self.method == COMPUTED:
            return self.whole_plan
        return False


@dataclass(frozen=True)
class Scenario:
    done: int
    total: int
    percent: Decimal | None
    points: Decimal | None


@dataclass(frozen=True)
class CriterionForecast:
    rule: CriterionRule
    tasks: list  # keys of the tasks the figure counts
    as_they_stand: Scenario
    on_time: Scenario
    all_finished: Scenario
    costly: list  # keys of overdue open tasks that cost points unless finished
    open_on_track: list  # keys of open tasks not yet overdue (needed for the on-time score)

    @property
    def points_at_stake(self) -> Decimal:
        """Points the overdue tasks cost if they are never finished."""
        if self.on_time.points is None or self.all_finished.points is None:
            return Decimal(0)
        return self.all_finished.points - self.on_time.points


def _points(rule: CriterionRule, value: Decimal | None) -> Decimal | None:
    if value is None or not rule.scorable:
        return None
    try:
        return score_leaf(rule.method, rule.spec, rule.max_points, value)
    except ScoringError:
        return None


def _scenario(rule: CriterionRule, done: int, total: int) -> Scenario:
    value = percent(done, total)
    return Scenario(done, total, value, _points(rule, value))


def forecast_criterion(
    rule: CriterionRule, tasks: Iterable[TaskFacts], as_of: date
) -> CriterionForecast:
    """The three scenarios of one criterion over ``tasks`` (cancelled ones are left out)."""
    counted = [task for task in tasks if not task.cancelled]
    done = [t.key for t in counted if t.done_on is not None and t.done_on <= as_of]
    open_tasks = [t for t in counted if t.key not in set(done)]
    overdue = [t.key for t in open_tasks if t.due_on < as_of]
    on_track = [t.key for t in open_tasks if t.due_on >= as_of]
    total = len(counted)
    result = CriterionForecast(
        rule=rule,
        tasks=[t.key for t in counted],
        as_they_stand=_scenario(rule, len(done), total),
        on_time=_scenario(rule, len(done) + len(on_track), total),
        all_finished=_scenario(rule, total, total),
        costly=[],
        open_on_track=on_track,
    )
    if result.points_at_stake > 0:
        result.costly.extend(overdue)
    return result


def forecast(
    rules: Iterable[CriterionRule],
    tasks: Iterable[TaskFacts],
    links: dict,
    as_of: date,
) -> list[CriterionForecast]:
    """One forecast per rule: ``links`` maps a task key to the criterion codes it is linked to;
    a rule scored from the plan's completion counts every task."""
    tasks = list(tasks)
    results = []
    for rule in rules:
        if rule.whole_plan:
            chosen = tasks
        else:
            chosen = [task for task in tasks if rule.code in links.get(task.key, ())]
        results.append(forecast_criterion(rule, chosen, as_of))
    return results
