"""Working calendar and office hours: which days count, and when the office is open.

Plain Python, no Django: the Django side builds a :class:`WorkCalendar` from the database
(``cchc.workdays.services``) and passes it in.

Rules (sources in ``docs/adr/0002-deadline-conventions.md``):
- Saturday and Sunday are weekly rest days for state agencies.
- Statutory holidays (Bộ luật Lao động 2019, Điều 112) and the Prime Minister's yearly decisions
  (nghỉ bù, hoán đổi ngày làm việc, làm bù on a Saturday) are *calendar entries*: a dated exception
  to the weekly rule, with its name and deciding document (số công văn).
- A year whose official schedule has not been entered falls back to the statutory holidays computed
  by the ``holidays`` package (see :mod:`.statutory`), marked provisional.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")

# Reason codes carried by every non-working day, stable for API clients.
KIND_WEEKEND = "weekend"
KIND_HOLIDAY = "holiday"  # ngày lễ, tết (Điều 112 BLLĐ) including nghỉ bù
KIND_DAY_OFF = "day_off"  # weekday off by decision (hoán đổi ngày làm việc)
KIND_WORKING_DAY = "working_day"  # rest day made a working day (làm bù)


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """A dated exception to the weekly rule."""

    day: date
    working: bool
    name: str
    kind: str = KIND_HOLIDAY
    document: str = ""
    provisional: bool = False

    @property
    def reason(self) -> str:
        text = self.name
        if self.document:
            text = f"{text} ({self.document})"
        if self.provisional:
            text = f"{text} [dự kiến]"
        return text


@dataclass(frozen=True, slots=True)
class DayStatus:
    day: date
    working: bool
    kind: str  # "working" for an ordinary working day, else one of the KIND_* codes
    reason: str  # Vietnamese, empty for an ordinary working day

    def as_dict(self) -> dict:
        return {"date": self.day.isoformat(), "kind": self.kind, "reason": self.reason}


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _clock(minutes: int) -> time:
    if minutes >= 24 * 60:
        return time(23, 59)
    return time(minutes // 60, minutes % 60)


@dataclass(frozen=True)
class OfficeHours:
    """Working periods of a unit on a working day, and its same-day cut-off.

    Default 07:30–11:30 and 13:00–17:00 with the 15:00 cut-off (``docs/adr/0002``); both are
    per-unit configuration because provinces publish different hours (e.g. Lai Châu: 13:30–17:00).
    """

    periods: tuple[tuple[time, time], ...] = (
        (time(7, 30), time(11, 30)),
        (time(13, 0), time(17, 0)),
    )
    same_day_cutoff: time = time(15, 0)

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValueError("Phải có ít nhất một buổi làm việc.")
        previous_end = -1
        for start, end in self.periods:
            if _minutes(start) >= _minutes(end):
                raise ValueError("Giờ bắt đầu phải trước giờ kết thúc của buổi làm việc.")
            if _minutes(start) < previous_end:
                raise ValueError("Các buổi làm việc phải theo thứ tự và không chồng lấn.")
            previous_end = _minutes(end)

    @property
    def minute_periods(self) -> tuple[tuple[int, int], ...]:
        return tuple((_minutes(s), _minutes(e)) for s, e in self.periods)

    @property
    def minutes_per_day(self) -> int:
        return sum(e - s for s, e in self.minute_periods)

    @property
    def opening(self) -> time:
        return self.periods[0][0]

    @property
    def closing(self) -> time:
        return self.periods[-1][1]

    @property
    def cutoff_minutes(self) -> int:
        return _minutes(self.same_day_cutoff)

    def offset_in_day(self, minute_of_day: int) -> int:
        """Working minutes of the day that have passed at ``minute_of_day``."""
        return sum(min(max(minute_of_day - s, 0), e - s) for s, e in self.minute_periods)

    def clock_at_offset(self, offset: int) -> time:
        """Clock time at which ``offset`` (1..minutes_per_day) working minutes of a day have passed.

        An offset that lands exactly on the end of a period stays at that end (11:30, not 13:00):
        the work is done before the break.
        """
        for start, end in self.minute_periods:
            length = end - start
            if offset <= length:
                return _clock(start + offset)
            offset -= length
        return _clock(self.minute_periods[-1][1])


ProvisionalSource = Callable[[int], Iterable[CalendarEntry]]


class WorkCalendar:
    """Weekly rest days plus dated entries; years not officially entered fall back to statute."""

    def __init__(
        self,
        entries: Iterable[CalendarEntry] = (),
        official_years: Iterable[int] = (),
        rest_weekdays: Iterable[int] = (5, 6),
        provisional_source: ProvisionalSource | None = None,
    ) -> None:
        self._entries: dict[date, CalendarEntry] = {entry.day: entry for entry in entries}
        self._official = frozenset(official_years)
        self.rest_weekdays = frozenset(rest_weekdays)
        self.provisional_source = provisional_source
        self._loaded_provisional: set[int] = set()
        self._running_counts: dict[int, list[int]] = {}

    # -- lookup -----------------------------------------------------------------------------
    def _ensure_year(self, year: int) -> None:
        if year in self._official or year in self._loaded_provisional:
            return
        self._loaded_provisional.add(year)
        if self.provisional_source is None:
            return
        for entry in self.provisional_source(year):
            # An entry an administrator typed in for a not-yet-official year wins over statute.
            self._entries.setdefault(entry.day, entry)

    def is_official_year(self, year: int) -> bool:
        return year in self._official

    def entry(self, day: date) -> CalendarEntry | None:
        self._ensure_year(day.year)
        return self._entries.get(day)

    def is_working_day(self, day: date) -> bool:
        entry = self.entry(day)
        if entry is not None:
            return entry.working
        return day.weekday() not in self.rest_weekdays

    def status(self, day: date) -> DayStatus:
        entry = self.entry(day)
        if entry is not None:
            if entry.working:
                return DayStatus(day, True, KIND_WORKING_DAY, entry.reason)
            return DayStatus(day, False, entry.kind, entry.reason)
        if day.weekday() in self.rest_weekdays:
            return DayStatus(day, False, KIND_WEEKEND, WEEKDAY_NAMES[day.weekday()])
        return DayStatus(day, True, "working", "")

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        candidate = day + timedelta(days=1)
        for _ in range(366):
            if self.is_working_day(candidate):
                return candidate
            candidate += timedelta(days=1)
        raise ValueError("Không tìm thấy ngày làm việc trong vòng một năm.")

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before ``day``."""
        candidate = day - timedelta(days=1)
        for _ in range(366):
            if self.is_working_day(candidate):
                return candidate
            candidate -= timedelta(days=1)
        raise ValueError("Không tìm thấy ngày làm việc trong vòng một năm.")

    def working_days_between(self, first: date, last: date) -> list[date]:
        """Working days in ``[first, last]``."""
        days = []
        day = first
        while day <= last:
            if self.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        return days

    def working_day_count(self, first: date, last: date) -> int:
        """How many working days ``[first, last]`` holds, without walking the days.

        A long-overdue dossier's "working time late" spans years; walking it day by day cost a
        queue page 3–4 ms per row. Each year's running count of working days is built once.
        """
        if last < first:
            return 0
        if first.year == last.year:
            counts = self._year_counts(first.year)
            before = counts[_day_index(first) - 1] if _day_index(first) else 0
            return counts[_day_index(last)] - before
        head = self.working_day_count(first, date(first.year, 12, 31))
        middle = sum(self._year_counts(year)[-1] for year in range(first.year + 1, last.year))
        return head + middle + self._year_counts(last.year)[_day_index(last)]

    def _year_counts(self, year: int) -> list[int]:
        """Working days from 1 January of ``year`` through each day of it (running count)."""
        counts = self._running_counts.get(year)
        if counts is None:
            counts, total, day = [], 0, date(year, 1, 1)
            while day.year == year:
                total += self.is_working_day(day)
                counts.append(total)
                if day == date.max:
                    break
                day += timedelta(days=1)
            self._running_counts[year] = counts
        return counts

    def working_days_in_year(self, year: int) -> int:
        return len(self.working_days_between(date(year, 1, 1), date(year, 12, 31)))

    def working_mask(self, first: date, count: int) -> list[bool]:
        """Working flag for ``count`` consecutive days from ``first`` (feeds the bulk path)."""
        return [self.is_working_day(first + timedelta(days=i)) for i in range(count)]


def _day_index(day: date) -> int:
    return day.timetuple().tm_yday - 1


def combine(day: date, minute_of_day: int) -> datetime:
    return datetime.combine(day, _clock(minute_of_day))
