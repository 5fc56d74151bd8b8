"""Enqueuing: in the caller's transaction, once per dedup key; the applicant's texts."""

import pytest
import time_machine
from django.db import transaction

from cchc.dossiers import services as dossiers
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.conftest import letter_seen, local, seen
from cchc.notifications import services
from cchc.notifications.models import OutboxMessage, OutboxStatus

from .conftest import RECEIVED_AT

pytestmark = pytest.mark.django_db

ID_NUMBER = "001090012345"  # the applicant fixture's citizen ID number


def _last_event(dossier):
    return dossier.events.order_by("-sequence").first()


def _by_channel(messages):
    return {message.channel: message for message in messages}


# -- enqueue -------------------------------------------------------------------------------------
def test_enqueue_stores_a_pending_message_due_now():
    with time_machine.travel(RECEIVED_AT, tick=False):
        message, created = services.enqueue(
            channel="sms", recipient=" 0912345678 ", body="Xin chào", dedup_key="test:1:sms"
        )
    assert created
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.recipient == "0912345678"
    assert message.attempts == 0 and message.sent_at is None
    assert message.next_attempt_at == message.created_at == RECEIVED_AT
    assert message.kind == "other" and message.dossier is None


def test_enqueuing_the_same_dedup_key_twice_stores_one_row():
    first, created_first = services.enqueue(
        channel="email", recipient="an@example.com", body="A", dedup_key="7:3:email"
    )
    second, created_second = services.enqueue(
        channel="email", recipient="an@example.com", body="B", dedup_key="7:3:email"
    )
    assert created_first and not created_second
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert OutboxMessage.objects.get().body == "A"


@pytest.mark.parametrize(
    "fields",
    [
        {"channel": "fax"},
        {"kind": "birthday"},
        {"recipient": "  "},
        {"dedup_key": ""},
    ],
)
def test_enqueue_refuses_bad_input(fields):
    values = {"channel": "sms", "recipient": "0912345678", "body": "x", "dedup_key": "k"} | fields
    with pytest.raises(ValueError):
        services.enqueue(**values)
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_dossier_action_leaves_no_message(officer, unit, procedure, applicant):
    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        dossier = dossiers.receive_at_counter(officer, unit, procedure, applicant)
        created = services.notify_applicant(dossier, "received", _last_event(dossier))
        assert len(created) == 2  # written, but only inside the transaction
        raise Refused
    assert not Dossier.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_messages_are_visible_once_the_callers_transaction_commits(dossier):
    with transaction.atomic():
        services.notify_applicant(dossier, "received", _last_event(dossier))
    assert OutboxMessage.objects.filter(dossier=dossier).count() == 2


# -- the applicant's texts -----------------------------------------------------------------------
def test_received_email_and_sms(dossier, settings):
    settings.CCHC_PUBLIC_URL = "https://dichvucong.anbinh.gov.vn/"
    event = _last_event(dossier)
    created = services.notify_applicant(dossier, "received", event)
    messages = _by_channel(created)
    assert set(messages) == {"email", "sms"}
    email, sms = messages["email"], messages["sms"]
    appointment = "10/03/2025 17:00"
    assert dossier.code in email.subject
    assert email.recipient == "an@example.com" and sms.recipient == "0912345678"
    for text in (email.body, sms.body):
        assert dossier.code in text
        assert appointment in text
        assert "https://dichvucong.anbinh.gov.vn/tra-cuu/" in text
    assert "Cấp Giấy xác nhận tình trạng hôn nhân" in email.body
    assert f"https://dichvucong.anbinh.gov.vn/tra-cuu/?ma={dossier.code}" in email.body
    assert "Nguyễn Văn An" in email.body
    assert "UBND phường Đông Thành" in email.body
    assert sms.subject == ""
    assert len(sms.body) < len(email.body)
    assert {m.dedup_key for m in created} == {
        f"{dossier.pk}:{event.sequence}:email",
        f"{dossier.pk}:{event.sequence}:sms",
    }
    assert all(m.kind == "received" and m.dossier_id == dossier.pk for m in created)


def test_lookup_hint_without_a_public_url(dossier, settings):
    settings.CCHC_PUBLIC_URL = ""
    email = _by_channel(services.notify_applicant(dossier, "received", _last_event(dossier)))
    assert "http" not in email["email"].body and "http" not in email["sms"].body
    assert "4" in email["email"].body  # "the last 4 digits of your phone number or ID number"


def test_notifying_the_same_event_twice_creates_nothing_more(dossier):
    event = _last_event(dossier)
    assert len(services.notify_applicant(dossier, "received", event)) == 2
    assert services.notify_applicant(dossier, "received", event) == []
    assert OutboxMessage.objects.count() == 2


def test_only_the_channels_the_applicant_gave(dossier):
    event = _last_event(dossier)
    dossier.applicant_email = ""
    assert [m.channel for m in services.notify_applicant(dossier, "received", event)] == ["sms"]
    dossier.applicant_phone = ""
    OutboxMessage.objects.all().delete()
    assert services.notify_applicant(dossier, "received", event) == []


def test_channels_follow_the_setting(dossier, settings):
    settings.CCHC_NOTIFICATION_CHANNELS = ["email", "zalo"]
    created = services.notify_applicant(dossier, "received", _last_event(dossier))
    assert sorted(m.channel for m in created) == ["email", "zalo"]
    assert _by_channel(created)["zalo"].recipient == "0912345678"


def test_supplement_request(dossier, officer):
    with time_machine.travel(local(2025, 3, 4, 10, 0), tick=False):
        dossiers.request_supplement(
            dossier.pk,
            officer,
            items="Bản sao Giấy khai sinh có chứng thực",
            reason="Thiếu giấy tờ chứng minh nhân thân",
            answer_within_days=5,
            expected_version=seen(dossier.pk),
        )
    dossier.refresh_from_db()
    event = _last_event(dossier)
    messages = _by_channel(services.notify_applicant(dossier, "supplement_requested", event))
    answer_by = "11/03/2025 17:00"
    assert "Bản sao Giấy khai sinh có chứng thực" in messages["email"].body
    assert "Thiếu giấy tờ chứng minh nhân thân" in messages["email"].body
    assert answer_by in messages["email"].body and answer_by in messages["sms"].body
    assert "Bản sao Giấy khai sinh" in messages["sms"].body


def test_long_supplement_items_are_shortened_in_the_sms(dossier, officer):
    items = "; ".join(f"Giấy tờ số {n} có chứng thực" for n in range(1, 20))
    with time_machine.travel(local(2025, 3, 4, 10, 0), tick=False):
        dossiers.request_supplement(
            dossier.pk, officer, items=items, reason="Thiếu", expected_version=seen(dossier.pk)
        )
    dossier.refresh_from_db()
    event = _last_event(dossier)
    messages = _by_channel(services.notify_applicant(dossier, "supplement_requested", event))
    assert items in messages["email"].body
    assert items not in messages["sms"].body and "…" in messages["sms"].body
    assert len(messages["sms"].body) < 200


def test_apology(officer, processor, leader, unit, procedure, applicant):
    with time_machine.travel(local(2024, 6, 3, 8, 0), tick=False):
        received = dossiers.receive_at_counter(officer, unit, procedure, applicant)
        dossiers.forward(received.pk, officer)
    with time_machine.travel(local(2024, 6, 7, 9, 0), tick=False):
        letter = dossiers.draft_apology(
            received.pk,
            processor,
            "Cần xác minh thêm tại địa phương",
            local(2024, 6, 14, 17, 0),
            expected_version=seen(received.pk),
        )
        dossiers.approve_apology(letter.pk, leader, expected_version=letter_seen(letter.pk))
    dossier = Dossier.objects.get(pk=received.pk)
    event = _last_event(dossier)
    assert event.action == "apology_sent"
    messages = _by_channel(services.notify_applicant(dossier, "apology", event))
    assert "Cần xác minh thêm tại địa phương" in messages["email"].body
    assert "14/06/2024 17:00" in messages["email"].body
    assert "14/06/2024 17:00" in messages["sms"].body
    assert dossier.code in messages["email"].subject


def test_result_ready(dossier, leader):
    with time_machine.travel(local(2025, 3, 7, 10, 0), tick=False):
        dossiers.approve_result(dossier.pk, leader, "approved", "12/QĐ-UBND", "Trần Thị Bình")
    dossier.refresh_from_db()
    event = _last_event(dossier)
    messages = _by_channel(services.notify_applicant(dossier, "result_ready", event))
    assert dossier.code in messages["email"].subject
    assert "UBND phường Đông Thành" in messages["email"].body
    assert dossier.code in messages["sms"].body


def test_no_text_contains_the_id_number(dossier, officer, leader):
    kinds = ["received"]
    with time_machine.travel(local(2025, 3, 4, 10, 0), tick=False):
        dossiers.request_supplement(
            dossier.pk,
            officer,
            items="Tờ khai",
            reason="Thiếu chữ ký",
            expected_version=seen(dossier.pk),
        )
    kinds.append("supplement_requested")
    with time_machine.travel(local(2025, 3, 5, 10, 0), tick=False):
        dossiers.complete_supplement(dossier.pk, officer, expected_version=seen(dossier.pk))
        dossiers.approve_result(dossier.pk, leader, "approved", "12/QĐ-UBND", "Trần Thị Bình")
    kinds.append("result_ready")
    dossier.refresh_from_db()
    events = {e.action: e for e in dossier.events.all()}
    actions = {
        "received": "received",
        "supplement_requested": "supplement_requested",
        "result_ready": "resolved",
    }
    for kind in kinds:
        services.notify_applicant(dossier, kind, events[actions[kind]])
    texts = [m.subject + m.body for m in OutboxMessage.objects.all()]
    assert len(texts) == 6
    assert not [text for text in texts if ID_NUMBER in text]


def test_texts_are_composed_in_the_site_language(dossier):
    """An officer browsing in another language does not change what the applicant reads."""
    from django.utils import translation

    with translation.override("en"):
        english_ui = services.notify_applicant(dossier, "received", _last_event(dossier))
    OutboxMessage.objects.all().delete()
    with translation.override("vi"):
        vietnamese_ui = services.notify_applicant(dossier, "received", _last_event(dossier))
    assert [m.body for m in english_ui] == [m.body for m in vietnamese_ui]


def test_unknown_kind_or_foreign_event_is_refused(dossier, officer, unit, procedure, applicant):
    event = _last_event(dossier)
    with pytest.raises(ValueError):
        services.notify_applicant(dossier, "birthday", event)
    other = dossiers.receive_at_counter(officer, unit, procedure, applicant)
    with pytest.raises(ValueError):
        services.notify_applicant(other, "received", event)
    assert not OutboxMessage.objects.exists()
