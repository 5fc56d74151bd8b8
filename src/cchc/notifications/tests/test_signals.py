"""Dossier actions notify the applicant through the outbox, inside the action's transaction."""

import pytest
import time_machine

from cchc.dossiers import services as dossiers
from cchc.dossiers.tests.conftest import letter_seen, seen
from cchc.notifications.models import OutboxMessage

from .conftest import RECEIVED_AT

pytestmark = [pytest.mark.django_db, pytest.mark.wired]


def kinds(dossier):
    return sorted(set(OutboxMessage.objects.filter(dossier=dossier).values_list("kind", flat=True)))


def test_receipt_supplement_apology_and_result_are_notified(
    officer, processor, leader, unit, procedure, applicant
):
    with time_machine.travel(RECEIVED_AT, tick=False):
        dossier = dossiers.receive_at_counter(officer, unit, procedure, applicant)
        assert kinds(dossier) == ["received"]
        assert OutboxMessage.objects.filter(dossier=dossier).count() == 2  # email and SMS
        dossiers.forward(dossier.pk, officer)
        dossiers.request_supplement(
            dossier.pk, processor, "Ảnh 4x6", "Thiếu ảnh", expected_version=seen(dossier.pk)
        )
        dossiers.complete_supplement(dossier.pk, officer, expected_version=seen(dossier.pk))
        letter = dossiers.draft_apology(
            dossier.pk,
            processor,
            "Cần xác minh",
            dossier.due_at.replace(day=14),
            expected_version=seen(dossier.pk),
        )
        dossiers.approve_apology(letter.pk, leader, expected_version=letter_seen(letter.pk))
        dossiers.approve_result(dossier.pk, leader, "approved", "5/XN", "")
    assert kinds(dossier) == ["apology", "received", "result_ready", "supplement_requested"]
    assert not OutboxMessage.objects.filter(body__contains=applicant.id_number).exists()


def test_refused_action_leaves_no_message(officer, unit, procedure, applicant):
    applicant.id_number = "123"  # invalid: the intake is refused and rolled back
    with pytest.raises(dossiers.DossierError):
        dossiers.receive_at_counter(officer, unit, procedure, applicant)
    assert not OutboxMessage.objects.exists()
