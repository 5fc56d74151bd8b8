"""Late dossiers: apology letter drafted, signed by the leader, appointment moved once."""

from datetime import timedelta

import pytest
import time_machine

from cchc.dossiers import selectors, services
from cchc.dossiers.models import ApologyStatus

from .conftest import letter_seen, local, page_version, seen

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(officer, unit, procedure, applicant):
    with time_machine.travel(local(2024, 6, 3, 8, 0), tick=False):
        received = services.receive_at_counter(officer, unit, procedure, applicant)
        return services.forward(received.pk, officer)


def test_at_risk_dossier_is_found_and_apology_moves_the_appointment_once(
    client, dossier, processor, leader
):
    assert dossier.due_at == local(2024, 6, 10, 17, 0)
    with time_machine.travel(local(2024, 6, 5, 9, 0), tick=False):
        assert not selectors.needs_apology(dossier)
    with time_machine.travel(local(2024, 6, 7, 9, 0), tick=False):
        assert selectors.needs_apology(dossier)  # 15.5 working hours left ≤ 16
        assert dossier in selectors.queue(processor, "can-xin-loi")
        letter = services.draft_apology(
            dossier.pk,
            processor,
            "Cần xác minh thêm",
            local(2024, 6, 14, 17, 0),
            expected_version=seen(dossier.pk),
        )
        with pytest.raises(services.ActionForbidden):
            services.approve_apology(letter.pk, processor, expected_version=letter_seen(letter.pk))
        letter = services.approve_apology(
            letter.pk, leader, expected_version=letter_seen(letter.pk)
        )
    dossier.refresh_from_db()
    assert letter.status == ApologyStatus.SENT and letter.signer_name == "lanhdao"
    assert dossier.appointment_at == local(2024, 6, 14, 17, 0)
    assert dossier.due_at == local(2024, 6, 10, 17, 0)  # the legal reference stays
    assert dossier.events.last().data["issued_in_time"] is True
    with time_machine.travel(local(2024, 6, 7, 10, 0), tick=False):
        assert dossier not in selectors.queue(processor, "can-xin-loi")
        with pytest.raises(services.TransitionNotAllowed):
            services.draft_apology(
                dossier.pk,
                processor,
                "Lần hai",
                local(2024, 6, 20, 17, 0),
                expected_version=seen(dossier.pk),
            )
    # Visible in the public lookup.
    page = client.post("/tra-cuu/", {"code": dossier.code, "digits": "5678"}).content.decode()
    assert "14/06/2024" in page


def test_apology_after_the_deadline_is_recorded_as_late(dossier, processor, leader):
    with time_machine.travel(local(2024, 6, 10, 9, 0), tick=False):
        letter = services.draft_apology(
            dossier.pk,
            processor,
            "Chậm do chờ ý kiến",
            local(2024, 6, 12, 17, 0),
            expected_version=seen(dossier.pk),
        )
        services.approve_apology(letter.pk, leader, expected_version=letter_seen(letter.pk))
    assert dossier.events.last().data["issued_in_time"] is False


@pytest.mark.parametrize("days", [0, -1])
def test_new_appointment_must_be_later(dossier, processor, days):
    with pytest.raises(services.DossierError):
        services.draft_apology(
            dossier.pk,
            processor,
            "Lý do",
            dossier.due_at + timedelta(days=days),
            expected_version=seen(dossier.pk),
        )


def test_new_appointment_must_be_a_working_day(dossier, processor):
    with pytest.raises(services.DossierError):
        services.draft_apology(
            dossier.pk,
            processor,
            "Lý do",
            local(2024, 6, 15, 17, 0),
            expected_version=seen(dossier.pk),
        )


def test_rejected_draft_allows_a_new_one(dossier, processor, leader):
    letter = services.draft_apology(
        dossier.pk, processor, "Lý do", local(2024, 6, 14, 17, 0), expected_version=seen(dossier.pk)
    )
    with pytest.raises(services.TransitionNotAllowed):
        services.draft_apology(
            dossier.pk,
            processor,
            "Lý do",
            local(2024, 6, 14, 17, 0),
            expected_version=seen(dossier.pk),
        )
    services.reject_apology(letter.pk, leader, "Ghi rõ lý do")
    services.draft_apology(
        dossier.pk,
        processor,
        "Lý do rõ hơn",
        local(2024, 6, 14, 17, 0),
        expected_version=seen(dossier.pk),
    )


def test_apology_pages(client, dossier, processor, leader):
    client.force_login(processor)
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert f"/ho-so/{dossier.pk}/xin-loi/" in page
    form = {"reason": "Cần xác minh", "new_appointment_at": "14/06/2024 17:00"}
    client.post(f"/ho-so/{dossier.pk}/xin-loi/", form)  # without the page's version: refused
    assert not dossier.apologies.exists()
    client.post(f"/ho-so/{dossier.pk}/xin-loi/", {**form, "version": page_version(page)})
    letter = dossier.apologies.get()
    client.force_login(leader)
    page = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    decision = {"decision": "approve", "version": page_version(page)}
    client.post(f"/ho-so/{dossier.pk}/xin-loi/{letter.pk}/", decision)
    letter.refresh_from_db()
    assert letter.status == ApologyStatus.SENT


def test_rating_once_after_the_result(dossier, officer, leader):
    with pytest.raises(services.TransitionNotAllowed):
        services.rate(dossier.pk, 5)
    services.approve_result(dossier.pk, leader, "approved", "1/XN", "")
    with pytest.raises(services.DossierError):
        services.rate(dossier.pk, 6)
    rating = services.rate(dossier.pk, 4, "Cán bộ nhiệt tình")
    assert rating.score == 4
    with pytest.raises(services.TransitionNotAllowed):
        services.rate(dossier.pk, 5)
