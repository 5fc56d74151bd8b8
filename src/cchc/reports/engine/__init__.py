"""Statistics without Django: what one dossier adds to the daily counters, and the period report.

Why counters per day: the period report (báo cáo tình hình tiếp nhận, giải quyết TTHC) and the
Decision 766 index must answer for any unit subtree and any period without scanning every dossier.
Each dossier adds a few ``+1`` to day buckets (received on day R, resolved on day C, overdue from
day D, …). Stocks such as "in progress at the end of the period" are running sums of flows
("became open" minus "stopped being open"), so they need no snapshot.

A dossier's contribution is a pure function of its facts (:class:`Facts`); when a dossier
changes, the platform subtracts the contribution it stored last time and adds the new one, in the
same transaction. ``cchc rebuild-stats --verify`` recomputes every contribution from scratch and
compares.
"""

from .contribution import COLUMNS, Anomaly, Contribution, Facts, contribution
from .period import Finding, PeriodTotals, Rate, check_identities, period_totals

__all__ = [
    "COLUMNS",
    "Anomaly",
    "Contribution",
    "Facts",
    "Finding",
    "PeriodTotals",
    "Rate",
    "check_identities",
    "contribution",
    "period_totals",
]
