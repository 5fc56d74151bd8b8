"""The Decision 766/QĐ-TTg real-time service index: plain Python, no Django.

:mod:`.rules` defines the indicators, groups, rating bands and dated rule sets; :mod:`.scoring`
turns ``{indicator id: (numerator, denominator) | None}`` into points, group scores, a total, a
rating and a rank. The Django layer (``cchc.index766.config``) adds administrators' overrides.
See docs/index766.md.
"""

from .rules import (
    AVERAGE,
    CONFIGURED,
    DEFAULT,
    DEFAULT_RULES,
    NATIONAL,
    OFFICIAL_START,
    PARTIAL,
    PLATFORM,
    RATE,
    RULE_SETS,
    VERIFIED,
    Group,
    Indicator,
    Problem,
    RatingBand,
    RuleSet,
    RuleSetError,
    rules_on,
)
from .scoring import (
    DISPLAY_ONLY,
    MISSING,
    OK,
    GroupResult,
    IndexResult,
    IndicatorResult,
    compute,
    indicator_points,
    losses,
    rank,
    round_half_up,
    score,
)

__all__ = [
    "AVERAGE",
    "CONFIGURED",
    "DEFAULT",
    "DEFAULT_RULES",
    "DISPLAY_ONLY",
    "MISSING",
    "NATIONAL",
    "OFFICIAL_START",
    "OK",
    "PARTIAL",
    "PLATFORM",
    "RATE",
    "RULE_SETS",
    "VERIFIED",
    "Group",
    "GroupResult",
    "IndexResult",
    "Indicator",
    "IndicatorResult",
    "Problem",
    "RatingBand",
    "RuleSet",
    "RuleSetError",
    "compute",
    "indicator_points",
    "losses",
    "rank",
    "round_half_up",
    "rules_on",
    "score",
]
