"""Two officers acting on one dossier at the same moment: one wins, the other is told why."""

from datetime import timedelta

import pytest

from cchc.dossiers import services
from cchc.dossiers.models import Dossier, DossierRating, Status
from cchc.workflow.testing import run_together

pytestmark = pytest.mark.django_db(transaction=True)


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


@pytest.fixture
def in_process(officer, unit, procedure, applicant):
    dossier = services.receive_at_counter(officer, unit, procedure, applicant)
    return services.forward(dossier.pk, officer)


def test_two_leaders_extending_at_once_extend_once(in_process, leader):
    """Both saw version 2: one extension wins, the other is told the dossier changed."""
    later = in_process.due_at + timedelta(days=3)

    def extend(days):
        return lambda: services.extend(
            in_process.pk, leader, later + timedelta(days=days), "Cần xác minh",
            expected_version=2,
        )  # fmt: skip

    results = run_together(extend(0), extend(1))
    assert sum(isinstance(r, Dossier) for r in results) == 1, results
    assert [type(r) for r in results if isinstance(r, Exception)] == [services.StaleDossier]
    in_process.refresh_from_db()
    assert in_process.extension_count == 1 and in_process.version == 3
    assert in_process.events.filter(action="extended").count() == 1


def test_extending_without_a_version_is_refused_even_when_racing(in_process, leader):
    later = in_process.due_at + timedelta(days=3)
    call = lambda: services.extend(  # noqa: E731
        in_process.pk, leader, later, "Cần xác minh", expected_version=None
    )
    results = run_together(call, call)
    assert all(isinstance(r, services.DossierError) and r.field == "version" for r in results)
    in_process.refresh_from_db()
    assert in_process.extension_count == 0 and in_process.due_at < later


def test_two_apology_drafts_at_once_make_one_letter(in_process, processor, leader):
    new = services.suggested_apology(in_process)["new_appointment_at"]
    draft = lambda: services.draft_apology(  # noqa: E731
        in_process.pk, processor, "Cần xác minh", new, expected_version=2
    )
    results = run_together(draft, draft)
    assert [type(r) for r in results if isinstance(r, Exception)] == [services.StaleDossier]
    assert in_process.apologies.count() == 1


def test_two_supplement_requests_at_once_count_once(in_process, processor, leader):
    results = run_together(
        lambda: services.request_supplement(
            in_process.pk, processor, "Ảnh", "Thiếu ảnh", expected_version=2
        ),
        lambda: services.request_supplement(
            in_process.pk, leader, "Bản sao", "Thiếu", expected_version=2
        ),
    )
    assert sum(isinstance(r, Dossier) for r in results) == 1, results
    in_process.refresh_from_db()
    assert in_process.supplement_count == 1 and not in_process.late_by_rule
    assert in_process.pauses.count() == 1


def test_two_ratings_at_once_keep_one(in_process, leader):
    services.approve_result(in_process.pk, leader, "approved", "1/XN", "")
    results = run_together(
        lambda: services.rate(in_process.pk, 5), lambda: services.rate(in_process.pk, 1)
    )
    assert sum(isinstance(r, DossierRating) for r in results) == 1, results
    assert [type(r) for r in results if isinstance(r, Exception)] == [services.TransitionNotAllowed]
    assert DossierRating.objects.filter(dossier=in_process).count() == 1
