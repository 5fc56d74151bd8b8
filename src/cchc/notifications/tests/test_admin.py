"""Admin: read-only list, filters, "retry now", scoped to the staff member's units."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cchc.notifications import services
from cchc.notifications.models import OutboxMessage, OutboxStatus
from cchc.organisations.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db

LIST = reverse("admin:notifications_outboxmessage_changelist")


@pytest.fixture
def messages(dossier):
    event = dossier.events.get()
    created = services.notify_applicant(dossier, "received", event)
    dead = next(m for m in created if m.channel == "sms")
    OutboxMessage.objects.filter(pk=dead.pk).update(status=OutboxStatus.DEAD, attempts=8)
    return created


def test_list_and_filters(admin_client, messages):
    response = admin_client.get(LIST)
    assert response.status_code == 200
    assert "an@example.com" in response.text and "0912345678" in response.text
    response = admin_client.get(LIST, {"status__exact": "dead"})
    assert "0912345678" in response.text and "an@example.com" not in response.text
    response = admin_client.get(LIST, {"channel__exact": "email"})
    assert "an@example.com" in response.text and "0912345678" not in response.text


def test_read_only(admin_client, messages):
    message = messages[0]
    change = reverse("admin:notifications_outboxmessage_change", args=[message.pk])
    response = admin_client.get(change)
    assert response.status_code == 200
    assert b'name="body"' not in response.content  # shown, not editable
    add = reverse("admin:notifications_outboxmessage_add")
    assert admin_client.get(add).status_code == 403
    delete = reverse("admin:notifications_outboxmessage_delete", args=[message.pk])
    assert admin_client.get(delete).status_code == 403


def test_retry_now(admin_client, messages):
    dead = OutboxMessage.objects.get(status=OutboxStatus.DEAD)
    response = admin_client.post(
        LIST,
        {"action": "retry_now", "_selected_action": [m.pk for m in messages]},
        follow=True,
    )
    assert response.status_code == 200
    dead.refresh_from_db()
    assert dead.status == OutboxStatus.PENDING and dead.attempts == 8
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"}


def test_staff_see_only_their_units_messages(client, django_user_model, messages, unit, other_unit):
    view = Permission.objects.get(codename="view_outboxmessage")
    create = django_user_model.objects.create_user
    insider = create("tonghop", password="pw-123456", is_staff=True)
    outsider = create("sotuphap", password="pw-123456", is_staff=True)
    for user, where in ((insider, unit), (outsider, other_unit)):
        user.user_permissions.add(view)
        RoleAssignment.objects.create(user=user, unit=where, role=Role.ONE_STOP_OFFICER)
    client.force_login(insider)
    response = client.get(LIST)
    assert response.status_code == 200 and "an@example.com" in response.text
    assert "retry_now" not in response.text  # viewing does not allow retrying
    client.force_login(outsider)
    assert "an@example.com" not in client.get(LIST).text
