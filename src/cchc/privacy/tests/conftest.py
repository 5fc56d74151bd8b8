"""A small world of two people's records, made through the real services at fixed past moments.

Nguyễn Văn An (ID 001090012345, 0912 345 678, an@example.com) and Trần Thị Bình (ID
002095054321, 0987 654 321, binh@example.com): An has a dossier closed in 2014 (past the 10-year
retention on 1/6/2026), one closed in 2024 (within it) and one still in handling; feedback,
notifications, a survey invitation and a citizen account; Bình has a closed 2014 dossier,
feedback and a notification of her own.
"""

from dataclasses import dataclass
from datetime import date

import pytest
import time_machine
from django.core.files.base import ContentFile

from cchc.dossiers import services as dossiers
from cchc.dossiers.models import Dossier, DossierComponent
from cchc.dossiers.tests.conftest import (  # noqa: F401  (fixtures)
    applicant,
    leader,
    local,
    officer,
    procedure,
    unit,
)
from cchc.feedback import services as feedback_services
from cchc.feedback.models import Feedback
from cchc.notifications import services as notifications
from cchc.surveys.models import Invitation
from cchc.surveys.tests.campaign_factories import campaign

TODAY = date(2026, 6, 1)

AN = {"id_number": "001090012345", "phone": "0912345678", "email": "an@example.com"}
BINH = {"id_number": "002095054321", "phone": "0987654321", "email": "binh@example.com"}


@dataclass
class World:
    old: Dossier  # An's, closed 10/3/2014: past retention
    recent: Dossier  # An's, closed 2024: within retention
    running: Dossier  # An's, in handling
    other: Dossier  # Bình's, closed 10/3/2014
    feedback: Feedback  # An's, refused 2014
    other_feedback: Feedback  # Bình's
    invitation: Invitation  # to An's phone
    account: object  # An's citizen account


def _person(name, who, **extra):
    return dossiers.Applicant(
        kind="individual",
        name=name,
        id_type="cccd",
        id_number=who["id_number"],
        phone=who["phone"],
        email=who["email"],
        address="Số 1 đường Lê Lợi, phường Đông Thành",
        **extra,
    )


def _closed(officer, unit, procedure, person, moment, *, upload=True):  # noqa: F811
    with time_machine.travel(moment, tick=False):
        dossier = dossiers.receive_at_counter(officer, unit, procedure, person)
        if upload:
            component = DossierComponent.objects.filter(dossier=dossier).first() or (
                DossierComponent.objects.create(dossier=dossier, name="Tờ khai")
            )
            component.file.save("to-khai.pdf", ContentFile(b"%PDF-1.4 personal"), save=True)
        dossiers.withdraw(dossier.pk, officer, "Người nộp xin rút hồ sơ")
    return Dossier.objects.get(pk=dossier.pk)


def _feedback(unit, leader, sender, moment, *, user=None):  # noqa: F811
    with time_machine.travel(moment, tick=False):
        item, _token = feedback_services.submit(
            sender=sender,
            subject_kind="other",
            title="Thái độ phục vụ",
            content="Tôi là người nộp hồ sơ, số điện thoại của tôi ở trên.",
            unit=unit,
            user=user,
        )
        feedback_services.reject(item.pk, leader, "Không thuộc thẩm quyền")
    return Feedback.objects.get(pk=item.pk)


@pytest.fixture
def world(db, django_user_model, unit, procedure, officer, leader):  # noqa: F811
    an = _person("Nguyễn Văn An", AN, birth_date=date(1990, 5, 17))
    binh = _person("Trần Thị Bình", BINH)
    account = django_user_model.objects.create_user(
        "an.congdan", password="pw-123456", full_name="Nguyễn Văn An", email="An@Example.com",
        phone="0912 345 678",
    )  # fmt: skip
    old = _closed(officer, unit, procedure, an, local(2014, 3, 10, 9, 0))
    Dossier.objects.filter(pk=old.pk).update(applicant_user=account, returned_to="Nguyễn Văn An")
    other = _closed(officer, unit, procedure, binh, local(2014, 3, 10, 10, 0))
    recent = _closed(officer, unit, procedure, an, local(2024, 3, 11, 9, 0))
    with time_machine.travel(local(2026, 5, 20, 9, 0), tick=False):
        running = dossiers.receive_at_counter(officer, unit, procedure, an)
    fb = _feedback(
        unit,
        leader,
        feedback_services.Sender(name="Nguyễn Văn An", phone="+84 912 345 678",
                                 email="an@example.com", address="Phường Đông Thành"),
        local(2014, 4, 1, 9, 0),
        user=account,
    )  # fmt: skip
    other_fb = _feedback(
        unit,
        leader,
        feedback_services.Sender(name="Trần Thị Bình", phone=BINH["phone"], email=BINH["email"]),
        local(2014, 4, 2, 9, 0),
    )
    with time_machine.travel(local(2014, 3, 10, 11, 0), tick=False):
        for dossier, who in ((old, AN), (other, BINH)):
            notifications.enqueue(
                channel="email", recipient=who["email"], body=f"Hồ sơ {dossier.code}",
                dedup_key=f"{dossier.pk}:test:email", dossier=dossier,
            )  # fmt: skip
            notifications.enqueue(
                channel="sms", recipient=who["phone"], body=f"Hồ sơ {dossier.code}",
                dedup_key=f"{dossier.pk}:test:sms", dossier=dossier,
            )  # fmt: skip
        from cchc.notifications.models import OutboxMessage

        OutboxMessage.objects.filter(dossier__in=[old, other]).update(
            status="sent", sent_at=local(2014, 3, 10, 11, 1)
        )
    survey = campaign(unit.parent, [unit], code="sipas-2015", closed_at=local(2015, 1, 10, 9, 0))
    invitation = Invitation.objects.create(
        campaign=survey, unit=unit, token_hash="a" * 64, channel="sms", dossier=old,
        contact=AN["phone"], status="sent", sent_at=local(2014, 12, 1, 9, 0),
    )  # fmt: skip
    return World(old, recent, running, other, fb, other_fb, invitation, account)
