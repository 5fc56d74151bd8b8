"""Index engines (bộ chỉ số): each index app registers how to compute its score, so the dashboard
and other readers reach it by key instead of importing the app.

The Decision 766 index (``cchc.index766``) registers under ``"766"``; a later index (PAR INDEX)
registers under its own key with the same three reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .registry import Registry


@dataclass(frozen=True)
class IndexEngine:
    key: str  # "766"
    label: str
    url_name: str  # the index's own page
    # (unit or None, start, end) -> {"score": …, "rating": …, …} for the unit's subtree
    compute: Callable[[Any, date, date], dict]
    # (start, end, parent=unit or None) -> rows {"unit": {"code": …}, "rank": …, "score": …}
    ranking: Callable[..., list[dict]]
    # (unit or None, weeks, today) -> one row per week {"week_start", "to", "score", …}
    weekly_trend: Callable[[Any, int, date], list[dict]]
    order: int = 0


engines: Registry[IndexEngine] = Registry("index engines")
