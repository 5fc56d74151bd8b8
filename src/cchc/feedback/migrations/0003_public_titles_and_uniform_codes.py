"""Every published feedback gets a title; old 7-digit codes take the allocator's form where safe.

Published feedback written by the synthetic-history generator had no public title, so the public
list showed links without text. Their title becomes the sender's title (those texts hold no
personal data), else the start of the published question, else "Phản ánh <code>". Then the codes
``PA-YYMMDD-NNNNNNN`` that generator wrote are rewritten to ``PA-YYMMDD-NNNN`` from the day's
counter, unless someone may hold the code or the sealed history quotes it
(``cchc.feedback.codes.rewrite_old_codes``; the chain seals ids, not codes, so it stays intact).
"""

from django.db import migrations

from cchc.feedback.codes import rewrite_old_codes

PUBLIC = ("published", "rated")
TITLE_MAX = 200
FROM_CONTENT = 120


def _title(row) -> str:
    title = " ".join((row["title"] or "").split())
    if title:
        return title[:TITLE_MAX]
    text = " ".join((row["public_content"] or "").split())
    if text:
        if len(text) <= FROM_CONTENT:
            return text
        return text[:FROM_CONTENT].rsplit(" ", 1)[0].rstrip(",.;:") + "…"
    return f"Phản ánh {row['code']}"


def forwards(apps, schema_editor):
    feedback = apps.get_model("feedback", "Feedback")
    untitled = feedback.objects.filter(status__in=PUBLIC, public_title__regex=r"^\s*$").values(
        "id", "code", "title", "public_content"
    )
    for row in list(untitled):
        feedback.objects.filter(pk=row["id"]).update(public_title=_title(row))
    rewrite_old_codes(
        feedback,
        apps.get_model("feedback", "FeedbackEvent"),
        apps.get_model("feedback", "FeedbackSequence"),
    )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_sealed_history")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
