"""A published feedback always has a title (after 0003 gave every published one a title)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("feedback", "0003_public_titles_and_uniform_codes")]

    operations = [
        migrations.AddConstraint(
            model_name="feedback",
            constraint=models.CheckConstraint(
                condition=~models.Q(status__in=["published", "rated"]) | ~models.Q(public_title=""),
                name="published_feedback_has_a_title",
            ),
        ),
    ]
