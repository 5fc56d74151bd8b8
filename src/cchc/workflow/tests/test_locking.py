"""``locked``: the row under its lock, refused when missing, unversioned or stale; one of two
concurrent actions on the same version wins."""

import pytest
from django.db import transaction

from cchc.common.errors import ApplicationError, StaleRecord
from cchc.dossiers.models import Dossier
from cchc.workflow.locking import locked, save_new_version
from cchc.workflow.testing import run_together

STALE = StaleRecord("stale")
MISSING = ApplicationError("missing")
UNVERSIONED = ApplicationError("send the version", "version")


def lock(pk, version, **options):
    return locked(Dossier.objects.all(), pk, version, stale_error=STALE, **options)


@pytest.mark.django_db
def test_the_row_is_returned_when_the_version_matches_or_is_not_sent(dossier):
    with transaction.atomic():
        assert lock(dossier.pk, None).pk == dossier.pk
        assert lock(dossier.pk, dossier.version).pk == dossier.pk


@pytest.mark.django_db
def test_a_stale_version_raises_the_callers_error(dossier):
    with transaction.atomic(), pytest.raises(StaleRecord) as refused:
        lock(dossier.pk, dossier.version + 1)
    assert refused.value is STALE


@pytest.mark.django_db
def test_a_missing_row_raises_the_callers_error_or_does_not_exist(dossier):
    with transaction.atomic(), pytest.raises(ApplicationError) as refused:
        lock(dossier.pk + 1000, None, missing_error=MISSING)
    assert refused.value is MISSING
    with transaction.atomic(), pytest.raises(Dossier.DoesNotExist):
        lock(dossier.pk + 1000, None)


@pytest.mark.django_db
def test_a_required_version_is_asked_for_before_any_query(dossier, django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(ApplicationError) as refused:
        lock(dossier.pk, None, required=True, unversioned_error=UNVERSIONED)
    assert refused.value is UNVERSIONED
    with transaction.atomic():
        assert lock(dossier.pk, dossier.version, required=True).pk == dossier.pk


@pytest.mark.django_db
def test_save_new_version_bumps_and_stores_the_version(dossier):
    with transaction.atomic():
        record = lock(dossier.pk, 1)
        save_new_version(record)
    assert record.version == 2
    assert Dossier.objects.values_list("version", flat=True).get(pk=dossier.pk) == 2


@pytest.mark.django_db(transaction=True)
def test_of_two_actions_on_the_same_version_one_wins_the_other_is_stale(dossier):
    def act():
        with transaction.atomic():
            record = lock(dossier.pk, 1)
            save_new_version(record)
            return record.version

    results = run_together(act, act)
    assert sorted(results, key=str) == sorted([2, STALE], key=str), results
    assert Dossier.objects.values_list("version", flat=True).get(pk=dossier.pk) == 2
