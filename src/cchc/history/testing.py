"""Test helpers: act as a database administrator who goes around the application."""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def bypassing_append_only():
    """Run raw SQL on history tables as a PostgreSQL superuser could: triggers switched off.

    ``session_replication_role = replica`` skips ordinary triggers for this transaction (one is
    opened if the caller has none); only a superuser may set it (the test database role is one).
    SQLite has no trigger to skip.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")
