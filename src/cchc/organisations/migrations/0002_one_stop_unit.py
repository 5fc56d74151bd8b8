"""Who receives for whom: ``OrganisationUnit.one_stop_unit``, filled for existing units.

Each existing unit gets the one-stop unit the derivation of :mod:`cchc.organisations.selectors`
gives it (a committee: its service centre; a department or division: its committee's centre), so
the relation is visible and editable in the admin from the start. Units that receive their own
dossiers (service centres, committees without a centre) stay empty.
"""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from cchc.organisations.selectors import UnitRow, committee_centres, derive_one_stop

    Unit = apps.get_model("organisations", "OrganisationUnit")
    fields = ("pk", "parent_id", "kind", "active", "one_stop_unit_id", "path")
    rows = {v[0]: UnitRow(*v) for v in Unit.objects.values_list(*fields)}
    centres = committee_centres(rows)
    for pk, row in rows.items():
        if row.one_stop_unit_id:
            continue
        target = derive_one_stop(pk, rows, centres)
        if target is not None and target != pk:
            Unit.objects.filter(pk=pk).update(one_stop_unit_id=target)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisationunit",
            name="one_stop_unit",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "The one-stop unit (Bộ phận Một cửa or public administration service centre) "
                    "that receives this authority's dossiers at the counter, by post and online, "
                    "and returns its results. Empty: a service centre directly under the unit's "
                    "People's Committee (for a department: the province's centre); none: the unit "
                    "receives them itself."
                ),
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="receives_for",
                to="organisations.organisationunit",
                verbose_name="one-stop unit receiving its dossiers",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
