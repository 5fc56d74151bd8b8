"""Django side of the working-day engine: build the calendar from the database, compute deadlines.

The calendar is rebuilt only when the data changes: a fingerprint (row counts and last update of
both tables) is one cheap query, so every process notices an administrator's edit at its next call.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date, datetime

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from cchc.organisations.models import OrganisationUnit

from .engine import (
    Deadline,
    DeadlineEngine,
    DeadlineError,
    OfficeHours,
    Pause,
    TimeLimit,
    WorkCalendar,
    statutory_entries,
)
from .engine.bulk import BulkDeadlines
from .models import CalendarDay, CalendarDayKind, CalendarYear

_lock = threading.Lock()
_cached: tuple[tuple, WorkCalendar] | None = None


def _fingerprint() -> tuple:
    days = CalendarDay.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    years = CalendarYear.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (days["n"], days["last"], years["n"], years["last"])


# How long a process trusts its calendar before looking at the tables again. Edits made in this
# process are seen at once (signals below); edits made by another server process within seconds.
RECHECK_SECONDS = 2.0
_checked_at = 0.0


def invalidate_calendar(**kwargs) -> None:
    global _checked_at
    _checked_at = 0.0


def get_calendar() -> WorkCalendar:
    """The national working calendar, from the database, cached per process."""
    global _cached, _checked_at
    now = time.monotonic()
    if _cached is not None and now - _checked_at < RECHECK_SECONDS:
        return _cached[1]
    fingerprint = _fingerprint()
    _checked_at = now
    with _lock:
        if _cached is not None and _cached[0] == fingerprint:
            return _cached[1]
        calendar = WorkCalendar(
            entries=[day.to_entry() for day in CalendarDay.objects.all()],
            official_years=CalendarYear.objects.filter(official=True).values_list(
                "year", flat=True
            ),
            provisional_source=statutory_entries,
        )
        _cached = (fingerprint, calendar)
        return calendar


def office_hours_for(unit: OrganisationUnit | None) -> OfficeHours:
    return unit.office_hours() if unit is not None else OfficeHours()


def get_engine(unit: OrganisationUnit | None = None) -> DeadlineEngine:
    return DeadlineEngine(get_calendar(), office_hours_for(unit))


def get_bulk(unit: OrganisationUnit | None = None) -> BulkDeadlines:
    return BulkDeadlines(get_calendar(), office_hours_for(unit))


def to_local_naive(moment: datetime) -> datetime:
    """Aware instants (as Django stores them) → naive local time, as the engine expects.

    The engine (``cchc.workdays.engine``) is plain Python and counts in the unit's wall-clock
    time; everything outside it holds aware datetimes. The functions below cross that border in
    both directions, so callers never convert by hand (ADR 0002).
    """
    if timezone.is_aware(moment):
        return timezone.localtime(moment).replace(tzinfo=None)
    return moment


def to_aware(local: datetime) -> datetime:
    """Naive local wall-clock time (the engine's) → an aware instant in the site's time zone."""
    if timezone.is_aware(local):
        return local
    return timezone.make_aware(local, timezone.get_default_timezone())


def local_midnight(day: date) -> datetime:
    """The aware instant at which the local ``day`` begins (period bounds of reports and lists)."""
    return to_aware(datetime.combine(day, datetime.min.time()))


def compute_deadline(
    received: datetime,
    limit: TimeLimit,
    unit: OrganisationUnit | None = None,
    pauses: list[Pause] | None = None,
) -> Deadline:
    """The due time of a dossier received at ``received`` (aware), by ``unit``'s hours.

    The returned :class:`Deadline` carries aware ``received``, ``effective_received`` and
    ``due``; its day lists are local dates, as the engine counted them.
    """
    pauses = [
        Pause(to_local_naive(pause.start), to_local_naive(pause.end), pause.reason)
        for pause in (pauses or [])
    ]
    deadline = get_engine(unit).due(to_local_naive(received), limit, pauses)
    return replace(
        deadline,
        received=to_aware(deadline.received),
        effective_received=to_aware(deadline.effective_received),
        due=to_aware(deadline.due),
    )


def add_working_minutes(
    start: datetime, minutes: int, unit: OrganisationUnit | None = None
) -> datetime:
    """``start`` (aware) moved on by ``minutes`` of ``unit``'s working time, aware."""
    return to_aware(get_engine(unit).add_working_minutes(to_local_naive(start), minutes))


def working_minutes_between(
    start: datetime, end: datetime, unit: OrganisationUnit | None = None
) -> int:
    """Working minutes of ``unit`` between two aware instants (negative when ``end`` is first)."""
    return get_engine(unit).working_minutes_between(to_local_naive(start), to_local_naive(end))


def is_working_day(moment: datetime, unit: OrganisationUnit | None = None) -> bool:
    """Whether the local day of ``moment`` (aware) is a working day of ``unit``'s calendar."""
    return get_engine(unit).calendar.is_working_day(to_local_naive(moment).date())


def close_of_previous_working_day(
    moment: datetime, unit: OrganisationUnit | None = None
) -> datetime:
    """Close of office on the working day before the local day of ``moment`` (aware)."""
    engine = get_engine(unit)
    previous = engine.calendar.previous_working_day(to_local_naive(moment).date())
    return to_aware(engine.close_of(previous))


def deadline_payload(deadline: Deadline, unit: OrganisationUnit | None, explain: bool) -> dict:
    """The JSON shape shared by ``cchc deadline --json`` and the HTTP API (a public contract)."""
    zone = timezone.get_default_timezone()
    data = deadline.as_dict(explain=explain)
    for key in ("received", "effective_received", "due"):
        local = to_local_naive(getattr(deadline, key))
        data[key] = local.replace(tzinfo=zone).isoformat(timespec="minutes")
    data["unit"] = unit.code if unit is not None else None
    calendar = get_calendar()
    years = range(deadline.received.year, deadline.due.year + 1)
    data["provisional"] = not all(calendar.is_official_year(year) for year in years)
    return data


def find_unit(code: str | None) -> OrganisationUnit | None:
    if not code:
        return None
    unit = OrganisationUnit.objects.filter(code=code.strip()).first()
    if unit is None:
        raise DeadlineError(f"Không tìm thấy đơn vị có mã “{code}”.", "unit")
    return unit


@transaction.atomic
def draft_year_from_statute(year: int) -> list[CalendarDay]:
    """Write the statutory holidays of ``year`` as editable days (not yet official).

    Used when the Government announces a new year's schedule: the administrator starts from the
    statutory days, then adds the swaps and make-up Saturdays of the decision and ticks the year
    official. Days already entered are left as they are.
    """
    created = []
    for entry in statutory_entries(year):
        if entry.day.weekday() >= 5:
            continue  # a holiday on a weekend changes nothing; its nghỉ bù is listed separately
        day, was_created = CalendarDay.objects.get_or_create(
            date=entry.day,
            defaults={
                "kind": CalendarDayKind.HOLIDAY,
                "name": entry.name,
                "document": entry.document,
                "note": "Tạo tự động từ ngày lễ theo Bộ luật Lao động; cần đối chiếu quyết định.",
            },
        )
        if was_created:
            created.append(day)
    CalendarYear.objects.get_or_create(year=year, defaults={"official": False})
    return created
