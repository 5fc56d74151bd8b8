"""Sealing entries, verifying histories in batches, and writing and checking checkpoints."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from . import chain, keys, registry
from .models import Checkpoint

BLOCK = 10_000  # owners per block digest in a checkpoint: a changed head is narrowed to a block


class ConcurrentHistoryWrite(Exception):
    """Another transaction appended to this history first (the caller held a stale owner row)."""


# -- writing -------------------------------------------------------------------------------------
def append(owner, event) -> None:
    """Seal ``event`` as the next entry of ``owner``'s history, save it and move the head.

    Call inside the action's transaction, with ``owner`` as read under its row lock (or just
    created). The head moves by a guarded UPDATE, so a stale owner cannot fork the history.
    """
    spec = registry.for_event(event)
    ring = keys.ring()
    count, head = owner.history_count, owner.history_head or chain.GENESIS
    setattr(event, spec.owner_attname, owner.pk)
    event.sequence = count + 1
    event.previous_hash = head
    event.key_id = ring.current_id
    event.hash = seal_event(spec, event, ring.current)
    event.save(force_insert=True)
    moved = (
        type(owner)
        ._base_manager.filter(pk=owner.pk, history_count=count)
        .update(history_count=count + 1, history_head=event.hash)
    )
    if moved != 1:
        raise ConcurrentHistoryWrite(f"{spec.name} #{owner.pk}")
    owner.history_count, owner.history_head = count + 1, event.hash


def seal_event(spec, event, key: bytes) -> str:
    values = {name: getattr(event, name) for name in spec.payload_fields}
    payload = spec.payload(
        getattr(event, spec.owner_attname),
        event.sequence,
        event.previous_hash,
        event.key_id,
        values,
    )
    return chain.seal(key, payload)


def seal_sequence(spec, owner_id: int, events, ring=None) -> tuple[int, str]:
    """Seal unsaved ``events`` of a new owner in order (bulk writers: import, generators).

    Returns the head to store on the owner: (count, newest seal).
    """
    ring = ring or keys.ring()
    previous = chain.GENESIS
    for number, event in enumerate(events, start=1):
        setattr(event, spec.owner_attname, owner_id)
        event.sequence = number
        event.previous_hash = previous
        event.key_id = ring.current_id
        event.hash = seal_event(spec, event, ring.current)
        previous = event.hash
    return len(events), previous


# -- verifying -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    chain: str  # the history's name
    owner_id: int
    label: str  # "Hồ sơ 000.00.31.H99-250124-0007"
    sequence: int  # 0: the history as a whole
    reason: str  # one of chain's reason strings, or a checkpoint reason
    detail: str = ""


@dataclass
class Tally:
    owners: int = 0
    entries: int = 0


def verify_chains(
    spec: registry.ChainSpec,
    batch_size: int = 5000,
    tally: Tally | None = None,
    first: int | None = None,
    last: int | None = None,
) -> Iterator[Problem]:
    """Every break in one kind of history (owners with ids in ``first``–``last``, default all),
    reading owners and their entries in id batches.

    Two queries per batch (owners by id range, then their entries by owner range in sequence
    order): set-based reads, constant memory, a rate bound by the hashing, not the round trips.
    On PostgreSQL the entries are read with plain SQL that formats the times as the seal does, so
    no row goes through the ORM's converters. ``chunks`` splits the owners for parallel workers.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    tally = tally if tally is not None else Tally()
    keyring = keys.ring().by_id()
    Owner = spec.owner()
    owners_query = Owner._base_manager.order_by("pk")
    if last is not None:
        owners_query = owners_query.filter(pk__lte=last)
    after = first - 1 if first is not None else None
    read_entries = _entry_reader(spec)
    while True:
        page = owners_query if after is None else owners_query.filter(pk__gt=after)
        owners = list(page.values_list("pk", "history_count", "history_head")[:batch_size])
        if not owners:
            return
        low, after = owners[0][0], owners[-1][0]
        grouped = {
            owner_id: list(entries)
            for owner_id, entries in itertools.groupby(
                read_entries(low, after), key=lambda row: row[0]
            )
        }
        for owner_id, head_count, head_seal in owners:
            entries = grouped.get(owner_id, ())
            tally.owners += 1
            tally.entries += len(entries)
            found = chain.verify(
                (_entry(spec, owner_id, row) for row in entries), head_count, head_seal, keyring
            )
            if found:
                label_value = (
                    Owner._base_manager.filter(pk=owner_id)
                    .values_list(spec.label_field, flat=True)
                    .first()
                )
                yield Problem(
                    spec.name,
                    owner_id,
                    spec.label(owner_id, label_value),
                    found.sequence,
                    found.reason,
                    found.detail,
                )


def chunks(spec: registry.ChainSpec, size: int) -> Iterator[tuple[int, int]]:
    """(first, last) owner ids of consecutive runs of ``size`` owners, in id order: work for
    parallel verifiers however the ids are spread (imports and generators leave gaps)."""
    Owner = spec.owner()
    ids = Owner._base_manager.order_by("pk").values_list("pk", flat=True)
    first = ids.first()
    while first is not None:
        last = ids.filter(pk__gte=first)[size - 1 : size].first()
        if last is None:
            yield first, ids.last()
            return
        yield first, last
        first = ids.filter(pk__gt=last).first()


def _entry_reader(spec: registry.ChainSpec):
    """A function (low, high) → entry rows of owners low–high in (owner, sequence) order, each
    ``(owner id, sequence, previous, seal, key id, *payload values)``."""
    Event = spec.event()
    fields = ("sequence", "previous_hash", "hash", "key_id", *spec.payload_fields)
    if connection.vendor != "postgresql":

        def orm(low: int, high: int):
            return (
                Event._base_manager.filter(
                    **{f"{spec.owner_attname}__gte": low, f"{spec.owner_attname}__lte": high}
                )
                .order_by(spec.owner_attname, "sequence")
                .values_list(spec.owner_attname, *fields)
                .iterator(4000)
            )

        return orm

    quote = connection.ops.quote_name
    columns, json_positions = [], []
    for position, name in enumerate((spec.owner_attname, *fields)):
        field = Event._meta.get_field(name)
        column = quote(field.column)
        kind = field.get_internal_type()
        if kind == "DateTimeField":  # as registry._plain writes it: UTC, microseconds, +00:00
            column = (
                f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')"
            )
        elif kind == "DateField":
            column = f"to_char({column}, 'YYYY-MM-DD')"
        elif kind == "JSONField":  # decoded here, whatever loader the connection has
            column = f"{column}::text"
            json_positions.append(position)
        columns.append(column)
    owner_column = quote(Event._meta.get_field(spec.owner_attname).column)
    statement = (
        f"SELECT {', '.join(columns)} FROM {quote(Event._meta.db_table)} "
        f"WHERE {owner_column} BETWEEN %s AND %s ORDER BY {owner_column}, {quote('sequence')}"
    )

    loads = json.loads

    def raw(low: int, high: int):
        with connection.cursor() as cursor:
            cursor.execute(statement, [low, high])
            rows = cursor.fetchall()
        if not json_positions:
            yield from rows
            return
        for row in rows:
            row = list(row)
            for position in json_positions:
                if row[position] is not None:
                    row[position] = loads(row[position])
            yield row

    return raw


def verify_owner(spec: registry.ChainSpec, owner) -> Problem | None:
    """The first break in one owner's history (a page or a test; batches use ``verify_chains``)."""
    fields = ("sequence", "previous_hash", "hash", "key_id", *spec.payload_fields)
    rows = (
        spec.event()
        ._base_manager.filter(**{spec.owner_attname: owner.pk})
        .order_by("sequence")
        .values_list(spec.owner_attname, *fields)
    )
    head = type(owner)._base_manager.values_list("history_count", "history_head").get(pk=owner.pk)
    found = chain.verify(
        (_entry(spec, owner.pk, row) for row in rows), head[0], head[1], keys.ring().by_id()
    )
    if found is None:
        return None
    label = spec.label(owner.pk, getattr(owner, spec.label_field))
    return Problem(spec.name, owner.pk, label, found.sequence, found.reason, found.detail)


def _entry(spec, owner_id: int, row) -> chain.Entry:
    _owner, sequence, previous, seal, key_id, *values = row
    payload = spec.payload(
        owner_id, sequence, previous, key_id, dict(zip(spec.payload_fields, values, strict=True))
    )
    return chain.Entry(sequence, previous, seal, key_id, payload)


# -- checkpoints ---------------------------------------------------------------------------------
def _heads_as_of(spec: registry.ChainSpec, upto: int) -> Iterator[tuple[int, int, str]]:
    """(owner, count, head) of every history as it stood when entry ``upto`` was the newest."""
    Event = spec.event()
    newest = (
        Event._base_manager.filter(pk__lte=upto)
        .values(spec.owner_attname)
        .annotate(newest=Max("pk"))
        .values("newest")
    )
    return (
        Event._base_manager.filter(pk__in=newest)
        .order_by(spec.owner_attname)
        .values_list(spec.owner_attname, "sequence", "hash")
        .iterator(chunk_size=10_000)
    )


def _summarise(spec: registry.ChainSpec, upto: int) -> dict:
    blocks: dict[str, list] = {}
    owners = entries = 0
    for owner_id, count, head in _heads_as_of(spec, upto):
        owners += 1
        entries += count
        blocks.setdefault(str(owner_id // BLOCK), []).append((owner_id, count, head))
    block_digests = {block: chain.heads_digest(heads) for block, heads in blocks.items()}
    return {
        "upto": upto,
        "owners": owners,
        "entries": entries,
        "digest": chain.heads_digest(
            (int(block), 0, digest) for block, digest in sorted(block_digests.items(), key=_num)
        ),
        "blocks": block_digests,
    }


def _num(item):
    return int(item[0])


def _signed_text(created_at: str, digest: str) -> dict:
    return {"created_at": created_at, "digest": digest}


def _newest_committed(spec: registry.ChainSpec) -> int:
    """The newest entry id below which every entry is committed: the checkpoint's ``upto``.

    Ids are handed out before commit, so a slow transaction may still add an entry with a lower
    id than a faster one already committed; counting it later as a change would be a false
    alarm. On PostgreSQL a SHARE lock on the table, held for this one read, waits for the
    transactions writing to it and keeps new ones out meanwhile. SQLite has one writer at a time.
    """
    Event = spec.event()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Event._meta.db_table} IN SHARE MODE")
        return Event._base_manager.aggregate(newest=Max("pk"))["newest"] or 0


def write_checkpoint() -> Checkpoint:
    ring = keys.ring()
    uptos = {spec.name: _newest_committed(spec) for spec in registry.chains()}
    chains = {}
    for spec in registry.chains():
        chains[spec.name] = _summarise(spec, uptos[spec.name])
    digest = chain.digest_of(chains)
    created_at = timezone.now().replace(microsecond=0)
    checkpoint = Checkpoint(
        created_at=created_at,
        chains=chains,
        digest=digest,
        key_id=ring.current_id,
        signature=chain.seal(ring.current, _signed_text(created_at.isoformat(), digest)),
    )
    checkpoint.save()
    return checkpoint


def checkpoint_line(checkpoint: Checkpoint) -> str:
    """One line to publish or archive outside the database."""
    return (
        f"CCHC-CHECKPOINT {checkpoint.pk} {checkpoint.created_at.isoformat()} "
        f"{checkpoint.digest} {checkpoint.key_id} {checkpoint.signature}"
    )


CHECKPOINT_SIGNATURE = "checkpoint signature does not match"
CHECKPOINT_DIGEST = "checkpoint digest does not match its content"
HEADS_CHANGED = "heads older than the checkpoint changed"
CHAIN_MISSING = "history kind missing since the checkpoint"


def verify_checkpoint(checkpoint: Checkpoint) -> list[Problem]:
    """Problems found comparing today's histories with ``checkpoint``: its own signature and
    digest, then, per history kind and per block of owners, the heads as they stood then."""
    problems = []
    keyring = keys.ring().by_id()
    key = keyring.get(checkpoint.key_id)
    name = ""  # the checkpoint itself (the caller names it)
    signed = _signed_text(checkpoint.created_at.isoformat(), checkpoint.digest)
    if key is None or not chain.same(chain.seal(key, signed), checkpoint.signature):
        problems.append(Problem("checkpoint", checkpoint.pk, name, 0, CHECKPOINT_SIGNATURE))
    expected = chain.digest_of(checkpoint.chains)
    if not chain.same(expected, checkpoint.digest):
        problems.append(Problem("checkpoint", checkpoint.pk, name, 0, CHECKPOINT_DIGEST))
    known = {spec.name: spec for spec in registry.chains()}
    for chain_name, then in checkpoint.chains.items():
        spec = known.get(chain_name)
        if spec is None:
            problems.append(Problem(chain_name, 0, chain_name, 0, CHAIN_MISSING))
            continue
        now = _summarise(spec, then["upto"])
        if chain.same(now["digest"], then["digest"]):
            continue
        for block in sorted(set(then["blocks"]) | set(now["blocks"]), key=int):
            if then["blocks"].get(block) != now["blocks"].get(block):
                first = int(block) * BLOCK
                problems.append(
                    Problem(
                        chain_name,
                        first,
                        f"{spec.noun} id {first}–{first + BLOCK - 1}",
                        0,
                        HEADS_CHANGED,
                    )
                )
    return problems
