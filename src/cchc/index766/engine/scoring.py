"""Scoring: counts in, points per indicator, group, index, rating and rank out.

Scoring function of the VPCP technical document (notes to 3.1, 3.3, 3.5, 4.2, 4.3, 5.4; domain
reference index766.md §2.3): a rate at or above the threshold earns full points, below it
``rate × max_points / threshold`` — that is ``min(1, rate / threshold) × max_points``.

The technical document lets a zero denominator show "0 hoặc N/A"; this engine always says
*missing* (``points is None``): a unit with nothing to measure neither loses nor gains points, and
the missing indicator's maximum is left out of ``available_max``.

All arithmetic is exact (:class:`fractions.Fraction`); values are rounded only for display, half
up, to 2 decimals for points and 4 for rates. Because every maximum has at most 2 decimals, a
rounded score never exceeds its maximum.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar

from .rules import RATE, RatingBand, RuleSet, rules_on

OK = "ok"
MISSING = "missing"
DISPLAY_ONLY = "display_only"
POINT_PLACES = 2
RATE_PLACES = 4

Counts = Mapping[str, "tuple[int, int] | None"]
Key = TypeVar("Key", bound=Hashable)


def round_half_up(value: Fraction | Decimal | int, places: int) -> Decimal:
    """``value`` rounded half up to ``places`` decimals, computed exactly (no float on the way)."""
    exact = Fraction(value)
    scaled = math.floor(exact * 10**places + Fraction(1, 2))
    return Decimal(scaled).scaleb(-places)


def _display(value: Fraction | Decimal | None, places: int) -> Decimal | None:
    return None if value is None else round_half_up(value, places)


def _float(value: Fraction | Decimal | None, places: int) -> float | None:
    return None if value is None else float(round_half_up(value, places))


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    name: str
    group: str
    numerator: int | None
    denominator: int | None
    rate: Fraction | None  # a share (0–1, may exceed 1) or, for 2.2, an average
    threshold: Decimal
    points: Fraction | None
    max_points: Decimal
    state: str  # OK | MISSING | DISPLAY_ONLY
    value_kind: str = RATE
    points_status: str = ""
    threshold_status: str = ""
    data: str = ""

    @property
    def lost_points(self) -> Fraction | None:
        """Points below the maximum; ``None`` when the indicator is missing or unscored."""
        if self.state != OK or self.points is None:
            return None
        return Fraction(self.max_points) - self.points

    @property
    def rate_display(self) -> Decimal | None:
        return _display(self.rate, RATE_PLACES)

    @property
    def points_display(self) -> Decimal | None:
        return _display(self.points, POINT_PLACES)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "group": self.group,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "rate": _float(self.rate, RATE_PLACES),
            "value_kind": self.value_kind,
            "threshold": _float(self.threshold, RATE_PLACES),
            "points": _float(self.points, POINT_PLACES),
            "max_points": _float(self.max_points, POINT_PLACES),
            "lost_points": _float(self.lost_points, POINT_PLACES),
            "state": self.state,
            "points_status": self.points_status,
            "threshold_status": self.threshold_status,
            "data": self.data,
        }


@dataclass(frozen=True)
class GroupResult:
    key: str
    name: str
    legal_group: int
    max_points: Decimal
    indicators: tuple[IndicatorResult, ...]
    points: Fraction | None  # None when no scored indicator of the group has data
    available_max: Decimal  # maximum of the scored indicators that have data
    missing: tuple[str, ...]  # scored indicators without data

    @property
    def lost_points(self) -> Fraction | None:
        if self.points is None:
            return None
        return Fraction(self.available_max) - self.points

    @property
    def points_display(self) -> Decimal | None:
        return _display(self.points, POINT_PLACES)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "legal_group": self.legal_group,
            "max_points": _float(self.max_points, POINT_PLACES),
            "points": _float(self.points, POINT_PLACES),
            "available_max": _float(self.available_max, POINT_PLACES),
            "lost_points": _float(self.lost_points, POINT_PLACES),
            "missing": list(self.missing),
            "indicators": [indicator.to_dict() for indicator in self.indicators],
        }


@dataclass(frozen=True)
class IndexResult:
    day: date
    rules_effective_from: date
    groups: tuple[GroupResult, ...]
    total: Fraction | None  # the ranking score; None when no scored indicator has data
    max_points: Decimal  # 100
    available_max: Decimal
    comparable_score: Fraction | None  # total / available_max × 100
    rating: RatingBand | None
    comparable_rating: RatingBand | None

    @property
    def score(self) -> Decimal | None:
        """The published score: ``total`` rounded half up to 2 decimals (ranks and ratings)."""
        return _display(self.total, POINT_PLACES)

    @property
    def comparable_display(self) -> Decimal | None:
        return _display(self.comparable_score, POINT_PLACES)

    @property
    def coverage(self) -> Fraction:
        """Share of the 100 points the data can speak for."""
        return Fraction(self.available_max) / Fraction(self.max_points)

    @property
    def indicators(self) -> Iterator[IndicatorResult]:
        for group in self.groups:
            yield from group.indicators

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(i for group in self.groups for i in group.missing)

    def indicator(self, indicator_id: str) -> IndicatorResult:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    def group(self, key: str) -> GroupResult:
        for group in self.groups:
            if group.key == key:
                return group
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "rules_effective_from": self.rules_effective_from.isoformat(),
            "total": _float(self.total, POINT_PLACES),
            "max_points": _float(self.max_points, POINT_PLACES),
            "available_max": _float(self.available_max, POINT_PLACES),
            "coverage": _float(self.coverage, RATE_PLACES),
            "comparable_score": _float(self.comparable_score, POINT_PLACES),
            "rating": _band(self.rating),
            "comparable_rating": _band(self.comparable_rating),
            "missing": list(self.missing),
            "groups": [group.to_dict() for group in self.groups],
        }


def _band(band: RatingBand | None) -> dict[str, str] | None:
    return None if band is None else {"code": band.code, "name": band.name}


def _read_counts(indicator_id: str, value: Any) -> tuple[int, int] | None:
    """Validated ``(numerator, denominator)``; ``None`` when the data is missing."""
    if value is None:
        return None
    if isinstance(value, str | bytes) or not hasattr(value, "__len__") or len(value) != 2:
        raise ValueError(
            f"Indicator {indicator_id}: counts must be a (numerator, denominator) pair or None, "
            f"not {value!r}."
        )
    pair = []
    for part in value:
        if isinstance(part, bool):
            raise ValueError(f"Indicator {indicator_id}: counts must be integers, not {part!r}.")
        try:
            number = operator.index(part)
        except TypeError:
            raise ValueError(
                f"Indicator {indicator_id}: counts must be integers, not {part!r}."
            ) from None
        if number < 0:
            raise ValueError(f"Indicator {indicator_id}: counts cannot be negative ({number}).")
        pair.append(number)
    numerator, denominator = pair
    if denominator == 0:
        # "Nếu mẫu số = 0: hiển thị 0 hoặc N/A" (technical document): here always N/A.
        return None
    return numerator, denominator


def indicator_points(rate: Fraction, threshold: Decimal, max_points: Decimal) -> Fraction:
    """``min(1, rate / threshold) × max_points`` (index766.md §2.3, "Scoring function")."""
    return min(Fraction(1), rate / Fraction(threshold)) * Fraction(max_points)


def score(counts: Counts, rules: RuleSet, day: date | None = None) -> IndexResult:
    """Score one unit's counts under ``rules``.

    ``counts`` maps an indicator id to ``(numerator, denominator)``, or to ``None`` (or leaves it
    out) when the data is missing. An unknown id, a negative count or a non-integer raises
    ``ValueError``. A numerator above the denominator is kept (the national definitions of e.g.
    3.5 count numerator and denominator in different sources) and earns full points.
    """
    known = set(rules.ids)
    unknown = sorted(set(counts) - known)
    if unknown:
        raise ValueError(f"Unknown indicator id(s): {', '.join(unknown)}.")
    groups = []
    for group in rules.groups:
        results = []
        for indicator in rules.indicators_of(group.key):
            pair = _read_counts(indicator.id, counts.get(indicator.id))
            rate = None if pair is None else Fraction(pair[0], pair[1])
            if not indicator.scored:
                state, points = DISPLAY_ONLY, None
            elif rate is None:
                state, points = MISSING, None
            else:
                state = OK
                points = indicator_points(rate, indicator.threshold, indicator.max_points)
            results.append(
                IndicatorResult(
                    id=indicator.id,
                    name=indicator.name,
                    group=group.key,
                    numerator=None if pair is None else pair[0],
                    denominator=None if pair is None else pair[1],
                    rate=rate,
                    threshold=indicator.threshold,
                    points=points,
                    max_points=indicator.max_points,
                    state=state,
                    value_kind=indicator.value_kind,
                    points_status=indicator.points_status,
                    threshold_status=indicator.threshold_status,
                    data=indicator.data,
                )
            )
        present = [r for r in results if r.state == OK]
        available = sum((r.max_points for r in present), Decimal(0))
        points = None
        if present:
            # Each indicator is at most its maximum and the maxima add up to the group maximum
            # (validated), so the clamp never bites; it guards the published figure regardless.
            points = min(sum((r.points for r in present), Fraction(0)), Fraction(group.max_points))
        groups.append(
            GroupResult(
                key=group.key,
                name=group.name,
                legal_group=group.legal_group,
                max_points=group.max_points,
                indicators=tuple(results),
                points=points,
                available_max=available,
                missing=tuple(r.id for r in results if r.state == MISSING),
            )
        )
    scored = [g for g in groups if g.points is not None]
    total = sum((g.points for g in scored), Fraction(0)) if scored else None
    available_max = sum((g.available_max for g in groups), Decimal(0))
    comparable = None if total is None else total / Fraction(available_max) * 100
    return IndexResult(
        day=day or rules.effective_from,
        rules_effective_from=rules.effective_from,
        groups=tuple(groups),
        total=total,
        max_points=rules.max_points,
        available_max=available_max,
        comparable_score=comparable,
        rating=rules.rating(_display(total, POINT_PLACES)),
        comparable_rating=rules.rating(_display(comparable, POINT_PLACES)),
    )


def compute(
    counts: Counts,
    day: date,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> IndexResult:
    """Score ``counts`` under the rule set in force on ``day``, with optional overrides."""
    rules = rules_on(day).with_overrides(overrides)
    return score(counts, rules, day)


def losses(result: IndexResult, include_zero: bool = False) -> list[IndicatorResult]:
    """Scored indicators with data, those losing the most points first (ties: rule order)."""
    present = [i for i in result.indicators if i.state == OK]
    if not include_zero:
        present = [i for i in present if i.lost_points]
    return sorted(present, key=lambda i: -i.lost_points)


def rank(results: Mapping[Key, IndexResult]) -> list[tuple[int | None, Key, Decimal | None]]:
    """Competition ranking (1, 2, 2, 4) on the published score, best first.

    Equal published scores (rounded to 2 decimals) share a rank. Units without any scored data
    are listed last with rank ``None``. Ties are listed in the order of ``str(key)``.
    """
    scored = sorted(
        ((key, result.score) for key, result in results.items() if result.score is not None),
        key=lambda item: (-item[1], str(item[0])),
    )
    ranking: list[tuple[int | None, Key, Decimal | None]] = []
    previous = None
    position = 0
    for index, (key, value) in enumerate(scored, start=1):
        if value != previous:
            position, previous = index, value
        ranking.append((position, key, value))
    unscored = sorted((key for key, r in results.items() if r.score is None), key=str)
    ranking.extend((None, key, None) for key in unscored)
    return ranking


__all__ = [
    "DISPLAY_ONLY",
    "MISSING",
    "OK",
    "GroupResult",
    "IndexResult",
    "IndicatorResult",
    "compute",
    "indicator_points",
    "losses",
    "rank",
    "round_half_up",
    "score",
]
