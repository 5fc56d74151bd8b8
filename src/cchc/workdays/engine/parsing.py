"""Reading instants the way Vietnamese users and scripts write them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from .deadline import DeadlineError

LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

_LOCAL_FORMATS = (
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
)


def parse_instant(text: str, field: str = "received") -> datetime:
    """``dd/mm/yyyy[ HH:MM]`` or ISO 8601 → naive local time (an offset, if given, is converted).

    A date without a time means the start of that day, so it counts from the office's opening.
    """
    value = (text or "").strip()
    if not value:
        raise DeadlineError("Thiếu thời điểm.", field)
    for fmt in _LOCAL_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise DeadlineError(
            f"Không đọc được thời điểm “{value}”: dùng dd/mm/yyyy HH:MM hoặc ISO 8601.", field
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(LOCAL_ZONE).replace(tzinfo=None)
    return moment
