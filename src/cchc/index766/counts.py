"""Numerators and denominators of the Decision 766 indicators from the platform's own data.

Each function answers ``{indicator id: (numerator, denominator) | None}`` (None: the platform
does not hold the data, so the indicator is *missing*, never 0 nor full marks). Dossier counts come
from the statistics counters (``cchc.reports``), never from a scan of the dossier table; the
catalog and the citizen feedback tables are small. Definitions follow index766.md §2.3–2.4 (the
VPCP technical description); where the platform approximates, docs/index766.md says how.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise

from django.db.models import Count, Q

from cchc.catalog.models import OnlineLevel, Procedure
from cchc.organisations.models import OrganisationUnit, UnitKind
from cchc.reports.engine.period import period_totals
from cchc.reports.selectors import ORIGIN, day_sums_per_period, sum_counters, sums_per_period

from .config import CLOSED_EXCLUDED, CLOSED_ON_TIME, closed_rule

Counts = dict[str, tuple[int, int] | None]

# Not held by the platform: publication decisions and their CSDLQG dates (1.1, 1.2), the sync to the
# national portal (1.4), reuse of digitised data and the national data store (4.3, 4.4), VNeID
# and population-database use (4.5).
NOT_HELD = ("1.1", "1.2", "1.4", "4.3", "4.4", "4.5")
# Per procedure: was any dossier received online, any fee paid online (3.2, 3.5)
PRESENCE_COLUMNS = ("received_online", "paid_online")


def _level_of(kind: str, parent_kind: str | None) -> str:
    communal = UnitKind.COMMUNE_COMMITTEE
    return "commune" if communal in (kind, parent_kind) else "province"


def levels_of(unit_ids: list[int] | None) -> set[str]:
    """Catalog levels the units work at: the provincial tree, or communes (two-tier government)."""
    units = OrganisationUnit.objects.all()
    if unit_ids is not None:
        units = units.filter(pk__in=unit_ids)
    levels = {_level_of(k, p) for k, p in units.values_list("kind", "parent__kind").distinct()}
    return levels or {"province", "commune"}


def procedures_in_competence(levels: set[str]):
    query = Q()
    for level in levels:
        query |= Q(**{f"level_{level}": True})
    return Procedure.objects.filter(query, active=True)


def is_complete(procedure: Procedure, has_components: bool) -> bool:
    """All parts of NĐ 63/2010 Art. 8(2): name, steps, methods, dossier components, time limit,
    eligible applicants, implementing agency (index766.md, indicator 1.3)."""
    return bool(
        procedure.name.strip()
        and procedure.steps.strip()
        and (procedure.channel_counter or procedure.channel_online or procedure.channel_postal)
        and has_components
        and (procedure.time_limit_amount > 0 or procedure.time_limit_unit == "same_day")
        and procedure.applicants.strip()
        and procedure.implementing_agency.strip()
    )


CatalogEntry = tuple[int, bool, bool, bool]  # procedure id, complete, online, fee-bearing


def catalog_of(levels: set[str]) -> list[CatalogEntry]:
    procedures = (
        procedures_in_competence(levels)
        .annotate(components_count=Count("components", distinct=True))
        .prefetch_related("fees")
    )
    return [
        (
            p.pk,
            is_complete(p, p.components_count > 0),
            p.online_level in (OnlineLevel.FULL, OnlineLevel.PARTIAL),
            any(fee.amount > 0 for fee in p.fees.all()),
        )
        for p in procedures
    ]


def catalog_counts(catalog: list[CatalogEntry], per_procedure: dict[int, dict]) -> Counts:
    online = [pk for pk, _complete, is_online, _fee in catalog if is_online]
    fee_bearing = [pk for pk, _complete, _online, has_fee in catalog if has_fee]
    complete = sum(1 for entry in catalog if entry[1])
    used_online = sum(1 for pk in online if per_procedure.get(pk, {}).get("received_online", 0))
    paid_online = sum(1 for pk in fee_bearing if per_procedure.get(pk, {}).get("paid_online", 0))
    return {
        "1.3": (complete, len(catalog)),
        "3.1": (len(online), len(catalog)),
        "3.2": (used_online, len(online)),
        "3.5": (paid_online, len(fee_bearing)),
    }


def dossier_counts(
    before: dict[str, int], within: dict[str, int], closed: str = CLOSED_ON_TIME
) -> Counts:
    totals = period_totals(before, within).counts
    to_process, late = totals["to_process"], totals["late_total"]
    dissatisfied = within.get("dissatisfied", 0)
    # 2.1 and returned, withdrawn, stopped dossiers: processed in time, or left out (config.py)
    left_out = 0
    if closed == CLOSED_EXCLUDED:
        left_out = totals["returned"] + totals["withdrawn"] + totals["stopped"]
    return {
        # 2.1: finished or still running within the due time / received or processed in the period
        "2.1": (to_process - late - left_out, to_process - left_out),
        "3.3": (within.get("received_online", 0), totals["received"]),
        "3.6": (within.get("paid_online", 0), within.get("fee_bearing", 0)),
        "4.1": (within.get("result_electronic", 0), within.get("result_issued", 0)),
        "4.2": (within.get("digitised", 0), totals["received"]),
        # 5.4: 100% − (overdue + rated "dissatisfied" or named in a complaint), on dossiers handled
        "5.4": (max(0, to_process - late - dissatisfied), to_process),
    }


def feedback_counts(unit_ids: list[int] | None, start: date, end: date) -> Counts:
    from cchc.feedback.selectors import index_counts

    return _feedback_indicators(index_counts(unit_ids, start, end))


def _feedback_indicators(c: dict) -> Counts:
    return {
        "5.1": (c["classified"], c["total"]),
        "5.2": (c["handled_on_time"], c["in_competence"]),
        "5.3": (c["total"] - c["dissatisfied_or_overdue"], c["total"]),
    }


def average_days(within: dict[str, int]) -> tuple[int, int] | None:
    """2.2 (shown, not scored): average working days to the result, from the counters
    (hundredths of working days / results × 100)."""
    if not within.get("wd_count"):
        return None
    return within["wd_sum"], within["wd_count"] * 100


def collect(unit_ids: list[int] | None, start: date, end: date) -> Counts:
    """Every indicator's (numerator, denominator) for the units (None: the whole province)."""
    before_start = start - timedelta(days=1)
    before = sum_counters(ORIGIN, before_start, unit_ids, None).get(None, {})
    within = sum_counters(start, end, unit_ids, None).get(None, {})
    per_procedure = sum_counters(
        start, end, unit_ids, None, "procedure_id", columns=PRESENCE_COLUMNS
    )
    catalog = catalog_of(levels_of(unit_ids))
    counts = _assemble(catalog, per_procedure, before, within, closed_rule(end))
    counts.update(feedback_counts(unit_ids, start, end))
    return counts


def _assemble(catalog, per_procedure, before, within, closed: str) -> Counts:
    """The indicators held in the catalog and the counters (feedback ones apart)."""
    counts: Counts = {key: None for key in NOT_HELD}
    counts.update(catalog_counts(catalog, per_procedure))
    counts.update(dossier_counts(before, within, closed))
    counts["2.2"] = average_days(within)
    return counts


def collect_series(unit_ids: list[int] | None, periods: list[tuple[date, date]]) -> list[Counts]:
    """:func:`collect` of each of consecutive periods (each starts the day after the previous
    one ends: the weekly trend), with the same counts from about seven queries in all (three on the
    counters, the feedback, the units' levels, the catalog and its fees) instead of seven per
    period. The stock before each period is the stock before the first plus the days in between;
    each period's own figures are its days' rows added up."""
    from cchc.feedback.selectors import index_counts_series

    if not periods:
        return []
    for (_start, end), (next_start, _end) in pairwise(periods):
        if next_start != end + timedelta(days=1):
            raise ValueError("collect_series needs consecutive periods")
    within = day_sums_per_period(periods, unit_ids)
    per_procedure = sums_per_period(periods, unit_ids, "procedure_id", PRESENCE_COLUMNS)
    catalog = catalog_of(levels_of(unit_ids))
    feedback = index_counts_series(unit_ids, periods)
    before: dict[str, int] = defaultdict(int)
    before_first = periods[0][0] - timedelta(days=1)
    before.update(sum_counters(ORIGIN, before_first, unit_ids, None).get(None, {}))
    series = []
    for n, (_start, end) in enumerate(periods):
        counts = _assemble(catalog, per_procedure[n], before, within[n], closed_rule(end))
        counts.update(_feedback_indicators(feedback[n]))
        series.append(counts)
        for column, value in within[n].items():
            before[column] += value
    return series


def collect_per_unit(unit_ids: list[int], start: date, end: date) -> dict[int, Counts]:
    """The same for each unit, with one counter query per range (for the ranking)."""
    before_start = start - timedelta(days=1)
    before = sum_counters(ORIGIN, before_start, unit_ids, None, "unit_id")
    within = sum_counters(start, end, unit_ids, None, "unit_id")
    per_unit_procedure: dict[int, dict[int, dict[str, int]]] = defaultdict(dict)
    presence = sum_counters(
        start,
        end,
        unit_ids,
        None,
        ("unit_id", "procedure_id"),
        columns=PRESENCE_COLUMNS,
    )
    for (unit_id, procedure_id), sums in presence.items():
        per_unit_procedure[unit_id][procedure_id] = sums
    kinds = {
        pk: _level_of(kind, parent_kind)
        for pk, kind, parent_kind in OrganisationUnit.objects.filter(pk__in=unit_ids).values_list(
            "pk", "kind", "parent__kind"
        )
    }
    catalogs = {level: catalog_of({level}) for level in set(kinds.values())}
    from cchc.feedback.selectors import index_counts_by_unit

    feedback = index_counts_by_unit(list(unit_ids), start, end)
    closed = closed_rule(end)
    result = {}
    for unit_id in unit_ids:
        if unit_id not in before and unit_id not in within:
            continue
        counts: Counts = {key: None for key in NOT_HELD}
        counts.update(catalog_counts(catalogs[kinds[unit_id]], per_unit_procedure.get(unit_id, {})))
        counts.update(dossier_counts(before.get(unit_id, {}), within.get(unit_id, {}), closed))
        counts.update(_feedback_indicators(feedback[unit_id]))
        counts["2.2"] = average_days(within.get(unit_id, {}))
        result[unit_id] = counts
    return result


# What each dossier-based indicator misses, as counter columns: (shortfall = denominator column
# minus numerator column, per procedure). 2.1 and 5.4 lose points on late dossiers.
SHORTFALL = {
    "3.3": ("received", "received_online"),
    "3.6": ("fee_bearing", "paid_online"),
    "4.1": ("result_issued", "result_electronic"),
    "4.2": ("received", "digitised"),
}
LATE_INDICATORS = ("2.1", "5.4")


def causes(indicator_id: str, unit_ids, start: date, end: date, limit: int = 5) -> list[dict]:
    """The procedures that cost an indicator most: [{procedure, code, name, missing, of}]."""
    if indicator_id in LATE_INDICATORS:
        before = sum_counters(ORIGIN, start - timedelta(days=1), unit_ids, None, "procedure_id")
        within = sum_counters(start, end, unit_ids, None, "procedure_id")
        rows = []
        for pk in set(before) | set(within):
            totals = period_totals(before.get(pk, {}), within.get(pk, {})).counts
            rows.append((pk, totals["late_total"], totals["to_process"]))
    elif indicator_id in SHORTFALL:
        of, done = SHORTFALL[indicator_id]
        within = sum_counters(start, end, unit_ids, None, "procedure_id")
        rows = [(pk, c.get(of, 0) - c.get(done, 0), c.get(of, 0)) for pk, c in within.items()]
    else:
        return []
    rows = sorted((r for r in rows if r[1] > 0), key=lambda r: -r[1])[:limit]
    names = {p.pk: p for p in Procedure.objects.filter(pk__in=[r[0] for r in rows])}
    return [
        {
            "procedure": pk,
            "code": names[pk].code if pk in names else "",
            "name": names[pk].name if pk in names else "",
            "missing": missing,
            "of": of_total,
        }
        for pk, missing, of_total in rows
    ]
