"""Data migrations of the counters: afterwards they equal what ``rebuild-stats`` gives."""

import importlib
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.db import connection

from cchc.demo.generate import generate
from cchc.reports import services
from cchc.reports.engine.contribution import COLUMN_INDEX
from cchc.reports.models import DossierStat, StatCell

from .conftest import at

pytestmark = pytest.mark.django_db

NOW = at(2026, 3, 18, 10, 0)
rated_satisfied = importlib.import_module("cchc.reports.migrations.0007_rated_satisfied_counter")


def test_the_frozen_column_indexes_are_the_engines():
    assert COLUMN_INDEX["rated"] == rated_satisfied.RATED
    assert COLUMN_INDEX["rated_satisfied"] == rated_satisfied.RATED_SATISFIED


def test_rated_satisfied_is_filled_in_as_a_rebuild_would(unit, procedure):
    with time_machine.travel(NOW, tick=False):
        generate(400, units=2, years=1, seed=7, now=NOW, events=False)
    assert StatCell.objects.filter(rated_satisfied__gt=0).exists()
    # The database as migration 0006 left it: no dossier's contribution names the new column.
    stats = list(DossierStat.objects.all())
    for stat in stats:
        stat.cells = [cell for cell in stat.cells if cell[1] != rated_satisfied.RATED_SATISFIED]
    DossierStat.objects.bulk_update(stats, ["cells"])
    StatCell.objects.update(rated_satisfied=0)
    assert services.verify()  # the counters now miss the satisfied ratings

    editor = SimpleNamespace(connection=connection)  # the function reads only its connection
    rated_satisfied.fill_rated_satisfied(apps, editor)
    assert services.verify() == []
    rated_satisfied.fill_rated_satisfied(apps, editor)  # run again (a retried deploy): no change
    assert services.verify() == []


def test_migrating_back_takes_the_column_out_of_every_contribution(unit, procedure):
    """The code before 0007 knows 33 columns: a cell naming the 34th would make it fail."""
    with time_machine.travel(NOW, tick=False):
        generate(200, units=2, years=1, seed=5, now=NOW, events=False)
    column = rated_satisfied.RATED_SATISFIED
    assert any(cell[1] == column for stat in DossierStat.objects.all() for cell in stat.cells)
    editor = SimpleNamespace(connection=connection)
    rated_satisfied.drop_rated_satisfied(apps, editor)
    assert not any(cell[1] == column for stat in DossierStat.objects.all() for cell in stat.cells)
    StatCell.objects.update(rated_satisfied=0)  # what dropping the column and adding it does
    rated_satisfied.fill_rated_satisfied(apps, editor)  # and forward again
    assert services.verify() == []
