"""Figures the platform computes for a unit and a year, which "from platform data" leaves
(method ``computed``) are scored from: the on-time rate of resolved dossiers, the share of online
dossiers, apology letters for late dossiers, feedback answered on time, the Decision 766 score,
plan completion (registered by the plans app when it exists).

Each figure is registered under a stable key (the leaf's ``method_spec["metric"]``) with a
function ``(unit, year) -> Figure``; a later app registers its own in its ``ready()``. The figure
keeps its numerator and denominator and the address of the records behind it (drill-down).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.common.registry import Registry


@dataclass(frozen=True)
class Figure:
    percent: Decimal | None  # None: nothing to measure this year (no dossiers…)
    numerator: int | None = None
    denominator: int | None = None
    drilldown_url: str = ""  # the list of records behind the figure
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Metric:
    key: str  # "dossiers.on_time_rate"
    label: str
    compute: Callable[..., Figure]  # (unit, year) -> Figure
    description: str = ""
    order: int = 0


metrics: Registry[Metric] = Registry("PAR INDEX platform figures")
