from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from cchc.common.text import vietnamese_sort_key
from cchc.organisations.models import PATH_SEPARATOR, OrganisationUnit
from cchc.organisations.selectors import one_stop_map, received_for

from .models import Field, Level, Procedure
from .search import suggest


def public_procedures(query: str = "", field_id: int | None = None, level: str = "") -> QuerySet:
    """Active procedures, filtered by field and level; with a query, ranked best first
    (cchc.catalog.search), else in field and name order."""
    procedures = Procedure.objects.active().select_related("field")
    if field_id:
        procedures = procedures.filter(field_id=field_id)
    if level in Level.values:
        procedures = procedures.at_level(level)
    if query.strip():
        return procedures.search(query)
    return procedures.order_by("field__name", "name")


@dataclass(frozen=True)
class Suggestions:
    """What to offer when a search finds nothing: the nearest procedures and fields to browse."""

    procedures: list[Procedure]
    fields: list[Field]


def search_suggestions(query: str, limit: int = 5) -> Suggestions:
    active = Procedure.objects.active()
    ids = suggest(active, query, limit=limit)
    found = {p.pk: p for p in active.select_related("field").filter(pk__in=ids)}
    return Suggestions([found[pk] for pk in ids if pk in found], fields_with_counts())


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
#   (b) an implementing unit the unit receives for as its one-stop unit: who receives for whom is
#       data (OrganisationUnit.one_stop_unit, derived when empty; cchc.organisations.selectors):
#       the provincial centre receives the departments' procedures, not the communes'.
# A procedure that names no implementing unit is handled nowhere.


def _path_ids(path: str) -> list[int]:
    """Primary keys from the root down to the unit itself, read from its materialised path."""
    return [int(part) for part in path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part]


@dataclass(frozen=True)
class ReceivingScope:
    """Where dossiers of one procedure may be received (see the rule above)."""

    implementing_paths: tuple[str, ...]
    counters: frozenset[int]  # (b): the one-stop units of the implementing units

    def includes(self, unit: OrganisationUnit) -> bool:
        if not unit.active:
            return False
        if any(unit.path.startswith(path) for path in self.implementing_paths):
            return True
        return unit.pk in self.counters

    def units(self) -> QuerySet[OrganisationUnit]:
        query = Q(pk__in=self.counters)
        for path in self.implementing_paths:
            query |= Q(path__startswith=path)
        return OrganisationUnit.objects.active().filter(query)


def _implementing(procedure: Procedure) -> list[tuple[int, str]]:
    return list(procedure.implementing_units.filter(active=True).values_list("pk", "path"))


def _counters(implementing: list[tuple[int, str]]) -> frozenset[int]:
    """Rule (b): the one-stop units that receive for the implementing units (one query)."""
    if not implementing:
        return frozenset()
    receivers = one_stop_map()
    return frozenset(receivers[pk] for pk, _path in implementing if receivers.get(pk))


def receiving_scope(procedure: Procedure) -> ReceivingScope:
    """The units that handle ``procedure`` (two queries)."""
    implementing = _implementing(procedure)
    return ReceivingScope(tuple(path for _pk, path in implementing), _counters(implementing))


def handles(unit: OrganisationUnit, procedure: Procedure) -> bool:
    """Whether ``unit`` may receive dossiers of ``procedure`` (one query; two when the unit
    receives under rule (b))."""
    implementing = _implementing(procedure)
    paths = tuple(path for _pk, path in implementing)
    if ReceivingScope(paths, frozenset()).includes(unit):
        return True
    if not unit.active:
        return False
    return ReceivingScope(paths, _counters(implementing)).includes(unit)


def units_handling(procedure: Procedure) -> QuerySet[OrganisationUnit]:
    """Active units that may receive dossiers of ``procedure``."""
    return receiving_scope(procedure).units()


def procedures_handled_by(units: Iterable[OrganisationUnit]) -> QuerySet[Procedure]:
    """Procedures that at least one of ``units`` handles: the same rule, read the other way."""
    units = [unit for unit in units if unit.active]
    query = Q(pk__in=[])
    for unit in units:
        query |= Q(implementing_units__pk__in=_path_ids(unit.path))
    authorities = received_for([unit.pk for unit in units])
    if authorities:
        query |= Q(implementing_units__pk__in=authorities)
    handled = Procedure.objects.filter(query, implementing_units__active=True)
    return Procedure.objects.filter(pk__in=handled.values("pk"))
