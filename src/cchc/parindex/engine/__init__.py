"""PAR INDEX (Chỉ số cải cách hành chính) arithmetic: plain Python, no Django.

:mod:`.scoring` turns what a unit entered for one leaf (a level, a percentage, a number…) into
points by the leaf's scoring method; :mod:`.tree` holds a criteria set as a tree and validates it;
:mod:`.results` adds the leaves up into a unit's totals, index, field sub-indices, rank and grade,
and finds where points are lost. The Django layer (``cchc.parindex``) stores the sets and scores.
Formulas and their sources: docs/parindex.md.
"""

from .results import (
    DEFAULT_GRADE_BANDS,
    GRADE_PRESETS,
    FieldResult,
    GradeBand,
    LeafInput,
    LeafLoss,
    UnitResult,
    grade_for,
    losses_for_unit,
    province_losses,
    rank_results,
    unit_result,
)
from .scoring import (
    BANDS,
    COMPUTED,
    DEDUCTION,
    LEVELS,
    METHODS,
    NUMBER,
    SELF_SCORED,
    SURVEY,
    ScoringError,
    band_points,
    round_half_up,
    score_leaf,
    to_decimal,
    validate_spec,
)
from .tree import AGGREGATIONS, BLOCKS, BONUS, CAP, MAIN, PENALTY, SUM, Node, Problem, validate

__all__ = [
    "AGGREGATIONS",
    "BANDS",
    "BLOCKS",
    "BONUS",
    "CAP",
    "COMPUTED",
    "DEDUCTION",
    "DEFAULT_GRADE_BANDS",
    "GRADE_PRESETS",
    "LEVELS",
    "MAIN",
    "METHODS",
    "NUMBER",
    "PENALTY",
    "SELF_SCORED",
    "SUM",
    "SURVEY",
    "FieldResult",
    "GradeBand",
    "LeafInput",
    "LeafLoss",
    "Node",
    "Problem",
    "ScoringError",
    "UnitResult",
    "band_points",
    "grade_for",
    "losses_for_unit",
    "province_losses",
    "rank_results",
    "round_half_up",
    "score_leaf",
    "to_decimal",
    "unit_result",
    "validate",
    "validate_spec",
]
