"""The configured report periods (``CCHC_REFORM_REPORT_PERIODS``) and their names."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from cchc.conf import conf

from .engine import periods as engine
from .models import PeriodKind


def window(kind: str, year: int) -> engine.Window:
    return engine.window(conf.REFORM_REPORT_PERIODS, kind, year)


def windows(year: int) -> list[engine.Window]:
    return engine.windows(conf.REFORM_REPORT_PERIODS, year)


ROMAN = {"q1": "I", "q3": "III"}


def period_title(kind: str, year: int) -> str:
    """ "quý I năm 2026", "6 tháng đầu năm 2026", "quý III năm 2026", "năm 2026"."""
    if kind == PeriodKind.Q1:
        return _("first quarter of %(year)s") % {"year": year}
    if kind == PeriodKind.H1:
        return _("the first six months of %(year)s") % {"year": year}
    if kind == PeriodKind.Q3:
        return _("third quarter of %(year)s") % {"year": year}
    return _("the year %(year)s") % {"year": year}


def current_year(today: date) -> int:
    """The reporting year a day belongs to: from 15/12 the figures are the next year's."""
    year_window = window(PeriodKind.YEAR, today.year)
    return today.year + 1 if today > year_window.end else today.year
