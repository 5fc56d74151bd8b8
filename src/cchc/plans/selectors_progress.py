"""Reads behind the completion pages, the forecast, the tiles, the PAR INDEX figures and the
report section (docs/plans-progress.md). Scoped: a person sees the plans of the units in which
they hold a role (and the units below them); a task is seen by the units that assigned it and
the unit that leads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.conf import conf
from cchc.organisations.models import OrganisationUnit, UnitKind
from cchc.organisations.permissions import has_role, scope_to_units, sees_everything, units_for
from cchc.parindex.models import CriteriaSet, Criterion, Level
from cchc.reports.parsing import BadPeriod, parse_day

from .engine.completion import Completion, percent
from .engine.forecast import COMPLETION_METRIC, CriterionForecast, CriterionRule, forecast
from .models import Plan, PlanStatus, Task, TaskStatus
from .selectors import plan_completion, task_facts

BUCKETS = ("total", "due", "done", "done_on_time", "done_late", "overdue")
OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)

LEVEL_OF_KIND = {
    UnitKind.PROVINCE_COMMITTEE: Level.PROVINCE,
    UnitKind.DEPARTMENT: Level.DEPARTMENT,
    UnitKind.SERVICE_CENTRE: Level.DEPARTMENT,
    UnitKind.DIVISION: Level.DEPARTMENT,
    UnitKind.DISTRICT_COMMITTEE: Level.DISTRICT,
    UnitKind.COMMUNE_COMMITTEE: Level.COMMUNE,
}


def year_end(year: int) -> date:
    return date(year, 12, 31)


# -- the query of the CLI, the API and the pages ---------------------------------------------------


class ProgressQueryError(ValueError):
    """Bad input: ``field`` names the parameter (unit, year, as_of), ``message`` is for people."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def parse_year(text) -> int:
    try:
        year = int(str(text).strip())
    except (TypeError, ValueError):
        raise ProgressQueryError(
            "year", _("Enter the year as four digits, for example 2025.")
        ) from None
    if not 2000 <= year <= 2100:
        raise ProgressQueryError("year", _("Enter a year between 2000 and 2100."))
    return year


def parse_as_of(text, year: int) -> date:
    """dd/mm/yyyy or YYYY-MM-DD; empty: today, or 31/12 for a past year."""
    if text is None or not str(text).strip():
        today = timezone.localdate()
        return min(today, year_end(year)) if year < today.year else today
    try:
        return parse_day(str(text), str(_("as of")))
    except BadPeriod as error:
        raise ProgressQueryError("as_of", str(error)) from None


def find_unit(code) -> OrganisationUnit:
    code = (code or "").strip()
    if not code:
        raise ProgressQueryError("unit", _("Enter the unit code."))
    unit = OrganisationUnit.objects.filter(code=code).first()
    if unit is None:
        raise ProgressQueryError(
            "unit", _("There is no unit with the code “%(code)s”.") % {"code": code[:40]}
        )
    return unit


# -- scope -----------------------------------------------------------------------------------------


def may_read(user) -> bool:
    """Any role holder reads the plans of their units (auditors included)."""
    return has_role(user)


def visible_units(user) -> QuerySet[OrganisationUnit]:
    return units_for(user)


def unit_visible(user, unit: OrganisationUnit) -> bool:
    return has_role(user, None, unit)


def visible_plans(user, year: int | None = None) -> QuerySet[Plan]:
    plans = scope_to_units(Plan.objects.select_related("unit"), user, field="unit")
    if year is not None:
        plans = plans.filter(year=year)
    return plans


def visible_tasks(user) -> QuerySet[Task]:
    tasks = Task.objects.select_related("lead_unit", "issuer_unit", "plan", "field")
    if sees_everything(user):
        return tasks
    lead = scope_to_units(Task.objects.all(), user, field="lead_unit").values("pk")
    issuer = scope_to_units(Task.objects.all(), user, field="issuer_unit").values("pk")
    return tasks.filter(Q(pk__in=lead) | Q(pk__in=issuer))


# -- completion ------------------------------------------------------------------------------------


@dataclass
class FieldRow:
    name: str
    tasks_total: int
    tasks_done: int
    completion_percent: Decimal | None


@dataclass
class CompletionPage:
    plan: Plan | None
    unit: OrganisationUnit
    year: int
    as_of: date
    result: Completion
    tasks: dict  # task id -> Task

    def count(self, bucket: str) -> int:
        return len(getattr(self.result, bucket))

    def tasks_in(self, bucket: str) -> list[Task]:
        return [self.tasks[key] for key in getattr(self.result, bucket)]

    @property
    def counts(self) -> dict:
        return {bucket: self.count(bucket) for bucket in BUCKETS}

    @property
    def truncated_percent(self) -> int | None:
        """What the press writes (26/28 → "92 %"): the whole part, not rounded."""
        if not self.result.total:
            return None
        return 100 * len(self.result.done) // len(self.result.total)


def completion_page(unit: OrganisationUnit, year: int, as_of: date) -> CompletionPage:
    plan = Plan.objects.filter(unit=unit, year=year).select_related("unit").first()
    result = plan_completion(plan, as_of)
    tasks = {}
    if plan is not None:
        tasks = {
            task.pk: task
            for task in Task.objects.filter(plan=plan).select_related(
                "lead_unit", "field", "issuer_unit"
            )
        }
    return CompletionPage(plan, unit, year, as_of, result, tasks)


@dataclass
class UnitRow:
    plan: Plan
    tasks_total: int
    tasks_due: int
    tasks_done: int
    tasks_done_late: int
    tasks_overdue: int
    completion_percent: Decimal | None


def units_completion(user, year: int, as_of: date) -> list[UnitRow]:
    """Completion of every plan of the year in the user's scope (the province view)."""
    rows = []
    for plan in visible_plans(user, year).order_by("unit__code"):
        result = plan_completion(plan, as_of)
        rows.append(
            UnitRow(
                plan,
                len(result.total),
                len(result.due),
                len(result.done),
                len(result.done_late),
                len(result.overdue),
                result.completion_percent,
            )
        )
    return rows


def worst_first(rows: list[UnitRow]) -> list[UnitRow]:
    """Lowest completion first; a plan without tasks last."""
    return sorted(
        rows,
        key=lambda row: (
            row.completion_percent is None,
            row.completion_percent or 0,
            -row.tasks_overdue,
            row.plan.unit.code,
        ),
    )


# -- overdue ---------------------------------------------------------------------------------------


def overdue_filter(today: date) -> Q:
    """Open tasks whose due day (deadline; 31/12 for a recurring task) is before ``today``."""
    dated = Q(recurring=False, deadline__isnull=False, deadline__lt=today)
    year_end_due = (Q(recurring=True) | Q(deadline__isnull=True)) & Q(year__lt=today.year)
    return Q(status__in=OPEN_STATUSES) & (dated | year_end_due)


def overdue_tasks(user, today: date, unit_ids: list[int] | None = None) -> QuerySet[Task]:
    tasks = visible_tasks(user).filter(overdue_filter(today))
    if unit_ids is not None:
        tasks = tasks.filter(Q(lead_unit_id__in=unit_ids) | Q(issuer_unit_id__in=unit_ids))
    return tasks.order_by("deadline", "year", "pk")


def overdue_in_units(unit_ids: list[int] | None, today: date) -> QuerySet[Task]:
    """Overdue tasks led or assigned in the units (None: everywhere) — unscoped, for the tile and
    the report section whose scope is already the user's."""
    tasks = Task.objects.select_related("lead_unit", "issuer_unit", "plan").filter(
        overdue_filter(today)
    )
    if unit_ids is not None:
        tasks = tasks.filter(Q(lead_unit_id__in=unit_ids) | Q(issuer_unit_id__in=unit_ids))
    return tasks.order_by("deadline", "year", "pk")


# -- forecast --------------------------------------------------------------------------------------


def criteria_set_for(unit: OrganisationUnit, year: int) -> CriteriaSet | None:
    level = LEVEL_OF_KIND.get(unit.kind)
    if level is None:
        return None
    return CriteriaSet.objects.filter(year=year, level=level).order_by("-version").first()


@dataclass
class ForecastRow:
    criterion: Criterion
    forecast: CriterionForecast
    costly_tasks: list[Task]


def plan_forecast(page: CompletionPage) -> tuple[CriteriaSet | None, list[ForecastRow]]:
    """Each criterion of the unit's criteria set linked to a task of the plan (or scored from the
    plan's completion figure), with its three year-end scenarios."""
    if page.plan is None:
        return None, []
    criteria_set = criteria_set_for(page.unit, page.year)
    if criteria_set is None:
        return None, []
    tasks = list(page.tasks.values())
    links = {task.pk: tuple(task.par_criteria or ()) for task in tasks}
    codes = {code for codes in links.values() for code in codes}
    criteria = [
        criterion
        for criterion in criteria_set.criteria.exclude(method="").order_by("position")
        if criterion.code in codes
        or (criterion.method_spec or {}).get("metric") == COMPLETION_METRIC
    ]
    rules = [
        CriterionRule(
            criterion.code,
            criterion.name,
            criterion.max_points,
            criterion.method,
            criterion.method_spec or {},
        )
        for criterion in criteria
    ]
    facts = task_facts(sorted(tasks, key=lambda task: (task.position, task.pk)))
    results = forecast(rules, facts, links, page.as_of)
    return criteria_set, [
        ForecastRow(criterion, result, [page.tasks[key] for key in result.costly])
        for criterion, result in zip(criteria, results, strict=True)
    ]


# -- PAR INDEX figures -----------------------------------------------------------------------------


def issue_deadline(year: int) -> date:
    """The day by which the plan of ``year`` should be issued: CCHC_PLAN_ISSUE_DEADLINE ("MM-DD")
    of the previous year (default 12-31: by the end of the previous year)."""
    month, day = (int(part) for part in conf.PLAN_ISSUE_DEADLINE.split("-"))
    return date(year - 1, month, day)


def issued_on_time(plan: Plan | None) -> tuple[bool | None, date]:
    if plan is None:
        return None, date(1, 1, 1)
    deadline = issue_deadline(plan.year)
    ok = (
        plan.status == PlanStatus.ISSUED
        and plan.issued_on is not None
        and plan.issued_on <= deadline
    )
    return ok, deadline


def completion_figure(unit: OrganisationUnit, year: int) -> tuple[Plan | None, Completion]:
    plan = Plan.objects.filter(unit=unit, year=year).first()
    return plan, plan_completion(plan, year_end(year))


__all__ = ["percent"]
