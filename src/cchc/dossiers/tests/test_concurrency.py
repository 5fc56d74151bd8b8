"""Two officers acting on one dossier at the same moment: one wins, the other is told why."""

import threading

import pytest
from django.db import connections

from cchc.dossiers import services
from cchc.dossiers.models import Dossier, Status

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*calls):
    """Start every call at the same instant in its own thread; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # collected for the assertions
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_officers_accepting_the_same_dossier(officer, leader, unit, procedure, applicant):
    dossier = services.receive_at_counter(officer, unit, procedure, applicant)
    results = run_together(
        lambda: services.approve_result(dossier.pk, leader, "approved", "1/QĐ", "A"),
        lambda: services.stop(dossier.pk, leader, "Có tranh chấp"),
    )
    winners = [r for r in results if isinstance(r, Dossier)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], services.TransitionNotAllowed)
    dossier.refresh_from_db()
    assert dossier.status in (Status.RESOLVED, Status.STOPPED)
    assert dossier.events.count() == 2  # received + the winner's action, nothing else
    assert services.verify_chain(dossier) is None


def test_concurrent_intake_never_repeats_a_code(officer, unit, procedure, applicant):
    results = run_together(
        *[lambda: services.receive_at_counter(officer, unit, procedure, applicant)] * 6
    )
    codes = [r.code for r in results if isinstance(r, Dossier)]
    assert len(codes) == 6, results
    assert len(set(codes)) == 6
