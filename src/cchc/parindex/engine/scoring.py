"""Scoring methods of a leaf (tiêu chí thành phần): what a unit enters becomes points.

Every method is data (a ``spec`` dict stored with the leaf, JSON-friendly: numbers as strings),
because criteria and points change by year, level and province (Decisions 876/QĐ-BNV 2022,
892/QĐ-BNV 2024, 1187/QĐ-BNV 2025; provincial decisions). The methods are those of the published
schemes (docs/parindex.md, "Scoring methods"):

``levels``     a choice among levels with their points — "Ban hành kịp thời: 1 / không kịp thời:
               0,5 / không ban hành: 0" (Cà Mau 1880/QĐ-UBND, 1.1.1).
               spec ``{"levels": [{"key", "label", "points"}]}``; value: a level's key.
``bands``      a percentage band table — "trên 90%: 2; 70%–90%: 1; dưới 70%: 0" (1.1.4).
               spec ``{"bands": [{"above": "90", "inclusive": false, "points": "2"},
               {"above": "70", "inclusive": true, "points": "1"},
               {"above": null, "points": "0"}]}``;
               the first band whose threshold the value passes gives the points ("trên 90%" is
               strictly above 90, "70%–90%" includes both ends, so exactly 90% scores 1).
               value: a percentage.
``deduction``  a deduction rule — "vi phạm nhẹ: trừ 50% điểm; nghiêm trọng: 0" (Phú Thọ-style
               form). spec ``{"deductions": [{"key", "label", "percent"}]}``; points = maximum ×
               (100 − percent) / 100. value: a deduction's key.
``number``     the points entered directly, between 0 and the leaf's maximum.
``computed``   from the platform's own data (on-time rate, online share…): spec ``{"metric": key}``
               plus ``bands`` (as above) or ``"proportional": true`` (points = maximum × value /
               100). value: the metric's percentage.
``survey``     by the sociological survey (điều tra xã hội học): not self-scored (BNV CV 383/384
               of 28/01/2021); value: the survey points, already converted.

Points are :class:`~decimal.Decimal` rounded half up to two decimals (the published tables show
two: "89,15/100").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

LEVELS = "levels"
BANDS = "bands"
DEDUCTION = "deduction"
NUMBER = "number"
COMPUTED = "computed"
SURVEY = "survey"
METHODS = (LEVELS, BANDS, DEDUCTION, NUMBER, COMPUTED, SURVEY)
SELF_SCORED = frozenset({LEVELS, BANDS, DEDUCTION, NUMBER})  # entered by the responsible office

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class ScoringError(ValueError):
    """A spec or a value the method cannot score. ``code`` is stable (the Django layer words it
    in Vietnamese); ``params`` fill the message."""

    def __init__(self, code: str, message: str, **params):
        super().__init__(message % params if params else message)
        self.code = code
        self.params = params


def round_half_up(value: Decimal, places: str = "0.01") -> Decimal:
    """Round half up (0.005 → 0.01), the way the published tables round, not banker's rounding."""
    return Decimal(value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def to_decimal(value, *, field: str = "value") -> Decimal:
    """A number from an int, a Decimal or a string with "." or "," as the decimal mark."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool) or value is None:
        raise ScoringError("not_a_number", "%(field)s is not a number.", field=field)
    elif isinstance(value, int | float):
        result = Decimal(str(value))
    else:
        text = str(value).strip().replace(" ", "").rstrip("%")
        if "," in text and "." in text:  # 1.234,5
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", ".")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ScoringError("not_a_number", "%(field)s is not a number.", field=field) from None
    if not result.is_finite():
        raise ScoringError("not_a_number", "%(field)s is not a number.", field=field)
    return result


def _choices(spec: dict, name: str) -> list[dict]:
    items = spec.get(name)
    if not isinstance(items, list) or not items:
        raise ScoringError("spec_empty", "The scoring method lists no %(name)s.", name=name)
    return items


def band_points(bands: list[dict], percent: Decimal) -> Decimal:
    """Points of the first band whose threshold ``percent`` passes (see the module docstring)."""
    for band in bands:
        above = band.get("above")
        if above is None:
            return to_decimal(band["points"], field="points")
        threshold = to_decimal(above, field="threshold")
        if percent > threshold or (band.get("inclusive", False) and percent == threshold):
            return to_decimal(band["points"], field="points")
    return Decimal(0)  # below every band and no catch-all: nothing earned


def validate_spec(method: str, spec: dict, maximum: Decimal) -> None:
    """Raise :class:`ScoringError` unless ``spec`` is a usable spec of ``method`` for a leaf
    worth ``maximum`` (no level or band may give more than the maximum)."""
    if method not in METHODS:
        raise ScoringError("unknown_method", "Unknown scoring method %(method)s.", method=method)
    spec = spec or {}
    points: list[Decimal] = []
    if method == LEVELS:
        keys = set()
        for level in _choices(spec, "levels"):
            if not level.get("key") or level["key"] in keys:
                raise ScoringError("level_key", "Each level needs its own key.")
            keys.add(level["key"])
            points.append(to_decimal(level.get("points"), field="points"))
    elif method == DEDUCTION:
        for item in _choices(spec, "deductions"):
            percent = to_decimal(item.get("percent"), field="percent")
            if not 0 <= percent <= 100:
                raise ScoringError("deduction_percent", "A deduction is between 0% and 100%.")
    elif method == BANDS or (method == COMPUTED and not spec.get("proportional")):
        thresholds = []
        for band in _choices(spec, "bands"):
            points.append(to_decimal(band.get("points"), field="points"))
            if band.get("above") is not None:
                thresholds.append(to_decimal(band["above"], field="threshold"))
        if thresholds != sorted(thresholds, reverse=True):
            raise ScoringError("band_order", "Bands go from the highest threshold down.")
    if method == COMPUTED and not spec.get("metric"):
        raise ScoringError("metric_missing", "A computed leaf names the figure it is scored from.")
    for value in points:
        if value < 0 or value > maximum:
            raise ScoringError(
                "points_range",
                "A level gives %(points)s points, outside 0–%(maximum)s.",
                points=value,
                maximum=maximum,
            )


def score_leaf(method: str, spec: dict, maximum: Decimal, value) -> Decimal:
    """Points for ``value`` entered on a leaf scored by ``method``/``spec`` worth ``maximum``."""
    spec = spec or {}
    maximum = Decimal(maximum)
    if method == LEVELS:
        for level in _choices(spec, "levels"):
            if level.get("key") == value:
                return round_half_up(to_decimal(level["points"], field="points"))
        raise ScoringError("unknown_level", "Choose one of the listed levels.")
    if method == DEDUCTION:
        for item in _choices(spec, "deductions"):
            if item.get("key") == value:
                percent = to_decimal(item["percent"], field="percent")
                return round_half_up(maximum * (HUNDRED - percent) / HUNDRED)
        raise ScoringError("unknown_level", "Choose one of the listed levels.")
    if method in (BANDS, COMPUTED):
        percent = to_decimal(value, field="percentage")
        if percent < 0 or percent > HUNDRED:
            raise ScoringError("percent_range", "A percentage is between 0 and 100.")
        if method == COMPUTED and spec.get("proportional"):
            return round_half_up(maximum * percent / HUNDRED)
        return round_half_up(band_points(_choices(spec, "bands"), percent))
    if method in (NUMBER, SURVEY):
        points = to_decimal(value, field="points")
        if points < 0 or points > maximum:
            raise ScoringError(
                "points_range",
                "Points are between 0 and %(maximum)s.",
                maximum=maximum,
            )
        return round_half_up(points)
    raise ScoringError("unknown_method", "Unknown scoring method %(method)s.", method=method)
