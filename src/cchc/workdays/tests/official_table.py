"""The official 2023–2026 schedule, written as in the domain reference (calendar.md), parsed here.

Tests compare the seeded database and the engine against this table independently of the
migration that seeds it, so a typo in either one shows up.
"""

from datetime import date

from cchc.workdays.engine import CalendarEntry, WorkCalendar, statutory_entries

# year: (weekday days off, working Saturdays), in the notation of the reference table.
TABLE = {
    2023: ("02/01; 20, 23, 24, 25, 26/01; 01, 02, 03/05; 01, 04/09", ""),
    2024: ("01/01; 08, 09, 12, 13, 14/02; 18/04; 29, 30/04; 01/05; 02, 03/09", "04/05"),
    2025: ("01/01; 27, 28, 29, 30, 31/01; 07/04; 30/04; 01, 02/05; 01, 02/09", "26/04"),
    2026: (
        "01, 02/01; 16, 17, 18, 19, 20/02; 27/04; 30/04; 01/05; 31/08; 01, 02/09",
        "10/01, 22/08",
    ),
}
WORKING_DAYS_PER_YEAR = {2023: 249, 2024: 251, 2025: 250, 2026: 250}


def parse_days(year: int, text: str) -> set[date]:
    """ "01, 02/01; 16/02" → {1/1, 2/1, 16/2}; "10/01, 22/08" → {10/1, 22/8}."""
    days: set[date] = set()
    for group in filter(None, (part.strip() for part in text.split(";"))):
        items = [item.strip() for item in group.split(",")]
        if all("/" in item for item in items):
            for item in items:
                day, month = item.split("/")
                days.add(date(year, int(month), int(day)))
            continue
        month = int(items[-1].split("/")[1])
        for item in items:
            days.add(date(year, month, int(item.split("/")[0])))
    return days


def days_off(year: int) -> set[date]:
    return parse_days(year, TABLE[year][0])


def working_weekend_days(year: int) -> set[date]:
    return parse_days(year, TABLE[year][1])


def reference_calendar() -> WorkCalendar:
    """A pure-Python calendar of the official table (no database), statute for other years."""
    entries = []
    for year in TABLE:
        entries += [
            CalendarEntry(day, False, "Nghỉ theo lịch chính thức") for day in days_off(year)
        ]
        entries += [CalendarEntry(day, True, "Làm bù") for day in working_weekend_days(year)]
    return WorkCalendar(entries, official_years=TABLE, provisional_source=statutory_entries)
