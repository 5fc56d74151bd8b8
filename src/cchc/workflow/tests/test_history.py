"""``record_event`` fills the common fields and keeps the record's sealed chain intact."""

import pytest
from django.db import transaction

from cchc.dossiers import services
from cchc.dossiers.models import DossierEvent, Status
from cchc.history.testing import bypassing_append_only
from cchc.workflow.history import actor_name, record_event


@pytest.mark.django_db
def test_an_event_is_sealed_after_the_last_and_moves_the_head(dossier, leader):
    head, count = dossier.history_head, dossier.history_count
    with transaction.atomic():
        event = DossierEvent(action="noted", unit=dossier.current_unit.name)
        record_event(dossier, event, leader, status_before=Status.RECEIVED, note="Ghi chú")
    stored = DossierEvent.objects.get(pk=event.pk)
    assert (stored.sequence, stored.previous_hash) == (count + 1, head)
    assert stored.actor == leader and stored.actor_name == leader.get_full_name()
    assert stored.status_before == Status.RECEIVED and stored.status_after == dossier.status
    assert stored.note == "Ghi chú" and stored.data == {} and stored.at is not None
    dossier.refresh_from_db()
    assert (dossier.history_count, dossier.history_head) == (count + 1, stored.hash)
    assert services.verify_chain(dossier) is None


@pytest.mark.django_db
def test_an_anonymous_actor_leaves_no_name(dossier):
    with transaction.atomic():
        event = record_event(
            dossier, DossierEvent(action="noted"), None, status_before=None, data={"k": 1}
        )
    assert event.actor is None and event.actor_name == "" and event.data == {"k": 1}
    assert actor_name(None) == ""
    assert services.verify_chain(dossier) is None


@pytest.mark.django_db
def test_an_edited_event_breaks_the_chain(dossier, leader):
    with transaction.atomic():
        event = record_event(
            dossier, DossierEvent(action="noted"), leader, status_before=Status.RECEIVED
        )
    with bypassing_append_only():  # as a database superuser could
        DossierEvent.objects.filter(pk=event.pk).update(note="sửa")
    assert services.verify_chain(dossier) is not None
