"""The sections of the periodic reform report (báo cáo CCHC định kỳ), registered by the app that
owns each figure.

The report app (``cchc.reformreports``, near the top of the layers) assembles a draft from every
registered section in ``order``: one-stop statistics, the Decision 766 index, plan progress,
inspections, SIPAS results, feedback. An app below it registers its section from its own
``AppConfig.ready()`` without importing the report app (docs/registries.md).

``compute(scope)`` returns plain JSON-able data (numbers, strings, lists, dicts): the report keeps
it as a snapshot, so a report once assembled does not change when the data does, and its DOCX,
PDF and page show the same numbers. ``template`` renders it on the page (context: ``section``,
``value``); ``docx`` (optional) writes it into a python-docx ``Document`` as
``docx(document, value)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .registry import Registry


@dataclass(frozen=True)
class SectionScope:
    """What a section is computed for: a unit's subtree over a data period (inclusive dates)."""

    unit: Any  # the reporting OrganisationUnit
    ids: list[int]  # the unit and its descendants
    start: date
    end: date
    year: int  # the reporting year (the plan's and the PAR round's year)


@dataclass(frozen=True)
class ReportSection:
    key: str  # stable: stored in the report's snapshot ("one_stop", "index766", "plans"…)
    label: str  # the heading a person reads (lazy translation)
    compute: Callable[[SectionScope], dict]
    template: str
    order: int = 0
    docx: Callable[[Any, dict], None] | None = None


report_sections: Registry[ReportSection] = Registry("reform report sections")
