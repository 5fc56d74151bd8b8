"""Bulk writing of generated rows: COPY on PostgreSQL, bulk inserts elsewhere.

The generator assigns ids itself so rows can refer to each other before they are written; a table
whose rows give no id (feedback events) takes it from the database's sequence.
"""

from __future__ import annotations

import json
from collections import defaultdict

from django.db import connection


class Writer:
    """COPY on PostgreSQL, bulk inserts elsewhere; ids are assigned here so rows can refer."""

    def __init__(self) -> None:
        from cchc.history.keys import ring

        self.postgres = connection.vendor == "postgresql"
        self.rows: dict[type, list] = defaultdict(list)
        self.key_ring = ring()  # read once: every generated history is sealed with it

    def next_id(self, model) -> int:
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        return (last or 0) + 1

    def add(self, model, values: dict) -> None:
        self.rows[model].append(values)

    def flush(self) -> None:
        for model, rows in self.rows.items():
            if not rows:
                continue
            if self.postgres:
                self._copy(model, rows)
            else:
                model.objects.bulk_create([model(**row) for row in rows], batch_size=1000)
        self.rows.clear()

    def _copy(self, model, rows: list[dict]) -> None:
        pk = model._meta.pk
        # An auto id the rows do not give is left to the database's sequence.
        fields = [f for f in model._meta.concrete_fields if f is not pk or pk.attname in rows[0]]
        plan = [
            (
                f.attname,
                None if f.primary_key else f.get_default(),
                f.get_internal_type() == "JSONField",
            )
            for f in fields
        ]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        [
                            json.dumps(row.get(name, default))
                            if is_json
                            else row.get(name, default)
                            for name, default, is_json in plan
                        ]
                    )

    def reset_sequences(self, models) -> None:
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT max(id) FROM {table}), 1))"
                )

    def analyze(self, tables) -> None:
        """Fresh planner statistics after a large load (PostgreSQL only)."""
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
