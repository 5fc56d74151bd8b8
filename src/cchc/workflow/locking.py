"""The record under its row lock, checked against the version the actor saw.

Every action reads its record with ``SELECT … FOR UPDATE`` inside the action's transaction and
checks every rule on that row, so of two officers acting at once the second waits, then sees the
first one's result (and is refused if it no longer fits). ``expected_version`` is the version of
the page or API read the action was based on: a mismatch refuses the action instead of silently
applying it to a record that changed meanwhile. Actions whose effects compound (those that move a
deadline) can make the version ``required``.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet


def locked(
    queryset: QuerySet,
    pk,
    expected_version: int | None,
    *,
    stale_error: Exception,
    missing_error: Exception | None = None,
    required: bool = False,
    unversioned_error: Exception | None = None,
) -> Model:
    """The row ``pk`` of ``queryset``, locked until the transaction ends (call inside it).

    Only the record's own row is locked (``of=("self",)``): rows joined by ``select_related`` for
    reading stay free, and PostgreSQL refuses ``FOR UPDATE`` on the nullable side of an outer join.
    Raises ``unversioned_error`` when ``required`` and no version was sent, ``missing_error`` (if
    given; else the model's ``DoesNotExist``) when there is no such row, and ``stale_error`` when
    the row's ``version`` is not ``expected_version``.
    """
    if required and expected_version is None:
        raise unversioned_error or stale_error
    try:
        record = queryset.select_for_update(of=("self",)).get(pk=pk)
    except queryset.model.DoesNotExist:
        if missing_error is None:
            raise
        raise missing_error from None
    if expected_version is not None and record.version != expected_version:
        raise stale_error
    return record


def save_new_version(record: Model) -> None:
    """Save the locked record as its next version, so any page showing the old one goes stale."""
    record.version += 1
    record.save()
