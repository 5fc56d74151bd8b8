"""Reads of the leaders' dashboard (IOC) and of the public transparency pages.

Every number comes from the statistics counters and selectors of :mod:`cchc.reports` (same
definitions as the period report, ``reports/engine/contribution.py``), from the 766 index (the
engine ``cchc.index766`` registers in ``cchc.common.indexes``), from citizen feedback
(:mod:`cchc.feedback.selectors`) or from one query written here and documented in
docs/dashboard.md. Scope: the unit's subtree, by the **receiving unit** of each dossier, as in the
report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone

from cchc.common.indexes import engines
from cchc.common.jobs import queue_configured, request_run
from cchc.common.text import vietnamese_sort_key
from cchc.common.tiles import TileScope, tiles
from cchc.conf import conf
from cchc.dossiers import lateness
from cchc.dossiers import selectors as dossier_selectors
from cchc.dossiers.models import Dossier
from cchc.dossiers.selectors import late_running
from cchc.feedback.selectors import waiting_count
from cchc.organisations.models import OrganisationUnit, Role
from cchc.organisations.permissions import assigned_paths, has_role, sees_everything, units_for
from cchc.reports.selectors import (
    ORIGIN,
    ReportRequest,
    build_report,
    counted_unit_ids,
    day_sums_per_period,
    drill_facts,
    median_working_days,
    sum_counters,
    week_spans,
)
from cchc.workdays import services as workdays

DASHBOARD_ROLES = (Role.LEADER, Role.REFORM_STAFF, Role.AUDITOR, Role.SYSTEM_ADMIN)
WEEKS = 12
OVERDUE_LIST_SIZE = 20
RESOLVED_COLUMNS = ("resolved_early", "resolved_on_time", "resolved_late")
INDEX = "766"  # the index engine (common.indexes) of the score tile and the weekly trend


# -- who and where -------------------------------------------------------------------------------
def can_view(user) -> bool:
    return sees_everything(user) or has_role(user, DASHBOARD_ROLES)


def dashboard_units(user) -> QuerySet:
    """Units the user may look at on the dashboard (with their descendants)."""
    return units_for(user, DASHBOARD_ROLES).order_by("path")


def default_unit(user) -> OrganisationUnit | None:
    """The user's top unit; the province (first root) for a superuser."""
    if sees_everything(user):
        return (
            OrganisationUnit.objects.filter(parent__isnull=True).order_by("-active", "pk").first()
        )
    paths = assigned_paths(user, DASHBOARD_ROLES)
    if not paths:
        return None
    return OrganisationUnit.objects.filter(path=paths[0]).first()


def unit_ids(unit: OrganisationUnit | None) -> list[int] | None:
    """The unit and its descendants (None: every unit)."""
    if unit is None:
        return None
    return list(OrganisationUnit.objects.subtree_of(unit).values_list("pk", flat=True))


# -- periods -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    kind: str  # thang | quy | nam | 30-ngay | tuy-chon
    start: date
    end: date  # never after today: a period that has not ended is counted up to today


def named_period(kind: str, today: date) -> Period:
    if kind == "quy":
        start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    elif kind == "nam":
        start = date(today.year, 1, 1)
    elif kind == "30-ngay":
        start = today - timedelta(days=29)  # 30 days, today included
    else:
        kind, start = "thang", today.replace(day=1)
    return Period(kind, start, today)


def last_twelve_months(today: date) -> tuple[date, date]:
    """The 12 months ending today: from the day after the same date a year ago."""
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return year_ago + timedelta(days=1), today


def _midnight(day: date) -> datetime:
    return workdays.local_midnight(day)


# -- counters ------------------------------------------------------------------------------------
def counters(start: date, end: date, ids: list[int] | None) -> dict[str, int]:
    """Day counters of the units summed over [start, end] (all procedures)."""
    return defaultdict(int, sum_counters(start, end, ids, None).get(None, {}))


def _rate(numerator: int, denominator: int) -> dict:
    percent = None if not denominator else round(numerator * 100 / denominator, 2)
    return {"numerator": numerator, "denominator": denominator, "percent": percent}


def received_today(ids: list[int] | None, today: date) -> int:
    """Dossiers received today (the report's ``received`` column for one day)."""
    return counters(today, today, ids)["received"]


def apologies_sent(ids: list[int] | None, start: date, end: date) -> int:
    """Dossiers whose apology letter was sent in [start, end] (column ``apology_sent``)."""
    return counters(start, end, ids)["apology_sent"]


def period_totals(unit: OrganisationUnit | None, start: date, end: date) -> dict:
    """The report's total row for the unit's subtree (counts and rates, JSON-shaped), without the
    "due in the period" basis, which neither the dashboard nor the public page shows."""
    return build_report(
        ReportRequest(start=start, end=end, unit=unit), with_findings=False, with_due=False
    ).to_dict()["total"]


# -- overdue and near due ------------------------------------------------------------------------
def overdue_now(unit: OrganisationUnit | None, now: datetime | None = None) -> QuerySet:
    """Open dossiers past their legal due time now, oldest due first.

    The report's "in progress, overdue" dossiers at the end of today (``drill`` of
    ``in_progress_late``: clock stops before the due time excluded, late-by-rule included) whose
    due time has already passed — the report counts a dossier due later today as overdue for the
    whole day, "now" does not.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    req = ReportRequest(start=today, end=today, unit=unit)
    # The backlog's keys first, from its own index (``reports_stat_overdue``): given the facts
    # as a subquery, PostgreSQL misjudged how many there are and read every dossier (a due-time
    # walk under LIMIT 20, or a full scan: 1.6–8 s with 1,000,000 dossiers, docs/benchmarks.md).
    # The list is as long as the backlog (dossiers overdue and still open), not the history.
    backlog = list(drill_facts(req, "in_progress_late").values_list("pk", flat=True))
    return (
        Dossier.objects.filter(pk__in=backlog)
        .filter(late_running(now))
        .select_related("procedure", "receiving_unit", "current_unit")
        .order_by("due_at", "pk")
    )


def overdue_count(unit: OrganisationUnit | None, now: datetime | None = None) -> int:
    """How many dossiers :func:`overdue_now` lists, from the counters.

    The report's stock of overdue dossiers at the end of today (``overdue_start`` −
    ``overdue_end`` summed from the origin to today: month rows, then this month's day rows) less
    the ones the report counts for the whole day but "now" does not yet: not late by rule and due
    at or after ``now``. Those are due before tomorrow (a dossier's overdue day is never before
    its due day), so they are read from the dossiers due in [now, tomorrow 00:00) only.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = unit_ids(unit)
    sums = sum_counters(ORIGIN, today, ids, None, columns=("overdue_start", "overdue_end"))
    row = sums.get(None, {})
    stock = row.get("overdue_start", 0) - row.get("overdue_end", 0)
    late_at_end = Q(stat__overdue_from__lte=today) & (
        Q(stat__overdue_until__isnull=True) | Q(stat__overdue_until__gt=today)
    )
    not_yet = Dossier.objects.filter(
        late_at_end,
        due_at__gte=now,
        due_at__lt=_midnight(today + timedelta(days=1)),
        late_by_rule=False,
    )
    if ids is not None:
        not_yet = not_yet.filter(stat__unit_id__in=ids)
    return stock - not_yet.count()


def near_due(unit: OrganisationUnit | None, now: datetime | None = None) -> QuerySet:
    """Dossiers whose clock runs and whose due time falls within the next working day (the
    officers' "near due" queue's definition, with the unit's office hours)."""
    now = now or timezone.now()
    dossiers = Dossier.objects.filter(dossier_selectors.near_due(now, unit))
    ids = unit_ids(unit)
    if ids is not None:
        dossiers = dossiers.filter(receiving_unit_id__in=ids)
    return dossiers


def working_days_late(dossier: Dossier, now: datetime | None = None) -> Decimal:
    """Working days from the legal due time to now (0 when not yet past it), 2 decimals."""
    now = now or timezone.now()
    if dossier.due_at is None or dossier.due_at >= now:
        return Decimal(0)
    unit = dossier.receiving_unit
    minutes = workdays.working_minutes_between(dossier.due_at, now, unit)
    day = workdays.office_hours_for(unit).minutes_per_day
    return (Decimal(max(minutes, 0)) / Decimal(day)).quantize(Decimal("0.01"))


def overdue_rows(dossiers, now: datetime) -> list[dict]:
    """``by_rule``: late by rule (a second supplement request) before its due time has come."""
    return [
        {
            "dossier": d,
            "days_late": working_days_late(d, now),
            "by_rule": d.late_by_rule and lateness.classify(now, d.due_at) != lateness.LATE,
        }
        for d in dossiers
    ]


# -- satisfaction and feedback -------------------------------------------------------------------
def satisfaction(ids: list[int] | None, start: date, end: date) -> dict:
    """Share of ratings 4–5 among the rated dossiers received in [start, end].

    From the counters, on the day of receipt (Decision 766 counts by receipt day): the population
    is ``rated``, the satisfied ``rated_satisfied`` (4–5) and ``dissatisfied`` (1–2)
    ``rated_dissatisfied``. Read from the counters, not the ratings joined to the dossiers: that
    join took 0.06–1 s with 1,000,000 dossiers (docs/benchmarks.md).
    """
    sums = counters(start, end, ids)
    return {
        **_rate(sums["rated_satisfied"], sums["rated"]),
        "dissatisfied": sums["rated_dissatisfied"],
    }


def feedback_waiting(ids: list[int] | None) -> int:
    return waiting_count(ids)


# -- Decision 766 --------------------------------------------------------------------------------
def index_tile(unit: OrganisationUnit | None, start: date, end: date) -> dict:
    """The unit's 766 score over the period and its rank under its parent.

    The score is ``compute_index`` of the unit's subtree (the 766 page's figure). The rank comes
    from ``ranking(parent=unit.parent)``, which ranks the *receiving* units under the parent: the
    unit's own row, or — for a committee whose dossiers are received by its one-stop centre — the
    one receiving unit of its subtree. No rank for the province or when the subtree holds several.
    """
    engine = engines[INDEX]
    data = engine.compute(unit, start, end)
    tile = {
        "score": data["score"],
        "rating": data.get("rating"),
        "rank": None,
        "ranked": 0,
        "ranked_unit": None,
        "ranked_score": None,
        "parent": unit.parent if unit is not None else None,
    }
    if unit is None or unit.parent_id is None:
        return tile
    rows = engine.ranking(start, end, parent=unit.parent)
    codes = [row["unit"]["code"] for row in rows]
    inside = set(
        OrganisationUnit.objects.subtree_of(unit)
        .filter(code__in=codes)
        .values_list("code", flat=True)
    )
    mine = [row for row in rows if row["unit"]["code"] == unit.code]
    mine = mine or [row for row in rows if row["unit"]["code"] in inside]
    if len(mine) == 1:
        tile.update(
            rank=mine[0]["rank"],
            ranked=sum(1 for row in rows if row["rank"] is not None),
            ranked_unit=mine[0]["unit"],
            ranked_score=mine[0]["score"],
        )
    return tile


def index_trend(unit: OrganisationUnit | None, today: date) -> list[dict]:
    """The 766 score of each of the last 12 weeks (``weekly_trend``), with the days as dates."""
    return [
        {
            **week,
            "start": date.fromisoformat(week["week_start"]),
            "end": date.fromisoformat(week["to"]),
        }
        for week in engines[INDEX].weekly_trend(unit, WEEKS, today)
    ]


# -- weekly and per-unit figures -----------------------------------------------------------------
def weekly_flows(ids: list[int] | None, today: date, weeks: int = WEEKS) -> list[dict]:
    """Received, resolved and online share of each of the last ``weeks`` weeks (Monday–Sunday,
    the current week up to today), oldest first: the day counters, read in one query."""
    spans = week_spans(today, weeks)
    columns = ("received", "received_online", *RESOLVED_COLUMNS)
    rows = []
    for (start, end), sums in zip(spans, day_sums_per_period(spans, ids, columns), strict=True):
        resolved = sum(sums[column] for column in RESOLVED_COLUMNS)
        rows.append(
            {
                "start": start,
                "end": end,
                "received": sums["received"],
                "resolved": resolved,
                "received_online": sums["received_online"],
                "online": _rate(sums["received_online"], sums["received"]),
            }
        )
    return rows


def on_time_by_child(unit: OrganisationUnit | None, start: date, end: date) -> list[dict]:
    """The on-time rate of each child of the unit (its whole subtree), best first.

    Counts from the report grouped by receiving unit, added up per child; dossiers received by the
    unit itself form a row of their own (``own``). Children without any dossier are left out.
    """
    req = ReportRequest(start=start, end=end, unit=unit, by="unit")
    report = build_report(req, with_findings=False, with_due=False)
    if unit is None:
        children = list(OrganisationUnit.objects.filter(parent__isnull=True))
    else:
        children = list(unit.children.all())
    paths = dict(
        OrganisationUnit.objects.filter(pk__in=[g["key"] for g in report.groups]).values_list(
            "pk", "path"
        )
    )
    sums: dict = defaultdict(lambda: {"to_process": 0, "late_total": 0})
    for group in report.groups:
        path = paths.get(group["key"], "")
        owner = next((child for child in children if path.startswith(child.path)), None)
        key = owner.pk if owner else None
        sums[key]["to_process"] += group["totals"]["to_process"]
        sums[key]["late_total"] += group["totals"]["late_total"]
    by_pk = {child.pk: child for child in children}
    rows = []
    for key, row in sums.items():
        if not row["to_process"]:
            continue
        rows.append(
            {
                "unit": by_pk[key] if key is not None else unit,
                "own": key is None,
                **_rate(row["to_process"] - row["late_total"], row["to_process"]),
            }
        )
    rows.sort(key=lambda r: (-(r["percent"] or 0), vietnamese_sort_key(r["unit"].name)))
    return rows


# -- the whole dashboard -------------------------------------------------------------------------
def tile_values(scope: TileScope) -> list[dict]:
    """Every registered tile in order, with what its ``data`` callable gives for the scope (None
    for the dashboard's own tiles, which read the figures below)."""
    return [
        {"tile": tile, "value": tile.data(scope) if tile.data is not None else None}
        for tile in tiles
    ]


def dashboard(unit: OrganisationUnit | None, period: Period, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = unit_ids(unit)
    totals = period_totals(unit, period.start, period.end)
    overdue = overdue_now(unit, now)[:OVERDUE_LIST_SIZE]
    scope = TileScope(unit=unit, ids=ids, start=period.start, end=period.end, now=now, today=today)
    return {
        "now": now,
        "today": today,
        "received_today": received_today(ids, today),
        "totals": totals,
        "on_time": totals["rates"]["on_time"],
        "overdue_count": overdue_count(unit, now),
        "overdue": overdue_rows(overdue, now),
        "near_due_count": near_due(unit, now).count(),
        "month_start": today.replace(day=1),
        "apologies": apologies_sent(ids, today.replace(day=1), today),
        "index": index_tile(unit, period.start, period.end),
        "satisfaction": satisfaction(ids, period.start, period.end),
        "feedback_waiting": feedback_waiting(ids),
        "weeks": weekly_flows(ids, today),
        "by_child": on_time_by_child(unit, period.start, period.end),
        "trend": index_trend(unit, today),
        "tiles": tile_values(scope),
    }


def cache_key(unit: OrganisationUnit | None, period: Period, today: date) -> str:
    """One entry per unit (its whole subtree), period and day: users who may see the same unit
    share it, a user of another unit never reads it."""
    scope = "all" if unit is None else unit.pk
    return f"dashboard:{scope}:{period.kind}:{period.start}:{period.end}:{today}"


REFRESH_JOB = "dashboard-refresh"
PENDING_KEY = "dashboard:pending"  # entries a worker should compute again: {key: (unit, period)}


def _store(key: str, data: dict) -> None:
    """Keep an entry (tiles by key, never their code) for as long as it may be served."""
    stored = {**data, "tiles": {row["tile"].key: row["value"] for row in data["tiles"]}}
    keep = max(conf.DASHBOARD_CACHE_SECONDS, conf.DASHBOARD_STALE_SECONDS)
    cache.set(key, stored, keep)


def _ask_refresh(key: str, unit: OrganisationUnit | None, period: Period) -> None:
    """Note the entry for the ``dashboard-refresh`` job and start it soon (the queue)."""
    pending = cache.get(PENDING_KEY) or {}
    pending[key] = (unit.pk if unit is not None else None, period.kind, period.start, period.end)
    cache.set(PENDING_KEY, pending, conf.DASHBOARD_STALE_SECONDS)
    request_run(REFRESH_JOB)


def cached_dashboard(
    unit: OrganisationUnit | None, period: Period, now: datetime | None = None
) -> dict:
    """:func:`dashboard`, kept in Django's cache for one unit, period and day.

    An entry younger than ``CCHC_DASHBOARD_CACHE_SECONDS`` is served as it is. An older one is
    computed again: by the page itself without a task queue; with a queue, a worker does it
    (the ``dashboard-refresh`` job) while the page still shows the entry, up to
    ``CCHC_DASHBOARD_STALE_SECONDS`` old — so a leader's refresh every 60 s reads a cache entry
    instead of computing the 766 trend, ranks and rates again (about 0.3 s at 1,000,000 dossiers,
    docs/benchmarks.md). ``now`` in the result says when the figures were computed. Tiles are
    stored by key and matched with the registry again when read.
    """
    now = now or timezone.now()
    if not conf.DASHBOARD_CACHE_SECONDS:
        return dashboard(unit, period, now)
    key = cache_key(unit, period, timezone.localdate(now))
    stored = cache.get(key)
    age = (now - stored["now"]).total_seconds() if stored is not None else None
    if age is not None and age >= conf.DASHBOARD_CACHE_SECONDS:
        if queue_configured() and age < conf.DASHBOARD_STALE_SECONDS:
            _ask_refresh(key, unit, period)
        else:
            stored = None
    if stored is None:
        data = dashboard(unit, period, now)
        _store(key, data)
        return data
    values = stored["tiles"]
    scope = None
    rows = []
    for tile in tiles:
        if tile.key in values:
            value = values[tile.key]
        else:  # registered since the entry was stored
            scope = scope or TileScope(
                unit=unit,
                ids=unit_ids(unit),
                start=period.start,
                end=period.end,
                now=stored["now"],
                today=stored["today"],
            )
            value = tile.data(scope) if tile.data is not None else None
        rows.append({"tile": tile, "value": value})
    return {**stored, "tiles": rows}


def refresh_pending(now: datetime) -> int:
    """Compute again the entries pages asked for (the ``dashboard-refresh`` job); how many.

    Two workers taking the same list compute the same figures twice, which is harmless: the
    entry is replaced by equal figures.
    """
    pending = cache.get(PENDING_KEY) or {}
    cache.delete(PENDING_KEY)
    today = timezone.localdate(now)
    units = OrganisationUnit.objects.in_bulk([spec[0] for spec in pending.values() if spec[0]])
    done = 0
    for unit_pk, kind, start, end in pending.values():
        unit = units.get(unit_pk) if unit_pk is not None else None
        if unit_pk is not None and unit is None:
            continue  # the unit was removed since
        period = Period(kind, start, min(end, today))
        _store(cache_key(unit, period, today), dashboard(unit, period, now))
        done += 1
    return done


# -- public transparency -------------------------------------------------------------------------
def public_units() -> list[OrganisationUnit]:
    """Units that received dossiers (their counters exist), after the root units (the province)."""
    units = OrganisationUnit.objects.filter(Q(pk__in=counted_unit_ids()) | Q(parent__isnull=True))
    return sorted(
        units.select_related("parent"),
        key=lambda u: (u.parent_id is not None, vietnamese_sort_key(u.name)),
    )


def public_summary(unit: OrganisationUnit, start: date, end: date) -> dict:
    """Aggregates only (no dossier, no person): what the public page shows for one period."""
    ids = unit_ids(unit)
    totals = period_totals(unit, start, end)
    median = median_working_days(ids, start, end)
    return {
        "start": start,
        "end": end,
        "received": totals["received"],
        "resolved": totals["resolved"],
        "on_time": totals["rates"]["on_time"],
        "online": totals["rates"]["online"],
        "median_days": median,
        "satisfaction": satisfaction(ids, start, end),
    }
