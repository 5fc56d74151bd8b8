"""Writes to the 766 configuration; each one keeps every group at its maximum.

The Decision fixes the group maxima (18/20/22/22/18, Quyết định 766/QĐ-TTg; index766.md §2.2), so
moving points between indicators means changing several overrides together: :func:`add_overrides`
writes them as one transaction, checked as a whole at every date where the rules change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import config
from .models import IndicatorOverride


def _raise_if_invalid(rows: Iterable[IndicatorOverride]) -> None:
    failures = config.check_rows(rows)
    if failures:
        raise ValidationError(config.failure_messages(failures))


@transaction.atomic
def add_overrides(
    effective_from: date,
    changes: Mapping[str, Mapping[str, Decimal | None]],
    note: str = "",
    user=None,
) -> list[IndicatorOverride]:
    """Record ``{indicator id: {"max_points": x, "threshold": y}}`` from ``effective_from``.

    An override already recorded for that indicator and date is updated (only the given values).
    Raises ``ValidationError`` (nothing written) when a row or the combined rules are invalid.
    """
    if not changes:
        raise ValidationError(_("Change at least one indicator."))
    existing = {
        row.indicator: row
        for row in IndicatorOverride.objects.select_for_update().filter(
            effective_from=effective_from, indicator__in=list(changes)
        )
    }
    rows = []
    for indicator_id, values in changes.items():
        row = existing.get(indicator_id) or IndicatorOverride(
            effective_from=effective_from, indicator=indicator_id, created_by=user
        )
        if values.get("max_points") is not None:
            row.max_points = values["max_points"]
        if values.get("threshold") is not None:
            row.threshold = values["threshold"]
        if note:
            row.note = note
        row.clean_fields()
        row.clean_values()
        rows.append(row)
    touched = {row.pk for row in rows if row.pk}
    others = IndicatorOverride.objects.exclude(pk__in=touched)
    _raise_if_invalid([*others, *rows])
    for row in rows:
        row.save()
    return rows


@transaction.atomic
def save_override(row: IndicatorOverride, user=None) -> IndicatorOverride:
    """Save one override after the full check (model ``clean`` included)."""
    if row.pk is None and row.created_by_id is None and user is not None:
        row.created_by = user
    row.full_clean()
    row.save()
    return row


def deletion_problems(ids: Iterable[int]) -> list[str]:
    """Why deleting these overrides would leave invalid rules (empty when it is fine)."""
    remaining = IndicatorOverride.objects.exclude(pk__in=list(ids))
    return config.failure_messages(config.check_rows(remaining))


@transaction.atomic
def delete_overrides(ids: Iterable[int]) -> int:
    ids = list(ids)
    problems = deletion_problems(ids)
    if problems:
        raise ValidationError(problems)
    deleted, _per_model = IndicatorOverride.objects.filter(pk__in=ids).delete()
    return deleted


# The reads (index, ranking, weekly trend) live in cchc.index766.scores; callers may use either.
from .scores import compute_index, ranking, weekly_trend  # noqa: E402, F401
