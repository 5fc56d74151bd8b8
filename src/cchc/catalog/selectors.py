from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from cchc.common.text import vietnamese_sort_key
from cchc.organisations.models import PATH_SEPARATOR, OrganisationUnit, UnitKind

from .models import Field, Level, Procedure


def public_procedures(query: str = "", field_id: int | None = None, level: str = "") -> QuerySet:
    procedures = Procedure.objects.active().select_related("field")
    if query:
        procedures = procedures.search(query)
    if field_id:
        procedures = procedures.filter(field_id=field_id)
    if level in Level.values:
        procedures = procedures.at_level(level)
    return procedures.order_by("field__name", "name")


def fields_with_counts() -> list[Field]:
    fields = Field.objects.annotate(
        active_count=Count("procedures", filter=Q(procedures__active=True))
    ).filter(active_count__gt=0)
    return sorted(fields, key=lambda field: vietnamese_sort_key(field.name))


# -- which units handle a procedure --------------------------------------------------------------
# The one rule, used by counter, postal and online intake (cchc.dossiers.services) and by the
# forms that offer units and procedures. A unit handles a procedure when the catalog names, among
# the procedure's active implementing units (Nghị định 63/2010/NĐ-CP Điều 8: the implementing
# agency is part of every published procedure):
#   (a) the unit itself, or a unit above it: the one-stop centre or a division of a commune
#       committee or department receives for it; or
#   (b) for a public-administration service centre: a unit under the centre's parent, when the
#       procedure is published at the centre's level of government (the provincial centre
#       receives province-level procedures for the departments, not the communes' procedures).
# A procedure that names no implementing unit is handled nowhere. Which one-stop unit receives for
# which authority may later become data of its own; this module is the place to extend.
_COMMITTEE_LEVELS = {
    UnitKind.COMMUNE_COMMITTEE: Level.COMMUNE,
    UnitKind.DISTRICT_COMMITTEE: Level.DISTRICT,
    UnitKind.PROVINCE_COMMITTEE: Level.PROVINCE,
}
_LEVEL_FIELDS = {
    Level.PROVINCE: "level_province",
    Level.COMMUNE: "level_commune",
    Level.DISTRICT: "level_district",
}


def _path_ids(path: str) -> list[int]:
    """Primary keys from the root down to the unit itself, read from its materialised path."""
    return [int(part) for part in path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part]


def _level(path_ids: list[int], kinds: dict[int, str]) -> str:
    """The level of government of the unit at the end of ``path_ids``: its nearest committee."""
    for pk in reversed(path_ids):
        level = _COMMITTEE_LEVELS.get(kinds.get(pk))
        if level:
            return level
    return Level.PROVINCE


@dataclass(frozen=True)
class ReceivingScope:
    """Where dossiers of one procedure may be received (see the rule above)."""

    implementing_paths: tuple[str, ...]
    centre_parents: frozenset[int]  # (b): service centres whose parent is one of these

    def includes(self, unit: OrganisationUnit) -> bool:
        if not unit.active:
            return False
        if any(unit.path.startswith(path) for path in self.implementing_paths):
            return True
        return unit.kind == UnitKind.SERVICE_CENTRE and unit.parent_id in self.centre_parents

    def units(self) -> QuerySet[OrganisationUnit]:
        query = Q(kind=UnitKind.SERVICE_CENTRE, parent_id__in=self.centre_parents)
        for path in self.implementing_paths:
            query |= Q(path__startswith=path)
        return OrganisationUnit.objects.active().filter(query)


def _implementing_paths(procedure: Procedure) -> tuple[str, ...]:
    return tuple(procedure.implementing_units.filter(active=True).values_list("path", flat=True))


def _centre_parents(procedure: Procedure, paths: tuple[str, ...]) -> frozenset[int]:
    """Rule (b): the units whose service centre receives ``procedure`` (one query)."""
    chains: dict[int, list[int]] = {}  # implementing units and their ancestors: path from the root
    for path in paths:
        ids = _path_ids(path)
        for index, pk in enumerate(ids):
            chains.setdefault(pk, ids[: index + 1])
    kinds = dict(OrganisationUnit.objects.filter(pk__in=chains).values_list("pk", "kind"))
    levels = set(procedure.levels)
    return frozenset(pk for pk, chain in chains.items() if _level(chain, kinds) in levels)


def receiving_scope(procedure: Procedure) -> ReceivingScope:
    """The units that handle ``procedure`` (two queries)."""
    paths = _implementing_paths(procedure)
    return ReceivingScope(paths, _centre_parents(procedure, paths))


def handles(unit: OrganisationUnit, procedure: Procedure) -> bool:
    """Whether ``unit`` may receive dossiers of ``procedure`` (one query; two for a service centre
    that receives under rule (b))."""
    paths = _implementing_paths(procedure)
    if ReceivingScope(paths, frozenset()).includes(unit):
        return True
    if not unit.active or unit.kind != UnitKind.SERVICE_CENTRE:
        return False
    return ReceivingScope(paths, _centre_parents(procedure, paths)).includes(unit)


def units_handling(procedure: Procedure) -> QuerySet[OrganisationUnit]:
    """Active units that may receive dossiers of ``procedure`` (the online form's choices)."""
    return receiving_scope(procedure).units()


def procedures_handled_by(units: Iterable[OrganisationUnit]) -> QuerySet[Procedure]:
    """Procedures that at least one of ``units`` handles: the same rule, read the other way."""
    units = [unit for unit in units if unit.active]
    above = {pk for unit in units for pk in _path_ids(unit.path)}
    kinds = dict(OrganisationUnit.objects.filter(pk__in=above).values_list("pk", "kind"))
    query = Q(pk__in=[])
    for unit in units:
        query |= Q(implementing_units__pk__in=_path_ids(unit.path))
        if unit.kind == UnitKind.SERVICE_CENTRE and unit.parent_id:
            parent_path = unit.path[: unit.path.rstrip(PATH_SEPARATOR).rfind(PATH_SEPARATOR) + 1]
            level = _level(_path_ids(parent_path), kinds)
            query |= Q(
                **{_LEVEL_FIELDS[level]: True},
                implementing_units__path__startswith=parent_path,
            )
    handled = Procedure.objects.filter(query, implementing_units__active=True)
    return Procedure.objects.filter(pk__in=handled.values("pk"))
