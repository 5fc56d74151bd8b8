"""Daily counters behind public codes (the NNNN of ``…-YYMMDD-NNNN``), one atomic upsert.

A code is read out over the phone and printed on receipts, so numbers are issued per day and never
twice. One ``INSERT … ON CONFLICT … DO UPDATE … RETURNING`` statement creates the day's counter or
moves it (PostgreSQL and SQLite ≥ 3.35 alike): no read-then-write race, and the counter row stays
locked by the statement until the transaction ends, so concurrent callers queue behind it.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def reserve_numbers(
    counter: type[Model],
    key: dict,
    *,
    count: int = 1,
    maximum: int | None = None,
    field: str = "last_value",
) -> range | None:
    """Reserve the next ``count`` numbers of the counter row ``key`` (field name → value).

    ``counter`` is a model whose ``key`` fields are unique together and whose ``field`` holds the
    last number issued. Returns the numbers reserved, or None when they would pass ``maximum``
    (the counter is then left as it was): the caller refuses with its own message rather than
    letting a number outgrow its code or the column overflow.
    """
    if count < 1:
        return range(0)
    if maximum is not None and count > maximum:
        return None
    meta = counter._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    value_column = quote(meta.get_field(field).column)
    names = list(key)
    columns = [quote(meta.get_field(name).column) for name in names]
    values = [meta.get_field(name).get_db_prep_save(key[name], connection) for name in names]
    limit, params = "", [*values, count, count]
    if maximum is not None:
        # Compared without adding to the column: a counter already near the column's limit (an
        # import's) must give "exhausted", not an integer overflow.
        limit = f" WHERE {table}.{value_column} <= %s"
        params.append(maximum - count)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}, {value_column}) "
            f"VALUES ({', '.join(['%s'] * len(columns))}, %s) "
            f"ON CONFLICT ({', '.join(columns)}) DO UPDATE "
            f"SET {value_column} = {table}.{value_column} + %s{limit} RETURNING {value_column}",
            params,
        )
        row = cursor.fetchone()
    if row is None:
        return None
    last = row[0]
    return range(last - count + 1, last + 1)
