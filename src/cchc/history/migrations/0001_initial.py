from django.db import migrations, models

from cchc.history.migration_ops import RefuseChanges, refuse_changes_function


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Checkpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(verbose_name="written at")),
                ("chains", models.JSONField(default=dict)),
                ("digest", models.CharField(max_length=64)),
                ("key_id", models.CharField(max_length=16)),
                ("signature", models.CharField(max_length=64)),
            ],
            options={
                "verbose_name": "history checkpoint",
                "verbose_name_plural": "history checkpoints",
                "ordering": ["-id"],
            },
        ),
        refuse_changes_function(),
        RefuseChanges("history_checkpoint"),
    ]
