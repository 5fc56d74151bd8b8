"""Fixtures of the dashboard tests: the province, a ward (the receiving unit), a department, their
staff, and ``march``: dossiers built through ``cchc.dossiers.services`` at fixed moments, so the
counters under test are the ones ``append_event`` keeps.

``march`` (the clock of the tests is NOW, Wednesday 18/03/2026 10:00; procedure of 5 working days,
office hours 7:30–11:30 and 13:00–17:00, no holiday in February–March outside Tết):

====  =================================================  ===========================================
name  what happens                                       what it shows on the dashboard
====  =================================================  ===========================================
I     ward, counter, received 02/02 09:00, resolved      February: outside "this month", inside the
      04/02 10:00 (early), rated 4                       quarter and the public 12 months
A     ward, counter, received 02/03 09:00, due 09/03     overdue now (6,31 working days late),
      17:00, still open; apology sent 06/03              apology letter this month
B     ward, counter, received 03/03 09:00, resolved      resolved early; rating 5
      05/03 10:00
C     ward, online, received 04/03 09:00, due 11/03      resolved late; rating 2 (dissatisfied)
      17:00, resolved 12/03 09:00
J     ward, counter, received 05/03 09:00, due 12/03     resolved on time (its due day); rating 3
      17:00, resolved 12/03 16:00
X     ward, counter, received 11/03 09:00, due 18/03     near due, not overdue now; but the report
      17:00 (today), open                                counts it overdue for the whole of today
N     ward, counter, received 12/03 14:00, due 19/03     neither (due beyond one working day)
      17:00, open
G     ward, online, received 16/03 09:00, supplement     clock stopped: neither overdue nor near due
      asked 17/03 09:00
E, F  ward, received today 08:00 (counter) and 09:00     received today (2), F online
      (online)
H     department, counter, received 02/03 09:00, open    overdue now, in the province's scope only
====  =================================================  ===========================================

Feedback: one waiting for the ward, one for the department.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.dossiers import services as dossier_services
from cchc.dossiers.models import Channel, DossierComponent, Outcome
from cchc.dossiers.tests import conftest as dossier_fixtures
from cchc.organisations.models import Role, RoleAssignment

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PASSWORD = "pw-123456"

unit = dossier_fixtures.unit  # UBND phường Đông Thành (000.00.31.H99) under the province
other_unit = dossier_fixtures.other_unit  # Sở Tư pháp (000.00.15.H99)
procedure = dossier_fixtures.procedure  # 1.004873, 5 working days, counter and online
officer = dossier_fixtures.officer
processor = dossier_fixtures.processor
leader = dossier_fixtures.leader
auditor = dossier_fixtures.auditor  # at the province
applicant = dossier_fixtures.applicant  # Nguyễn Văn An, 001090012345, 0912345678, …


def at(year, month, day, hour=9, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


NOW = at(2026, 3, 18, 10, 0)


def staff(django_user_model, username, role, unit):
    user = django_user_model.objects.create_user(username, password=PASSWORD, full_name=username)
    RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def dept_officer(django_user_model, other_unit):
    return staff(django_user_model, "motcua-so", Role.ONE_STOP_OFFICER, other_unit)


@pytest.fixture
def reform_staff(django_user_model, unit):
    return staff(django_user_model, "cchc", Role.REFORM_STAFF, unit.parent)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", password=PASSWORD, full_name="Root")


class Desk:
    """Dossier services at given moments: ``desk.receive(at(2026, 3, 2), officer, unit, p)``."""

    def __init__(self, applicant):
        self.applicant = applicant

    @staticmethod
    def _at(moment):
        return time_machine.travel(moment, tick=False)

    def receive(self, moment, actor, unit, procedure, channel=Channel.COUNTER):
        if channel == Channel.ONLINE:
            with self._at(moment):
                draft = dossier_services.create_draft(None, unit, procedure, self.applicant)
                for required in procedure.components.filter(mandatory=True):
                    DossierComponent.objects.create(
                        dossier=draft,
                        required=required,
                        name=required.name,
                        file=SimpleUploadedFile("don.pdf", b"%PDF-1.4"),
                    )
                submitted = dossier_services.submit_online(draft.pk, None)
                return dossier_services.accept(submitted.pk, actor)
        with self._at(moment):
            return dossier_services.receive_at_counter(actor, unit, procedure, self.applicant)

    def do(self, moment, action, *args, **kwargs):
        if action in dossier_services.DEADLINE_ACTIONS:  # the version the page would send
            kwargs.setdefault("expected_version", dossier_fixtures.version_for(action, args[0]))
        with self._at(moment):
            return getattr(dossier_services, action)(*args, **kwargs)

    def resolve(self, moment, dossier_id, leader):
        return self.do(moment, "approve_result", dossier_id, leader, Outcome.APPROVED, "12/QĐ", "")


@pytest.fixture
def desk(applicant):
    return Desk(applicant)


@pytest.fixture
def march(desk, unit, other_unit, procedure, officer, processor, leader, dept_officer):
    from cchc.feedback import services as feedback_services

    online = Channel.ONLINE
    d = {}
    d["I"] = desk.receive(at(2026, 2, 2), officer, unit, procedure)
    desk.resolve(at(2026, 2, 4, 10), d["I"].pk, leader)
    desk.do(at(2026, 2, 4, 11), "rate", d["I"].pk, 4)

    d["A"] = desk.receive(at(2026, 3, 2), officer, unit, procedure)
    desk.do(at(2026, 3, 2, 10), "forward", d["A"].pk, officer)
    letter = desk.do(
        at(2026, 3, 6), "draft_apology", d["A"].pk, processor, "Cần xác minh", at(2026, 3, 13, 17)
    )
    desk.do(at(2026, 3, 6, 10), "approve_apology", letter.pk, leader)

    d["B"] = desk.receive(at(2026, 3, 3), officer, unit, procedure)
    desk.resolve(at(2026, 3, 5, 10), d["B"].pk, leader)
    desk.do(at(2026, 3, 5, 11), "rate", d["B"].pk, 5)

    d["C"] = desk.receive(at(2026, 3, 4), officer, unit, procedure, online)
    desk.resolve(at(2026, 3, 12, 9), d["C"].pk, leader)
    desk.do(at(2026, 3, 12, 10), "rate", d["C"].pk, 2)

    d["J"] = desk.receive(at(2026, 3, 5), officer, unit, procedure)
    desk.resolve(at(2026, 3, 12, 16), d["J"].pk, leader)
    desk.do(at(2026, 3, 12, 16, 30), "rate", d["J"].pk, 3)

    d["X"] = desk.receive(at(2026, 3, 11), officer, unit, procedure)
    desk.do(at(2026, 3, 11, 10), "forward", d["X"].pk, officer)
    d["N"] = desk.receive(at(2026, 3, 12, 14), officer, unit, procedure)

    d["G"] = desk.receive(at(2026, 3, 16), officer, unit, procedure, online)
    desk.do(at(2026, 3, 17), "request_supplement", d["G"].pk, officer, "Bản sao CCCD", "Thiếu")

    d["E"] = desk.receive(at(2026, 3, 18, 8), officer, unit, procedure)
    d["F"] = desk.receive(at(2026, 3, 18, 9), officer, unit, procedure, online)

    procedure.level_province = True
    procedure.save()
    procedure.implementing_units.add(other_unit)  # the department handles it too
    d["H"] = desk.receive(at(2026, 3, 2), dept_officer, other_unit, procedure)

    with time_machine.travel(at(2026, 3, 17), tick=False):
        for responsible in (unit, other_unit):
            feedback_services.submit(
                sender=feedback_services.Sender(name="Trần Thị Bích", phone="0987654321"),
                subject_kind="other",
                title="Thái độ phục vụ",
                content="Cán bộ tiếp nhận hướng dẫn chưa rõ ràng, đề nghị xem xét.",
                unit=responsible,
            )
    for dossier in d.values():
        dossier.refresh_from_db()
    return d


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
