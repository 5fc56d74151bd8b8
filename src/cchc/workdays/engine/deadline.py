"""Deadlines in Vietnamese working time, with an explanation of every day skipped.

Conventions (full text and sources: ``docs/adr/0002-deadline-conventions.md``):
- Instants are naive local times (Asia/Ho_Chi_Minh) at minute resolution.
- Effective receipt: a dossier received outside office hours or on a non-working day counts from
  the start of the next working period (the rule of QĐ 2988/QĐ-TCHQ and TT 87/2021/TT-BTC, applied
  generally; configurable per unit through its office hours).
- Working days (Bộ luật Dân sự 2015, Điều 147–148): the day of receipt is not counted; the period
  ends at the close of office on the N-th working day after it. Hence a dossier received after
  15:00 already starts counting on the next working day, as NĐ 63/2024 Điều 7 requires.
- Working hours: N hours of office time from the effective receipt; a result landing exactly at
  the end of a period stays there (11:30), it does not jump to the next period.
- Half days (buổi): the period of receipt is not counted; due at the end of the N-th following
  working period.
- Same day (giải quyết ngay trong ngày): due at the close of the day of receipt; received after the
  unit's cut-off (default 15:00) → the close of the next working day.
- Calendar days: the day of receipt is not counted; when the last day is not a working day the
  period ends at the close of the next working day (Điều 148 khoản 5).
- Pauses (dừng tính thời gian: yêu cầu bổ sung, ...) push the due time by the working time paused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from .calendar import DayStatus, OfficeHours, WorkCalendar, combine


class Rule(StrEnum):
    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    HALF_DAYS = "half_days"
    SAME_DAY = "same_day"
    CALENDAR_DAYS = "calendar_days"


RULE_LABELS = {
    Rule.WORKING_DAYS: "ngày làm việc",
    Rule.WORKING_HOURS: "giờ làm việc",
    Rule.HALF_DAYS: "buổi làm việc",
    Rule.SAME_DAY: "trong ngày",
    Rule.CALENDAR_DAYS: "ngày",
}

# Sanity bound: no Vietnamese procedure has a limit anywhere near this (the longest are months).
MAX_AMOUNT = {
    Rule.WORKING_DAYS: 2000,
    Rule.WORKING_HOURS: 16000,
    Rule.HALF_DAYS: 4000,
    Rule.SAME_DAY: 0,
    Rule.CALENDAR_DAYS: 3000,
}


class DeadlineError(ValueError):
    """Bad input to the engine; the message is Vietnamese and safe to show."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """A legal time limit (thời hạn giải quyết): a rule and an amount in its unit."""

    rule: Rule
    amount: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise DeadlineError("Thời hạn phải là số nguyên.", "amount")
        if self.rule == Rule.SAME_DAY:
            if self.amount not in (0, 1):
                raise DeadlineError("Thủ tục trong ngày không có số lượng thời hạn.", "amount")
            return
        if self.amount <= 0:
            raise DeadlineError("Thời hạn phải lớn hơn 0.", "amount")
        if self.amount > MAX_AMOUNT[self.rule]:
            raise DeadlineError("Thời hạn quá lớn.", "amount")

    @property
    def label(self) -> str:
        if self.rule == Rule.SAME_DAY:
            return "Trong ngày"
        return f"{self.amount} {RULE_LABELS[self.rule]}"


@dataclass(frozen=True, slots=True)
class Pause:
    """A clock stop (tạm dừng tính thời gian), e.g. while the applicant supplements the dossier."""

    start: datetime
    end: datetime
    reason: str = ""


@dataclass
class Deadline:
    """The due time of one dossier and why."""

    received: datetime
    effective_received: datetime
    due: datetime
    limit: TimeLimit
    span_start: date  # first day of the counted period (inclusive)
    span_end: date  # last day of the counted period (inclusive) = due date
    counted: list[date]
    receipt_skipped: list[DayStatus]  # non-working days between receipt and effective receipt
    period_skipped: list[DayStatus]  # non-working days inside the counted period
    paused_minutes: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> list[DayStatus]:
        return self.receipt_skipped + self.period_skipped

    def as_dict(self, explain: bool = True) -> dict:
        data = {
            "received": self.received.isoformat(timespec="minutes"),
            "effective_received": self.effective_received.isoformat(timespec="minutes"),
            "due": self.due.isoformat(timespec="minutes"),
            "rule": str(self.limit.rule),
            "amount": self.limit.amount,
            "time_limit": self.limit.label,
            "paused_minutes": self.paused_minutes,
            "skipped": [status.as_dict() for status in self.skipped],
        }
        if explain:
            data["counted_days"] = [day.isoformat() for day in self.counted]
            data["explanation"] = list(self.notes)
        return data


def _fmt(moment: datetime) -> str:
    return moment.strftime("%H:%M %d/%m/%Y")


def _fmt_day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _truncate(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        raise DeadlineError("Thời điểm phải là giờ địa phương, không kèm múi giờ.", "received")
    return moment.replace(second=0, microsecond=0)


class DeadlineEngine:
    """Deadline arithmetic for one calendar and one unit's office hours."""

    def __init__(self, calendar: WorkCalendar, hours: OfficeHours | None = None) -> None:
        self.calendar = calendar
        self.hours = hours or OfficeHours()
        self._periods = self.hours.minute_periods

    # -- receipt -----------------------------------------------------------------------------
    def effective_received(self, received: datetime) -> datetime:
        """When the clock starts: ``received`` if in office hours, else the next period's start."""
        received = _truncate(received)
        day = received.date()
        if self.calendar.is_working_day(day):
            minute = received.hour * 60 + received.minute
            for start, end in self._periods:
                if minute < start:
                    return combine(day, start)
                if minute < end:
                    return received
        return combine(self.calendar.next_working_day(day), self._periods[0][0])

    def close_of(self, day: date) -> datetime:
        return combine(day, self._periods[-1][1])

    # -- working time ------------------------------------------------------------------------
    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """The instant ``minutes`` of office time after ``start`` (end-of-period rule applies)."""
        if minutes < 0:
            raise DeadlineError("Số phút làm việc không được âm.", "minutes")
        current = self.effective_received(start) if minutes else _truncate(start)
        if minutes == 0:
            return current
        day = current.date()
        minute = current.hour * 60 + current.minute
        remaining = minutes
        while True:
            for start_m, end_m in self._periods:
                if end_m <= minute:
                    continue
                begin = max(start_m, minute)
                available = end_m - begin
                if remaining <= available:
                    return combine(day, begin + remaining)
                remaining -= available
            day = self.calendar.next_working_day(day)
            minute = 0

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Office time from ``start`` to ``end``; negative when ``end`` is earlier (how late)."""
        start, end = _truncate(start), _truncate(end)
        if end < start:
            return -self.working_minutes_between(end, start)
        first, last = start.date(), end.date()
        low = start.hour * 60 + start.minute
        high = end.hour * 60 + end.minute
        if first == last:
            return self._minutes_within(first, low, high)
        whole_days = self.calendar.working_day_count(
            first + timedelta(days=1), last - timedelta(days=1)
        )
        return (
            self._minutes_within(first, low, 24 * 60)
            + whole_days * self.hours.minutes_per_day
            + self._minutes_within(last, 0, high)
        )

    def _minutes_within(self, day: date, low: int, high: int) -> int:
        """Office minutes of ``day`` between two minutes of the day (0 on a day off)."""
        if not self.calendar.is_working_day(day):
            return 0
        return sum(max(0, min(end, high) - max(start, low)) for start, end in self._periods)

    # -- deadlines ---------------------------------------------------------------------------
    def due(
        self,
        received: datetime,
        limit: TimeLimit,
        pauses: Sequence[Pause] = (),
    ) -> Deadline:
        received = _truncate(received)
        effective = self.effective_received(received)
        notes: list[str] = []
        if effective != received:
            notes.append(
                f"Nhận lúc {_fmt(received)} ngoài giờ làm việc hoặc ngày nghỉ: "
                f"tính từ {_fmt(effective)}."
            )
        day_based = limit.rule in (Rule.WORKING_DAYS, Rule.CALENDAR_DAYS)
        due = self._due_without_pauses(effective, limit, notes)

        paused = 0
        if pauses:
            paused = self._paused_minutes(effective, pauses)
            if paused:
                before = due
                due = self.add_working_minutes(due, paused)
                notes.append(
                    f"Tạm dừng {paused // 60} giờ {paused % 60} phút làm việc: "
                    f"hạn lùi từ {_fmt(before)} đến {_fmt(due)}."
                )

        span_start = effective.date() + timedelta(days=1) if day_based else effective.date()
        span_end = due.date()
        period_skipped: list[DayStatus] = []
        counted: list[date] = []
        day = span_start
        nominal_end = effective.date() + timedelta(days=limit.amount)
        while day <= span_end:
            status = self.calendar.status(day)
            if limit.rule == Rule.CALENDAR_DAYS and day <= nominal_end:
                counted.append(day)  # every calendar day counts; only the end rolls forward
            elif status.working:
                counted.append(day)
            else:
                period_skipped.append(status)
            day += timedelta(days=1)
        receipt_skipped = [
            self.calendar.status(received.date() + timedelta(days=i))
            for i in range((effective.date() - received.date()).days)
        ]
        receipt_skipped = [status for status in receipt_skipped if not status.working]
        for status in receipt_skipped + period_skipped:
            notes.append(f"Bỏ qua {_fmt_day(status.day)}: {status.reason}.")
        notes.append(f"Hạn trả kết quả: {_fmt(due)} ({limit.label}).")
        return Deadline(
            received=received,
            effective_received=effective,
            due=due,
            limit=limit,
            span_start=span_start,
            span_end=span_end,
            counted=counted,
            receipt_skipped=receipt_skipped,
            period_skipped=period_skipped,
            paused_minutes=paused,
            notes=notes,
        )

    def _due_without_pauses(self, effective: datetime, limit: TimeLimit, notes: list[str]):
        calendar = self.calendar
        day = effective.date()
        if limit.rule == Rule.WORKING_DAYS:
            for _ in range(limit.amount):
                day = calendar.next_working_day(day)
            notes.append(f"Ngày tiếp nhận {_fmt_day(effective.date())} không tính (BLDS Điều 147).")
            return self.close_of(day)
        if limit.rule == Rule.WORKING_HOURS:
            return self.add_working_minutes(effective, limit.amount * 60)
        if limit.rule == Rule.HALF_DAYS:
            minute = effective.hour * 60 + effective.minute
            index = next(i for i, (_, end) in enumerate(self._periods) if minute < end)
            for _ in range(limit.amount):
                index += 1
                if index == len(self._periods):
                    index = 0
                    day = calendar.next_working_day(day)
            notes.append("Buổi tiếp nhận không tính.")
            return combine(day, self._periods[index][1])
        if limit.rule == Rule.SAME_DAY:
            minute = effective.hour * 60 + effective.minute
            if minute > self.hours.cutoff_minutes:
                cutoff = f"{self.hours.same_day_cutoff:%H:%M}"
                notes.append(f"Nhận sau {cutoff}: trả kết quả ngày làm việc tiếp theo.")
                day = calendar.next_working_day(day)
            return self.close_of(day)
        if limit.rule == Rule.CALENDAR_DAYS:
            last = day + timedelta(days=limit.amount)
            if not calendar.is_working_day(last):
                rolled = calendar.next_working_day(last)
                notes.append(
                    f"Ngày cuối {_fmt_day(last)} là ngày nghỉ: hạn chuyển sang {_fmt_day(rolled)} "
                    "(BLDS Điều 148)."
                )
                last = rolled
            return self.close_of(last)
        raise DeadlineError("Loại thời hạn không hợp lệ.", "rule")

    def _paused_minutes(self, effective: datetime, pauses: Iterable[Pause]) -> int:
        intervals = []
        for pause in pauses:
            start, end = _truncate(pause.start), _truncate(pause.end)
            if end < start:
                raise DeadlineError(
                    "Thời điểm kết thúc tạm dừng trước thời điểm bắt đầu.", "pauses"
                )
            intervals.append((max(start, effective), max(end, effective)))
        intervals.sort()
        merged: list[tuple[datetime, datetime]] = []
        for start, end in intervals:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return sum(self.working_minutes_between(start, end) for start, end in merged)
