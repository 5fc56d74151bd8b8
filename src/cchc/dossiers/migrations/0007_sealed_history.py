from django.db import migrations, models

from cchc.history.migration_ops import RefuseChanges, reseal

SEALED_FIELDS = (
    "action",
    "actor_id",
    "actor_name",
    "at",
    "status_before",
    "status_after",
    "step_before",
    "step_after",
    "unit",
    "note",
    "data",
)


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0001_initial"),
        ("dossiers", "0006_running_due_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="history_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="history entries"
            ),
        ),
        migrations.AddField(
            model_name="dossier",
            name="history_head",
            field=models.CharField(
                default="0000000000000000000000000000000000000000000000000000000000000000",
                editable=False,
                max_length=64,
                verbose_name="newest history seal",
            ),
        ),
        migrations.AddField(
            model_name="dossierevent",
            name="key_id",
            field=models.CharField(blank=True, max_length=16),
        ),
        reseal("dossiers.Dossier", "dossiers.DossierEvent", "dossier", SEALED_FIELDS),
        RefuseChanges("dossiers_dossierevent"),
    ]
