"""Who receives for whom: the one-stop unit of an authority, read and derived.

A dossier addressed to an authority (a People's Committee, a department, one of their divisions) is
received, checked, accepted or refused, and its result returned, by the authority's one-stop unit:
the Bộ phận Một cửa of Nghị định 61/2018/NĐ-CP (as amended by Nghị định 107/2021/NĐ-CP) and, from
1/7/2025, the Trung tâm Phục vụ hành chính công cấp tỉnh / cấp xã of Nghị định 118/2025/NĐ-CP, which
receive for their People's Committee and the departments of their level through every channel
(Điều 15: counter, post, online; Điều 17: reception, khoản 2 for online dossiers). The ward's centre
receives for the ward's committee; the provincial centre receives for the provincial committee and
its departments (sở).

The relation is data (``OrganisationUnit.one_stop_unit``, edited in the admin). Where a unit has no
value, it is derived by walking up from the unit:

1. a unit whose ``one_stop_unit`` is set (and active) is received by that unit;
2. a service centre receives for itself;
3. a People's Committee is received by its active service centre (the first one by tree order);
   a committee without one receives its own dossiers (no one-stop unit: ``None``);
4. a department or a division is received like its parent unit.

The derivation is also what migration 0002 wrote into existing data, so an administrator sees it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cchc.common.memo import per_request

from .models import PATH_SEPARATOR, OrganisationUnit, Role, UnitKind
from .permissions import has_role, sees_everything, units_for

COMMITTEE_KINDS = frozenset(
    {UnitKind.PROVINCE_COMMITTEE, UnitKind.DISTRICT_COMMITTEE, UnitKind.COMMUNE_COMMITTEE}
)


@dataclass(frozen=True)
class UnitRow:
    """What the derivation needs of one unit (plain data, so a migration can use it too)."""

    pk: int
    parent_id: int | None
    kind: str
    active: bool
    one_stop_unit_id: int | None
    path: str = ""


def committee_centres(rows: Mapping[int, UnitRow]) -> dict[int, int]:
    """Parent id → its first active service centre (tree order)."""
    centres: dict[int, int] = {}
    for row in sorted(rows.values(), key=lambda r: (r.path, r.pk)):
        if row.kind == UnitKind.SERVICE_CENTRE and row.active and row.parent_id is not None:
            centres.setdefault(row.parent_id, row.pk)
    return centres


def derive_one_stop(
    pk: int, rows: Mapping[int, UnitRow], centres: Mapping[int, int] | None = None
) -> int | None:
    """Id of the one-stop unit that receives for unit ``pk`` (None: the unit itself receives).

    ``rows`` holds at least the unit, its ancestors, explicit targets and the committees' centres.
    """
    if centres is None:
        centres = committee_centres(rows)
    seen: set[int] = set()
    current = rows.get(pk)
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        target = rows.get(current.one_stop_unit_id) if current.one_stop_unit_id else None
        if target is not None and target.active and target.pk != current.pk:
            return target.pk
        if current.kind == UnitKind.SERVICE_CENTRE:
            return current.pk if current.active else None
        if current.kind in COMMITTEE_KINDS:
            return centres.get(current.pk)
        current = rows.get(current.parent_id) if current.parent_id else None
    return None


def _row(unit: OrganisationUnit) -> UnitRow:
    return UnitRow(
        unit.pk, unit.parent_id, unit.kind, unit.active, unit.one_stop_unit_id, unit.path
    )


def _rows(queryset) -> dict[int, UnitRow]:
    fields = ("pk", "parent_id", "kind", "active", "one_stop_unit_id", "path")
    return {values[0]: UnitRow(*values) for values in queryset.values_list(*fields)}


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part]


def one_stop_unit(unit: OrganisationUnit) -> OrganisationUnit | None:
    """The one-stop unit that receives ``unit``'s dossiers; None when the unit receives them itself.

    Two queries: the unit's ancestors, then their explicit targets and the committees' centres.
    """
    ids = _path_ids(unit.path) or [unit.pk]
    rows = _rows(OrganisationUnit.objects.filter(pk__in=ids))
    rows[unit.pk] = _row(unit)
    targets = {row.one_stop_unit_id for row in rows.values() if row.one_stop_unit_id}
    extra = OrganisationUnit.objects.filter(pk__in=targets - set(rows))
    extra |= OrganisationUnit.objects.filter(parent_id__in=ids, kind=UnitKind.SERVICE_CENTRE)
    rows.update(_rows(extra))
    target = derive_one_stop(unit.pk, rows)
    if target is None or target == unit.pk:
        return None
    return OrganisationUnit.objects.get(pk=target)


def receiving_unit_for(unit: OrganisationUnit) -> OrganisationUnit:
    """Where a dossier addressed to ``unit`` is received: its one-stop unit, else the unit."""
    return one_stop_unit(unit) or unit


def one_stop_map() -> dict[int, int | None]:
    """Every unit's one-stop unit id (None: receives itself). A province has hundreds of units."""
    rows = _rows(OrganisationUnit.objects.all())
    centres = committee_centres(rows)
    found = {pk: derive_one_stop(pk, rows, centres) for pk in rows}
    return {pk: (None if target == pk else target) for pk, target in found.items()}


def one_stop_units(unit_ids: Iterable[int]) -> dict[int, OrganisationUnit]:
    """The one-stop unit of each of ``unit_ids`` that has one (two queries for any number)."""
    receivers = one_stop_map()
    wanted = {pk: receivers.get(pk) for pk in unit_ids if receivers.get(pk)}
    units = OrganisationUnit.objects.in_bulk(set(wanted.values()))
    return {pk: units[target] for pk, target in wanted.items() if target in units}


def received_for(unit_ids: Iterable[int]) -> set[int]:
    """Ids of the authorities (and their divisions) that the units ``unit_ids`` receive for."""
    wanted = set(unit_ids)
    if not wanted:
        return set()
    return {pk for pk, target in one_stop_map().items() if target in wanted}


def counter_unit_ids(user) -> list[int] | None:
    """Units whose dossiers awaiting acceptance (and results to return) ``user`` handles at the
    counter: the units of their one-stop-officer roles and every authority those units receive
    for. None: every unit (superuser)."""
    if sees_everything(user):
        return None

    def compute() -> list[int]:
        own = list(units_for(user, Role.ONE_STOP_OFFICER).values_list("pk", flat=True))
        return sorted(set(own) | received_for(own))

    # A queue page asks three times (scope, slices, counter queues); each is a tree read.
    return list(per_request(("counter_unit_ids", user.pk), compute))


def acts_at_counter(user, unit: OrganisationUnit) -> bool:
    """Does ``user`` act at the counter for dossiers received under ``unit``?

    A one-stop officer of the unit itself (or a unit above it), or of the one-stop unit that
    receives for it: the ward centre's officer accepts a dossier addressed to the ward committee.
    """
    if has_role(user, [Role.ONE_STOP_OFFICER], unit):
        return True
    counter = one_stop_unit(unit)
    return counter is not None and has_role(user, [Role.ONE_STOP_OFFICER], counter)
