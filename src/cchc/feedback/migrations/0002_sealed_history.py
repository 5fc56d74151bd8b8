"""Feedback events become a sealed history, like the dossiers' (cchc.history; docs/security.md).

Existing events are numbered per feedback in the order they happened (time, then id), sealed with
the current history key, and the head is stored on each feedback; then the sequence is made unique
and, on PostgreSQL, UPDATE and DELETE on the events are refused by a trigger.
"""

from django.db import migrations, models

from cchc.history.migration_ops import RefuseChanges, reseal

SEALED_FIELDS = (
    "action",
    "actor_id",
    "actor_name",
    "at",
    "status_before",
    "status_after",
    "unit",
    "note",
    "data",
)


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0001_initial"),
        ("feedback", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="feedback",
            name="history_count",
            field=models.PositiveIntegerField(
                default=0, editable=False, verbose_name="history entries"
            ),
        ),
        migrations.AddField(
            model_name="feedback",
            name="history_head",
            field=models.CharField(
                default="0000000000000000000000000000000000000000000000000000000000000000",
                editable=False,
                max_length=64,
                verbose_name="newest history seal",
            ),
        ),
        migrations.AddField(
            model_name="feedbackevent",
            name="sequence",
            field=models.PositiveIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="feedbackevent",
            name="previous_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="feedbackevent",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="feedbackevent",
            name="key_id",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AlterModelOptions(
            name="feedbackevent",
            options={
                "ordering": ["feedback_id", "sequence"],
                "verbose_name": "feedback event",
                "verbose_name_plural": "feedback events",
            },
        ),
        reseal(
            "feedback.Feedback",
            "feedback.FeedbackEvent",
            "feedback",
            SEALED_FIELDS,
            order=("at", "pk"),
        ),
        migrations.AddConstraint(
            model_name="feedbackevent",
            constraint=models.UniqueConstraint(
                fields=("feedback", "sequence"), name="unique_feedback_event_sequence"
            ),
        ),
        RefuseChanges("feedback_feedbackevent"),
    ]
