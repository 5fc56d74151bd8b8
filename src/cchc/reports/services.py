"""Writes of the statistics: keep the counters in step with the dossiers.

``refresh_dossier_stats`` runs inside every dossier action's transaction (subscribed to
``cchc.dossiers.events.dossier_changed`` in ``apps.py``): it subtracts what the dossier added last
time and adds its new contribution, so reports are exact at commit. ``count_imported`` does the
same for dossiers the legacy importer writes in bulk. ``rebuild`` recomputes everything from the
dossiers; ``verify`` compares without writing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Prefetch

from cchc.common import bulk
from cchc.dossiers.events import ImportedDossier
from cchc.dossiers.models import (
    ApologyLetter,
    Dossier,
    DossierComponent,
    DossierPause,
    PaymentGateway,
)
from cchc.workdays import services as workdays

from .engine.contribution import (
    COLUMN_INDEX,
    COLUMNS,
    COUNTED_STATUSES,
    Contribution,
    Facts,
    Pause,
    contribution,
)
from .models import ALL_PROCEDURES, DossierStat, Grain, StatCell

# key of one counter: (grain, period, unit, procedure) -> {column: delta}
CellKey = tuple[str, date, int, int]
DELTA_ROWS = 50_000  # counter deltas a bulk writer keeps before they are applied (a few MB)


def _local(moment):
    return workdays.to_local_naive(moment) if moment is not None else None


def _bare_facts(dossier: Dossier) -> Facts:
    """The dossier row's own facts (no pauses, rating, apology or complaint)."""
    return Facts(
        status=dossier.status,
        channel=dossier.channel,
        received_at=_local(dossier.received_at),
        due_at=_local(dossier.due_at),
        resolved_at=_local(dossier.resolved_at),
        closed_at=_local(dossier.closed_at),
        outcome=dossier.outcome,
        online_full=dossier.online_mode == "full",
        late_by_rule=dossier.late_by_rule,
        fee_bearing=dossier.fee_amount > 0,
        paid_online=dossier.payment_gateway
        in (PaymentGateway.NATIONAL_PORTAL, PaymentGateway.LOCAL_GATEWAY),
        digitised=dossier.digitised,
        result_electronic=dossier.result_electronic,
    )


def facts_of(dossier: Dossier, has_feedback: bool | None = None) -> Facts:
    """The dossier's facts; uses prefetched ``pauses``, ``components``, ``apologies`` and
    ``rating`` when present (see :func:`dossiers_for_stats`)."""
    try:
        rating = dossier.rating.score
    except Dossier.rating.RelatedObjectDoesNotExist:
        rating = None
    if has_feedback is None:
        has_feedback = _has_feedback([dossier.pk]).get(dossier.pk, False)
    return facts_from(
        dossier,
        list(dossier.pauses.all()),
        list(dossier.apologies.all()),
        any(c.digitised for c in dossier.components.all()),
        rating,
        has_feedback,
    )


def facts_from(
    dossier: Dossier,
    pauses: list[DossierPause],
    apologies: list[ApologyLetter],
    components_digitised: bool = False,
    rating: int | None = None,
    has_feedback: bool = False,
) -> Facts:
    """The dossier's facts from its parts as given (``facts_of`` reads them; a bulk writer that
    has just built them passes them, pauses in start order)."""
    sent = [a.sent_at for a in apologies if a.sent_at is not None]
    taken = working_days_taken(dossier, pauses)
    return replace(
        _bare_facts(dossier),
        working_days_x100=None if taken is None else int(taken * 100),
        pauses=tuple(Pause(p.kind, _local(p.started_at), _local(p.ended_at)) for p in pauses),
        digitised=dossier.digitised or components_digitised,
        rating=rating,
        has_feedback=has_feedback,
        apology_sent_at=_local(min(sent)) if sent else None,
    )


def _has_feedback(dossier_ids: list[int]) -> dict[int, bool]:
    """Dossiers named by a citizen complaint (766 indicator 5.4)."""
    from cchc.feedback.selectors import dossier_ids_with_feedback

    return dict.fromkeys(dossier_ids_with_feedback(dossier_ids), True)


def dossiers_for_stats():
    return Dossier.objects.select_related("rating").prefetch_related(
        Prefetch("pauses", queryset=DossierPause.objects.order_by("started_at")),
        Prefetch(
            "components", queryset=DossierComponent.objects.only("id", "dossier_id", "digitised")
        ),
        Prefetch("apologies", queryset=ApologyLetter.objects.only("id", "dossier_id", "sent_at")),
    )


def working_days_between(engine, start, end, pauses) -> Decimal:
    """Working days (2 decimals) from ``start`` to ``end`` (local), less the part of each closed
    clock stop ``(start, end)`` that falls between them."""
    minutes = engine.working_minutes_between(start, end)
    for pause_start, pause_end in pauses:
        if pause_end is None:
            continue
        # Only the part of a stop between the clock start and the result counts out.
        clipped_start, clipped_end = max(pause_start, start), min(pause_end, end)
        if clipped_start < clipped_end:
            minutes -= engine.working_minutes_between(clipped_start, clipped_end)
    day = engine.hours.minutes_per_day
    return (Decimal(max(minutes, 0)) / Decimal(day)).quantize(Decimal("0.01"))


def working_days_taken(dossier: Dossier, pauses: list | None = None) -> Decimal | None:
    """Working days from the clock start to a signed approval, without clock stops."""
    if dossier.resolved_at is None or dossier.outcome != "approved":
        return None
    start = dossier.effective_received_at or dossier.received_at
    if start is None or dossier.resolved_at < start:
        return None
    return working_days_between(
        workdays.get_engine(dossier.receiving_unit),
        _local(start),
        _local(dossier.resolved_at),
        [
            (_local(p.started_at), _local(p.ended_at))
            for p in (dossier.pauses.all() if pauses is None else pauses)
        ],
    )


def encode_cells(result: Contribution) -> list[list[int]]:
    return sorted(
        [day.toordinal(), COLUMN_INDEX[column], n] for (day, column), n in result.cells.items() if n
    )


def stat_row(dossier: Dossier, result: Contribution) -> DossierStat:
    return DossierStat(
        dossier_id=dossier.pk,
        unit_id=dossier.receiving_unit_id,
        procedure_id=dossier.procedure_id,
        received_on=result.received_on,
        open_until=result.open_until,
        closed_kind=result.closed_kind,
        closed_on=result.closed_on,
        overdue_from=result.overdue_from,
        overdue_until=result.overdue_until,
        working_days=result.working_days,
        anomalies=",".join(result.anomalies),
        due_on=result.due_on,
        due_kind=result.due_kind,
        cells=encode_cells(result),
    )


def expand_stats(unit_id: int, procedure_id: int, cells: Iterable, sign: int, into: dict) -> None:
    """Add ``sign`` × the encoded cells (``DossierStat.cells``) of one dossier to ``into``, a
    ``defaultdict(dict)`` of counter deltas, over the four counter rows each day feeds."""
    for ordinal, column_index, n in cells:
        day = date.fromordinal(ordinal)
        month = day.replace(day=1)
        column = COLUMNS[column_index]
        for key in (
            (Grain.DAY.value, day, unit_id, procedure_id),
            (Grain.DAY.value, day, unit_id, ALL_PROCEDURES),
            (Grain.MONTH.value, month, unit_id, procedure_id),
            (Grain.MONTH.value, month, unit_id, ALL_PROCEDURES),
        ):
            row = into[key]
            row[column] = row.get(column, 0) + sign * n


def apply_deltas(deltas: dict[CellKey, dict[str, int]]) -> None:
    """Add the deltas to the counters: one ``INSERT … ON CONFLICT DO UPDATE`` per batch.

    Only the columns that change are named, so a typical action sends a short statement.
    Rows go in key order, so two transactions never wait for each other in a cycle.
    """
    rows = [(key, cols) for key, cols in sorted(deltas.items()) if any(cols.values())]
    if not rows:
        return
    table = StatCell._meta.db_table
    columns = [c for c in COLUMNS if any(cols.get(c) for _key, cols in rows)]
    names = ", ".join(columns)
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    placeholders = "(" + ", ".join(["%s"] * (4 + len(columns))) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            batch = rows[start : start + 500]
            params: list = []
            for (grain, period, unit_id, procedure_id), cols in batch:
                params += [grain, period, unit_id, procedure_id]
                params += [cols.get(c, 0) for c in columns]
            cursor.execute(
                f"INSERT INTO {table} (grain, period, unit_id, procedure_id, {names}) "
                f"VALUES {', '.join([placeholders] * len(batch))} "
                f"ON CONFLICT (grain, procedure_id, unit_id, period) DO UPDATE SET {updates}",
                params,
            )


def apply_deltas_bulk(deltas: dict[CellKey, dict[str, int]]) -> None:
    """``apply_deltas`` for many counters at once (bulk writers: the legacy import).

    On PostgreSQL the deltas go by COPY into a temporary table, then one ``INSERT … SELECT … ON
    CONFLICT DO UPDATE`` adds them, in key order; elsewhere ``apply_deltas``.
    """
    if connection.vendor != "postgresql":
        apply_deltas(deltas)
        return
    rows = [(key, cols) for key, cols in sorted(deltas.items()) if any(cols.values())]
    if not rows:
        return
    table = StatCell._meta.db_table
    names = ", ".join(COLUMNS)
    keys = "grain, period, unit_id, procedure_id"
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS cchc_stat_delta AS SELECT {keys}, {names} "
            f"FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY cchc_stat_delta ({keys}, {names}) FROM STDIN") as copy:
            for (grain, period, unit_id, procedure_id), cols in rows:
                copy.write_row(
                    [grain, period, unit_id, procedure_id, *(cols.get(c, 0) for c in COLUMNS)]
                )
        cursor.execute(
            f"INSERT INTO {table} ({keys}, {names}) SELECT {keys}, {names} FROM cchc_stat_delta "
            f"ORDER BY {keys} ON CONFLICT (grain, procedure_id, unit_id, period) "
            f"DO UPDATE SET {updates}"
        )
        cursor.execute("TRUNCATE cchc_stat_delta")


def refresh_dossier_stats(dossier: Dossier | int, created: bool = False) -> None:
    """Bring the counters in line with one dossier (call inside the transaction that changed it).

    ``created``: the dossier was created in this transaction, so it has no stored contribution,
    pauses, apology, rating or complaint yet — intake stays a few queries cheaper.
    """
    if created and isinstance(dossier, Dossier):
        if dossier.status not in COUNTED_STATUSES:
            return  # a citizen's draft counts nowhere
        fresh = dossier
        known = getattr(dossier, "components_digitised", None)
        if known is None:
            known = dossier.components.filter(digitised=True).exists()
        digitised = dossier.digitised or known
        facts = replace(_bare_facts(dossier), digitised=digitised)
        old = None
    else:
        dossier_id = dossier if isinstance(dossier, int) else dossier.pk
        fresh = dossiers_for_stats().select_related("receiving_unit").get(pk=dossier_id)
        facts = facts_of(fresh)
        old = DossierStat.objects.select_for_update().filter(pk=dossier_id).first()
    result = contribution(facts)
    new = stat_row(fresh, result)
    deltas: dict[CellKey, dict[str, int]] = defaultdict(dict)
    if old is not None:
        expand_stats(old.unit_id, old.procedure_id, old.cells, -1, deltas)
    expand_stats(new.unit_id, new.procedure_id, new.cells, +1, deltas)
    apply_deltas(deltas)
    if not new.cells:
        if old is not None:
            old.delete()  # it no longer counts anywhere (rebuild keeps no row for it either)
        return  # drafts and unaccepted submissions add nothing; no row needed
    if old is None:
        new.save(force_insert=True)
    else:
        new.save()


def count_imported(imported: Iterable[ImportedDossier], deltas: dict, *, flush: bool) -> None:
    """Count dossiers the legacy importer has just written (call inside the import's transaction).

    Each contribution comes from the same facts ``refresh_dossier_stats`` reads (``facts_from``
    with the parts the importer built: a new dossier has no rating or complaint yet). The stats
    rows are written now; the counter deltas gather in ``deltas`` (a ``defaultdict(dict)`` kept
    over the import) and are applied in bulk once they are many, or when ``flush`` (the import's
    end): a province's history touches the same day and month rows again and again.
    """
    stats = []
    for item in imported:
        stat = stat_row(
            item.dossier, contribution(facts_from(item.dossier, item.pauses, item.apologies))
        )
        expand_stats(stat.unit_id, stat.procedure_id, stat.cells, +1, deltas)
        if stat.cells:
            stats.append(stat)
    bulk.insert_many(DossierStat, stats, with_pk=True)
    if flush or len(deltas) >= DELTA_ROWS:
        apply_deltas_bulk(deltas)
        deltas.clear()


# -- rebuild and verify --------------------------------------------------------------------------
def _iter_contributions(batch_size: int = 2000) -> Iterator[tuple[Dossier, Contribution]]:
    ids = list(Dossier.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        feedback = _has_feedback(chunk)
        for dossier in dossiers_for_stats().select_related("receiving_unit").filter(pk__in=chunk):
            yield (
                dossier,
                contribution(facts_of(dossier, has_feedback=feedback.get(dossier.pk, False))),
            )


def _expected() -> tuple[dict[CellKey, dict[str, int]], list[DossierStat]]:
    cells: dict[CellKey, dict[str, int]] = defaultdict(dict)
    stats = []
    for dossier, result in _iter_contributions():
        row = stat_row(dossier, result)
        if row.cells:
            stats.append(row)
            expand_stats(row.unit_id, row.procedure_id, row.cells, +1, cells)
    return cells, stats


def _stored() -> dict[CellKey, dict[str, int]]:
    stored = {}
    for cell in StatCell.objects.all().iterator(chunk_size=5000):
        values = {c: getattr(cell, c) for c in COLUMNS if getattr(cell, c)}
        if values:
            stored[(cell.grain, cell.period, cell.unit_id, cell.procedure_id)] = values
    return stored


@dataclass
class Difference:
    key: CellKey
    column: str
    stored: int
    expected: int

    def __str__(self) -> str:
        grain, period, unit_id, procedure_id = self.key
        return (
            f"{grain} {period.isoformat()} unit {unit_id} procedure {procedure_id} "
            f"{self.column}: stored {self.stored}, recomputed {self.expected}"
        )


def compare(stored: dict, expected: dict) -> list[Difference]:
    differences = []
    for key in sorted(set(stored) | set(expected)):
        a, b = stored.get(key, {}), expected.get(key, {})
        for column in COLUMNS:
            if a.get(column, 0) != b.get(column, 0):
                differences.append(Difference(key, column, a.get(column, 0), b.get(column, 0)))
    return differences


@dataclass
class StatDifference:
    """A per-dossier fact (``DossierStat``) that differs from its recomputation."""

    dossier_id: int
    name: str
    stored: object
    expected: object

    def __str__(self) -> str:
        return (
            f"dossier {self.dossier_id} {self.name}: stored {self.stored!r}, "
            f"recomputed {self.expected!r}"
        )


# The per-dossier facts the drill-down and the due basis read (the cells are compared as counters).
STAT_FIELDS = (
    "unit_id",
    "procedure_id",
    "received_on",
    "open_until",
    "closed_kind",
    "closed_on",
    "overdue_from",
    "overdue_until",
    "due_on",
    "due_kind",
)


def compare_stats(expected: list[DossierStat]) -> list[StatDifference]:
    wanted = {row.dossier_id: row for row in expected}
    differences = []
    stored_ids = set()
    for row in DossierStat.objects.only(*STAT_FIELDS).iterator(chunk_size=5000):
        stored_ids.add(row.dossier_id)
        other = wanted.get(row.dossier_id)
        if other is None:
            differences.append(StatDifference(row.dossier_id, "row", "present", "absent"))
            continue
        for name in STAT_FIELDS:
            if getattr(row, name) != getattr(other, name):
                differences.append(
                    StatDifference(row.dossier_id, name, getattr(row, name), getattr(other, name))
                )
    for dossier_id in sorted(set(wanted) - stored_ids):
        differences.append(StatDifference(dossier_id, "row", "absent", "present"))
    return differences


def verify() -> list[Difference | StatDifference]:
    """Recompute every counter and per-dossier fact from the dossiers; list what differs."""
    expected, stats = _expected()
    counters = compare(_stored(), {k: v for k, v in expected.items() if any(v.values())})
    return counters + compare_stats(stats)


@transaction.atomic
def rebuild() -> tuple[int, int]:
    """Recompute all counters and per-dossier facts from scratch. Returns (dossiers, cells)."""
    expected, stats = _expected()
    StatCell.objects.all().delete()
    DossierStat.objects.all().delete()
    DossierStat.objects.bulk_create(stats, batch_size=2000)
    apply_deltas(expected)
    return len(stats), sum(1 for v in expected.values() if any(v.values()))


def refresh_many(dossier_ids: Iterable[int]) -> None:
    for dossier_id in dossier_ids:
        refresh_dossier_stats(dossier_id)


def dossiers_with_stale_stats():
    """Counted dossiers without a stats row (e.g. loaded by SQL): ``rebuild-stats`` fixes them."""
    return Dossier.objects.filter(received_at__isnull=False).exclude(
        Exists(DossierStat.objects.filter(dossier=OuterRef("pk")))
    )
