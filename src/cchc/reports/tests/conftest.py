"""Fixtures of the statistics tests: a ward (the receiving unit), a department, their staff, two
procedures, and a ``desk`` that drives the dossier services at fixed moments (time-machine).

Dossiers are built through ``cchc.dossiers.services`` so that the counters under test are the
ones kept incrementally by ``append_event`` → ``dossier_changed`` → ``refresh_dossier_stats``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.catalog.models import Field, Procedure, ProcedureComponent, WorkflowStep
from cchc.dossiers import services as dossier_services
from cchc.dossiers.models import Channel, DossierComponent, Outcome
from cchc.dossiers.tests import conftest as dossier_fixtures
from cchc.organisations.models import Role, RoleAssignment

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# The ward (000.00.31.H99) under the province, the department (000.00.15.H99), one civil-status
# procedure (5 working days, counter and online) and the applicant, as in the dossiers app.
unit = dossier_fixtures.unit
other_unit = dossier_fixtures.other_unit
procedure = dossier_fixtures.procedure
officer = dossier_fixtures.officer
processor = dossier_fixtures.processor
leader = dossier_fixtures.leader
applicant = dossier_fixtures.applicant


def at(year, month, day, hour=9, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def _staff(django_user_model, username, role, unit):
    user = django_user_model.objects.create_user(username, password="pw-123456", full_name=username)
    RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def postal_procedure(unit):
    """A second procedure in a second field, open to the post and online (3 working days), that
    ``unit`` implements."""
    field = Field.objects.create(name="Chứng thực")
    procedure = Procedure.objects.create(
        code="2.000908",
        name="Cấp bản sao từ sổ gốc",
        field=field,
        level_commune=True,
        time_limit_amount=3,
        time_limit_unit="working_days",
        channel_counter=True,
        channel_online=True,
        channel_postal=True,
        online_level="full",
    )
    ProcedureComponent.objects.create(procedure=procedure, name="Đơn đề nghị", mandatory=True)
    procedure.implementing_units.add(unit)
    for order, (name, role) in enumerate(
        [("Tiếp nhận", Role.ONE_STOP_OFFICER), ("Xử lý", Role.PROCESSING_OFFICER)]
    ):
        WorkflowStep.objects.create(
            procedure=procedure, order=order, name=name, role=role, hours=Decimal(4)
        )
    return procedure


@pytest.fixture
def dept_officer(django_user_model, other_unit):
    return _staff(django_user_model, "motcua-so", Role.ONE_STOP_OFFICER, other_unit)


@pytest.fixture
def dept_processor(django_user_model, other_unit):
    return _staff(django_user_model, "chuyenvien-so", Role.PROCESSING_OFFICER, other_unit)


@pytest.fixture
def dept_leader(django_user_model, other_unit):
    return _staff(django_user_model, "lanhdao-so", Role.LEADER, other_unit)


class Desk:
    """Lifecycle actions at a given moment: ``desk.receive(at(2026, 3, 2), ...)``."""

    def __init__(self, applicant):
        self.applicant = applicant

    @staticmethod
    def _at(moment):
        return time_machine.travel(moment, tick=False)

    def receive(self, moment, actor, unit, procedure, channel=Channel.COUNTER):
        with self._at(moment):
            if channel == Channel.ONLINE:
                return self.receive_online(moment, actor, unit, procedure)
            return dossier_services.receive_at_counter(
                actor, unit, procedure, self.applicant, channel=channel
            )

    def submit_online(self, moment, unit, procedure):
        """An online submission (status 1), not yet accepted by the counter."""
        with self._at(moment):
            draft = dossier_services.create_draft(None, unit, procedure, self.applicant)
            for required in procedure.components.filter(mandatory=True):
                DossierComponent.objects.create(
                    dossier=draft,
                    required=required,
                    name=required.name,
                    file=SimpleUploadedFile("don.pdf", b"%PDF-1.4"),
                )
            return dossier_services.submit_online(draft.pk, None)

    def receive_online(self, moment, actor, unit, procedure):
        submitted = self.submit_online(moment, unit, procedure)
        with self._at(moment):
            return dossier_services.accept(submitted.pk, actor)

    def do(self, moment, action, *args, **kwargs):
        """Any dossier service, e.g. ``desk.do(t, "forward", pk, officer)``."""
        if action in dossier_services.DEADLINE_ACTIONS:  # the version the page would send
            kwargs.setdefault("expected_version", dossier_fixtures.version_for(action, args[0]))
        with self._at(moment):
            return getattr(dossier_services, action)(*args, **kwargs)

    def resolve(self, moment, dossier_id, leader, refused=False):
        outcome = Outcome.REFUSED if refused else Outcome.APPROVED
        note = "Không đủ điều kiện theo quy định" if refused else ""
        return self.do(
            moment, "approve_result", dossier_id, leader, outcome, "12/QĐ", "", note=note
        )


@pytest.fixture
def desk(applicant):
    return Desk(applicant)
