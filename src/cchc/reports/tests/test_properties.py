"""Properties of the pure statistics engine on random facts, against a naive oracle.

The oracle (:func:`oracle_counts`) classifies each dossier for a period from its raw times, with
the definitions of ``engine/contribution.py`` (index766.md §2.4; onestop.md §1.8) — no counters,
no running sums. ``test_incremental`` uses it too, on histories played through the services.

Random facts are *consistent*, as the dossier services produce them: closing after receipt,
clock stops inside the dossier's life, a stop that ended moves the due time by its length, an
open stop only while waiting (status 5 or 6), a withdrawal or a stop may end a clock stop.
Clock stops start before the (moved) due time: how a stop asked after the due time should move
it is a question for the dossiers app, not a property of these counters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.reports.engine import Facts, check_identities, contribution, period_totals
from cchc.reports.engine.contribution import Pause
from cchc.reports.selectors import month_end, split_range

ORACLE_KEYS = (
    "carried_over",
    "received",
    "received_online",
    "received_counter",
    "received_postal",
    "received_online_full",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "returned",
    "withdrawn",
    "stopped",
    "in_progress",
    "in_progress_late",
    "waiting_supplement",
    "waiting_financial",
)
CHANNELS = {1: "received_counter", 2: "received_online", 3: "received_postal"}


# -- the oracle ----------------------------------------------------------------------------------
def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min)


def oracle_dossier(f: Facts, start: date, end: date) -> Counter:
    """The report columns one dossier adds to the period [start, end], from its raw times."""
    out: Counter = Counter()
    if f.status not in (2, 4, 5, 6, 7, 8, 9, 10) or f.received_at is None:
        return out  # never received: drafts, submissions not accepted, refused at intake
    period_start, period_end = _midnight(start), _midnight(end + timedelta(days=1))
    if f.status in (9, 10):
        closed_at = f.resolved_at
        if f.outcome == "refused":
            kind = "returned"
        elif f.late_by_rule or (f.due_at is not None and closed_at > f.due_at):
            kind = "resolved_late"
        elif f.due_at is not None and closed_at.date() < f.due_at.date():
            kind = "resolved_early"
        else:
            kind = "resolved_on_time"
    elif f.status in (7, 8):
        closed_at, kind = f.closed_at, "withdrawn" if f.status == 7 else "stopped"
    else:
        closed_at, kind = None, ""

    if f.received_at < period_start and (closed_at is None or closed_at >= period_start):
        out["carried_over"] += 1
    if period_start <= f.received_at < period_end:
        out["received"] += 1
        out[CHANNELS[f.channel]] += 1
        if f.channel == 2 and f.online_full:
            out["received_online_full"] += 1
    if closed_at is not None and period_start <= closed_at < period_end:
        out[kind] += 1
    open_at_end = f.received_at < period_end and (closed_at is None or closed_at >= period_end)
    if open_at_end:
        out["in_progress"] += 1
        waiting = [
            p for p in f.pauses if p.start < period_end and (p.end is None or p.end >= period_end)
        ]
        for pause in waiting:
            if pause.kind in ("supplement", "financial"):
                out[f"waiting_{pause.kind}"] += 1
        # (A dossier made late by a second supplement request is overdue from that request,
        # a moment these facts do not hold: the oracle is not asked about such open dossiers.)
        # Past its due time at the end of the period, unless the clock stopped before it.
        past_due = f.due_at is not None and f.due_at < period_end
        if past_due and not any(p.start <= f.due_at for p in waiting):
            out["in_progress_late"] += 1
    return out


def oracle_counts(items: Iterable[Facts], start: date, end: date) -> dict[str, int]:
    total: Counter = Counter()
    for item in items:
        total.update(oracle_dossier(item, start, end))
    return {key: total[key] for key in ORACLE_KEYS}


def engine_totals(items: Iterable[Facts], start: date, end: date):
    before, within = Counter(), Counter()
    for item in items:
        for (day, column), n in contribution(item).cells.items():
            if day < start:
                before[column] += n
            elif day <= end:
                within[column] += n
    return period_totals(dict(before), dict(within))


# -- random consistent facts ---------------------------------------------------------------------
BASE = datetime(2025, 11, 1, 0, 0)
# A few days and some minutes: day boundaries and the due time itself are both reached often.
minutes = st.builds(
    lambda d, m: timedelta(days=d, minutes=m),
    st.integers(min_value=0, max_value=12),
    st.one_of(st.integers(min_value=1, max_value=24 * 60 - 1), st.sampled_from([1, 60, 480])),
)


NEVER = st.just(False)


@st.composite
def consistent_facts(draw, late_by_rule=NEVER) -> Facts:
    status = draw(st.sampled_from([0, 1, 3, 2, 4, 5, 6, 7, 8, 9, 10]))
    channel = draw(st.sampled_from([1, 2, 3]))
    online_full = draw(st.booleans())
    if status in (0, 1, 3):
        return Facts(status=status, channel=channel, received_at=None, online_full=online_full)
    received = BASE + timedelta(days=draw(st.integers(0, 150)), minutes=draw(st.integers(0, 1439)))
    due = None
    if draw(st.integers(0, 9)):  # mostly with a time limit
        due = received + timedelta(
            days=draw(st.integers(0, 20)), minutes=draw(st.integers(0, 1439))
        )
    pauses: list[Pause] = []
    cursor = received
    waiting_kind = {5: "supplement", 6: "financial"}.get(status)
    for _ in range(draw(st.integers(0, 2))):
        start = cursor + draw(minutes)
        if due is not None and start > due:
            break
        end = start + draw(minutes)
        pauses.append(
            Pause(draw(st.sampled_from(["supplement", "financial", "other"])), start, end)
        )
        if due is not None:
            due += end - start  # the stop moved the due time by its length
        cursor = end
    closing = cursor + draw(minutes)
    if waiting_kind:
        start = cursor + draw(minutes)
        if due is not None:
            start = min(start, due)
        pauses.append(Pause(waiting_kind, max(start, cursor), None))
    elif status in (7, 8) and draw(st.booleans()):
        # withdrawn or stopped while waiting for the applicant: the stop ends with the dossier
        start = cursor + draw(minutes)
        if due is not None:
            start = max(min(start, due), cursor)
        closing = start + draw(minutes)
        pauses.append(Pause(draw(st.sampled_from(["supplement", "financial"])), start, closing))
    common = {
        "status": status,
        "channel": channel,
        "online_full": online_full,
        "received_at": received,
        "due_at": due,
        "pauses": tuple(pauses),
        "late_by_rule": draw(late_by_rule),
    }
    if status in (9, 10):
        outcome = draw(st.sampled_from(["approved", "approved", "refused"]))
        return Facts(**common, resolved_at=closing, outcome=outcome)
    if status in (7, 8):
        return Facts(**common, closed_at=closing)
    return Facts(**common)


days = st.dates(min_value=date(2025, 10, 1), max_value=date(2026, 8, 31))


def _days_near(items: Iterable[Facts]) -> list[date]:
    """The days around every time of the facts: where period boundaries matter."""
    moments = []
    for f in items:
        moments += [f.received_at, f.due_at, f.resolved_at, f.closed_at]
        moments += [m for p in f.pauses for m in (p.start, p.end)]
    near = {m.date() + timedelta(days=k) for m in moments if m is not None for k in (-1, 0, 1)}
    return sorted(near)


@st.composite
def periods(draw, items: Iterable[Facts] = ()) -> tuple[date, date]:
    near = _days_near(items)
    boundary = st.one_of(days, st.sampled_from(near)) if near else days
    a, b = draw(boundary), draw(boundary)
    return min(a, b), max(a, b)


facts_and_period = st.lists(consistent_facts(), max_size=12).flatmap(
    lambda items: st.tuples(st.just(items), periods(items))
)
any_facts_and_period = st.lists(consistent_facts(st.booleans()), max_size=12).flatmap(
    lambda items: st.tuples(st.just(items), periods(items))
)


# -- properties ----------------------------------------------------------------------------------
@settings(max_examples=300, deadline=None)
@given(any_facts_and_period)
def test_consistent_facts_never_make_negative_counts_and_keep_every_identity(sample):
    items, period = sample
    totals = engine_totals(items, *period)
    assert all(n >= 0 for n in totals.counts.values()), totals.counts
    assert check_identities(totals) == []
    for rate in totals.rates.values():
        assert 0 <= rate.numerator <= rate.denominator or rate.denominator == 0
        assert (rate.value is None) == (rate.denominator == 0)


@settings(max_examples=300, deadline=None)
@given(facts_and_period)
def test_counters_equal_the_naive_classification(sample):
    items, period = sample
    totals = engine_totals(items, *period)
    assert {key: totals[key] for key in ORACLE_KEYS} == oracle_counts(items, *period)


@settings(max_examples=200, deadline=None)
@given(consistent_facts(st.booleans()))
def test_one_dossier_is_received_once_and_closed_at_most_once(item):
    result = contribution(item)
    per_column = Counter()
    for (_day, column), n in result.cells.items():
        per_column[column] += n
    assert set(per_column.values()) <= {1, 2, 3}  # pause columns may repeat, nothing else
    received = 0 if item.received_at is None else 1
    assert per_column["received"] == per_column["open_start"] == received
    closing_columns = ("resolved_early", "resolved_on_time", "resolved_late", "returned")
    closings = sum(per_column[c] for c in (*closing_columns, "withdrawn", "stopped"))
    assert closings == per_column["open_end"] <= received
    assert per_column["overdue_end"] <= per_column["overdue_start"] <= 1
    assert result.anomalies == ()


@settings(max_examples=200, deadline=None)
@given(st.lists(consistent_facts(st.booleans()), max_size=10), days, days, days)
def test_consecutive_periods_chain(items, a, b, c):
    """What is in progress at the end of one period is carried over into the next, and flows
    over two consecutive periods add up to the flows over their union."""
    first, middle, last = sorted((a, b, c))
    first_part = engine_totals(items, first, middle)
    second_part = engine_totals(items, middle + timedelta(days=1), last)
    union = engine_totals(items, first, last)
    assert second_part["carried_over"] == first_part["in_progress"]
    assert union["carried_over"] == first_part["carried_over"]
    for key in ("received", "resolved", "returned", "withdrawn", "stopped", "resolved_late"):
        assert union[key] == first_part[key] + second_part[key], key
    for key in ("in_progress", "in_progress_late", "waiting_supplement", "waiting_financial"):
        assert union[key] == second_part[key], key


@settings(max_examples=500, deadline=None)
@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
    st.integers(min_value=-40, max_value=800),
)
def test_split_range_covers_the_period_exactly_once(start, length):
    end = start + timedelta(days=length)
    day_ranges, months = split_range(start, end)
    covered: list[date] = []
    for a, b in day_ranges:
        assert a <= b
        covered += [a + timedelta(days=i) for i in range((b - a).days + 1)]
    if months is not None:
        first, last = months
        assert first.day == 1 and last.day == 1 and first <= last
        month = first
        while month <= last:
            covered += [month + timedelta(days=i) for i in range(month_end(month).day)]
            month = month_end(month) + timedelta(days=1)
    expected = [start + timedelta(days=i) for i in range(length + 1)]  # empty when end < start
    assert sorted(covered) == expected  # every day once: no gap, no overlap
    assert len(day_ranges) <= 2
    if months is not None:
        # day ranges are only the partial months at the edges
        assert all(b < months[0] or a > month_end(months[1]) for a, b in day_ranges)
    for a, b in day_ranges:
        whole_month = a.day == 1 and b == month_end(a)
        assert not whole_month  # a whole month is always read from its month row


def test_split_range_examples():
    assert split_range(date(2026, 1, 1), date(2026, 3, 31)) == (
        [],
        (date(2026, 1, 1), date(2026, 3, 1)),
    )
    assert split_range(date(2026, 1, 15), date(2026, 3, 10)) == (
        [(date(2026, 1, 15), date(2026, 1, 31)), (date(2026, 3, 1), date(2026, 3, 10))],
        (date(2026, 2, 1), date(2026, 2, 1)),
    )
    assert split_range(date(2026, 2, 3), date(2026, 2, 3)) == (
        [(date(2026, 2, 3), date(2026, 2, 3))],
        None,
    )
    assert split_range(date(2024, 2, 1), date(2024, 2, 29)) == (
        [],
        (date(2024, 2, 1), date(2024, 2, 1)),
    )
    assert split_range(date(2026, 3, 2), date(2026, 3, 1)) == ([], None)
