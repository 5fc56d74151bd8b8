"""Report periods of the periodic reform report: each period's data window and due date.

Source: the Ministry of Home Affairs' guidance on periodic CCHC reporting (Công văn
581/BNV-CCHC; docs/reform-reports.md, par-sipas-plan-sources §C1): the figures of a quarter run
from the 15th of the month before the quarter to the 14th of its last month (quý I: 15/12 of the
previous year – 14/3; 6 tháng: 15/12 – 14/6; quý III: 15/6 – 14/9; năm: 15/12 – 14/12), and the
report is due by the 20th of the period's last month.

A period is configured (``CCHC_REFORM_REPORT_PERIODS``) as ``{"start": [year offset, month, day],
"end": [...], "due": [...]}``; the year offset is relative to the reporting year (−1: the year
before). A day past the month's end (29/2 in a common year) is the month's last day.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

KINDS = ("q1", "h1", "q3", "year")

DEFAULT_PERIODS: dict[str, dict[str, list[int]]] = {
    "q1": {"start": [-1, 12, 15], "end": [0, 3, 14], "due": [0, 3, 20]},
    "h1": {"start": [-1, 12, 15], "end": [0, 6, 14], "due": [0, 6, 20]},
    "q3": {"start": [0, 6, 15], "end": [0, 9, 14], "due": [0, 9, 20]},
    "year": {"start": [-1, 12, 15], "end": [0, 12, 14], "due": [0, 12, 20]},
}


@dataclass(frozen=True)
class Window:
    """A period of a reporting year: figures from ``start`` to ``end`` (inclusive), due ``due``."""

    kind: str
    year: int
    start: date
    end: date
    due: date


def _day(year: int, point) -> date:
    offset, month, day = (int(part) for part in point)
    actual = year + offset
    return date(actual, month, min(day, calendar.monthrange(actual, month)[1]))


def problems(periods: dict) -> list[str]:
    """What is wrong with a periods configuration (empty: nothing)."""
    found: list[str] = []
    if not isinstance(periods, dict):
        return ["the periods must be a mapping of kind to start, end and due"]
    for kind in KINDS:
        spec = periods.get(kind)
        if not isinstance(spec, dict):
            found.append(f"{kind}: missing")
            continue
        for point in ("start", "end", "due"):
            value = spec.get(point)
            if (
                not isinstance(value, list | tuple)
                or len(value) != 3
                or not all(isinstance(part, int) for part in value)
                or not -1 <= value[0] <= 1
                or not 1 <= value[1] <= 12
                or not 1 <= value[2] <= 31
            ):
                found.append(f"{kind}.{point}: expected [year offset -1..1, month, day]")
        if not found:
            sample = window(periods, kind, 2024)
            if not sample.start <= sample.end:
                found.append(f"{kind}: the start is after the end")
    for kind in periods:
        if kind not in KINDS:
            found.append(f"{kind}: unknown period (known: {', '.join(KINDS)})")
    return found


def window(periods: dict, kind: str, year: int) -> Window:
    """The data window and due date of period ``kind`` of reporting ``year``."""
    spec = periods[kind]
    return Window(
        kind=kind,
        year=year,
        start=_day(year, spec["start"]),
        end=_day(year, spec["end"]),
        due=_day(year, spec["due"]),
    )


def windows(periods: dict, year: int) -> list[Window]:
    """Every period of ``year`` in the order of :data:`KINDS`."""
    return [window(periods, kind, year) for kind in KINDS]


def due_passed(win: Window, today: date) -> bool:
    """Is the report late if not approved by ``today``? (Due by the due day: late the day after.)"""
    return today > win.due


def approved_on_time(win: Window, approved_on: date | None) -> bool:
    """Was the report approved by its due date (the due day itself counts as on time)?"""
    return approved_on is not None and approved_on <= win.due
