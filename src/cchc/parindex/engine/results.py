"""A unit's PAR INDEX result from its leaves, the ranking and where points are lost.

Formulas (docs/parindex.md, "Results"):

* A leaf scores its appraised points (điểm thẩm định) when the council set them, otherwise the
  unit's own (điểm tự đánh giá); a survey leaf scores the survey points. A leaf marked "không áp
  dụng" leaves both the score and the maximum: the **applicable maximum** of a unit is the sum of
  the maxima of its applicable leaves (Tây Ninh 2729/QĐ-UBND 2023 publishes maxima of 71.5, 96.5
  and 100 in one ranking).
* ``total`` = main-block points + bonus − penalty, never below 0.
* ``index`` = total ÷ applicable maximum × 100, rounded half up to two decimals (BNV: "Chỉ số =
  tổng điểm đạt được / tổng điểm tối đa (%)"; field sub-indices likewise per field).
* Rank: by index, highest first; equal indices (as published, to two decimals) share a rank and
  the next rank skips (1, 2, 2, 4).
* Grade: the first band whose lower edge the index reaches (A ≥ 90, B 80–<90, C 70–<80 by
  default; bands differ by province and are the round's configuration).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .scoring import HUNDRED, SURVEY, round_half_up
from .tree import BONUS, CAP, MAIN, PENALTY, Node

ZERO = Decimal(0)


@dataclass(frozen=True)
class LeafInput:
    """What is known of one leaf for one unit."""

    self_score: Decimal | None = None
    appraised_score: Decimal | None = None
    survey: Decimal | None = None  # survey leaves only
    not_applicable: bool = False

    @property
    def final(self) -> Decimal | None:
        return self.appraised_score if self.appraised_score is not None else self.self_score


@dataclass(frozen=True)
class GradeBand:
    label: str
    minimum: Decimal | None  # None: the catch-all band at the bottom


# A ≥ 90 / B 80–<90 / C 70–<80 (national PAR results, e.g. PAR 2022 provinces 2/56/5); below C
# the platform's own default label "D" (the national tables name no group below C).
DEFAULT_GRADE_BANDS = (
    GradeBand("A", Decimal(90)),
    GradeBand("B", Decimal(80)),
    GradeBand("C", Decimal(70)),
    GradeBand("D", None),
)
GRADE_PRESETS = {
    "abc": DEFAULT_GRADE_BANDS,
    # Tốt / Khá / Trung bình / Yếu (Khánh Hòa 141/QĐ-UBND 2021; edges are a documented default:
    # provinces set their own).
    "good_fair": (
        GradeBand("Tốt", Decimal(80)),
        GradeBand("Khá", Decimal(70)),
        GradeBand("Trung bình", Decimal(50)),
        GradeBand("Yếu", None),
    ),
}


def grade_for(index: Decimal | None, bands: Iterable[GradeBand] = DEFAULT_GRADE_BANDS) -> str:
    if index is None:
        return ""
    for band in bands:
        if band.minimum is None or index >= band.minimum:
            return band.label
    return ""


@dataclass
class FieldResult:
    code: str
    name: str
    max: Decimal
    score: Decimal
    index: Decimal | None


@dataclass
class UnitResult:
    unit: object  # the caller's key for the unit (a code)
    max_points: Decimal
    self_score: Decimal
    appraised_score: Decimal
    survey_score: Decimal
    bonus: Decimal
    total: Decimal
    index: Decimal | None
    fields: list[FieldResult]
    leaf_scores: dict[str, Decimal | None]  # final points per leaf code; None: not applicable
    rank: int | None = None
    grade: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class _Sums:
    maximum: Decimal = ZERO  # applicable maximum
    self_score: Decimal = ZERO  # the unit's own scores (survey leaves excluded)
    survey: Decimal = ZERO
    final: Decimal = ZERO  # appraised-or-self + survey


def _percent(score: Decimal, maximum: Decimal) -> Decimal | None:
    return round_half_up(score * HUNDRED / maximum) if maximum else None


def _add_up(node: Node, leaves: dict[str, LeafInput], scores: dict) -> _Sums:
    if node.is_leaf:
        leaf = leaves.get(node.code) or LeafInput()
        if leaf.not_applicable:
            scores[node.code] = None
            return _Sums()
        if node.method == SURVEY:
            points = min(leaf.survey or ZERO, node.max_points)
            scores[node.code] = points
            return _Sums(node.max_points, ZERO, points, points)
        own = min(leaf.self_score or ZERO, node.max_points)
        final = min(leaf.final or ZERO, node.max_points)
        scores[node.code] = final
        return _Sums(node.max_points, own, ZERO, final)
    sums = _Sums()
    for child in node.children:
        part = _add_up(child, leaves, scores)
        sums.maximum += part.maximum
        sums.self_score += part.self_score
        sums.survey += part.survey
        sums.final += part.final
    if node.aggregation == CAP:
        sums.maximum = min(sums.maximum, node.max_points)
        sums.self_score = min(sums.self_score, sums.maximum)
        sums.final = min(sums.final, sums.maximum)
        sums.survey = min(sums.survey, sums.final)
    return sums


def unit_result(unit, roots: list[Node], leaves: dict[str, LeafInput]) -> UnitResult:
    """Add up ``leaves`` (by leaf code) over the criteria tree ``roots`` for one unit."""
    scores: dict[str, Decimal | None] = {}
    main = _Sums()
    bonus = ZERO
    fields = []
    for root in roots:
        sums = _add_up(root, leaves, scores)
        if root.block == MAIN:
            main.maximum += sums.maximum
            main.self_score += sums.self_score
            main.survey += sums.survey
            main.final += sums.final
            fields.append(
                FieldResult(
                    root.code,
                    root.name,
                    sums.maximum,
                    sums.final,
                    _percent(sums.final, sums.maximum),
                )
            )
        elif root.block == BONUS:
            bonus += sums.final
        elif root.block == PENALTY:
            bonus -= sums.final
    total = max(main.final + bonus, ZERO)
    return UnitResult(
        unit=unit,
        max_points=main.maximum,
        self_score=main.self_score,
        appraised_score=main.final - main.survey,
        survey_score=main.survey,
        bonus=bonus,
        total=total,
        index=_percent(total, main.maximum),
        fields=fields,
        leaf_scores=scores,
    )


def rank_results(
    results: list[UnitResult], bands: Iterable[GradeBand] = DEFAULT_GRADE_BANDS
) -> list[UnitResult]:
    """Rank and grade ``results`` in place; return them best first (ties share a rank)."""
    bands = tuple(bands)
    ranked = sorted(results, key=lambda r: (r.index is None, -(r.index or ZERO), str(r.unit)))
    previous_index = None
    rank = 0
    for position, result in enumerate(ranked, start=1):
        result.grade = grade_for(result.index, bands)
        if result.index is None:
            result.rank = None
            continue
        if result.index != previous_index:
            rank = position
            previous_index = result.index
        result.rank = rank
    return ranked


@dataclass(frozen=True)
class LeafLoss:
    code: str
    name: str
    max: Decimal
    score: Decimal
    lost: Decimal  # maximum − score
    best: Decimal  # the best score any unit of the round got on this leaf
    behind_best: Decimal  # best − score
    units_losing: int = 0  # province view: how many units lost points here


def _leaf_nodes(roots: list[Node]) -> list[Node]:
    return [leaf for root in roots if root.block == MAIN for leaf in root.leaves()]


def losses_for_unit(
    result: UnitResult, results: list[UnitResult], roots: list[Node], limit: int | None = None
) -> list[LeafLoss]:
    """The leaves where ``result`` lost points (vs the maximum), biggest loss first, each with the
    best score of the round's units and how far behind it the unit is."""
    losses = []
    for leaf in _leaf_nodes(roots):
        score = result.leaf_scores.get(leaf.code)
        if score is None:
            continue
        best = max(
            (
                r.leaf_scores.get(leaf.code)
                for r in results
                if r.leaf_scores.get(leaf.code) is not None
            ),
            default=score,
        )
        lost = leaf.max_points - score
        if lost > 0 or best > score:
            losses.append(
                LeafLoss(leaf.code, leaf.name, leaf.max_points, score, lost, best, best - score)
            )
    losses.sort(key=lambda loss: (-loss.lost, -loss.behind_best, loss.code))
    return losses[:limit] if limit else losses


def province_losses(
    results: list[UnitResult], roots: list[Node], limit: int | None = None
) -> list[LeafLoss]:
    """The leaves most units lose points on (then the most points lost in all)."""
    rows = []
    for leaf in _leaf_nodes(roots):
        scored = [r.leaf_scores.get(leaf.code) for r in results]
        scored = [score for score in scored if score is not None]
        losing = [score for score in scored if score < leaf.max_points]
        if not losing:
            continue
        lost = sum((leaf.max_points - score for score in losing), ZERO)
        best = max(scored)
        rows.append(
            LeafLoss(
                leaf.code,
                leaf.name,
                leaf.max_points,
                round_half_up(sum(scored, ZERO) / len(scored)),  # the average score
                lost,
                best,
                best - min(scored),
                len(losing),
            )
        )
    rows.sort(key=lambda row: (-row.units_losing, -row.lost, row.code))
    return rows[:limit] if limit else rows
