"""On PostgreSQL: the pg_trgm extension and a trigram GIN index on the search document.

The catalog search selects its candidates with one ``LIKE '%word%'`` per query word
(cchc.catalog.search.rank); a ``gin_trgm_ops`` index serves those look-ups. The index only makes
the search faster, it changes no result: where the extension cannot be created (a database role
without the right to), the migration leaves the index out and the search still works, as on
SQLite. Other databases are left alone.
"""

from django.db import DatabaseError, migrations, transaction

INDEX = "catalog_procedure_search_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:  # no privilege to create the extension: the search runs without the index
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_procedure "
        "USING gin (search_document gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_search_backfill_and_synonyms")]

    operations = [migrations.RunPython(create, drop)]
