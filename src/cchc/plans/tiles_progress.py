"""The plans app's dashboard tiles (``cchc.common.tiles``): plan completion by unit (the scope's
units with a plan this year, worst first) and overdue tasks (count and the first few). Both drill
down to a list page: the province completion view and ``plans:overdue``."""

from __future__ import annotations

from cchc.common.tiles import TileScope

from .engine.completion import percent
from .models import Plan
from .selectors import plan_completion
from .selectors_progress import overdue_in_units

TILE_ROWS = 5


def units(scope: TileScope) -> dict:
    plans = Plan.objects.select_related("unit").filter(year=scope.today.year)
    if scope.ids is not None:
        plans = plans.filter(unit_id__in=scope.ids)
    rows = []
    for plan in plans:
        result = plan_completion(plan, scope.today)
        rows.append(
            {
                "plan": plan,
                "unit": plan.unit,
                "done": len(result.done),
                "total": len(result.total),
                "overdue": len(result.overdue),
                "percent": result.completion_percent,
            }
        )
    rows.sort(
        key=lambda row: (
            row["percent"] is None,
            row["percent"] or 0,
            -row["overdue"],
            row["unit"].code,
        )
    )
    done = sum(row["done"] for row in rows)
    total = sum(row["total"] for row in rows)
    return {
        "year": scope.today.year,
        "rows": rows[:TILE_ROWS],
        "count": len(rows),
        "percent": percent(done, total),
    }


def overdue(scope: TileScope) -> dict:
    tasks = overdue_in_units(scope.ids, scope.today)
    return {"count": tasks.count(), "tasks": list(tasks[:TILE_ROWS])}
