"""A criteria set (bộ tiêu chí) as a tree, and its validation.

Field (lĩnh vực) → criterion (tiêu chí) → sub-criterion (tiêu chí thành phần) → … to any depth.
Each node has a code ("1", "1.1", "1.1.2"), a name and its maximum points; leaves carry a scoring
method (:mod:`.scoring`). The top-level nodes belong to a block: the main block (whose maxima add
up to the set's declared total, usually 100) or the bonus/penalty blocks (điểm thưởng, điểm trừ)
outside it (Hà Nội 5666/QĐ-UBND 2025, content 9).

A node adds up its children one of two ways: ``sum`` (the children's maxima add up to the node's
maximum, the common case) or ``cap`` (the children's maxima may exceed the node's; the node's
points are capped at its maximum, as in "điểm cộng tối đa 5").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from .scoring import ScoringError, validate_spec

MAIN = "main"
BONUS = "bonus"
PENALTY = "penalty"
BLOCKS = (MAIN, BONUS, PENALTY)
SUM = "sum"
CAP = "cap"
AGGREGATIONS = (SUM, CAP)


@dataclass
class Node:
    code: str
    name: str
    max_points: Decimal
    children: list[Node] = field(default_factory=list)
    block: str = MAIN
    aggregation: str = SUM
    method: str = ""  # leaves only
    spec: dict = field(default_factory=dict)
    may_be_not_applicable: bool = False
    line: int | None = None  # the row it came from in an imported sheet, for error messages

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def leaves(self) -> Iterator[Node]:
        return (node for node in self.walk() if node.is_leaf)


@dataclass(frozen=True)
class Problem:
    """One validation error, naming the node (its code) and, from a sheet, the line."""

    code: str  # the node's code ("" for the whole set)
    kind: str  # stable key: "sum_mismatch", "total_mismatch", "duplicate_code"…
    message: str
    line: int | None = None
    params: dict = field(default_factory=dict, compare=False)


def validate(roots: list[Node], declared_total: Decimal) -> list[Problem]:
    """Every problem of the set at once (an empty list: the set is valid)."""
    problems: list[Problem] = []
    seen: dict[str, Node] = {}
    for root in roots:
        if root.block not in BLOCKS:
            problems.append(_problem(root, "block", "Unknown block %(block)s.", block=root.block))
        for node in root.walk():
            if node.code in seen:
                problems.append(
                    _problem(node, "duplicate_code", "The code %(code)s is used twice.")
                )
            seen[node.code] = node
            problems.extend(_node_problems(node))
    main_total = sum((root.max_points for root in roots if root.block == MAIN), Decimal(0))
    if main_total != Decimal(declared_total):
        params = {"total": main_total, "declared": declared_total}
        message = "The fields add up to {total} points, the set declares {declared}."
        problems.append(Problem("", "total_mismatch", message.format(**params), params=params))
    return problems


def _problem(node: Node, kind: str, message: str, **params) -> Problem:
    params.setdefault("code", node.code)
    return Problem(node.code, kind, message % params, node.line, params)


def _node_problems(node: Node) -> list[Problem]:
    problems = []
    if not node.code.strip():
        problems.append(_problem(node, "code_missing", "A criterion has no code."))
    if not node.name.strip():
        problems.append(_problem(node, "name_missing", "Criterion %(code)s has no name."))
    if node.max_points is None or node.max_points < 0:
        problems.append(
            _problem(node, "max_invalid", "Criterion %(code)s needs a maximum of 0 or more.")
        )
        return problems
    if node.is_leaf:
        if not node.method:
            problems.append(
                _problem(node, "method_missing", "Criterion %(code)s has no scoring method.")
            )
        else:
            try:
                validate_spec(node.method, node.spec, node.max_points)
            except ScoringError as error:
                problems.append(
                    _problem(
                        node,
                        "method_invalid",
                        "Criterion %(code)s: %(error)s",
                        error=str(error),
                        error_code=error.code,
                    )
                )
        return problems
    children = sum((child.max_points or Decimal(0) for child in node.children), Decimal(0))
    if node.aggregation == SUM and children != node.max_points:
        problems.append(
            _problem(
                node,
                "sum_mismatch",
                "The parts of %(code)s add up to %(children)s points, not %(maximum)s.",
                children=children,
                maximum=node.max_points,
            )
        )
    elif node.aggregation == CAP and children < node.max_points:
        problems.append(
            _problem(
                node,
                "cap_short",
                "The parts of %(code)s add up to %(children)s, below its cap %(maximum)s.",
                children=children,
                maximum=node.max_points,
            )
        )
    elif node.aggregation not in AGGREGATIONS:
        problems.append(_problem(node, "aggregation", "Unknown way to add up %(code)s."))
    return problems
