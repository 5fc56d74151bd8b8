"""Dates typed by people (dd/mm/yyyy) or scripts (ISO 8601), and named periods."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils.translation import gettext as _

from .selectors import month_end

DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


class BadPeriod(ValueError):
    pass


def parse_day(text: str | None, label: str) -> date:
    text = (text or "").strip()
    if not text:
        raise BadPeriod(_("Enter the %(label)s date (dd/mm/yyyy).") % {"label": label})
    match = DMY.match(text)
    try:
        if match:
            d, m, y = (int(g) for g in match.groups())
            return date(y, m, d)
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise BadPeriod(
            _("“%(text)s” is not a valid %(label)s date (dd/mm/yyyy or yyyy-mm-dd).")
            % {"text": text[:40], "label": label}
        ) from None


def check_period(start: date, end: date) -> None:
    if end < start:
        raise BadPeriod(_("The end date is before the start date."))
    if (end - start).days > 366 * 10:
        raise BadPeriod(_("A report covers at most ten years."))


def named_period(kind: str, year: int, number: int = 1) -> tuple[date, date]:
    """month N, quarter N, half N (6 months), or the year."""
    if kind == "month":
        start = date(year, number, 1)
        return start, month_end(start)
    if kind == "quarter":
        start = date(year, 3 * (number - 1) + 1, 1)
        return start, month_end(date(year, 3 * number, 1))
    if kind == "half":
        start = date(year, 6 * (number - 1) + 1, 1)
        return start, month_end(date(year, 6 * number, 1))
    return date(year, 1, 1), date(year, 12, 31)
