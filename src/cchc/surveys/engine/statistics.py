"""SIPAS results: satisfied shares, factor and overall indices, intervals, ranking, PAR points.

Plain Python and numpy, no Django. The rules (docs/surveys.md, "The method"):

* **Item** (tiêu chí): the share satisfied = answers on the two top levels of the 5-point scale
  ("Hài lòng", "Rất hài lòng") ÷ valid answers × 100. Blank and "not applicable" answers are not
  valid answers. The per-criterion rule "% hài lòng + rất hài lòng" is the published practice of
  the SIPAS reports (QĐ 2640/QĐ-BNV 2017, QĐ 1001/QĐ-BNV 2023); the text of 1001's formula was not
  retrieved (par-sipas-plan-sources §B2), so the threshold is a parameter (``satisfied_from``).
* **Factor** (yếu tố): the mean of its items' shares (``"mean"``, the default) or the pooled share,
  all satisfied answers of its items ÷ all their valid answers (``"pooled"``). The two agree when
  every item has the same number of valid answers.
* **Overall index**: the mean of the factor indices (default; consistent with the published
  figures: the national SIPAS 2023, 82.66 %, lies close to the mean of its five service factors,
  82.89 %, and Hà Nội 2024, 86.50 %, is the mean of its two contents) or pooled over every item
  of every factor.
* **Intervals**: Wilson's score interval for one item (Wilson 1927, JASA 22:209); for a unit's
  index and each factor a percentile bootstrap over respondents (Efron & Tibshirani 1993, ch. 13):
  the unit's respondents are resampled with replacement ``resamples`` times (1,000 by default),
  the index recomputed each time by the same formula, and the 2.5 % and 97.5 % quantiles taken.
  Resamples in which a factor has no valid answer are left out of that factor's interval.
* **Ranking**: units with fewer responses than a minimum (30 by default) are "not enough
  answers" and not ranked; the others by index descending, ties (equal at two decimals, the
  published precision) sharing a rank, the next rank skipping (1, 2, 2, 4); each ranked unit
  says whose intervals overlap its own. Overlapping 95 % intervals do not prove two units equal,
  but non-overlapping ones do show a real difference, so the page marks the former as "not a
  significant difference" — a cautious reading.
* **PAR INDEX points** are not computed here: the published index (two decimals) is handed to
  ``cchc.parindex.survey``, whose one conversion makes the points (86.24 % of 25 = 21.56).

Indices are percentages (0–100) kept as floats; :func:`round_half_up` gives the two-decimal value
that is shown and ranked.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import NormalDist

import numpy as np

MEAN = "mean"
POOLED = "pooled"
FORMULAS = (MEAN, POOLED)

SCALE = 5
SATISFIED_FROM = 4  # levels 4 "Hài lòng" and 5 "Rất hài lòng"
DEFAULT_CONFIDENCE = 0.95
DEFAULT_RESAMPLES = 1000
#: Below this many responses a unit is "not enough answers". 30 is the usual rule of thumb for
#: the normal approximation behind a percentile interval; at 30 answers a share near 80 % is
#: already known only to about ±14 points (Wilson 95 %), so fewer would rank on noise.
DEFAULT_MINIMUM_RESPONSES = 30

RANKED = "ranked"
NOT_ENOUGH_ANSWERS = "not_enough_answers"

#: Answers that are not answers: blank and "not applicable" (compared lower-cased, stripped).
NOT_APPLICABLE = frozenset({"", "na", "n/a", "not applicable", "không áp dụng", "kad"})


# -- rounding ------------------------------------------------------------------------------------


def round_half_up(value: float | Decimal | None, places: int = 2) -> float | None:
    """Round half up (86.245 → 86.25), the way published tables round, not banker's rounding.

    Float noise below 1e-9 is dropped first, so a mean that is 86.245 on paper but
    86.24499999999999 in binary still rounds to 86.25."""
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    exact = value if isinstance(value, Decimal) else Decimal(repr(round(float(value), 9)))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


# -- one item ------------------------------------------------------------------------------------


def answer_level(answer, scale: int = SCALE) -> int | None:
    """An answer as a level 1 … ``scale``, or ``None`` for blank / not applicable.

    Accepts whole numbers, whole floats and their text ("4"); anything else is a ValueError."""
    if answer is None:
        return None
    if isinstance(answer, str):
        text = answer.strip().lower()
        if text in NOT_APPLICABLE:
            return None
        try:
            answer = int(text)
        except ValueError:
            raise ValueError(f"{answer!r} is not a level of the {scale}-point scale.") from None
    if isinstance(answer, bool):
        raise ValueError(f"{answer!r} is not a level of the {scale}-point scale.")
    if isinstance(answer, float):
        if math.isnan(answer):
            return None
        if not answer.is_integer():
            raise ValueError(f"{answer!r} is not a level of the {scale}-point scale.")
        answer = int(answer)
    if not isinstance(answer, int | np.integer) or not 1 <= answer <= scale:
        raise ValueError(f"{answer!r} is not a level of the {scale}-point scale.")
    return int(answer)


def _check_threshold(scale: int, satisfied_from: int) -> None:
    if not isinstance(scale, int) or scale < 2:
        raise ValueError(f"A scale has at least 2 levels, not {scale!r}.")
    if not isinstance(satisfied_from, int) or not 1 <= satisfied_from <= scale:
        raise ValueError(
            f"The satisfied threshold must be a level 1 … {scale}, not {satisfied_from!r}."
        )


@dataclass(frozen=True)
class ItemShare:
    """The answers to one item: counts per level (1 … scale) and the share satisfied."""

    item: str
    distribution: tuple[int, ...]  # distribution[0] = answers at level 1, …
    excluded: int  # blank or not applicable
    satisfied_from: int = SATISFIED_FROM

    @property
    def valid(self) -> int:
        return sum(self.distribution)

    @property
    def satisfied(self) -> int:
        return sum(self.distribution[self.satisfied_from - 1 :])

    @property
    def share(self) -> float | None:
        """Percent satisfied among valid answers; ``None`` without a valid answer."""
        return 100 * self.satisfied / self.valid if self.valid else None

    def interval(self, confidence: float = DEFAULT_CONFIDENCE) -> tuple[float, float] | None:
        """Wilson's interval of the share, in percent; ``None`` without a valid answer."""
        if not self.valid:
            return None
        low, high = wilson_interval(self.satisfied, self.valid, confidence)
        return 100 * low, 100 * high


def item_share(
    item: str,
    answers: Iterable,
    *,
    scale: int = SCALE,
    satisfied_from: int = SATISFIED_FROM,
) -> ItemShare:
    """Count one item's answers (levels 1 … scale; blank and "not applicable" excluded)."""
    _check_threshold(scale, satisfied_from)
    counts = [0] * scale
    excluded = 0
    for answer in answers:
        level = answer_level(answer, scale)
        if level is None:
            excluded += 1
        else:
            counts[level - 1] += 1
    return ItemShare(item, tuple(counts), excluded, satisfied_from)


def _check_formula(formula: str) -> None:
    if formula not in FORMULAS:
        raise ValueError(f"Unknown index formula {formula!r}: one of {FORMULAS}.")


def factor_index(items: Sequence[ItemShare], formula: str = MEAN) -> float | None:
    """A factor's index in percent: the mean of its items' shares (items without a valid answer
    left out) or, ``"pooled"``, all satisfied ÷ all valid answers; ``None`` without any."""
    _check_formula(formula)
    if formula == MEAN:
        shares = [item.share for item in items if item.share is not None]
        return sum(shares) / len(shares) if shares else None
    valid = sum(item.valid for item in items)
    return 100 * sum(item.satisfied for item in items) / valid if valid else None


def overall_index(
    factors: Mapping[str, Sequence[ItemShare]],
    formula: str = MEAN,
    factor_formula: str = MEAN,
) -> float | None:
    """The overall index in percent: the mean of the factor indices (factors without an answer
    left out) or, ``"pooled"``, all satisfied ÷ all valid answers of every factor's items."""
    _check_formula(formula)
    if formula == MEAN:
        values = [factor_index(items, factor_formula) for items in factors.values()]
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None
    return factor_index([item for items in factors.values() for item in items], POOLED)


def wilson_interval(
    successes: int, total: int, confidence: float = DEFAULT_CONFIDENCE
) -> tuple[float, float]:
    """Wilson's score interval for a proportion (0–1): 8 of 10 at 95 % → 0.4902 … 0.9433.

    centre = (p + z²/2n) / (1 + z²/n), half-width = z / (1 + z²/n) · √(p(1−p)/n + z²/4n²)."""
    if isinstance(total, bool) or not isinstance(total, int) or total < 1:
        raise ValueError(f"An interval needs at least one answer, not {total!r}.")
    if isinstance(successes, bool) or not isinstance(successes, int):
        raise ValueError(f"The count of successes must be a whole number, not {successes!r}.")
    if not 0 <= successes <= total:
        raise ValueError(f"{successes} successes out of {total} is impossible.")
    z = _z(confidence)
    p = successes / total
    z2n = z * z / total
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(p * (1 - p) / total + z2n / (4 * total))
    # At 0 and n successes the interval touches 0 and 1 exactly; float noise would miss them.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == total else min(1.0, centre + half)
    return low, high


def _z(confidence: float) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, int | float | Decimal):
        raise ValueError(f"The confidence level must be a number, not {confidence!r}.")
    confidence = float(confidence)
    if not (math.isfinite(confidence) and 0 < confidence < 1):
        raise ValueError(f"The confidence level must be between 0 and 1, not {confidence}.")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


# -- a unit's respondents as a matrix -------------------------------------------------------------


@dataclass(frozen=True)
class IndexConfig:
    """The configurable parts of the method, with the documented defaults."""

    factor_formula: str = MEAN
    overall_formula: str = MEAN
    scale: int = SCALE
    satisfied_from: int = SATISFIED_FROM
    confidence: float = DEFAULT_CONFIDENCE
    resamples: int = DEFAULT_RESAMPLES

    def __post_init__(self):
        _check_formula(self.factor_formula)
        _check_formula(self.overall_formula)
        _check_threshold(self.scale, self.satisfied_from)
        _z(self.confidence)
        if isinstance(self.resamples, bool) or not isinstance(self.resamples, int):
            raise ValueError(
                f"The number of resamples must be a whole number, not {self.resamples!r}."
            )
        if self.resamples < 0:
            raise ValueError(f"The number of resamples cannot be negative ({self.resamples}).")


@dataclass(frozen=True)
class ItemMap:
    """The columns of the answer matrices: item codes and the factor each item measures
    (``""`` for an item outside the index, e.g. an agency's own question). Factors keep the order
    in which they first appear unless ``factor_order`` says otherwise."""

    items: tuple[str, ...]
    item_factors: tuple[str, ...]
    factor_order: tuple[str, ...] = ()

    def __post_init__(self):
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "item_factors", tuple(f or "" for f in self.item_factors))
        if len(self.items) != len(self.item_factors):
            raise ValueError('Every item needs its factor ("" for none).')
        if len(set(self.items)) != len(self.items):
            raise ValueError("Item codes must be unique.")
        used = list(dict.fromkeys(f for f in self.item_factors if f))
        order = tuple(self.factor_order) or tuple(used)
        missing = set(used) - set(order)
        if missing:
            raise ValueError(f"factor_order lacks {sorted(missing)}.")
        object.__setattr__(self, "factor_order", order)

    @property
    def factors(self) -> tuple[str, ...]:
        return self.factor_order

    def factor_matrix(self) -> np.ndarray:
        """items × factors, 1.0 where the item belongs to the factor."""
        matrix = np.zeros((len(self.items), len(self.factor_order)))
        column = {code: k for k, code in enumerate(self.factor_order)}
        for i, factor in enumerate(self.item_factors):
            if factor:
                matrix[i, column[factor]] = 1.0
        return matrix

    def factor_items(self, factor: str) -> tuple[str, ...]:
        return tuple(i for i, f in zip(self.items, self.item_factors, strict=True) if f == factor)


def answers_matrix(
    responses: Iterable[Mapping[str, object]], items: Sequence[str], scale: int = SCALE
) -> np.ndarray:
    """respondents × items of levels, NaN where blank or not applicable (:func:`answer_level`)."""
    rows = [
        [np.nan if (level := answer_level(r.get(item), scale)) is None else level for item in items]
        for r in responses
    ]
    return np.array(rows, dtype=float).reshape(len(rows), len(items))


def _check_matrix(levels, item_map: ItemMap, scale: int) -> np.ndarray:
    levels = np.asarray(levels, dtype=float)
    if levels.ndim != 2 or levels.shape[1] != len(item_map.items):
        raise ValueError(
            f"The answers must be a respondents × {len(item_map.items)} matrix, not {levels.shape}."
        )
    given = levels[~np.isnan(levels)]
    if given.size and ((given < 1) | (given > scale) | (given != np.round(given))).any():
        raise ValueError(f"The answers must be levels 1 … {scale} or NaN.")
    return levels


def _indices(
    satisfied: np.ndarray, valid: np.ndarray, factors: np.ndarray, config: IndexConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Factor indices (rows × factors) and overall index (rows) from per-item counts (rows ×
    items); one row per resample, or a single row for the estimate. NaN where undefined."""
    with np.errstate(invalid="ignore", divide="ignore"):
        if config.factor_formula == MEAN:
            answered = valid > 0
            shares = np.where(answered, satisfied / np.where(answered, valid, 1), 0.0)
            numerator, denominator = shares @ factors, answered.astype(float) @ factors
        else:
            numerator, denominator = satisfied @ factors, valid @ factors
        by_factor = np.where(denominator > 0, 100 * numerator / denominator, np.nan)
        if config.overall_formula == MEAN:
            known = ~np.isnan(by_factor)
            count = known.sum(axis=1)
            total = np.where(known, by_factor, 0.0).sum(axis=1)
            overall = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        else:
            in_index = factors.any(axis=1)
            sat = satisfied[:, in_index].sum(axis=1)
            val = valid[:, in_index].sum(axis=1)
            overall = np.where(val > 0, 100 * sat / np.where(val > 0, val, 1), np.nan)
    return by_factor, overall


def _quantiles(values: np.ndarray, tails: Sequence[float]) -> np.ndarray:
    """Quantiles of each column by linear interpolation between order statistics (numpy's
    default, Hyndman & Fan type 7): the value at position (n − 1)·q of the sorted column. A
    partial sort around those positions is enough, which is several times faster than
    ``np.quantile`` on 1,000 × 6 replicates."""
    count = values.shape[0]
    positions = [(count - 1) * q for q in tails]
    lower = [math.floor(p) for p in positions]
    upper = [min(count - 1, k + 1) for k in lower]
    ordered = np.partition(values, sorted(set(lower + upper)), axis=0)
    return np.array(
        [
            ordered[k] + (p - k) * (ordered[j] - ordered[k])
            for p, k, j in zip(positions, lower, upper, strict=True)
        ]
    )


def _percentiles(samples: np.ndarray, confidence: float) -> np.ndarray:
    """2 × columns: the low and high percentile of each column, NaN resamples left out."""
    tails = [(1 - confidence) / 2, (1 + confidence) / 2]
    if not np.isnan(samples).any():
        return _quantiles(samples, tails)
    out = np.full((2, samples.shape[1]), np.nan)
    for column in range(samples.shape[1]):
        values = samples[:, column]
        values = values[~np.isnan(values)]
        if values.size:
            out[:, column] = _quantiles(values[:, None], tails)[:, 0]
    return out


def unit_seed(seed: int, unit: str) -> list[int]:
    """The bootstrap seed of one unit: the campaign's seed and a hash of the unit's code, so a
    unit's interval is the same whichever other units are computed with it."""
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"The seed must be a whole number ≥ 0, not {seed!r}.")
    digest = hashlib.sha256(str(unit).encode("utf-8")).digest()
    return [seed, int.from_bytes(digest[:8], "big")]


#: The largest matrix product (m·n·k multiply-adds) OpenBLAS runs on one thread
#: (SMP_THRESHOLD_MIN 65536 × GEMM_MULTITHREAD_THRESHOLD 4, interface/gemm.c).
BLAS_SLICE = 262_144


def _resampled_counts(
    satisfied: np.ndarray, answered: np.ndarray, resamples: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Satisfied and valid answers per item in each bootstrap replicate (resamples × items).

    A replicate draws as many respondents as there are, with replacement, and is kept as the
    number of times each respondent was drawn; its per-item counts are then the product
    weights (replicates × respondents) · answers (respondents × items). Replicates are handled
    in slices of at most :data:`BLAS_SLICE` multiply-adds: one ``bincount`` gives a slice's
    weights while they fit in the processor's cache, and OpenBLAS computes a product that small
    on the calling thread — one large product would start BLAS threads, whose start and wait
    cost ten times the arithmetic on a busy 2-core server. Counts are whole numbers below 2²⁴,
    exact in float32.
    """
    respondents, items = satisfied.shape
    draws = rng.integers(0, respondents, size=(resamples, respondents), dtype=np.intp)
    exact = np.float32 if respondents < 2**24 else np.float64
    answers = np.hstack([satisfied, answered]).astype(exact)
    counts = np.empty((resamples, 2 * items), dtype=exact)
    rows = max(1, BLAS_SLICE // (respondents * 2 * items))
    # Row r of a slice is offset by r × respondents, so one bincount counts every row.
    offsets = (np.arange(rows, dtype=np.intp) * respondents)[:, None]
    for first in range(0, resamples, rows):
        chunk = draws[first : first + rows]
        size = chunk.shape[0]
        weights = np.bincount((chunk + offsets[:size]).ravel(), minlength=size * respondents)
        weights = weights.reshape(size, respondents).astype(exact)
        np.matmul(weights, answers, out=counts[first : first + size])
    counts = counts.astype(float)
    return counts[:, :items], counts[:, items:]


def _float(value) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


@dataclass(frozen=True)
class FactorResult:
    code: str
    items: tuple[str, ...]
    index: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class UnitResult:
    unit: str
    responses: int
    items: tuple[ItemShare, ...]
    factors: tuple[FactorResult, ...]
    index: float | None
    ci_low: float | None
    ci_high: float | None


def unit_result(
    unit: str,
    levels,
    item_map: ItemMap,
    config: IndexConfig | None = None,
    seed: int = 0,
) -> UnitResult:
    """Item shares, factor and overall indices of one unit with bootstrap intervals.

    ``levels`` is the unit's respondents × items matrix (:func:`answers_matrix`), NaN for a
    blank or "not applicable" answer. Each replicate draws as many respondents as the unit has,
    with replacement, and recomputes the factor and overall indices by the configured formulas
    (:func:`_resampled_counts`); the seed is ``[seed, hash of the unit code]``
    (:func:`unit_seed`). Without respondents, or with ``resamples=0``, there is no interval.
    """
    config = config or IndexConfig()
    levels = _check_matrix(levels, item_map, config.scale)
    respondents = levels.shape[0]
    answered = ~np.isnan(levels)
    satisfied = (np.where(answered, levels, 0) >= config.satisfied_from).astype(float)
    answered = answered.astype(float)

    distribution = np.stack(
        [(levels == level).sum(axis=0) for level in range(1, config.scale + 1)], axis=1
    )
    items = tuple(
        ItemShare(
            code,
            tuple(distribution[i].tolist()),
            int(respondents - answered[:, i].sum()),
            config.satisfied_from,
        )
        for i, code in enumerate(item_map.items)
    )
    factors = item_map.factor_matrix()
    by_factor, overall = _indices(
        satisfied.sum(axis=0, keepdims=True), answered.sum(axis=0, keepdims=True), factors, config
    )

    low = high = np.full(len(item_map.factors) + 1, np.nan)
    if respondents and config.resamples:
        sample_satisfied, sample_answered = _resampled_counts(
            satisfied, answered, config.resamples, np.random.default_rng(unit_seed(seed, unit))
        )
        sample_factor, sample_overall = _indices(sample_satisfied, sample_answered, factors, config)
        bounds = _percentiles(np.column_stack([sample_factor, sample_overall]), config.confidence)
        low, high = bounds[0], bounds[1]

    factor_results = []
    for k, code in enumerate(item_map.factors):
        index = _float(by_factor[0, k])
        factor_results.append(
            FactorResult(
                code,
                item_map.factor_items(code),
                index,
                _float(low[k]) if index is not None else None,
                _float(high[k]) if index is not None else None,
            )
        )
    index = _float(overall[0])
    return UnitResult(
        unit=unit,
        responses=respondents,
        items=items,
        factors=tuple(factor_results),
        index=index,
        ci_low=_float(low[-1]) if index is not None else None,
        ci_high=_float(high[-1]) if index is not None else None,
    )


def campaign_results(
    units: Mapping[str, object],
    item_map: ItemMap,
    config: IndexConfig | None = None,
    seed: int = 0,
) -> list[UnitResult]:
    """:func:`unit_result` of every unit (``units``: code → respondents × items matrix), in the
    order given."""
    config = config or IndexConfig()
    return [unit_result(code, levels, item_map, config, seed) for code, levels in units.items()]


# -- ranking -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedUnit:
    unit: str
    responses: int
    index: float | None
    ci_low: float | None
    ci_high: float | None
    status: str  # RANKED or NOT_ENOUGH_ANSWERS
    rank: int | None
    overlaps_previous: bool = False  # the interval overlaps the one of the unit listed just above
    overlaps_next: bool = False  # … of the unit listed just below
    overlapping: tuple[str, ...] = ()  # every ranked unit whose interval overlaps this one


def rank_units(results: Iterable, minimum: int = DEFAULT_MINIMUM_RESPONSES) -> list[RankedUnit]:
    """Rank units (anything with ``unit``, ``responses``, ``index``, ``ci_low``, ``ci_high``, e.g.
    :class:`UnitResult`): best first, then the units with not enough answers by code.

    A unit is ranked when it has at least ``minimum`` responses and an index. Ties are judged on
    the index rounded half up to two decimals; tied units are listed by code. A unit without an
    interval overlaps nobody."""
    if isinstance(minimum, bool) or not isinstance(minimum, int) or minimum < 1:
        raise ValueError(
            f"The minimum number of responses must be a positive whole number, not {minimum!r}."
        )
    results = list(results)
    enough = [r.responses >= minimum and r.index is not None for r in results]
    ranked = [r for r, ok in zip(results, enough, strict=True) if ok]
    others = sorted(
        (r for r, ok in zip(results, enough, strict=True) if not ok), key=lambda r: str(r.unit)
    )
    ranked.sort(key=lambda r: (-round_half_up(r.index), str(r.unit)))

    # overlap[i, j]: the intervals of ranked units i and j share a point (NaN: no interval)
    lows = np.array([np.nan if r.ci_low is None else r.ci_low for r in ranked], dtype=float)
    highs = np.array([np.nan if r.ci_high is None else r.ci_high for r in ranked], dtype=float)
    overlap = (lows[:, None] <= highs[None, :]) & (lows[None, :] <= highs[:, None])
    np.fill_diagonal(overlap, False)

    out: list[RankedUnit] = []
    rank, previous = 0, None
    for row, result in enumerate(ranked):
        position = row + 1
        shown = round_half_up(result.index)
        if shown != previous:
            rank, previous = position, shown
        out.append(
            RankedUnit(
                unit=result.unit,
                responses=result.responses,
                index=result.index,
                ci_low=result.ci_low,
                ci_high=result.ci_high,
                status=RANKED,
                rank=rank,
                overlaps_previous=position > 1 and bool(overlap[row, row - 1]),
                overlaps_next=position < len(ranked) and bool(overlap[row, row + 1]),
                overlapping=tuple(ranked[j].unit for j in np.flatnonzero(overlap[row])),
            )
        )
    out.extend(
        RankedUnit(r.unit, r.responses, r.index, r.ci_low, r.ci_high, NOT_ENOUGH_ANSWERS, None)
        for r in others
    )
    return out
