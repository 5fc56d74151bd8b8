"""Writing many new rows at once, for bulk writers (the legacy dossier import and its statistics).

On PostgreSQL the rows go by ``COPY … FROM STDIN``, several times faster than multi-row INSERTs
for thousands of rows; elsewhere ``bulk_create``. Neither calls ``save`` nor sends signals: values
are prepared as ``save`` would prepare them (``auto_now`` times, file names, JSON).
"""

from __future__ import annotations

from operator import attrgetter

from django.db import connection, models

BATCH_SIZE = 1000  # rows per INSERT where COPY is not available


def insert_many(model, objects: list, *, with_pk: bool = False, batch_size: int = BATCH_SIZE):
    """Insert unsaved ``objects`` of ``model``; ``with_pk``: their ids are already set."""
    if not objects:
        return
    if connection.vendor == "postgresql":
        copy_many(model, objects, with_pk=with_pk)
    else:
        model.objects.bulk_create(objects, batch_size=batch_size)


def copy_many(model, objects: list, *, with_pk: bool = False) -> None:
    """COPY model instances into their table (PostgreSQL only)."""
    from psycopg.types.json import Jsonb

    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    getters = []
    for f in fields:  # plain values go as they are: psycopg adapts them
        if f.get_internal_type() == "JSONField":
            getters.append(lambda obj, name=f.attname: Jsonb(getattr(obj, name)))
        elif (
            getattr(f, "auto_now", False)
            or getattr(f, "auto_now_add", False)
            or isinstance(f, models.FileField)
        ):
            getters.append(lambda obj, f=f: f.get_db_prep_save(f.pre_save(obj, True), connection))
        else:
            getters.append(attrgetter(f.attname))
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    statement = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for obj in objects:
            copy.write_row([get(obj) for get in getters])
