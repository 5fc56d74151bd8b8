"""The working-day engine: plain Python, no Django.

Feed it a :class:`WorkCalendar` (built from the database by ``cchc.workdays.services``) and a unit's
:class:`OfficeHours`; ask a :class:`DeadlineEngine` for due times, or use :mod:`.bulk` for arrays.
"""

from .calendar import CalendarEntry, DayStatus, OfficeHours, WorkCalendar
from .deadline import Deadline, DeadlineEngine, DeadlineError, Pause, Rule, TimeLimit
from .statutory import statutory_entries

__all__ = [
    "CalendarEntry",
    "DayStatus",
    "Deadline",
    "DeadlineEngine",
    "DeadlineError",
    "OfficeHours",
    "Pause",
    "Rule",
    "TimeLimit",
    "WorkCalendar",
    "statutory_entries",
]
