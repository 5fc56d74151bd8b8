"""When a record's personal data has been kept long enough, and how identifiers are compared.

Storage limitation (Nghị định 13/2023/NĐ-CP, Điều 3 khoản 7 and Điều 16): personal data is kept
only as long as its purpose needs. The platform keeps it for a configured number of whole years
after the record is closed (``CCHC_RETENTION_YEARS``, docs/privacy.md). The retention period is
served in full: a record closed on D with N years is kept through the N-th anniversary of D and
anonymised from the day after. A record closed on 29 February has its anniversary on 1 March of a
year without one (the later day: keeping a day longer never cuts the archive period short).
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta


def anniversary(closed: date, years: int) -> date:
    """The day ``years`` whole years after ``closed`` (29 February → 1 March when needed)."""
    try:
        return closed.replace(year=closed.year + years)
    except ValueError:  # 29 February, target year not a leap year
        return date(closed.year + years, 3, 1)


def expired(closed: date, years: int | None, today: date) -> bool:
    """Whether the personal data of a record closed on ``closed`` is past retention on ``today``.

    ``years`` None: kept without limit. The anniversary itself is still within retention.
    """
    if years is None:
        return False
    return today > anniversary(closed, years)


def latest_candidate(years: int, today: date) -> date:
    """A closing day on or after the last one that can be expired on ``today`` (a database
    pre-filter: every expired record closed on or before it; :func:`expired` decides exactly)."""
    shifted = anniversary(today, -years)
    return shifted + timedelta(days=1)


def normalise_email(value: str) -> str:
    return (value or "").strip().lower()


def normalise_phone(value: str) -> str:
    """Digits only, full-width digits as ASCII, the country code +84/84 as the leading 0."""
    text = unicodedata.normalize("NFKC", value or "")
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.strip().startswith("+84") or (digits.startswith("84") and len(digits) == 11):
        digits = "0" + digits[2:]
    return digits


def normalise_id_number(value: str) -> str:
    """Upper case, spaces and dots removed, full-width characters as ASCII."""
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in text if not ch.isspace() and ch not in ".-").upper()
