"""The demo generator writes the statistics the way the services would: they verify clean."""

import pytest

from cchc.demo import province as demo
from cchc.demo.generate import generate
from cchc.reports import services
from cchc.reports.models import DossierStat

pytestmark = pytest.mark.django_db


def test_generated_dossiers_verify_clean_with_their_due_facts():
    units = demo.load_units()
    demo.load_catalog(units)
    generate(300, units=3, years=1, events=False, seed=11)
    assert DossierStat.objects.exclude(due_on=None).exists()
    assert services.verify() == []  # counters and per-dossier facts, due basis included
