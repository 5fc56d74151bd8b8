"""Reads: the period report from the counters, the dossiers behind each number, the findings."""

from __future__ import annotations

import calendar
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from cchc.catalog.models import Field, Procedure
from cchc.dossiers.models import Dossier, DossierPause
from cchc.organisations.models import OrganisationUnit
from cchc.workdays import services as workdays

from .engine.contribution import COLUMNS, UNPLACED_DAY
from .engine.period import DueTotals, PeriodTotals, check_identities, period_totals
from .models import ALL_PROCEDURES, DossierStat, Grain, StatCell

ORIGIN = UNPLACED_DAY  # every counter sum starts here
GROUPINGS = ("field", "procedure", "unit")

# The report's columns in the order of the official layout, with their headings.
REPORT_COLUMNS = (
    ("to_process", _("To process: total")),
    ("carried_over", _("Carried over from the previous period")),
    ("received", _("Received in the period")),
    ("received_online", _("of which online")),
    ("received_counter", _("of which at the counter")),
    ("received_postal", _("of which by public postal service")),
    ("resolved", _("Resolved: total")),
    ("resolved_early", _("before the due date")),
    ("resolved_on_time", _("on time")),
    ("resolved_late", _("late")),
    ("in_progress", _("In progress: total")),
    ("in_progress_on_time", _("within the time limit")),
    ("in_progress_late", _("overdue")),
    ("late_total", _("Late in all")),
    ("waiting_supplement", _("Waiting for a supplement")),
    ("waiting_financial", _("Waiting for financial obligations")),
    ("stopped", _("Stopped")),
    ("returned", _("Returned (refused)")),
    ("withdrawn", _("Withdrawn")),
)
REPORT_KEYS = tuple(key for key, _label in REPORT_COLUMNS)
# The due basis's numbers, drilled as "due_<key>" (docs/reports.md, *Due basis*).
DUE_DRILL = (
    "due_in_period",
    "due_resolved_in_time",
    "due_resolved_late",
    "due_overdue_unresolved",
    "due_returned_or_withdrawn",
)
DRILLABLE = (
    frozenset(REPORT_KEYS) | {"received_online_full", "apology_sent", "closed_without_end_time"}
) | frozenset(DUE_DRILL)


@dataclass
class ReportRequest:
    start: date
    end: date
    unit: OrganisationUnit | None = None  # None: the whole tree from its root
    by: str | None = None  # field | procedure | unit
    field_id: int | None = None
    procedure_id: int | None = None
    level: str | None = None  # a catalog Level value

    def unit_ids(self) -> list[int] | None:
        if self.unit is None:
            return None
        return list(OrganisationUnit.objects.subtree_of(self.unit).values_list("pk", flat=True))

    def procedure_ids(self) -> list[int] | None:
        if self.procedure_id is None and self.field_id is None and not self.level:
            return None
        procedures = Procedure.objects.all()
        if self.procedure_id is not None:
            procedures = procedures.filter(pk=self.procedure_id)
        if self.field_id is not None:
            procedures = procedures.filter(field_id=self.field_id)
        if self.level:
            procedures = procedures.at_level(self.level)
        return list(procedures.values_list("pk", flat=True))


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def split_range(start: date, end: date) -> tuple[list[tuple[date, date]], tuple[date, date] | None]:
    """[start, end] as day ranges at the edges and one range of whole months in between."""
    days: list[tuple[date, date]] = []
    if start > end:
        return days, None
    cursor = start
    if cursor.day != 1:
        head_end = min(end, month_end(cursor))
        days.append((cursor, head_end))
        cursor = head_end + timedelta(days=1)
    first_month = last_month = None
    while cursor <= end and month_end(cursor) <= end:
        first_month = first_month or cursor
        last_month = cursor
        cursor = month_end(cursor) + timedelta(days=1)
    if cursor <= end:
        days.append((cursor, end))
    return days, (first_month, last_month) if first_month else None


def _range_filter(start: date, end: date) -> Q | None:
    days, months = split_range(start, end)
    query = None
    for a, b in days:
        part = Q(grain=Grain.DAY, period__range=(a, b))
        query = part if query is None else query | part
    if months:
        part = Q(grain=Grain.MONTH, period__range=months)
        query = part if query is None else query | part
    return query


def sum_counters(
    start: date,
    end: date,
    unit_ids: list[int] | None,
    procedure_ids: list[int] | None,
    group: str | tuple[str, ...] | None = None,
    columns: tuple[str, ...] = COLUMNS,
) -> dict:
    """Counters summed over [start, end]. ``group``: None, "unit_id", "procedure_id", or a tuple
    of both (keys are then tuples)."""
    period = _range_filter(start, end)
    if period is None:
        return {}
    groups = (group,) if isinstance(group, str) else tuple(group or ())
    cells = StatCell.objects.filter(period)
    if procedure_ids is None and "procedure_id" not in groups:
        cells = cells.filter(procedure_id=ALL_PROCEDURES)
    elif procedure_ids is None:
        cells = cells.exclude(procedure_id=ALL_PROCEDURES)
    else:
        cells = cells.filter(procedure_id__in=procedure_ids)
    if unit_ids is not None:
        cells = cells.filter(unit_id__in=unit_ids)
    sums = {column: Sum(column) for column in columns}
    if not groups:
        row = cells.aggregate(**sums)
        return {None: {k: v or 0 for k, v in row.items()}}
    result = {}
    for row in cells.values(*groups).annotate(**sums).order_by():
        key = tuple(row.pop(name) for name in groups)
        result[key if len(groups) > 1 else key[0]] = {k: v or 0 for k, v in row.items()}
    return result


def counted_unit_ids() -> QuerySet:
    """Ids of the units some counted dossier was received by (its ``receiving_unit``), read from
    the month counters of all procedures: a row per unit and month, not one per dossier.

    Every counted dossier adds 1 to exactly one of ``received``, ``closed_unreceived`` or
    ``unplaced``; counter rows are never deleted, so a unit whose dossiers all moved to another
    receiving unit keeps rows of zeros and is left out here.
    """
    return (
        StatCell.objects.filter(grain=Grain.MONTH, procedure_id=ALL_PROCEDURES)
        .exclude(received=0, closed_unreceived=0, unplaced=0)
        .values_list("unit_id", flat=True)
        .distinct()
    )


def week_spans(end: date, weeks: int) -> list[tuple[date, date]]:
    """The last ``weeks`` weeks, Monday to Sunday, oldest first; the last one ends at ``end``."""
    first = end - timedelta(days=end.weekday(), weeks=weeks - 1)
    return [
        (first + timedelta(weeks=n), min(first + timedelta(weeks=n, days=6), end))
        for n in range(weeks)
    ]


def day_sums_per_period(
    periods: list[tuple[date, date]],
    unit_ids: list[int] | None,
    columns: tuple[str, ...] = COLUMNS,
) -> list[dict[str, int]]:
    """The counters of all procedures summed over each of ``periods`` (in order, not
    overlapping): their day rows read in one query, summed per day, then added up per period in
    Python — a series of short periods (the 766 index's weeks, the dashboard's weekly flows)
    instead of one query per period."""
    sums: list[dict[str, int]] = [defaultdict(int) for _ in periods]
    if not periods:
        return sums
    cells = StatCell.objects.filter(
        grain=Grain.DAY,
        period__range=(periods[0][0], periods[-1][1]),
        procedure_id=ALL_PROCEDURES,
    )
    if unit_ids is not None:
        cells = cells.filter(unit_id__in=unit_ids)
    starts = [start for start, _end in periods]
    for row in cells.values("period").annotate(**{c: Sum(c) for c in columns}).order_by():
        day = row.pop("period")
        n = bisect_right(starts, day) - 1
        if day > periods[n][1]:
            continue  # between two periods
        for column, value in row.items():
            sums[n][column] += value or 0
    return sums


def sums_per_period(
    periods: list[tuple[date, date]],
    unit_ids: list[int] | None,
    group: str,
    columns: tuple[str, ...],
) -> list[dict]:
    """The day rows of each period summed per ``group`` (``"procedure_id"`` or ``"unit_id"``), in
    one query with a sum per period and column: ``[{key: {column: n}}, …]`` in the order of
    ``periods``. For a few columns over many keys, where a row per day and key would be many rows
    (the 766 trend's online presence per procedure: 7,000 rows for 12 weeks of a province)."""
    if not periods:
        return []
    first = min(start for start, _end in periods)
    last = max(end for _start, end in periods)
    cells = StatCell.objects.filter(grain=Grain.DAY, period__range=(first, last))
    if group == "procedure_id":
        cells = cells.exclude(procedure_id=ALL_PROCEDURES)
    else:
        cells = cells.filter(procedure_id=ALL_PROCEDURES)
    if unit_ids is not None:
        cells = cells.filter(unit_id__in=unit_ids)
    nonzero = Q()
    for column in columns:
        nonzero |= ~Q(**{column: 0})
    cells = cells.filter(nonzero)  # rows that add nothing to any sum are left out early
    sums = {
        f"{column}__{n}": Sum(column, filter=Q(period__range=span))
        for n, span in enumerate(periods)
        for column in columns
    }
    result: list[dict] = [{} for _ in periods]
    for row in cells.values(group).annotate(**sums).order_by():
        key = row[group]
        for n in range(len(periods)):
            result[n][key] = {column: row[f"{column}__{n}"] or 0 for column in columns}
    return result


def _merge(rows: dict, mapping: dict) -> dict:
    merged: dict = defaultdict(lambda: defaultdict(int))
    for key, counters in rows.items():
        target = mapping.get(key)
        for column, n in counters.items():
            merged[target][column] += n
    return merged


@dataclass
class Report:
    request: ReportRequest
    total: PeriodTotals
    groups: list[dict] = field(default_factory=list)  # {"key", "code", "name", "totals"}
    findings: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        req = self.request
        return {
            "unit": None if req.unit is None else {"code": req.unit.code, "name": req.unit.name},
            "from": req.start.isoformat(),
            "to": req.end.isoformat(),
            "by": req.by,
            "filters": {"field": req.field_id, "procedure": req.procedure_id, "level": req.level},
            "total": self.total.to_dict(),
            "groups": [
                {"key": g["key"], "code": g["code"], "name": g["name"], **g["totals"].to_dict()}
                for g in self.groups
            ],
            "findings": self.findings,
        }


RETURNED_OR_WITHDRAWN = ("returned", "withdrawn", "stopped")


def due_counts(
    start: date,
    end: date,
    unit_ids: list[int] | None,
    procedure_ids: list[int] | None,
    group: str | None = None,
) -> dict:
    """The "due in the period" basis from the per-dossier facts (docs/reports.md, *Due basis*).

    Whether a late dossier was resolved by the period's end or is still open depends on two days
    (its due day and its end), which day counters cannot answer; the per-dossier facts can, in
    one aggregate over the dossiers due in the period (index ``reports_stat_due``).
    """
    stats = _scoped(DossierStat.objects.filter(due_on__range=(start, end)), unit_ids, procedure_ids)
    late = Q(due_kind="late")
    closed_by_end = Q(closed_on__lte=end)
    aggregates = {
        "due_in_period": Count("pk"),
        "resolved_in_time": Count("pk", filter=Q(due_kind="in_time")),
        "resolved_late": Count("pk", filter=late & closed_by_end),
        "overdue_unresolved": Count("pk", filter=late & ~closed_by_end),
        "returned_or_withdrawn": Count(
            "pk", filter=Q(closed_kind__in=RETURNED_OR_WITHDRAWN) & closed_by_end
        ),
        "unclassified": Count("pk", filter=Q(due_kind="")),
    }
    if group is None:
        return {None: stats.aggregate(**aggregates)}
    return {row.pop(group): row for row in stats.values(group).annotate(**aggregates).order_by()}


def build_report(req: ReportRequest, with_findings: bool = True, with_due: bool = True) -> Report:
    """The period report. ``with_due=False`` leaves out the "due in the period" basis (``due``
    stays None), the one part read from per-dossier facts rather than counters: a year of a
    province is ~0.3 s at 1,000,000 dossiers (docs/benchmarks.md), which the leaders' dashboard,
    showing none of it, need not pay."""
    unit_ids = req.unit_ids()
    procedure_ids = req.procedure_ids()
    before_start = req.start - timedelta(days=1)
    group_column = {"unit": "unit_id", "procedure": "procedure_id", "field": "procedure_id"}.get(
        req.by or ""
    )
    before = sum_counters(ORIGIN, before_start, unit_ids, procedure_ids)
    within = sum_counters(req.start, req.end, unit_ids, procedure_ids)
    total = period_totals(before.get(None, {}), within.get(None, {}))
    if with_due:
        due = due_counts(req.start, req.end, unit_ids, procedure_ids)
        total.due = DueTotals.from_counts(due.get(None, {}))
    report = Report(request=req, total=total)
    if group_column:
        before_g = sum_counters(ORIGIN, before_start, unit_ids, procedure_ids, group_column)
        within_g = sum_counters(req.start, req.end, unit_ids, procedure_ids, group_column)
        due_g = None
        if with_due:
            due_g = due_counts(req.start, req.end, unit_ids, procedure_ids, group_column)
        report.groups = _groups(req.by, before_g, within_g, due_g)
    if with_findings:
        report.findings = findings_for(req, report, unit_ids, procedure_ids)
    return report


def _groups(by: str, before: dict, within: dict, due: dict | None) -> list[dict]:
    """One row per key; ``due`` None: rows without the due basis (``build_report(with_due=…)``)."""
    with_due = due is not None
    due = due or {}
    keys = set(before) | set(within) | set(due)
    if by == "field":
        mapping = dict(Procedure.objects.filter(pk__in=keys).values_list("pk", "field_id"))
        before, within = _merge(before, mapping), _merge(within, mapping)
        due = _merge(due, mapping)
        keys = set(before) | set(within) | set(due)
        labels = {f.pk: (f.code, f.name) for f in Field.objects.filter(pk__in=keys)}
    elif by == "procedure":
        labels = {p.pk: (p.code, p.name) for p in Procedure.objects.filter(pk__in=keys)}
    else:
        labels = {u.pk: (u.code, u.name) for u in OrganisationUnit.objects.filter(pk__in=keys)}
    groups = []
    for key in keys:
        totals = period_totals(before.get(key, {}), within.get(key, {}))
        if with_due:
            totals.due = DueTotals.from_counts(due.get(key, {}))
        if not any(totals.counts.values()) and not (totals.due and any(totals.due.counts.values())):
            continue
        code, name = labels.get(key, ("", str(_("(unknown)"))))
        groups.append({"key": key, "code": code, "name": name, "totals": totals})
    from cchc.common.text import vietnamese_sort_key

    groups.sort(key=lambda g: vietnamese_sort_key(g["name"]))
    return groups


def findings_for(req: ReportRequest, report: Report, unit_ids, procedure_ids) -> list[dict]:
    findings = []
    rows = [(None, report.total)] + [(g, g["totals"]) for g in report.groups]
    for group, totals in rows:
        for finding in check_identities(totals):
            item = finding.to_dict()
            item["group"] = (
                None if group is None else {"code": group["code"], "name": group["name"]}
            )
            key = None if group is None else group["key"]
            scope = group_scope(req, unit_ids, procedure_ids, key)
            item["dossiers"] = anomalous_codes(req, finding.anomalies, *scope)
            findings.append(item)
    return findings


def anomalous_codes(req: ReportRequest, anomalies, unit_ids, procedure_ids, limit=50) -> list[str]:
    stats = DossierStat.objects.all()
    codes = Q()
    for anomaly in anomalies:
        codes |= Q(anomalies__contains=anomaly)
    stats = _scoped(stats.filter(codes), unit_ids, procedure_ids).filter(
        Q(received_on__lte=req.end) | Q(received_on__isnull=True)
    )
    return list(
        Dossier.objects.filter(pk__in=stats.values("pk"))
        .order_by("code")
        .values_list("code", flat=True)[:limit]
    )


def _scoped(stats: QuerySet, unit_ids, procedure_ids) -> QuerySet:
    if unit_ids is not None:
        stats = stats.filter(unit_id__in=unit_ids)
    if procedure_ids is not None:
        stats = stats.filter(procedure_id__in=procedure_ids)
    return stats


def _midnight_after(day: date) -> datetime:
    return workdays.local_midnight(day + timedelta(days=1))


def group_scope(req: ReportRequest, unit_ids, procedure_ids, group_key):
    """The units and procedures of one row of a grouped report (the whole request without)."""
    if group_key is not None and req.by == "unit":
        unit_ids = [group_key] if unit_ids is None or group_key in unit_ids else []
    elif group_key is not None and req.by == "procedure":
        procedure_ids = [group_key] if procedure_ids is None or group_key in procedure_ids else []
    elif group_key is not None and req.by == "field":
        in_field = Procedure.objects.filter(field_id=group_key)
        if procedure_ids is not None:
            in_field = in_field.filter(pk__in=procedure_ids)
        procedure_ids = list(in_field.values_list("pk", flat=True))
    return unit_ids, procedure_ids


def drill(req: ReportRequest, column: str, group_key=None) -> QuerySet:
    """The dossiers behind one number of the report (same definitions as the counters)."""
    dossiers = Dossier.objects.filter(pk__in=drill_facts(req, column, group_key).values("pk"))
    return _drill_dossiers(req, column, dossiers)


def drill_facts(req: ReportRequest, column: str, group_key=None) -> QuerySet:
    """The per-dossier facts (``DossierStat``) the report's column counts, before the
    conditions on the dossiers themselves (channel, clock stops, apology letters) that
    :func:`drill` adds for some columns."""
    if column not in DRILLABLE:
        raise ValueError(column)
    p, t = req.start, req.end
    unit_ids, procedure_ids = group_scope(req, req.unit_ids(), req.procedure_ids(), group_key)
    stats = _scoped(DossierStat.objects.all(), unit_ids, procedure_ids)
    received = Q(received_on__range=(p, t))
    carried = Q(received_on__lt=p) & (Q(open_until__isnull=True) | Q(open_until__gte=p))
    open_at_end = Q(received_on__lte=t) & (Q(open_until__isnull=True) | Q(open_until__gt=t))
    late_at_end = Q(overdue_from__lte=t) & (Q(overdue_until__isnull=True) | Q(overdue_until__gt=t))
    closed = Q(closed_on__range=(p, t))
    conditions = {
        "to_process": carried | received,
        "carried_over": carried,
        "received": received,
        "received_online": received,
        "received_counter": received,
        "received_postal": received,
        "received_online_full": received,
        "resolved": closed
        & Q(closed_kind__in=["resolved_early", "resolved_on_time", "resolved_late"]),
        "in_progress": open_at_end,
        "in_progress_late": late_at_end,
        "in_progress_on_time": open_at_end & ~late_at_end,
        "late_total": (closed & Q(closed_kind="resolved_late")) | late_at_end,
        "waiting_supplement": open_at_end,
        "waiting_financial": open_at_end,
        "apology_sent": Q(),
        "closed_without_end_time": received & Q(anomalies__contains="no_end_time"),
    }
    due_in_period = Q(due_on__range=(p, t))
    conditions.update(
        {
            "due_in_period": due_in_period,
            "due_resolved_in_time": due_in_period & Q(due_kind="in_time"),
            "due_resolved_late": due_in_period & Q(due_kind="late", closed_on__lte=t),
            "due_overdue_unresolved": due_in_period
            & Q(due_kind="late")
            & (Q(closed_on__isnull=True) | Q(closed_on__gt=t)),
            "due_returned_or_withdrawn": due_in_period
            & Q(closed_kind__in=RETURNED_OR_WITHDRAWN, closed_on__lte=t),
        }
    )
    for kind in (
        "resolved_early",
        "resolved_on_time",
        "resolved_late",
        "returned",
        "withdrawn",
        "stopped",
    ):
        conditions[kind] = closed & Q(closed_kind=kind)
    return stats.filter(conditions[column])


def _drill_dossiers(req: ReportRequest, column: str, dossiers: QuerySet) -> QuerySet:
    p, t = req.start, req.end
    channel = {"received_online": 2, "received_counter": 1, "received_postal": 3}.get(column)
    if channel:
        dossiers = dossiers.filter(channel=channel)
    if column == "received_online_full":
        dossiers = dossiers.filter(channel=2, online_mode="full")
    if column in ("waiting_supplement", "waiting_financial"):
        after = _midnight_after(t)
        pauses = DossierPause.objects.filter(
            kind=column.removeprefix("waiting_"), started_at__lt=after
        ).filter(Q(ended_at__isnull=True) | Q(ended_at__gte=after))
        dossiers = dossiers.filter(pk__in=pauses.values("dossier_id"))
    if column == "apology_sent":
        sent = Dossier.objects.filter(
            apologies__sent_at__gte=workdays.local_midnight(p),
            apologies__sent_at__lt=_midnight_after(t),
        )
        dossiers = dossiers.filter(pk__in=sent.values("pk"))
    return dossiers.select_related("procedure", "receiving_unit").order_by("received_at", "pk")


def median_working_days(unit_ids: list[int] | None, start: date, end: date) -> float | None:
    """Median working days from clock start to result for results signed in [start, end]."""
    stats = DossierStat.objects.filter(closed_on__range=(start, end), working_days__isnull=False)
    if unit_ids is not None:
        stats = stats.filter(unit_id__in=unit_ids)
    count = stats.count()
    if not count:
        return None
    ordered = stats.order_by("working_days").values_list("working_days", flat=True)
    if count % 2:
        return float(ordered[count // 2])
    pair = list(ordered[count // 2 - 1 : count // 2 + 1])
    return float(sum(pair) / 2)
