"""Due times for arrays of receipts at once, for recomputation after a calendar change.

The single path (:class:`~.deadline.DeadlineEngine`) walks day by day and explains itself; this path
turns the calendar into arrays once and answers every dossier with a few vectorised look-ups:

- working days are numbered by *ordinal* (0, 1, 2, … over the prepared range);
- an instant inside office hours is a *position* ``ordinal × minutes_per_day + offset``;
- N working days, hours, half days, … are then additions on ordinals or positions, and the answer is
  mapped back to a date and clock time.

Both paths implement the same conventions and are tested to agree on random inputs.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from .calendar import OfficeHours, WorkCalendar
from .deadline import MAX_AMOUNT, DeadlineError, Rule

MINUTES_PER_DAY = 24 * 60
EPOCH = date(1970, 1, 1)


def to_minutes(values) -> np.ndarray:
    """Naive local datetimes (list or array) → ``datetime64[m]`` array."""
    return np.asarray(values, dtype="datetime64[m]")


class BulkDeadlines:
    """Vectorised due-time computation for one calendar and one set of office hours."""

    def __init__(self, calendar: WorkCalendar, hours: OfficeHours | None = None) -> None:
        self.calendar = calendar
        self.hours = hours or OfficeHours()
        periods = np.array(self.hours.minute_periods, dtype=np.int64)
        self._starts = periods[:, 0]
        self._ends = periods[:, 1]
        self._lengths = self._ends - self._starts
        self._cumulative = np.cumsum(self._lengths)
        self._per_day = int(self._cumulative[-1])
        self._cutoff = self.hours.cutoff_minutes
        self._first: date | None = None
        self._days = 0

    # -- calendar arrays ---------------------------------------------------------------------
    def _prepare(self, first: date, last: date) -> None:
        if (
            self._first is not None
            and self._first <= first
            and last < self._first + timedelta(days=self._days)
        ):
            return
        days = (last - first).days + 1
        mask = np.array(self.calendar.working_mask(first, days), dtype=bool)
        self._first = first
        self._days = days
        self._base = (first - EPOCH).days
        self._mask = mask
        self._work_index = np.flatnonzero(mask)  # ordinal → day offset
        self._rank = np.cumsum(mask)  # day offset → working days up to and including it

    def _offset_in_day(self, clock: np.ndarray) -> np.ndarray:
        return np.clip(clock[:, None] - self._starts[None, :], 0, self._lengths[None, :]).sum(
            axis=1
        )

    def _clock_at_offset(self, offset: np.ndarray) -> np.ndarray:
        # First period whose cumulative length reaches the offset (end-of-period rule: ≤).
        period = np.searchsorted(self._cumulative, offset, side="left")
        before = np.concatenate(([0], self._cumulative[:-1]))[period]
        return self._starts[period] + offset - before

    def _from_positions(self, position: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ordinal = (position - 1) // self._per_day
        return ordinal, self._clock_at_offset(position - ordinal * self._per_day)

    # -- public ------------------------------------------------------------------------------
    def effective_received(self, received) -> np.ndarray:
        received = to_minutes(received)
        ordinal, clock = self._effective(received, horizon_days=0)
        return self._to_datetimes(ordinal, clock)

    def due(self, received, rule: Rule | str, amount, extra_minutes=None) -> np.ndarray:
        """Due times (``datetime64[m]``) for every receipt.

        ``amount`` is a scalar or an array (one limit per dossier); ``extra_minutes`` (optional
        array) adds paused working time, as the single path does for pauses.
        """
        rule = Rule(rule)
        received = to_minutes(received)
        amount = np.broadcast_to(np.asarray(amount, dtype=np.int64), received.shape)
        if received.size == 0:
            return received.copy()
        if rule == Rule.SAME_DAY:
            if np.any((amount != 0) & (amount != 1)):
                raise DeadlineError("Thủ tục trong ngày không có số lượng thời hạn.", "amount")
        elif np.any(amount <= 0) or np.any(amount > MAX_AMOUNT[rule]):
            raise DeadlineError("Thời hạn phải lớn hơn 0 và không quá lớn.", "amount")
        extra = (
            np.zeros(received.shape, dtype=np.int64)
            if extra_minutes is None
            else np.broadcast_to(np.asarray(extra_minutes, dtype=np.int64), received.shape)
        )
        if np.any(extra < 0):
            raise DeadlineError("Thời gian tạm dừng không được âm.", "extra_minutes")
        horizon = self._horizon_days(rule, int(amount.max()), int(extra.max()))
        ordinal, clock = self._effective(received, horizon)
        ordinal, clock = self._apply_rule(rule, ordinal, clock, amount)
        if extra.any():
            position = ordinal * self._per_day + self._offset_in_day(clock)
            moved_ordinal, moved_clock = self._from_positions(position + extra)
            has_extra = extra > 0
            ordinal = np.where(has_extra, moved_ordinal, ordinal)
            clock = np.where(has_extra, moved_clock, clock)
        if ordinal.max() >= len(self._work_index):  # pragma: no cover - horizon is generous
            raise DeadlineError("Vượt quá phạm vi lịch đã chuẩn bị.", "amount")
        return self._to_datetimes(ordinal, clock)

    # -- internals ---------------------------------------------------------------------------
    def _horizon_days(self, rule: Rule, amount: int, extra: int) -> int:
        per_day = self._per_day
        span = (
            {
                Rule.WORKING_DAYS: amount,
                Rule.WORKING_HOURS: amount * 60 // per_day + 1,
                Rule.HALF_DAYS: amount // len(self._starts) + 1,
                Rule.SAME_DAY: 1,
                Rule.CALENDAR_DAYS: amount,
            }[rule]
            + extra // per_day
            + 1
        )
        # Working days are at least 5 in 7 with at most a fortnight of Tết in a row.
        return span * 7 // 5 + 60

    def _effective(self, received: np.ndarray, horizon_days: int):
        minutes = received.astype(np.int64)
        day_abs = minutes // MINUTES_PER_DAY
        clock = minutes - day_abs * MINUTES_PER_DAY
        first = EPOCH + timedelta(days=int(day_abs.min()))
        last = EPOCH + timedelta(days=int(day_abs.max()) + horizon_days + 30)
        self._prepare(first, last)
        offset = day_abs - self._base
        effective_clock = np.full(minutes.shape, -1, dtype=np.int64)
        for start, end in zip(self._starts[::-1], self._ends[::-1], strict=True):
            effective_clock = np.where(clock < end, np.maximum(clock, start), effective_clock)
        moved = ~self._mask[offset] | (effective_clock < 0)
        ordinal = np.where(moved, self._rank[offset], self._rank[offset] - 1)
        effective_clock = np.where(moved, self._starts[0], effective_clock)
        return ordinal, effective_clock

    def _apply_rule(self, rule: Rule, ordinal, clock, amount):
        close = self._ends[-1]
        if rule == Rule.WORKING_DAYS:
            return ordinal + amount, np.full(ordinal.shape, close)
        if rule == Rule.WORKING_HOURS:
            position = ordinal * self._per_day + self._offset_in_day(clock)
            return self._from_positions(position + amount * 60)
        if rule == Rule.HALF_DAYS:
            per_day = len(self._starts)
            period = (clock[:, None] >= self._ends[None, :]).sum(axis=1)
            index = ordinal * per_day + period + amount
            return index // per_day, self._ends[index % per_day]
        if rule == Rule.SAME_DAY:
            return ordinal + (clock > self._cutoff), np.full(ordinal.shape, close)
        if rule == Rule.CALENDAR_DAYS:
            last = self._work_index[ordinal] + amount
            due_ordinal = np.where(self._mask[last], self._rank[last] - 1, self._rank[last])
            return due_ordinal, np.full(ordinal.shape, close)
        raise DeadlineError("Loại thời hạn không hợp lệ.", "rule")

    def _to_datetimes(self, ordinal: np.ndarray, clock: np.ndarray) -> np.ndarray:
        day_abs = self._work_index[ordinal] + self._base
        return (day_abs * MINUTES_PER_DAY + clock).astype("datetime64[m]")
