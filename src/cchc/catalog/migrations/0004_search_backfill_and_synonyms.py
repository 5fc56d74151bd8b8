"""Fill the search document of existing procedures and seed the citizens' synonym table."""

from django.db import migrations

from cchc.catalog.search import build_document
from cchc.catalog.synonyms import seed


def forwards(apps, schema_editor):
    Procedure = apps.get_model("catalog", "Procedure")
    SearchSynonym = apps.get_model("catalog", "SearchSynonym")
    for procedure in Procedure.objects.select_related("field").iterator(chunk_size=500):
        document = build_document(
            name=procedure.name,
            result=procedure.result,
            field_name=procedure.field.name,
            agency=procedure.implementing_agency,
            applicants=procedure.applicants,
            conditions=procedure.conditions,
        )
        Procedure.objects.filter(pk=procedure.pk).update(search_document=document)
    seed(SearchSynonym)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_search_document_and_synonyms")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
