"""The period report from summed counters, its rates and its consistency checks.

Columns follow the layout provincial systems converge on for the report on receiving and resolving
administrative procedures (onestop.md §1.8: cols 3 = 4 + 5, 6 = 7 + 8 + 9, 10 = 11 + 12,
13 = 9 + 12, 14 returned, 15 withdrawn). ``before`` holds the counters summed over every day
before the period, ``within`` over the period's days; stocks (carried over, in progress, waiting)
are running sums of flows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

CLOSING_COLUMNS = (
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "returned",
    "withdrawn",
    "stopped",
)


def _stock(counters: dict[str, int], start: str, end: str) -> int:
    return counters.get(start, 0) - counters.get(end, 0)


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int
    definition: str

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    def to_dict(self) -> dict:
        value = self.value
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": None if value is None else round(float(value), 4),
            "percent": None if value is None else round(float(value) * 100, 2),
            "definition": self.definition,
        }


@dataclass
class PeriodTotals:
    """One row of the report: a unit, field, procedure or the total."""

    counts: dict[str, int] = field(default_factory=dict)
    rates: dict[str, Rate] = field(default_factory=dict)
    due: DueTotals | None = None

    def __getitem__(self, key: str) -> int:
        return self.counts[key]

    def to_dict(self) -> dict:
        data = {**self.counts, "rates": {k: r.to_dict() for k, r in self.rates.items()}}
        if self.due is not None:
            data["due"] = self.due.to_dict()
        return data


DUE_KEYS = (
    "due_in_period",
    "resolved_in_time",
    "resolved_late",
    "overdue_unresolved",
    "returned_or_withdrawn",
)


@dataclass
class DueTotals:
    """The "due in the period" basis (đến hạn giải quyết trong kỳ) of one row.

    ``due_in_period`` dossiers had their legal due day in the period, resolved or not. Each is in
    exactly one of ``resolved_in_time`` (processing ended by the due time: a result, a reasoned
    refusal, a withdrawal or a stop), ``resolved_late`` (ended after it, by the period's last day)
    and ``overdue_unresolved`` (still open at the end of the period); ``returned_or_withdrawn``
    (returned with reasons, withdrawn or stopped by the period's end) is a part of those, given as
    a share of the same denominator. ``unclassified`` are closed at an unknown time (a finding).
    """

    counts: dict[str, int]

    @classmethod
    def from_counts(cls, counts: dict[str, int]) -> DueTotals:
        return cls({key: counts.get(key, 0) for key in (*DUE_KEYS, "unclassified")})

    def rates(self) -> dict[str, Rate]:
        c, due = self.counts, self.counts["due_in_period"]
        return {
            "resolved_in_time": Rate(
                c["resolved_in_time"], due, "due.resolved_in_time / due.due_in_period"
            ),
            "late": Rate(
                c["resolved_late"] + c["overdue_unresolved"],
                due,
                "(due.resolved_late + due.overdue_unresolved) / due.due_in_period",
            ),
            "resolved_late": Rate(c["resolved_late"], due, "due.resolved_late / due.due_in_period"),
            "overdue_unresolved": Rate(
                c["overdue_unresolved"], due, "due.overdue_unresolved / due.due_in_period"
            ),
            "returned_or_withdrawn": Rate(
                c["returned_or_withdrawn"], due, "due.returned_or_withdrawn / due.due_in_period"
            ),
        }

    def to_dict(self) -> dict:
        return {
            **{key: self.counts[key] for key in DUE_KEYS},
            "rates": {k: r.to_dict() for k, r in self.rates().items()},
        }


def period_totals(before: dict[str, int], within: dict[str, int]) -> PeriodTotals:
    end = {k: before.get(k, 0) + within.get(k, 0) for k in set(before) | set(within)}
    w = within.get
    counts = {
        "carried_over": _stock(before, "open_start", "open_end"),
        "received": w("received", 0),
        "received_online": w("received_online", 0),
        "received_counter": w("received_counter", 0),
        "received_postal": w("received_postal", 0),
        "received_online_full": w("received_online_full", 0),
        "resolved_early": w("resolved_early", 0),
        "resolved_on_time": w("resolved_on_time", 0),
        "resolved_late": w("resolved_late", 0),
        "returned": w("returned", 0),
        "withdrawn": w("withdrawn", 0),
        "stopped": w("stopped", 0),
        "in_progress": _stock(end, "open_start", "open_end"),
        "in_progress_late": _stock(end, "overdue_start", "overdue_end"),
        "waiting_supplement": _stock(end, "supplement_start", "supplement_end"),
        "waiting_financial": _stock(end, "financial_start", "financial_end"),
        "apology_sent": w("apology_sent", 0),
        # counted apart so that opposite errors never cancel out (see IDENTITIES)
        "closed_without_receipt": w("closed_unreceived", 0),
        "closed_without_end_time": w("closed_undated", 0),
        "unplaced": end.get("unplaced", 0),
    }
    counts["to_process"] = counts["carried_over"] + counts["received"]
    counts["resolved"] = (
        counts["resolved_early"] + counts["resolved_on_time"] + counts["resolved_late"]
    )
    counts["in_progress_on_time"] = counts["in_progress"] - counts["in_progress_late"]
    counts["late_total"] = counts["resolved_late"] + counts["in_progress_late"]
    counts["resolved_in_time"] = counts["resolved_early"] + counts["resolved_on_time"]
    counts["carried_forward"] = counts["in_progress"]  # tồn cuối kỳ
    rates = {
        "on_time": Rate(
            counts["to_process"] - counts["late_total"],
            counts["to_process"],
            "(to_process − late_total) / to_process",
        ),
        "late": Rate(counts["late_total"], counts["to_process"], "late_total / to_process"),
        "resolved_in_time": Rate(
            counts["resolved_in_time"],
            counts["resolved"],
            "(resolved_early + resolved_on_time) / resolved",
        ),
        "resolution": Rate(counts["resolved"], counts["to_process"], "resolved / to_process"),
        "online": Rate(counts["received_online"], counts["received"], "received_online / received"),
        "online_full": Rate(
            counts["received_online_full"], counts["received"], "received_online_full / received"
        ),
        "online_of_total": Rate(
            counts["received_online"], counts["to_process"], "received_online / to_process"
        ),
    }
    return PeriodTotals(counts=counts, rates=rates)


@dataclass(frozen=True)
class Finding:
    """An identity the report should satisfy and does not (a gap is shown, never hidden)."""

    identity: str
    left: int
    right: int
    anomalies: tuple[str, ...]  # the anomaly codes whose dossiers explain such a gap

    @property
    def gap(self) -> int:
        return self.left - self.right

    def to_dict(self) -> dict:
        return {
            "identity": self.identity,
            "left": self.left,
            "right": self.right,
            "gap": self.gap,
            "anomalies": list(self.anomalies),
        }


def _closings(c: dict) -> int:
    return c["resolved"] + c["returned"] + c["withdrawn"] + c["stopped"]


# Each category of dossier is checked on its own: a dossier counted in a closing column without
# being to process, one to process in no column, and one in no number at all each have their
# identity, and the balance identity is taken over the other dossiers, so that two opposite
# errors (one dossier too many on each side) never hide each other.
IDENTITIES = (
    (
        "to_process − closed_without_end_time = resolved + in_progress + returned + withdrawn"
        " + stopped − closed_without_receipt",
        lambda c: c["to_process"] - c["closed_without_end_time"],
        lambda c: _closings(c) + c["in_progress"] - c["closed_without_receipt"],
        ("closed_before_receipt",),
    ),
    (
        "closed_without_receipt = 0",
        lambda c: c["closed_without_receipt"],
        lambda c: 0,
        ("no_receipt_time",),
    ),
    (
        "closed_without_end_time = 0",
        lambda c: c["closed_without_end_time"],
        lambda c: 0,
        ("no_end_time",),
    ),
    (
        "unplaced = 0",
        lambda c: c["unplaced"],
        lambda c: 0,
        ("no_receipt_time",),
    ),
    (
        "received = received_online + received_counter + received_postal",
        lambda c: c["received"],
        lambda c: c["received_online"] + c["received_counter"] + c["received_postal"],
        ("unknown_channel",),
    ),
    (
        "in_progress ≥ in_progress_late",
        lambda c: min(c["in_progress"], c["in_progress_late"]),
        lambda c: c["in_progress_late"],
        ("closed_before_receipt", "no_receipt_time"),
    ),
    (
        "in_progress ≥ waiting_supplement + waiting_financial",
        lambda c: min(c["in_progress"], c["waiting_supplement"] + c["waiting_financial"]),
        lambda c: c["waiting_supplement"] + c["waiting_financial"],
        ("closed_before_receipt", "no_receipt_time"),
    ),
    (
        "carried_over ≥ 0 and in_progress ≥ 0",
        lambda c: min(c["carried_over"], c["in_progress"], 0),
        lambda c: 0,
        ("closed_before_receipt",),
    ),
)


DUE_IDENTITY = (
    "due.due_in_period = due.resolved_in_time + due.resolved_late + due.overdue_unresolved",
    ("no_end_time",),
)


def check_identities(totals: PeriodTotals) -> list[Finding]:
    findings = []
    for name, left, right, anomalies in IDENTITIES:
        a, b = left(totals.counts), right(totals.counts)
        if a != b:
            findings.append(Finding(name, a, b, anomalies))
    if totals.due is not None:
        c = totals.due.counts
        a = c["due_in_period"]
        b = c["resolved_in_time"] + c["resolved_late"] + c["overdue_unresolved"]
        if a != b:
            findings.append(Finding(DUE_IDENTITY[0], a, b, DUE_IDENTITY[1]))
    return findings
