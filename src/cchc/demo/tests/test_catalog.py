import pytest

from cchc.catalog.models import Procedure
from cchc.demo.province import FIELD_DEPARTMENTS, load_catalog, load_units

pytestmark = pytest.mark.django_db


def test_province_procedures_of_the_sample_go_to_their_department():
    units = load_units()
    report = load_catalog(units)
    assert report.written
    # Legal aid is a Sở Tư pháp matter; registering a mortgage of land is the land registry's.
    assert set(
        Procedure.objects.get(code="2.000977").implementing_units.values_list("code", flat=True)
    ) == {"000.00.15.H99"}
    assert set(
        Procedure.objects.get(code="1.011441").implementing_units.values_list("code", flat=True)
    ) == {"000.01.17.H99"}
    # A province-only procedure in a field with a demo department is received there.
    for procedure in Procedure.objects.filter(
        level_province=True, level_commune=False, field__name__in=FIELD_DEPARTMENTS
    ):
        assert procedure.implementing_units.exists(), procedure.code
