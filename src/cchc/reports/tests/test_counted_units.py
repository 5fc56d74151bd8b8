"""Which units received counted dossiers: read from the month counters, rows of zeros ignored."""

import pytest
import time_machine

from cchc.demo.generate import generate
from cchc.dossiers.models import Dossier
from cchc.index766.scores import receiving_units
from cchc.reports import services
from cchc.reports.models import StatCell
from cchc.reports.selectors import counted_unit_ids

from .conftest import at

pytestmark = pytest.mark.django_db

NOW = at(2026, 3, 18, 10, 0)


def test_a_unit_whose_dossiers_all_moved_away_is_no_longer_counted(unit, procedure):
    with time_machine.travel(NOW, tick=False):
        generate(60, units=2, years=1, seed=3, now=NOW, events=False)
    counted = set(counted_unit_ids())
    assert counted == set(Dossier.objects.values_list("receiving_unit_id", flat=True))
    assert len(counted) == 2
    left, kept = sorted(counted)
    moved = list(Dossier.objects.filter(receiving_unit_id=left).values_list("pk", flat=True))
    Dossier.objects.filter(pk__in=moved).update(receiving_unit_id=kept)  # a corrected import
    services.refresh_many(moved)
    assert StatCell.objects.filter(unit_id=left).exists()  # its counter rows stay, as zeros
    assert set(counted_unit_ids()) == {kept}
    assert [u.pk for u in receiving_units()] == [kept]
    assert services.verify() == []
