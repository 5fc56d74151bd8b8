"""Early, on time or late: the one definition of lateness (trước hạn, đúng hạn, quá hạn).

The statistics counters, the official forms, the queues and the dossier pages, the dashboard and
the Decision 766 index all ask this module; none compares times against the due time itself. The
rule is the one the report's counters are verified with (``cchc rebuild-stats --verify``, the
published provincial figures; docs/reports.md, *Lateness*):

* **The due time is the legal one** (hạn giải quyết, ``due_at``): clock stops (chờ bổ sung, chờ
  thực hiện nghĩa vụ tài chính) and approved extensions have already moved it; an apology's new
  appointment does not (Quyết định 766/QĐ-TTg, index766.md §2.4: the end of processing is compared
  with the due time, ``NgayKetThucXuLy ≤ NgayHenTra``).
* **Late by time**: a moment after the due time, to the minute (one minute late is late).
* **Late by rule**: a second supplement request during processing makes the dossier late whatever
  the times (Nghị định 118/2025/NĐ-CP Điều 11; 766 §2.4 "yêu cầu bổ sung quá một lần → quá hạn"),
  from the moment of that request.
* **Early**: on a calendar day before the due day (a due time read from a date alone is the end of
  that working day, the importers' reading). **On time** otherwise: on the due day, not after the
  due time; and always without a time limit.
* **Clock stopped at the due time**: a dossier whose clock stopped at or before its due time and
  has not restarted (still waiting for the applicant, or closed while waiting) is not late — the
  766 rule takes the request time as its end of processing. A stop that began after the due time
  does not hide a dossier that was already late; a stop that spanned the due time and ended makes
  the dossier overdue only from its end.
* **An open dossier** is judged at a moment (now, or the end of a report's period): late once
  that moment is after the due time (or it is late by rule), within its time limit otherwise.

Times are compared as given: callers pass them all in local time (naive, as the statistics hold
them, or aware in the local zone), so that ``.date()`` is the local calendar day.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

# The supplement request that makes a dossier late by rule: the second during processing.
LATE_BY_RULE_REQUEST = 2


class Lateness(enum.StrEnum):
    """The three classes of the official forms and reports (Trước hạn / Đúng hạn / Quá hạn)."""

    EARLY = "early"
    ON_TIME = "on_time"  # for an open dossier: within its time limit (trong hạn)
    LATE = "late"


EARLY, ON_TIME, LATE = Lateness.EARLY, Lateness.ON_TIME, Lateness.LATE


@dataclass(frozen=True)
class Stop:
    """A clock stop (tạm dừng tính thời gian): ``end`` is None while it lasts. Any object with
    ``start`` and ``end`` will do (the statistics pass their ``Pause``)."""

    start: datetime
    end: datetime | None = None


def classify(at: datetime, due: datetime | None, *, late_by_rule: bool = False) -> Lateness:
    """A moment (a result signed, a hand-over) against the legal due time."""
    if late_by_rule:
        return Lateness.LATE
    if due is None:
        return Lateness.ON_TIME  # no time limit: never late
    if at > due:
        return Lateness.LATE
    if at.date() < due.date():
        return Lateness.EARLY
    return Lateness.ON_TIME


def late_by_rule_since(
    requests: Iterable[datetime], received_at: datetime | None = None
) -> datetime | None:
    """When a dossier late by rule became late: its second supplement request during processing
    (Nghị định 118/2025 Điều 11); its receipt when the requests are not known (an imported
    dossier whose file gives only the count)."""
    ordered = sorted(requests)
    if len(ordered) >= LATE_BY_RULE_REQUEST:
        return ordered[LATE_BY_RULE_REQUEST - 1]
    return received_at


def clock_stopped_at_due(due: datetime, stops: Iterable[Stop], end: datetime | None) -> bool:
    """The clock stopped by the due time and had not restarted before ``end`` (None: open)."""
    return any(
        stop.start <= due and (stop.end is None or (end is not None and stop.end >= end))
        for stop in stops
    )


def limit(
    due: datetime | None, stops: Iterable[Stop] = (), end: datetime | None = None
) -> datetime | None:
    """The moment after which a dossier ending at ``end`` (None: still open) is late by time.

    The due time, or the end of a clock stop that spanned it; None without a time limit or while
    the clock stopped at the due time has not restarted (the due time will move when it does).
    """
    if due is None:
        return None
    stops = tuple(stops)
    if clock_stopped_at_due(due, stops, end):
        return None
    latest = due
    for stop in stops:
        if stop.start <= due and stop.end is not None and stop.end > latest:
            latest = stop.end
    return latest


def overdue_from(
    due: datetime | None,
    *,
    end: datetime | None = None,
    stops: Iterable[Stop] = (),
    late_by_rule: bool = False,
    rule_since: datetime | None = None,
) -> datetime | None:
    """When a dossier is (or, still open, will be) overdue from; None when it never is.

    ``end`` is the end of processing (None: still open): a dossier that ended by its limit was
    never overdue. A dossier late by rule is overdue from ``rule_since``
    (:func:`late_by_rule_since`), not earlier: a request in February must not rewrite January.
    """
    if late_by_rule:
        return rule_since
    start = limit(due, stops, end)
    if start is None or (end is not None and end <= start):
        return None
    return start


def ended_in_time(
    due: datetime | None,
    end: datetime,
    *,
    stops: Iterable[Stop] = (),
    late_by_rule: bool = False,
) -> bool | None:
    """Whether processing that ended at ``end`` ended in time (the 766 on-time rule, for any
    terminal status: a result, a reasoned refusal, a withdrawal, a stop); None when there is no
    due time to judge by (no time limit, or the clock stopped at the due time)."""
    start = limit(due, stops, end)
    if start is None:
        return None
    return not late_by_rule and end <= start


def lateness(
    due: datetime | None,
    *,
    now: datetime,
    end: datetime | None = None,
    stops: Iterable[Stop] = (),
    late_by_rule: bool = False,
) -> Lateness:
    """The dossier as a whole at ``now``: ended at ``end`` (any terminal status) or still open.

    Ended: late when late by rule or overdue when it ended, otherwise the class of its end
    (early or on time). Open: late once overdue at ``now``, otherwise on time (trong hạn).
    """
    stops = tuple(stops)
    if late_by_rule:
        return Lateness.LATE
    start = overdue_from(due, end=end, stops=stops)
    if end is not None:
        if start is not None:
            return Lateness.LATE
        if due is None or clock_stopped_at_due(due, stops, end):
            return Lateness.ON_TIME
        return classify(end, due)
    if start is not None and now > start:
        return Lateness.LATE
    return Lateness.ON_TIME
