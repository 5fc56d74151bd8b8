"""The ``rated_satisfied`` counter (dossiers rated 4–5, on their day of receipt), filled in.

Every dossier already counted in ``rated`` whose rating is 4 or 5 gets the new column in its
stored contribution (``DossierStat.cells``) and in the four counter rows that day feeds, so the
counters stay equal to what ``rebuild-stats`` computes (``rebuild-stats --verify`` is clean right
after the migration). The column indexes are frozen here: ``rated`` was 23 and the new column is
appended as 33. Stop the workers while it runs (docs/reports.md, *Adding a counter column*).
Migrating back takes the column out of the stored contributions again.
"""

from collections import defaultdict
from datetime import date

from django.db import migrations, models

RATED = 23
RATED_SATISFIED = 33
BATCH = 2000


def fill_rated_satisfied(apps, schema_editor):
    DossierStat = apps.get_model("reports", "DossierStat")
    StatCell = apps.get_model("reports", "StatCell")
    alias = schema_editor.connection.alias
    stats = (
        DossierStat.objects.using(alias)
        .filter(dossier__rating__score__gte=4)
        .only("pk", "unit_id", "procedure_id", "cells")
        .order_by("pk")
    )
    deltas: dict[tuple, int] = defaultdict(int)
    changed = []
    for stat in stats.iterator(chunk_size=BATCH):
        days = [ordinal for ordinal, column, n in stat.cells if column == RATED and n]
        if not days or any(column == RATED_SATISFIED for _o, column, _n in stat.cells):
            continue  # not counted as rated (never received), or already filled in
        stat.cells = sorted([*stat.cells, [days[0], RATED_SATISFIED, 1]])
        changed.append(stat)
        day = date.fromordinal(days[0])
        for grain, period in (("D", day), ("M", day.replace(day=1))):
            for procedure_id in (stat.procedure_id, 0):
                deltas[(grain, period, stat.unit_id, procedure_id)] += 1
        if len(changed) >= BATCH:
            DossierStat.objects.using(alias).bulk_update(changed, ["cells"])
            changed = []
    if changed:
        DossierStat.objects.using(alias).bulk_update(changed, ["cells"])
    _add_to_counters(schema_editor.connection, StatCell._meta.db_table, deltas)


def _add_to_counters(connection, table: str, deltas: dict) -> None:
    """Add to ``rated_satisfied``, creating a counter row that is missing (as the services'
    ``apply_deltas`` does: the same upsert on PostgreSQL and SQLite)."""
    rows = [(*key, n) for key, n in sorted(deltas.items())]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f"INSERT INTO {table} (grain, period, unit_id, procedure_id, rated_satisfied) "
                "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (grain, procedure_id, unit_id, period) "
                f"DO UPDATE SET rated_satisfied = {table}.rated_satisfied + excluded.rated_satisfied",
                rows[start : start + BATCH],
            )


def drop_rated_satisfied(apps, schema_editor):
    """Back to 0006: take the column out of every stored contribution (the code before it knows
    33 columns, and would fail on a cell naming the 34th); the column itself is dropped next."""
    DossierStat = apps.get_model("reports", "DossierStat")
    alias = schema_editor.connection.alias
    changed = []
    for stat in DossierStat.objects.using(alias).order_by("pk").iterator(chunk_size=BATCH):
        cells = [cell for cell in stat.cells if cell[1] != RATED_SATISFIED]
        if len(cells) != len(stat.cells):
            stat.cells = cells
            changed.append(stat)
        if len(changed) >= BATCH:
            DossierStat.objects.using(alias).bulk_update(changed, ["cells"])
            changed = []
    if changed:
        DossierStat.objects.using(alias).bulk_update(changed, ["cells"])


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0009_newest_first_indexes_with_id"),
        ("reports", "0006_dossierstat_overdue_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="statcell",
            name="rated_satisfied",
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.RunPython(fill_rated_satisfied, drop_rated_satisfied, elidable=True),
    ]
