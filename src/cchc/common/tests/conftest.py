"""Fixtures for the cross-app tests: the dossier fixtures (units, procedure, roles) plus a little
of everything the API serves, so the fuzz test reaches real objects and not only 404s."""

import pytest
import time_machine

from cchc.dossiers.tests.conftest import *  # noqa: F403
from cchc.dossiers.tests.conftest import local


@pytest.fixture
def clock():
    """Monday 3 March 2025, 09:00 (no holiday near); the clock moves so each request differs."""
    with time_machine.travel(local(2025, 3, 3, 9, 0), tick=True) as traveller:
        yield traveller


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("quantri", password="pw-123456")


@pytest.fixture
def sample_data(clock, officer, leader, processor, unit, other_unit, procedure, applicant):
    """Two dossiers at the counter (one forwarded) and one citizen feedback for the unit."""
    from cchc.dossiers import services as dossier_services
    from cchc.feedback import services as feedback_services

    procedure.implementing_units.set([unit])
    first = dossier_services.receive_at_counter(officer, unit, procedure, applicant)
    second = dossier_services.receive_at_counter(officer, unit, procedure, applicant)
    dossier_services.forward(second.pk, officer, processor, "", None)
    feedback, _token = feedback_services.submit(
        sender=feedback_services.Sender(
            name="Nguyễn Văn An", phone="0912345678", email="", address="", kind="individual"
        ),
        subject_kind="other",
        title="Chờ lâu ở quầy",
        content="Tôi phải chờ hơn một giờ ở quầy tiếp nhận hồ sơ hộ tịch.",
        unit=unit,
    )
    return {"dossiers": [first, second], "feedback": feedback}
