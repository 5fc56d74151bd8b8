"""The dashboard tile "reports missing": expected units without a report approved by the due date
of each period of the current reporting year whose due date has passed."""

from __future__ import annotations

from cchc.common.tiles import TileScope

from . import periods, selectors


def missing_tile(scope: TileScope) -> dict:
    year = periods.current_year(scope.today)
    units = selectors.reporting_units()
    if scope.ids is not None:
        wanted = set(scope.ids)
        units = [unit for unit in units if unit.pk in wanted]
    rows = []
    for window in periods.windows(year):
        if window.due < scope.today:
            rows.extend(
                row
                for row in selectors.period_statuses(year, window.kind, units, scope.today)
                if row.missing
            )
    return {"year": year, "missing": len(rows), "units": len({row.unit.pk for row in rows})}
