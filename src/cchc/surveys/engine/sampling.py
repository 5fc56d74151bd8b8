"""Sample sizes and the stratified random draw of a SIPAS campaign: plain Python, no Django.

Sample size rules (cỡ mẫu), every result rounded **up** to a whole respondent, never more than
the population ``N`` and 0 when ``N`` is 0:

* ``yamane`` (the default) — n = N / (1 + N·e²), e = 0.05 (Yamane, *Statistics: An Introductory
  Analysis*, 1967): the rule of the 1383-era BNV method, where N is the number of transactions of
  the service in the period (par-sipas-plan-sources §B2). Computed with exact fractions, so
  400 at 5 % is exactly 200, not 200.0000001 → 201.
* ``cochran`` — Cochran's size for a proportion with the finite-population correction:
  n₀ = z²·p(1−p)/e², n = n₀ / (1 + (n₀ − 1)/N), p = 0.5 (the most cautious) by default and z the
  normal quantile of the two-sided confidence level (0.95 → 1.95996…, usually written 1.96).
  Cochran, *Sampling Techniques*, 3rd ed. (1977), §4.4.
* ``quota`` — a fixed number per unit, e.g. 90 per xã/phường (Hội An 2024), 150 per xã (Bình
  Dương 2018): min(quota, N).
* ``table`` — a share of the yearly volume by bands: all dossiers when N ≤ 200, 30 % when
  200 < N ≤ 1,000, 20 % above (Đà Nẵng 2341/QĐ-UBND, 2021). The table is a parameter. Note that
  such a table is not monotone at its edges (200 → 200, 201 → 61).

The draw (chọn mẫu ngẫu nhiên phân tầng): the frame is the list of people whose dossiers were
resolved and returned in the period, one :class:`FrameRecord` each (a stable id, the unit, and
optionally the field of the procedure). Each unit — or each unit × field — is a stratum; a simple
random sample without replacement is drawn in each, from ``random.Random(f"{seed}:{unit}")``
(``…:{unit}:{field}`` per field) over the ids sorted as text. The draw therefore depends only on
the seed, the rule and the frame's content, not on the order the records come in, nor on the
other units; :func:`frame_fingerprint` (SHA-256 of the sorted ids per unit) lets an auditor
check that the recorded frame is the one drawn from. With fields, the unit's size is shared
among its fields in proportion to their populations, by largest remainders (Hamilton's method).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from numbers import Real
from statistics import NormalDist

YAMANE = "yamane"
COCHRAN = "cochran"
QUOTA = "quota"
TABLE = "table"
METHODS = (YAMANE, COCHRAN, QUOTA, TABLE)

DEFAULT_MARGIN = 0.05
DEFAULT_CONFIDENCE = 0.95
DEFAULT_PROPORTION = 0.5
#: Share of the yearly volume per band: (upper bound of N inclusive, share); ``None`` = no upper
#: bound. Đà Nẵng 2341/QĐ-UBND (2021): all if N ≤ 200, 30 % up to 1,000, 20 % above.
DEFAULT_VOLUME_TABLE: tuple[tuple[int | None, float], ...] = (
    (200, 1.0),
    (1000, 0.30),
    (None, 0.20),
)


# -- validation ----------------------------------------------------------------------------------


def _check_population(population) -> int:
    if isinstance(population, bool) or not isinstance(population, int):
        raise ValueError(f"The population must be a whole number, not {population!r}.")
    if population < 0:
        raise ValueError(f"The population cannot be negative ({population}).")
    return population


def _check_open_unit(value, name: str) -> float:
    """A number strictly between 0 and 1 (a margin, a confidence level, a proportion); floats,
    fractions and decimals (a model's DecimalField) are accepted."""
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise ValueError(f"The {name} must be a number between 0 and 1, not {value!r}.")
    if not (math.isfinite(value) and 0 < value < 1):
        raise ValueError(f"The {name} must be between 0 and 1 (exclusive), not {value}.")
    return value


def _exact(value) -> Fraction:
    """The decimal a person typed (0.05, 0.3), not the binary float nearest to it."""
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def _ceil_float(value: float) -> int:
    """Round up, ignoring float noise below 1e-9 (277.0000000001 is 277, not 278)."""
    return math.ceil(round(value, 9))


def z_score(confidence: float) -> float:
    """The two-sided normal quantile: 0.90 → 1.645, 0.95 → 1.960, 0.99 → 2.576."""
    confidence = float(_check_open_unit(confidence, "confidence level"))
    return NormalDist().inv_cdf(0.5 + confidence / 2)


# -- the four rules ------------------------------------------------------------------------------


def yamane_size(population: int, margin: float = DEFAULT_MARGIN) -> int:
    """n = N / (1 + N·e²), rounded up (N = 1000, e = 0.05: 1000 / 3.5 = 285.71 → 286)."""
    population = _check_population(population)
    margin = _exact(_check_open_unit(margin, "margin of error"))
    if population == 0:
        return 0
    return min(population, math.ceil(Fraction(population) / (1 + population * margin**2)))


def cochran_size(
    population: int,
    margin: float = DEFAULT_MARGIN,
    confidence: float = DEFAULT_CONFIDENCE,
    proportion: float = DEFAULT_PROPORTION,
) -> int:
    """n₀ = z²·p(1−p)/e², n = n₀ / (1 + (n₀ − 1)/N), rounded up (N = 1000 at 95 %: n₀ = 384.15,
    n = 384.15 / 1.38315 = 277.7 → 278)."""
    population = _check_population(population)
    _check_open_unit(margin, "margin of error")
    _check_open_unit(proportion, "expected proportion")
    z = z_score(confidence)
    if population == 0:
        return 0
    margin, proportion = float(margin), float(proportion)  # a Decimal from a model field
    infinite = z * z * proportion * (1 - proportion) / (margin * margin)
    corrected = infinite / (1 + (infinite - 1) / population)
    return min(population, _ceil_float(corrected))


def quota_size(population: int, quota: int) -> int:
    """A fixed number per unit, at most the population."""
    population = _check_population(population)
    if isinstance(quota, bool) or not isinstance(quota, int) or quota < 1:
        raise ValueError(f"The quota must be a positive whole number, not {quota!r}.")
    return min(quota, population)


def check_volume_table(table: Iterable[tuple[int | None, float]]) -> tuple:
    """Validate a volume table: increasing upper bounds, the last one open (``None``), shares in
    (0, 1]."""
    rows = tuple(tuple(row) for row in table)
    if not rows:
        raise ValueError("The volume table is empty.")
    previous = -1
    for position, row in enumerate(rows):
        if len(row) != 2:
            raise ValueError(f"Each row of the volume table is (upper bound, share), not {row!r}.")
        bound, share = row
        last = position == len(rows) - 1
        if bound is None and not last:
            raise ValueError("Only the last row of the volume table may have no upper bound.")
        if last and bound is not None:
            raise ValueError("The last row of the volume table must have no upper bound (None).")
        if bound is not None:
            if isinstance(bound, bool) or not isinstance(bound, int) or bound <= previous:
                raise ValueError(
                    f"The upper bounds of the volume table must be increasing whole numbers "
                    f"({bound!r} after {previous})."
                )
            previous = bound
        if (
            isinstance(share, bool)
            or not isinstance(share, Real | Decimal)
            or not (math.isfinite(share) and 0 < share <= 1)
        ):
            raise ValueError(f"A share of the volume table must be in (0, 1], not {share!r}.")
    return rows


def table_size(
    population: int, table: Iterable[tuple[int | None, float]] = DEFAULT_VOLUME_TABLE
) -> int:
    """The share of the band ``N`` falls in, rounded up (201 × 30 % = 60.3 → 61)."""
    population = _check_population(population)
    rows = check_volume_table(table)
    for bound, share in rows:
        if bound is None or population <= bound:
            return min(population, math.ceil(population * _exact(share)))
    raise AssertionError("unreachable: the last row has no upper bound")


# -- a rule as one value -------------------------------------------------------------------------


@dataclass(frozen=True)
class SizeRule:
    """How many to draw from a unit of population N; validated when built."""

    method: str = YAMANE
    margin: float = DEFAULT_MARGIN
    confidence: float = DEFAULT_CONFIDENCE
    proportion: float = DEFAULT_PROPORTION
    quota: int | None = None
    table: tuple[tuple[int | None, float], ...] = DEFAULT_VOLUME_TABLE

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"Unknown sample size method {self.method!r}: one of {METHODS}.")
        if self.method in (YAMANE, COCHRAN):
            _check_open_unit(self.margin, "margin of error")
        if self.method == COCHRAN:
            _check_open_unit(self.confidence, "confidence level")
            _check_open_unit(self.proportion, "expected proportion")
        if self.method == QUOTA:
            quota_size(0, self.quota)  # validates the quota
        if self.method == TABLE:
            object.__setattr__(self, "table", check_volume_table(self.table))

    def size(self, population: int) -> int:
        if self.method == YAMANE:
            return yamane_size(population, self.margin)
        if self.method == COCHRAN:
            return cochran_size(population, self.margin, self.confidence, self.proportion)
        if self.method == QUOTA:
            return quota_size(population, self.quota)
        return table_size(population, self.table)

    def describe(self) -> str:
        """A short, stable text of the rule, recorded with the draw: "yamane e=0.05"."""
        if self.method == YAMANE:
            return f"yamane e={self.margin:g}"
        if self.method == COCHRAN:
            return f"cochran e={self.margin:g} confidence={self.confidence:g} p={self.proportion:g}"
        if self.method == QUOTA:
            return f"quota {self.quota}"
        bands = ", ".join(
            f"{'above' if bound is None else f'≤{bound}'}:{share:g}" for bound, share in self.table
        )
        return f"table {bands}"


def sample_size(
    population: int,
    method: str = YAMANE,
    *,
    margin: float = DEFAULT_MARGIN,
    confidence: float = DEFAULT_CONFIDENCE,
    proportion: float = DEFAULT_PROPORTION,
    quota: int | None = None,
    table: Iterable[tuple[int | None, float]] = DEFAULT_VOLUME_TABLE,
) -> int:
    """The sample size for a population by one of :data:`METHODS`."""
    rule = SizeRule(method, margin, confidence, proportion, quota, tuple(table))
    return rule.size(population)


# -- the draw ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameRecord:
    """One person of the sampling frame (khung mẫu): a stable id (e.g. the dossier's primary key
    or a pseudonym of it), the unit that resolved the dossier and, optionally, its field."""

    id: str | int
    unit: str
    field: str = ""


@dataclass(frozen=True)
class Stratum:
    unit: str
    field: str  # "" when the unit is one stratum
    population: int
    sample_size: int
    ids: tuple[str, ...]  # the drawn ids, as text, sorted


@dataclass(frozen=True)
class UnitSummary:
    unit: str
    population: int
    sample_size: int
    rule: str  # SizeRule.describe(), or "target n" when the campaign fixed the unit's size


@dataclass(frozen=True)
class Draw:
    seed: int
    by_field: bool
    fingerprint: str  # frame_fingerprint(frame, by_field)
    strata: tuple[Stratum, ...]
    units: tuple[UnitSummary, ...]

    def ids(self, unit: str) -> tuple[str, ...]:
        """Every id drawn in ``unit`` (all its fields), sorted."""
        return tuple(sorted(i for s in self.strata if s.unit == unit for i in s.ids))


def _text_id(record: FrameRecord) -> str:
    if isinstance(record.id, bool) or not isinstance(record.id, str | int):
        raise ValueError(f"A frame id must be text or a whole number, not {record.id!r}.")
    return str(record.id)


def _grouped(frame: Iterable[FrameRecord]) -> dict[str, dict[str, list[str]]]:
    """unit → field → sorted ids; duplicate ids are refused (one person, one chance)."""
    seen: set[str] = set()
    groups: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for record in frame:
        text = _text_id(record)
        if text in seen:
            raise ValueError(f"The id {text!r} appears twice in the sampling frame.")
        if not isinstance(record.unit, str) or not record.unit:
            raise ValueError(f"The record {text!r} has no unit.")
        seen.add(text)
        groups[record.unit][record.field or ""].append(text)
    for fields in groups.values():
        for ids in fields.values():
            ids.sort()
    return groups


def frame_fingerprint(frame: Iterable[FrameRecord], by_field: bool = False) -> str:
    """SHA-256 (hex) of the frame's ids sorted per unit — and per field when the draw is by
    field, since the fields then decide the strata. The hashed text is the compact JSON
    ``{"unit": ["id", …], …}`` (``{"unit": {"field": ["id", …]}}`` by field), keys sorted, UTF-8,
    so anyone can recompute it from the recorded frame."""
    groups = _grouped(frame)
    if by_field:
        canonical = {unit: {f: ids for f, ids in fields.items()} for unit, fields in groups.items()}
    else:
        canonical = {
            unit: sorted(i for ids in fields.values() for i in ids)
            for unit, fields in groups.items()
        }
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def allocate(total: int, populations: Mapping[str, int]) -> dict[str, int]:
    """Share ``total`` among strata in proportion to their populations, by largest remainders
    (Hamilton): each gets the floor of its quota, the rest go one by one to the largest
    fractional parts (ties: larger population, then the key). No stratum gets more than its
    population when ``total`` ≤ the sum."""
    whole = sum(populations.values())
    if total < 0 or total > whole:
        raise ValueError(f"Cannot allocate {total} among strata of {whole} in all.")
    if whole == 0:
        return dict.fromkeys(populations, 0)
    quotas = {key: Fraction(total * size, whole) for key, size in populations.items()}
    shares = {key: math.floor(q) for key, q in quotas.items()}
    left = total - sum(shares.values())
    order = sorted(quotas, key=lambda k: (-(quotas[k] - shares[k]), -populations[k], k))
    for key in order[:left]:
        shares[key] += 1
    return shares


def draw_sample(
    frame: Iterable[FrameRecord],
    rule: SizeRule,
    seed: int,
    *,
    by_field: bool = False,
    targets: Mapping[str, int] | None = None,
) -> Draw:
    """Draw a stratified simple random sample without replacement from ``frame``.

    Each unit's size comes from ``rule`` applied to its population, unless ``targets`` fixes it
    for that unit (the campaign's target sample, capped at the population). With ``by_field`` the
    unit's size is shared among its fields (:func:`allocate`) and each field is drawn on its own.
    """
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"The seed must be a whole number, not {seed!r}.")
    frame = list(frame)
    groups = _grouped(frame)
    targets = dict(targets or {})
    for unit, target in targets.items():
        if isinstance(target, bool) or not isinstance(target, int) or target < 0:
            raise ValueError(f"The target of {unit!r} must be a whole number ≥ 0, not {target!r}.")
    strata: list[Stratum] = []
    units: list[UnitSummary] = []
    for unit in sorted(groups):
        fields = groups[unit]
        population = sum(len(ids) for ids in fields.values())
        if unit in targets:
            size, described = min(targets[unit], population), f"target {targets[unit]}"
        else:
            size, described = rule.size(population), rule.describe()
        units.append(UnitSummary(unit, population, size, described))
        if by_field:
            shares = allocate(size, {f: len(ids) for f, ids in fields.items()})
            for field_key in sorted(fields):
                ids = fields[field_key]
                rng = random.Random(f"{seed}:{unit}:{field_key}")
                drawn = tuple(sorted(rng.sample(ids, shares[field_key])))
                strata.append(Stratum(unit, field_key, len(ids), len(drawn), drawn))
        else:
            ids = sorted(i for f in fields.values() for i in f)
            rng = random.Random(f"{seed}:{unit}")
            drawn = tuple(sorted(rng.sample(ids, size)))
            strata.append(Stratum(unit, "", population, size, drawn))
    return Draw(
        seed=seed,
        by_field=by_field,
        fingerprint=frame_fingerprint(frame, by_field),
        strata=tuple(strata),
        units=tuple(units),
    )
