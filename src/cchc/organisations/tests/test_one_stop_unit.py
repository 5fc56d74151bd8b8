"""Who receives for whom: the one-stop unit of each unit, explicit or derived, and its admin."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from cchc.organisations.models import OrganisationUnit, UnitKind
from cchc.organisations.selectors import (
    acts_at_counter,
    one_stop_map,
    one_stop_unit,
    received_for,
    receiving_unit_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(db):
    def unit(key, kind, parent=None, **extra):
        return OrganisationUnit.objects.create(
            code=key, kind=kind, name=key, parent=units.get(parent), **extra
        )

    units = {}
    units["province"] = unit("province", UnitKind.PROVINCE_COMMITTEE)
    units["province_centre"] = unit("province_centre", UnitKind.SERVICE_CENTRE, "province")
    units["justice"] = unit("justice", UnitKind.DEPARTMENT, "province")
    units["land_office"] = unit("land_office", UnitKind.DIVISION, "justice")
    units["ward"] = unit("ward", UnitKind.COMMUNE_COMMITTEE, "province")
    units["ward_centre"] = unit("ward_centre", UnitKind.SERVICE_CENTRE, "ward")
    units["ward_office"] = unit("ward_office", UnitKind.DIVISION, "ward")
    units["island"] = unit("island", UnitKind.COMMUNE_COMMITTEE, "province")  # no centre
    return units


DERIVED = {
    "province": "province_centre",
    "province_centre": None,  # a centre receives for itself
    "justice": "province_centre",
    "land_office": "province_centre",
    "ward": "ward_centre",
    "ward_centre": None,
    "ward_office": "ward_centre",
    "island": None,  # no centre: the committee receives its own dossiers
}


@pytest.mark.parametrize("key", sorted(DERIVED))
def test_the_derived_one_stop_unit(tree, key):
    found = one_stop_unit(tree[key])
    assert (found.code if found else None) == DERIVED[key]
    assert receiving_unit_for(tree[key]).code == (DERIVED[key] or key)


def test_the_map_agrees_with_the_single_look_up(tree):
    by_pk = {unit.pk: key for key, unit in tree.items()}
    mapped = {by_pk[pk]: by_pk.get(target) for pk, target in one_stop_map().items()}
    assert mapped == DERIVED
    assert received_for([tree["ward_centre"].pk]) == {tree["ward"].pk, tree["ward_office"].pk}


def test_an_explicit_value_wins_and_an_inactive_one_is_ignored(tree):
    island = tree["island"]
    island.one_stop_unit = tree["ward_centre"]
    island.save()
    assert one_stop_unit(island) == tree["ward_centre"]
    tree["ward_centre"].active = False
    tree["ward_centre"].save()
    assert one_stop_unit(island) is None
    assert one_stop_unit(tree["ward"]) is None  # no active centre left


def test_validation(tree):
    ward = tree["ward"]
    ward.one_stop_unit = ward
    with pytest.raises(ValidationError) as error:
        ward.clean()
    assert "one_stop_unit" in error.value.message_dict
    closed = OrganisationUnit.objects.create(
        code="closed", kind=UnitKind.SERVICE_CENTRE, name="closed", active=False
    )
    ward.one_stop_unit = closed
    with pytest.raises(ValidationError):
        ward.clean()


def test_acts_at_counter(tree, django_user_model):
    from cchc.organisations.models import Role, RoleAssignment

    officer = django_user_model.objects.create_user("motcua")
    RoleAssignment.objects.create(
        user=officer, unit=tree["ward_centre"], role=Role.ONE_STOP_OFFICER
    )
    assert acts_at_counter(officer, tree["ward"])
    assert acts_at_counter(officer, tree["ward_centre"])
    assert not acts_at_counter(officer, tree["justice"])
    assert not acts_at_counter(officer, tree["island"])


def test_the_migration_fills_existing_units(tree):
    migration = importlib.import_module("cchc.organisations.migrations.0002_one_stop_unit")
    migration.fill(django_apps, None)
    stored = {
        unit.code: (unit.one_stop_unit.code if unit.one_stop_unit else None)
        for unit in OrganisationUnit.objects.select_related("one_stop_unit")
    }
    assert stored == DERIVED


def test_the_admin_edits_and_shows_the_relation(tree, admin_client):
    island = tree["island"]
    url = f"/quan-tri/organisations/organisationunit/{island.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="one_stop_unit"' in page
    centre_page = admin_client.get(
        f"/quan-tri/organisations/organisationunit/{tree['ward_centre'].pk}/change/"
    ).content.decode()
    assert ">ward<" in centre_page or "ward, " in centre_page or "ward</" in centre_page
    data = {
        "kind": island.kind, "name": island.name, "code": island.code,
        "parent": tree["province"].pk, "active": "on",
        "one_stop_unit": tree["ward_centre"].pk,
        "morning_start": "07:30", "morning_end": "11:30",
        "afternoon_start": "13:00", "afternoon_end": "17:00", "same_day_cutoff": "15:00",
        "role_assignments-TOTAL_FORMS": "0", "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-MIN_NUM_FORMS": "0", "role_assignments-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    island.refresh_from_db()
    assert island.one_stop_unit == tree["ward_centre"]
