"""Administrators' overrides of the 766 rules: how they layer and how they are checked.

No database access here (the rows are given), so the model's ``clean`` and the admin can check
overrides without an import loop: ``cchc.index766.config`` reads the rows, this module judges
them. Layering rules: see ``cchc.index766.config``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from django.utils import formats
from django.utils.translation import gettext as _

from .engine import RULE_SETS, Problem, RuleSet, RuleSetError, rules_on


class OverrideRow(Protocol):
    effective_from: date
    indicator: str
    max_points: Decimal | None
    threshold: Decimal | None


def merge(rows: Iterable[OverrideRow], base: RuleSet, day: date) -> dict[str, dict[str, Any]]:
    """The overrides of ``rows`` that apply on ``day`` on top of ``base``, latest first wins."""
    applicable = sorted(
        (row for row in rows if base.effective_from <= row.effective_from <= day),
        key=lambda row: row.effective_from,
    )
    merged: dict[str, dict[str, Any]] = {}
    for row in applicable:
        values = merged.setdefault(row.indicator, {})
        if row.max_points is not None:
            values["max_points"] = row.max_points
        if row.threshold is not None:
            values["threshold"] = row.threshold
    return merged


def rules_from_rows(
    rows: Iterable[OverrideRow], day: date, rule_sets: tuple[RuleSet, ...] = RULE_SETS
) -> RuleSet:
    base = rules_on(day, rule_sets)
    return base.with_overrides(merge(list(rows), base, day))


def check_rows(
    rows: Iterable[OverrideRow], rule_sets: tuple[RuleSet, ...] = RULE_SETS
) -> list[tuple[date, list[Problem]]]:
    """Problems of the combined rules at every date where they change, oldest first.

    The rules only change on an override's date or a rule set's date, so checking those dates
    covers every day.
    """
    rows = list(rows)
    first = min(rule_set.effective_from for rule_set in rule_sets)
    dates = {row.effective_from for row in rows if row.effective_from is not None}
    dates |= {rule_set.effective_from for rule_set in rule_sets}
    failures = []
    for day in sorted(d for d in dates if d >= first):
        try:
            rules_from_rows(rows, day, rule_sets)
        except RuleSetError as error:
            failures.append((day, error.problems))
    return failures


def number(value: Any) -> Any:
    """Numbers in the active locale's notation without trailing zeros (0,8 — not 0,8000)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        return value
    if isinstance(value, Decimal):
        text = format(value, "f")
        if "." in text:
            value = Decimal(text.rstrip("0").rstrip("."))
    return formats.number_format(value, use_l10n=True)


def problem_message(problem: Problem) -> str:
    """The problem in the active language."""
    params = {key: number(value) for key, value in problem.params.items()}
    templates = {
        "group_total": _(
            "Group “%(name)s”: the indicators' maximum points add up to %(total)s, but the "
            "group maximum is %(maximum)s. Change several indicators at once from the same "
            "date (Add indicator override) so that the group total stays the same."
        ),
        "threshold_range": _(
            "Indicator %(indicator)s: the full-points threshold %(threshold)s must be above 0 "
            "and at most 1 (100%%)."
        ),
        "negative_points": _(
            "Indicator %(indicator)s: the maximum points %(points)s must not be negative."
        ),
        "points_precision": _(
            "Indicator %(indicator)s: the maximum points %(points)s must have at most 2 decimal "
            "places."
        ),
        "display_only_points": _(
            "Indicator %(indicator)s is shown for information only and cannot carry points."
        ),
        "unknown_indicator": _("Unknown indicator “%(indicator)s”."),
    }
    template = templates.get(problem.code)
    if template is None:
        return problem.message
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return problem.message


def failure_messages(failures: list[tuple[date, list[Problem]]]) -> list[str]:
    return [
        _("From %(date)s: %(problem)s")
        % {"date": day.strftime("%d/%m/%Y"), "problem": problem_message(problem)}
        for day, problems in failures
        for problem in problems
    ]
