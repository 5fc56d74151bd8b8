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

from collections.abc import Mapping
from datetime import date, datetime

from django.core.exceptions import ImproperlyConfigured

from cchc.conf import conf

from .engine import IndexResult, RuleSet, score
from .models import IndicatorOverride
from .overrides import (
    OverrideRow,
    check_rows,
    failure_messages,
    merge,
    number,
    problem_message,
    rules_from_rows,
)

__all__ = [
    "OverrideRow",
    "check_rows",
    "closed_rule",
    "compute",
    "failure_messages",
    "merge",
    "number",
    "problem_message",
    "rules_for",
    "rules_from_rows",
]


def rules_for(day: date) -> RuleSet:
    """The validated rule set in force on ``day`` (``RuleSetError`` if the overrides are bad,
    ``ValueError`` for a day before 01/08/2022)."""
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
    configured = conf.INDEX766_CLOSED_WITHOUT_RESULT
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
