"""Provisional calendar entries for a year whose official schedule is not yet entered.

Statutory holidays follow Bộ luật Lao động 2019, Điều 112; the lunar dates (Tết, Giỗ Tổ) and the
"nghỉ bù" for a holiday on a weekend come from the ``holidays`` package (country VN). The package
also guesses some yearly swaps and may list days that are not law yet, so official years always come
from the database; this is only the fallback, and every entry it makes is marked provisional.
"""

from __future__ import annotations

from functools import lru_cache

import holidays

from .calendar import KIND_HOLIDAY, CalendarEntry


@lru_cache(maxsize=64)
def statutory_entries(year: int) -> tuple[CalendarEntry, ...]:
    calendar = holidays.country_holidays("VN", years=year, language="vi")
    return tuple(
        CalendarEntry(
            day=day,
            working=False,
            name=str(name),
            kind=KIND_HOLIDAY,
            document="Bộ luật Lao động 2019, Điều 112",
            provisional=True,
        )
        for day, name in sorted(calendar.items())
    )
