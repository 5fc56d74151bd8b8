"""Reads: the Decision 766 index of a unit or the province, its ranking and its weekly trend.

Counts come from :mod:`cchc.index766.counts` (the statistics counters, the catalog, citizen
feedback); points from the date-versioned rules of :mod:`cchc.index766.engine`, with the overrides
an administrator recorded (:mod:`cchc.index766.config`).
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from cchc.organisations.models import OrganisationUnit
from cchc.reports.parsing import BadPeriod
from cchc.reports.selectors import week_spans

from . import counts as collect
from .config import compute
from .engine import OFFICIAL_START, losses, rank


def check_index_period(end: date) -> None:
    """The index exists from its official start (1/8/2022, index766.md §2.1)."""
    if end < OFFICIAL_START:
        raise BadPeriod(
            _("The 766 index is computed from %(day)s.") % {"day": f"{OFFICIAL_START:%d/%m/%Y}"}
        )


def _result(counts, end: date):
    """Points under the rules in force on the period's last day, with recorded overrides."""
    return compute(counts, end)


def _payload(result) -> dict:
    data = result.to_dict()
    data["score"] = data["total"]  # the ranked figure (see docs/index766.md)
    return data


def unit_ids_of(unit: OrganisationUnit | None) -> list[int] | None:
    if unit is None:
        return None
    return list(OrganisationUnit.objects.subtree_of(unit).values_list("pk", flat=True))


def compute_index(unit: OrganisationUnit | None, start: date, end: date) -> dict:
    """The index for a unit subtree (None: the whole province) over [start, end], JSON-ready."""
    check_index_period(end)
    result = _result(collect.collect(unit_ids_of(unit), start, end), end)
    data = _payload(result)
    data.update(
        {
            "unit": None if unit is None else {"code": unit.code, "name": unit.name},
            "from": start.isoformat(),
            "to": end.isoformat(),
            "losses": [indicator.to_dict() for indicator in losses(result)],
        }
    )
    return data


def receiving_units(parent: OrganisationUnit | None = None) -> list[OrganisationUnit]:
    """Units that receive dossiers: the ones the index ranks.

    Read from the month counters of all procedures (a row per unit and month: hundreds of rows),
    not from the per-dossier facts (one per dossier: 0.3 s for 1,000,000 dossiers).
    """
    from cchc.reports.selectors import counted_unit_ids

    units = OrganisationUnit.objects.filter(pk__in=counted_unit_ids())
    if parent is not None:
        units = units.filter(path__startswith=parent.path)
    return list(units.order_by("code"))


def ranking(start: date, end: date, parent: OrganisationUnit | None = None) -> list[dict]:
    """Every receiving unit's score over [start, end], best first; ties share a rank."""
    check_index_period(end)
    units = {u.pk: u for u in receiving_units(parent)}
    per_unit = collect.collect_per_unit(list(units), start, end)
    results = {unit_id: _result(c, end) for unit_id, c in per_unit.items()}
    rows = []
    for position, unit_id, total in rank(results):
        unit = units[unit_id]
        data = _payload(results[unit_id])
        rows.append(
            {
                "rank": position,
                "unit": {"code": unit.code, "name": unit.name},
                "score": None if total is None else float(total),
                "rating": data["rating"],
                "coverage": data["coverage"],
                "groups": [
                    {"key": g["key"], "points": g["points"], "max_points": g["max_points"]}
                    for g in data["groups"]
                ],
            }
        )
    return rows


def weekly_trend(unit: OrganisationUnit | None, weeks: int = 12, end: date | None = None):
    """The index of each of the last ``weeks`` weeks (Monday to Sunday), oldest first.

    The weeks' counts are read together (``collect_series``: about seven queries, not seven
    per week; the trend took 0.5–1.2 s at 1,000,000 dossiers week by week, docs/benchmarks.md).
    """
    spans = week_spans(end or date.today(), weeks)
    scored = [(start, stop) for start, stop in spans if stop >= OFFICIAL_START]
    series = dict(zip(scored, collect.collect_series(unit_ids_of(unit), scored), strict=True))
    points = []
    for start, stop in spans:
        score = None
        if (start, stop) in series:
            score = _payload(_result(series[(start, stop)], stop))["score"]
        points.append({"week_start": start.isoformat(), "to": stop.isoformat(), "score": score})
    return points
