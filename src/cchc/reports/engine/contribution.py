"""What one dossier adds to the day counters.

Definitions (docs/reports.md explains each with its source):

* A dossier counts from its **receipt** (``received_at``, Được tiếp nhận). Online submissions that
  were never accepted (status 1, 3) and drafts count nowhere.
* It **closes** at the first terminal moment, in the order of the VPCP 766 description (index766.md
  §2.4): the result is signed (Đã xử lý xong, ``resolved_at``) — an approval is *resolved*, a
  reasoned refusal is *returned* (hồ sơ trả lại, từ chối); otherwise the withdrawal (Công dân yêu
  cầu rút hồ sơ) or the stop (Dừng xử lý) at ``closed_at``.
* A resolved dossier is early, on time or late, and an open one overdue, by the platform's one
  lateness definition (``cchc.dossiers.lateness``, docs/reports.md *Lateness*): late after its
  legal due time (to the minute) or by rule (a second supplement request, Decree 118/2025 Art. 11);
  early on a calendar day before the due day; on time otherwise. An open dossier is **overdue**
  from its due day while it stays open after the due time; a dossier waiting for the applicant
  (clock stopped) since before its due time is not overdue.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from cchc.dossiers import lateness

# Column names are the JSON keys of the stored contribution and the counter table's columns.
COLUMNS = (
    "received",
    "received_online",
    "received_counter",
    "received_postal",
    "received_online_full",
    "open_start",
    "open_end",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "returned",
    "withdrawn",
    "stopped",
    "overdue_start",
    "overdue_end",
    "supplement_start",
    "supplement_end",
    "financial_start",
    "financial_end",
    "apology_sent",
    # Decision 766 counters on the day of receipt (the index counts dossiers received in the period)
    "fee_bearing",
    "paid_online",
    "digitised",
    "rated",
    "rated_dissatisfied",
    "dissatisfied",
    # on the day the result is signed
    "result_issued",
    "result_electronic",
    "wd_sum",  # working days from clock start to a signed approval, in hundredths (766 2.2)
    "wd_count",  # approvals whose working days are known
    # Dossiers the identities cannot place in their usual columns (each counted apart, so that
    # opposite errors never cancel out): closed at a known time but never received (on the
    # closing day), received but closed at an unknown time (on the receipt day), and neither
    # received nor closed at a known time (on UNPLACED_DAY, so every report of its scope shows it).
    "closed_unreceived",
    "closed_undated",
    "unplaced",
    # Appended, never inserted: ``DossierStat.cells`` stores column indexes. On the day of receipt,
    # dossiers rated 4–5 (satisfied): the dashboard's satisfaction rate reads it (migration 0007).
    "rated_satisfied",
)
COLUMN_INDEX = {name: i for i, name in enumerate(COLUMNS)}

# National status codes (dossiers.models.Status), repeated here to keep this module Django-free.
RECEIVED, PROCESSING, SUPPLEMENT, FINANCIAL = 2, 4, 5, 6
WITHDRAWN, STOPPED, RESOLVED, RETURNED = 7, 8, 9, 10
OPEN_STATUSES = frozenset({RECEIVED, PROCESSING, SUPPLEMENT, FINANCIAL})
COUNTED_STATUSES = OPEN_STATUSES | {WITHDRAWN, STOPPED, RESOLVED, RETURNED}
CHANNEL_COLUMNS = {1: "received_counter", 2: "received_online", 3: "received_postal"}
# The first day any counter sum starts from: a dossier without a receipt or end time is counted
# here in ``unplaced``, so it is part of every period's stock until its facts are corrected.
UNPLACED_DAY = date(2000, 1, 1)


class Anomaly(enum.StrEnum):
    """Facts that contradict each other. They are counted as they are, never corrected."""

    NO_RECEIPT_TIME = "no_receipt_time"  # a status after receipt, but no receipt time
    NO_END_TIME = "no_end_time"  # a closed status, but no time it closed
    CLOSED_BEFORE_RECEIPT = "closed_before_receipt"
    UNKNOWN_CHANNEL = "unknown_channel"
    END_TIME_WHILE_OPEN = "end_time_while_open"  # still open, yet an end time is recorded


@dataclass(frozen=True)
class Pause:
    kind: str  # "supplement" | "financial" | "other"
    start: datetime
    end: datetime | None


@dataclass(frozen=True)
class Facts:
    """A dossier as statistics see it. Times are local (Asia/Ho_Chi_Minh) and naive."""

    status: int
    channel: int | None
    received_at: datetime | None
    due_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: str = ""  # "approved" | "refused" | ""
    online_full: bool = False
    late_by_rule: bool = False
    pauses: tuple[Pause, ...] = ()
    fee_bearing: bool = False
    paid_online: bool = False
    digitised: bool = False
    result_electronic: bool = False
    rating: int | None = None  # 1 (very dissatisfied) … 5
    has_feedback: bool = False  # a citizen complaint (PAKN) names this dossier
    apology_sent_at: datetime | None = None
    working_days_x100: int | None = None  # clock start to signed approval, without clock stops


@dataclass
class Contribution:
    """``cells[(day, column)] = n`` plus the facts the drill-down needs, as days."""

    cells: dict[tuple[date, str], int] = field(default_factory=dict)
    received_on: date | None = None
    open_until: date | None = None  # the day it stopped being open (None: still open)
    closed_kind: str = ""
    closed_on: date | None = None
    overdue_from: date | None = None
    overdue_until: date | None = None
    anomalies: tuple[str, ...] = ()
    working_days: Decimal | None = None  # of a resolved dossier, for the median on public pages
    # "Due in the period" basis (đến hạn giải quyết): the legal due day, and whether processing
    # ended by the due time ("in_time"), after it or not yet ("late"), or at an unknown time ("").
    due_on: date | None = None
    due_kind: str = ""

    def add(self, day: date, column: str, n: int = 1) -> None:
        key = (day, column)
        self.cells[key] = self.cells.get(key, 0) + n

    def by_day(self) -> dict[date, dict[str, int]]:
        days: dict[date, dict[str, int]] = defaultdict(dict)
        for (day, column), n in self.cells.items():
            days[day][column] = n
        return dict(days)


def closing(facts: Facts) -> tuple[str, datetime | None]:
    """The kind of closing and its time ('' when the dossier is still open)."""
    if facts.status in (RESOLVED, RETURNED):
        kind = "returned" if facts.outcome == "refused" else "resolved"
        return kind, facts.resolved_at
    if facts.status == WITHDRAWN:
        return "withdrawn", facts.closed_at
    if facts.status == STOPPED:
        return "stopped", facts.closed_at
    return "", None


def contribution(facts: Facts) -> Contribution:
    result = Contribution()
    if facts.status not in COUNTED_STATUSES:
        return result
    if facts.received_at is None and facts.status in (SUPPLEMENT, WITHDRAWN):
        # An online submission sent back for a supplement, or withdrawn, before any officer
        # accepted it: it was never received, so it counts nowhere (like status 1 and 3).
        return result
    anomalies: list[str] = []
    kind, end = closing(facts)
    received = facts.received_at
    if received is None:
        anomalies.append(Anomaly.NO_RECEIPT_TIME)
    if kind and end is None:
        anomalies.append(Anomaly.NO_END_TIME)
    if not kind and facts.status in OPEN_STATUSES and facts.closed_at is not None:
        anomalies.append(Anomaly.END_TIME_WHILE_OPEN)
    if received is not None and end is not None and end < received:
        anomalies.append(Anomaly.CLOSED_BEFORE_RECEIPT)

    if received is not None:
        day = received.date()
        result.received_on = day
        result.add(day, "received")
        channel_column = CHANNEL_COLUMNS.get(facts.channel or 0)
        if channel_column:
            result.add(day, channel_column)
        else:
            anomalies.append(Anomaly.UNKNOWN_CHANNEL)
        if facts.channel == 2 and facts.online_full:
            result.add(day, "received_online_full")
        result.add(day, "open_start")
        for flag, column in (
            (facts.fee_bearing, "fee_bearing"),
            (facts.paid_online, "paid_online"),
            (facts.digitised, "digitised"),
        ):
            if flag:
                result.add(day, column)
        if facts.rating is not None:
            result.add(day, "rated")
            if facts.rating <= 2:
                result.add(day, "rated_dissatisfied")
            elif facts.rating >= 4:
                result.add(day, "rated_satisfied")
        if (facts.rating is not None and facts.rating <= 2) or facts.has_feedback:
            result.add(day, "dissatisfied")

    if kind and end is not None:
        end_day = end.date()
        result.closed_on = end_day
        if kind == "resolved":
            klass = lateness.classify(end, facts.due_at, late_by_rule=facts.late_by_rule)
            result.closed_kind = f"resolved_{klass}"
        else:
            result.closed_kind = kind
        result.add(end_day, result.closed_kind)
        if kind == "resolved" and facts.working_days_x100 is not None:
            result.working_days = Decimal(facts.working_days_x100) / 100
            result.add(end_day, "wd_sum", facts.working_days_x100)
            result.add(end_day, "wd_count")
        if kind in ("resolved", "returned"):
            result.add(end_day, "result_issued")
            if facts.result_electronic:
                result.add(end_day, "result_electronic")
        if received is not None:
            result.open_until = end_day
            result.add(end_day, "open_end")
    elif kind and received is not None:
        # Closed at an unknown time: it is not open, but no period can count its closing.
        result.open_until = received.date()
        result.add(received.date(), "open_end")
        result.add(received.date(), "closed_undated")
    if received is None:
        if kind and end is not None:
            result.add(end.date(), "closed_unreceived")  # in a closing column, never to process
        else:
            result.add(UNPLACED_DAY, "unplaced")  # in no column at all: shown apart

    if received is not None:
        _overdue(facts, result, kind, end)
        _pauses(facts, result)
        _due(facts, result, kind, end)
    if facts.apology_sent_at is not None:
        result.add(facts.apology_sent_at.date(), "apology_sent")
    result.anomalies = tuple(anomalies)
    return result


def _overdue(facts: Facts, result: Contribution, kind: str, end: datetime | None) -> None:
    if kind and end is None:
        return  # closed at an unknown time: we cannot say when it stopped being overdue
    since = None
    if facts.late_by_rule:  # from the second supplement request: February never rewrites January
        requests = (p.start for p in facts.pauses if p.kind == "supplement")
        since = lateness.late_by_rule_since(requests, facts.received_at)
    start = lateness.overdue_from(
        facts.due_at, end=end, stops=facts.pauses, late_by_rule=facts.late_by_rule, rule_since=since
    )
    if start is None:
        return
    result.overdue_from = start.date()
    result.add(start.date(), "overdue_start")
    if end is not None:
        result.overdue_until = end.date()
        result.add(end.date(), "overdue_end")


def _due(facts: Facts, result: Contribution, kind: str, end: datetime | None) -> None:
    """The dossier's place in the "due in the period" basis (docs/reports.md, *Due basis*).

    The due day is the day of the legal due time. A dossier whose clock stopped before the due
    time and has not restarted (waiting for the applicant, or closed while waiting) has no due
    day yet: its due time moves when the clock restarts. Processing ended in time when its end
    (the result or refusal signed, the withdrawal, the stop: the terminal statuses of the 766
    rule, index766.md §2.4) is in time by ``lateness.ended_in_time``; an open dossier is late once
    its due day is in the period (judged at the period end).
    """
    due = facts.due_at
    if due is None or lateness.clock_stopped_at_due(due, facts.pauses, end):
        return
    result.due_on = due.date()
    if kind and end is None:
        result.due_kind = ""  # closed at an unknown time: a finding, never a guess
        return
    in_time = kind and lateness.ended_in_time(
        due, end, stops=facts.pauses, late_by_rule=facts.late_by_rule
    )
    result.due_kind = "in_time" if in_time else "late"


def _pauses(facts: Facts, result: Contribution) -> None:
    for pause in facts.pauses:
        if pause.kind not in ("supplement", "financial"):
            continue
        result.add(pause.start.date(), f"{pause.kind}_start")
        if pause.end is not None:
            result.add(pause.end.date(), f"{pause.kind}_end")
