"""Dossiers at both sides of the 15/9/2025 switch, made through the real services."""

import io
import unicodedata

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.dossiers import services
from cchc.dossiers.models import ApologyLetter, ApologyStatus, DossierComponent
from cchc.dossiers.tests import conftest as dossier_fixtures

# Fixtures shared with the dossiers app (a province, a ward under it, a department, users, …).
local = dossier_fixtures.local
unit = dossier_fixtures.unit
other_unit = dossier_fixtures.other_unit
procedure = dossier_fixtures.procedure
officer = dossier_fixtures.officer
processor = dossier_fixtures.processor
leader = dossier_fixtures.leader
auditor = dossier_fixtures.auditor
applicant = dossier_fixtures.applicant

OLD_DAY = (2024, 6, 3)  # a Monday under Thông tư 01/2018
NEW_DAY = (2026, 3, 2)  # a Monday under Thông tư 03/2025


def at(day, hour=8, minute=0):
    return local(*day, hour, minute)


def pdf_text(content: bytes) -> str:
    """The PDF's text, NFC-normalised, with runs of white space made single spaces."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdf_fonts(content: bytes) -> set[str]:
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


def resolved_and_returned(officer, processor, leader, unit, procedure, applicant, day):
    """Received at 08:00, through every step, resolved and returned on later days."""
    with time_machine.travel(at(day), tick=False):
        dossier = services.receive_at_counter(
            officer, unit, procedure, applicant, [{"required_id": procedure.components.get().pk}]
        )
        dossier = services.forward(dossier.pk, officer, handler=processor)
    with time_machine.travel(at(day, 14), tick=False):
        dossier = services.forward(dossier.pk, processor, note="Đủ điều kiện")
    with time_machine.travel(at((day[0], day[1], day[2] + 1), 9), tick=False):
        dossier = services.approve_result(dossier.pk, leader, "approved", "15/XN-UBND", "")
    with time_machine.travel(at((day[0], day[1], day[2] + 2), 10), tick=False):
        dossier = services.return_result(dossier.pk, officer, "counter", "Nguyễn Văn An")
    return dossier


@pytest.fixture
def returned_old(officer, processor, leader, unit, procedure, applicant):
    return resolved_and_returned(officer, processor, leader, unit, procedure, applicant, OLD_DAY)


@pytest.fixture
def returned_new(officer, processor, leader, unit, procedure, applicant):
    return resolved_and_returned(officer, processor, leader, unit, procedure, applicant, NEW_DAY)


def received_on(day, officer, unit, procedure, applicant):
    with time_machine.travel(at(day), tick=False):
        return services.receive_at_counter(officer, unit, procedure, applicant)


@pytest.fixture
def supplement_new(officer, unit, procedure, applicant):
    dossier = received_on(NEW_DAY, officer, unit, procedure, applicant)
    with time_machine.travel(at(NEW_DAY, 10), tick=False):
        return services.request_supplement(
            dossier.pk,
            officer,
            "Bản sao Giấy khai sinh\nẢnh 4x6 chụp không quá 6 tháng",
            "Tờ khai chưa ghi đủ nơi cư trú",
            5,
            expected_version=dossier_fixtures.seen(dossier.pk),
        )


def submitted_online(unit, procedure, applicant, day):
    with time_machine.travel(at(day), tick=False):
        draft = services.create_draft(None, unit, procedure, applicant)
        DossierComponent.objects.create(
            dossier=draft,
            required=procedure.components.get(),
            name="Tờ khai",
            file=SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4"),
        )
        return services.submit_online(draft.pk, None)


@pytest.fixture
def refused_old(officer, unit, procedure, applicant):
    dossier = submitted_online(unit, procedure, applicant, OLD_DAY)
    with time_machine.travel(at(OLD_DAY, 9), tick=False):
        return services.refuse_intake(
            dossier.pk, officer, "Thủ tục không thuộc thẩm quyền của cấp xã"
        )


def apology_for(dossier, leader, created, approved, reason="Cần xác minh thêm tại nơi cư trú"):
    """An approved-and-sent letter written directly (the brief: rows, not the service)."""
    return ApologyLetter.objects.create(
        dossier=dossier,
        status=ApologyStatus.SENT,
        reason=reason,
        original_appointment_at=dossier.appointment_at,
        new_appointment_at=local(created.year, created.month, created.day + 9, 17, 0),
        approved_by=leader,
        signer_name="Lê Thị Hồng",
        created_at=created,
        approved_at=approved,
        sent_at=approved,
    )
