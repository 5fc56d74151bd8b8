"""Migration operations: on PostgreSQL, refuse UPDATE and DELETE on history tables.

The ORM already refuses to change or delete an entry; the trigger extends that to any SQL sent by
the application's database role, by mistake or by an attacker holding the application's
credentials. A PostgreSQL superuser or the table owner can still drop or disable the trigger
(``ALTER TABLE … DISABLE TRIGGER``, ``session_replication_role = replica``) or ``TRUNCATE`` the
table; the keyed seals, the chain heads and the published checkpoints are what reveal that
(docs/security.md). On SQLite (the embedded, single-machine default) these operations do nothing.
"""

from django.db import migrations

FUNCTION = "cchc_refuse_history_change"
TRIGGER = "cchc_history_append_only"


def refuse_changes_function():
    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'CCHC: % on % refused: history is append-only', TG_OP, TG_TABLE_NAME
                    USING ERRCODE = 'insufficient_privilege',
                          HINT = 'See docs/security.md, section History.';
            END;
            $$;
            """,
            params=None,  # the body's % are plpgsql's, not query placeholders
        )

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}() CASCADE")

    return migrations.RunPython(forwards, backwards, elidable=False)


class RefuseChanges(migrations.RunPython):
    """Create the append-only trigger on one table (PostgreSQL only)."""

    def __init__(self, table: str):
        self.table = table

        def forwards(apps, schema_editor):
            if schema_editor.connection.vendor != "postgresql":
                return
            schema_editor.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
            )

        def backwards(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")

        super().__init__(forwards, backwards, elidable=False)

    def deconstruct(self):
        return (self.__class__.__name__, [self.table], {})


def reseal(
    owner_model: str,
    event_model: str,
    owner_field: str,
    payload_fields: tuple[str, ...],
    order: tuple[str, ...] = ("sequence", "pk"),
):
    """Seal an existing history with the key ring (keyed seals, key ids and heads on the owners).

    Used once when a history becomes keyed: entries written before were unkeyed (SHA-256) or not
    chained at all. Run ``cchc verify-history`` before upgrading if the old chains matter as
    evidence; afterwards the keyed chain is the reference. Works in batches of owners. Entries
    are numbered 1, 2, … per owner in ``order`` (a history that had no sequence: ``("at",
    "pk")``), so the sequence column may hold anything (a placeholder) before.
    """

    def forwards(apps, schema_editor):
        from cchc.history import chain, keys
        from cchc.history.registry import ChainSpec

        Owner = apps.get_model(owner_model)
        Event = apps.get_model(event_model)
        spec = ChainSpec(
            name="",
            owner_model=owner_model,
            event_model=event_model,
            owner_field=owner_field,
            label_field="pk",
            noun="",
            payload_fields=payload_fields,
        )
        ring = keys.ring()
        attname = f"{owner_field}_id"
        last = 0
        while True:
            owner_ids = list(
                Owner.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:500]
            )
            if not owner_ids:
                return
            last = owner_ids[-1]
            events = list(
                Event.objects.filter(**{f"{attname}__in": owner_ids}).order_by(attname, *order)
            )
            heads = {}
            changed = []
            for event in events:
                owner_id = getattr(event, attname)
                count, previous = heads.get(owner_id, (0, chain.GENESIS))
                event.sequence = count + 1
                event.previous_hash = previous
                event.key_id = ring.current_id
                values = {name: getattr(event, name) for name in payload_fields}
                payload = spec.payload(owner_id, event.sequence, previous, event.key_id, values)
                event.hash = chain.seal(ring.current, payload)
                heads[owner_id] = (event.sequence, event.hash)
                changed.append(event)
            Event.objects.bulk_update(
                changed, ["sequence", "previous_hash", "hash", "key_id"], batch_size=1000
            )
            for owner_id, (count, head) in heads.items():
                Owner.objects.filter(pk=owner_id).update(history_count=count, history_head=head)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)
