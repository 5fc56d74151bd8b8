"""The rules in force on a day: the engine's rule set plus administrators' overrides.

Overrides (:class:`cchc.index766.models.IndicatorOverride`) are layered on the engine rule set in
force on the day (``engine.rules_on``). For each indicator and setting the latest override dated
on or before the day wins. An override dated before the engine rule set's ``effective_from`` does
not apply: a new national rule set in code starts clean, so a deployment can never combine old
overrides with new maxima into an invalid set. Every save is checked at every date where the
rules change (:func:`check_rows`), so :func:`rules_for` only fails if the table was edited
around the admin.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats
from django.utils.translation import gettext as _

from .engine import RULE_SETS, IndexResult, Problem, RuleSet, RuleSetError, rules_on, score


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


def rules_for(day: date) -> RuleSet:
    """The validated rule set in force on ``day`` (``RuleSetError`` if the overrides are bad,
    ``ValueError`` for a day before 01/08/2022)."""
    from .models import IndicatorOverride

    if isinstance(day, datetime):
        day = day.date()
    rows = IndicatorOverride.objects.filter(effective_from__lte=day).only(
        "effective_from", "indicator", "max_points", "threshold"
    )
    return rules_from_rows(rows, day)


# Indicator 2.1: how dossiers closed without a result (returned with reasons, withdrawn, stopped)
# count. "on_time" (the default since 01/8/2022): they are dossiers processed, in time — [TD]
# lists their statuses among the terminal ones of the on-time rule (index766.md §2.4), and the
# platform's count is to_process − late. "excluded": left out of the numerator and the
# denominator (some provinces rate only dossiers resolved or still running). docs/index766.md,
# "Returned, withdrawn and stopped dossiers in 2.1".
CLOSED_ON_TIME, CLOSED_EXCLUDED = "on_time", "excluded"
CLOSED_RULES = (CLOSED_ON_TIME, CLOSED_EXCLUDED)


def closed_rule(day: date) -> str:
    """The 2.1 rule for returned, withdrawn and stopped dossiers in force on ``day``.

    ``CCHC_INDEX766_CLOSED_WITHOUT_RESULT``: ``{"YYYY-MM-DD": "on_time" | "excluded", …}``, each
    rule from its date on (the latest dated on or before ``day`` wins); "on_time" without one.
    """
    if isinstance(day, datetime):
        day = day.date()
    configured = getattr(settings, "CCHC_INDEX766_CLOSED_WITHOUT_RESULT", None) or {}
    rule, since = CLOSED_ON_TIME, None
    for start, value in configured.items():
        try:
            start = start if isinstance(start, date) else date.fromisoformat(str(start))
        except ValueError:
            raise ImproperlyConfigured(
                f"CCHC_INDEX766_CLOSED_WITHOUT_RESULT: “{start}” is not a date (YYYY-MM-DD)."
            ) from None
        if value not in CLOSED_RULES:
            raise ImproperlyConfigured(
                f"CCHC_INDEX766_CLOSED_WITHOUT_RESULT: “{value}” is not one of {CLOSED_RULES}."
            )
        if start <= day and (since is None or start >= since):
            rule, since = value, start
    return rule


def compute(counts: Mapping[str, tuple[int, int] | None], day: date) -> IndexResult:
    """``engine.score`` with the rules in force on ``day``, overrides included."""
    if isinstance(day, datetime):
        day = day.date()
    return score(counts, rules_for(day), day)


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
