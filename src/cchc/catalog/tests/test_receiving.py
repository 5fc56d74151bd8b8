"""Which units handle a procedure: one rule, read from both sides, used by every intake."""

import pytest

from cchc.catalog.models import Field, Procedure
from cchc.catalog.selectors import handles, procedures_handled_by, units_handling
from cchc.organisations.models import OrganisationUnit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(db):
    def unit(code, kind, parent=None, **extra):
        return OrganisationUnit.objects.create(
            code=code, kind=kind, name=code, parent=parent, **extra
        )

    province = unit("P", UnitKind.PROVINCE_COMMITTEE)
    units = {
        "province": province,
        "province_centre": unit("PC", UnitKind.SERVICE_CENTRE, province),
        "justice": unit("STP", UnitKind.DEPARTMENT, province),
        "commune_a": unit("XA", UnitKind.COMMUNE_COMMITTEE, province),
        "commune_b": unit("XB", UnitKind.COMMUNE_COMMITTEE, province),
        "closed": unit("XC", UnitKind.COMMUNE_COMMITTEE, province, active=False),
    }
    units["justice_division"] = unit("STP-1", UnitKind.DIVISION, units["justice"])
    units["centre_a"] = unit("XA-TT", UnitKind.SERVICE_CENTRE, units["commune_a"])
    units["centre_b"] = unit("XB-TT", UnitKind.SERVICE_CENTRE, units["commune_b"])
    return units


@pytest.fixture
def procedures(tree):
    field = Field.objects.create(name="Hộ tịch")

    def procedure(code, implementing, **levels):
        created = Procedure.objects.create(
            code=code, name=code, field=field, time_limit_amount=5,
            time_limit_unit="working_days", **levels,
        )  # fmt: skip
        created.implementing_units.set([tree[name] for name in implementing])
        return created

    return {
        "commune": procedure("1.000001", ["commune_a", "closed"], level_commune=True),
        "province": procedure("1.000002", ["justice"], level_province=True),
        "nowhere": procedure("1.000003", [], level_commune=True, level_province=True),
    }


EXPECTED = {
    # procedure: units that handle it
    "commune": {"commune_a", "centre_a"},
    "province": {"justice", "justice_division", "province_centre"},
    "nowhere": set(),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_units_that_handle_each_procedure(tree, procedures, name):
    procedure = procedures[name]
    assert {key for key, unit in tree.items() if handles(unit, procedure)} == EXPECTED[name]


def test_the_three_readings_of_the_rule_agree(tree, procedures):
    """The intake check, the online form's units and the counter form's procedures never differ."""
    for procedure in procedures.values():
        listed = set(units_handling(procedure).values_list("pk", flat=True))
        for unit in tree.values():
            by_unit = procedures_handled_by([unit]).filter(pk=procedure.pk).exists()
            assert handles(unit, procedure) == (unit.pk in listed) == by_unit, (unit, procedure)


def test_procedures_handled_by_several_units(tree, procedures):
    handled = procedures_handled_by([tree["centre_a"], tree["province_centre"]])
    assert set(handled) == {procedures["commune"], procedures["province"]}
    assert not procedures_handled_by([tree["centre_b"], tree["closed"]]).exists()


def test_an_inactive_implementing_unit_handles_nothing(tree, procedures):
    assert not handles(tree["closed"], procedures["commune"])
    tree["commune_a"].active = False
    tree["commune_a"].save()
    assert not handles(tree["centre_a"], procedures["commune"])
