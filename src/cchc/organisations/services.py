"""Writes to the organisation tree that enforce its rules: the import of a whole tree from a file.

A unit's ``path`` and ``depth`` are kept by :meth:`OrganisationUnit.save`, which also moves the
subtree of a unit given a new parent; the import saves units parents first, each with its parent
read again, so every path is right whatever order the rows came in.
"""

from __future__ import annotations

from django.db import transaction

from .importing import OrganisationImportReport, Plan, check_file
from .models import OrganisationUnit


def import_units(
    content: bytes, filename: str, *, dry_run: bool = False, deactivate_missing: bool = False
) -> OrganisationImportReport:
    """Import an organisation tree file (docs/organisation-import.md), all or nothing.

    Raises :class:`cchc.common.importing.ImportFileError` when the file cannot be read. With
    ``dry_run`` everything is checked and counted, nothing is written. Units here that the file
    does not name are kept (and listed); with ``deactivate_missing`` they are marked inactive.
    """
    with transaction.atomic():
        plan = check_file(content, filename, deactivate_missing=deactivate_missing)
        report = plan.report
        report.dry_run = dry_run
        if report.errors or dry_run:
            return report
        _apply(plan)
        report.written = True
    return report


def _apply(plan: Plan) -> None:
    for planned in plan.units:
        row = planned.row
        if planned.existing is not None and not planned.changes:
            continue
        # Read again: saving an ancestor earlier in this import may have moved the unit's path.
        unit = (
            OrganisationUnit.objects.get(pk=planned.existing.pk)
            if planned.existing is not None
            else OrganisationUnit(code=row.code)
        )
        unit.name = row.name
        unit.kind = row.kind
        unit.parent = (
            OrganisationUnit.objects.get(code=row.parent_code) if row.parent_code else None
        )
        for name, value in row.fields.items():
            setattr(unit, name, value)
        unit.save()
    # Who receives for whom, once every unit of the file exists.
    for planned in plan.units:
        row = planned.row
        if row.one_stop_code is None:
            continue
        if planned.existing is not None and "one_stop_unit" not in planned.changes:
            continue
        target = OrganisationUnit.objects.get(code=row.one_stop_code) if row.one_stop_code else None
        OrganisationUnit.objects.filter(code=row.code).update(one_stop_unit=target)
    if plan.to_deactivate:
        OrganisationUnit.objects.filter(code__in=plan.to_deactivate).update(active=False)
