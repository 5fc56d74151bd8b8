from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cchc.catalog.models import Field, Procedure
from cchc.dossiers import services as dossier_services
from cchc.feedback import services
from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PHONE = "0912345678"
EMAIL = "an.nguyen@example.com"
ADDRESS = "Số 17 đường Lê Lợi, phường Đông Thành"
NAME = "Nguyễn Văn An"


def local(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def clock():
    """A fixed working moment: Monday 3 March 2025, 09:00 (no holiday near)."""
    with time_machine.travel(local(2025, 3, 3, 9, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def province(db):
    return OrganisationUnit.objects.create(
        kind=UnitKind.PROVINCE_COMMITTEE, name="UBND tỉnh An Bình", code="000.00.00.H99"
    )


@pytest.fixture
def unit(province):
    return OrganisationUnit.objects.create(
        kind=UnitKind.COMMUNE_COMMITTEE,
        name="UBND phường Đông Thành",
        code="000.00.31.H99",
        parent=province,
    )


@pytest.fixture
def centre(unit):
    return OrganisationUnit.objects.create(
        kind=UnitKind.SERVICE_CENTRE,
        name="Trung tâm PVHCC phường Đông Thành",
        code="000.01.31.H99",
        parent=unit,
    )


@pytest.fixture
def other_unit(province):
    return OrganisationUnit.objects.create(
        kind=UnitKind.DEPARTMENT, name="Sở Tư pháp", code="000.00.15.H99", parent=province
    )


@pytest.fixture
def field(db):
    return Field.objects.create(name="Hộ tịch")


@pytest.fixture
def procedure(field, unit):
    """A commune procedure implemented by one unit only."""
    procedure = Procedure.objects.create(
        code="1.004873",
        name="Cấp Giấy xác nhận tình trạng hôn nhân",
        field=field,
        level_commune=True,
        time_limit_amount=5,
        time_limit_unit="working_days",
    )
    procedure.implementing_units.set([unit])
    return procedure


@pytest.fixture
def shared_procedure(field, unit, other_unit):
    """Implemented by several units: the sender's choice decides."""
    procedure = Procedure.objects.create(
        code="2.000635",
        name="Cấp bản sao Trích lục hộ tịch",
        field=field,
        level_commune=True,
        level_province=True,
        time_limit_amount=1,
        time_limit_unit="working_days",
    )
    procedure.implementing_units.set([unit, other_unit])
    return procedure


def make_user(django_user_model, username, role=None, unit=None):
    user = django_user_model.objects.create_user(
        username, password="pw-123456", full_name=username.title()
    )
    if role is not None:
        RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def officer(django_user_model, unit):
    return make_user(django_user_model, "motcua", Role.ONE_STOP_OFFICER, unit)


@pytest.fixture
def processor(django_user_model, unit):
    return make_user(django_user_model, "chuyenvien", Role.PROCESSING_OFFICER, unit)


@pytest.fixture
def leader(django_user_model, unit):
    return make_user(django_user_model, "lanhdao", Role.LEADER, unit)


@pytest.fixture
def auditor(django_user_model, province):
    return make_user(django_user_model, "kiemtra", Role.AUDITOR, province)


@pytest.fixture
def stranger(django_user_model, other_unit):
    """An officer of another unit."""
    return make_user(django_user_model, "tuphap", Role.PROCESSING_OFFICER, other_unit)


@pytest.fixture
def other_leader(django_user_model, other_unit):
    return make_user(django_user_model, "lanhdao.tuphap", Role.LEADER, other_unit)


@pytest.fixture
def citizen(django_user_model):
    return make_user(django_user_model, "congdan")


@pytest.fixture
def dossier(django_user_model, centre, procedure, citizen):
    """A dossier received by the service centre, owned by ``citizen``."""
    counter = make_user(django_user_model, "quay1", Role.ONE_STOP_OFFICER, centre)
    applicant = dossier_services.Applicant(
        kind="individual",
        name="Trần Thị Bình",
        id_type="cccd",
        id_number="001090012345",
        phone="0987654321",
    )
    dossier = dossier_services.receive_at_counter(counter, centre, procedure, applicant)
    dossier.applicant_user = citizen
    dossier.save(update_fields=["applicant_user"])
    return dossier


def sender(**changes) -> services.Sender:
    values = {"name": NAME, "phone": PHONE, "email": EMAIL, "address": ADDRESS}
    values.update(changes)
    return services.Sender(**values)


def submit(unit=None, **changes):
    """A valid anonymous feedback to ``unit`` (about something else); returns (feedback, token)."""
    values = {
        "sender": sender(),
        "subject_kind": "other",
        "title": "Đề nghị bố trí thêm ghế chờ",
        "content": "Khu vực chờ thường quá tải vào đầu tuần, nhiều người phải đứng chờ lâu.",
        "unit": unit,
        "client_address": "10.0.0.1",
    }
    values.update(changes)
    return services.submit(**values)


def to_state(feedback, state, officer, leader, token=""):
    """Walk a feedback to ``state`` through the services."""
    if state == "received":
        return feedback
    if state == "rejected":
        return services.reject(feedback.pk, officer, "Không thuộc thẩm quyền.")
    feedback = services.classify(feedback.pk, officer, "other")
    if state == "classified":
        return feedback
    feedback = services.answer(feedback.pk, officer, "Phường đã bố trí thêm 20 ghế chờ.")
    if state == "answered":
        return feedback
    feedback = services.publish(
        feedback.pk, leader, "Khu vực chờ thường quá tải.", "Phường đã bố trí thêm 20 ghế chờ."
    )
    if state == "published":
        return feedback
    return services.rate(feedback.pk, "satisfied", token=token)
