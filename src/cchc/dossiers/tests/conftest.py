from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cchc.catalog.models import Field, Procedure, ProcedureComponent, ProcedureFee, WorkflowStep
from cchc.dossiers import services
from cchc.organisations.models import OrganisationUnit, Role, RoleAssignment, UnitKind

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def unit(db):
    province = OrganisationUnit.objects.create(
        kind=UnitKind.PROVINCE_COMMITTEE, name="UBND tỉnh An Bình", code="000.00.00.H99"
    )
    return OrganisationUnit.objects.create(
        kind=UnitKind.COMMUNE_COMMITTEE,
        name="UBND phường Đông Thành",
        code="000.00.31.H99",
        parent=province,
    )


@pytest.fixture
def other_unit(unit):
    return OrganisationUnit.objects.create(
        kind=UnitKind.DEPARTMENT, name="Sở Tư pháp", code="000.00.15.H99", parent=unit.parent
    )


@pytest.fixture
def procedure(unit):
    """A commune-level procedure that ``unit`` implements (so ``unit`` handles it)."""
    field = Field.objects.create(name="Hộ tịch")
    procedure = Procedure.objects.create(
        code="1.004873",
        name="Cấp Giấy xác nhận tình trạng hôn nhân",
        field=field,
        level_commune=True,
        time_limit_amount=5,
        time_limit_unit="working_days",
        channel_counter=True,
        channel_online=True,
        online_level="full",
    )
    ProcedureFee.objects.create(procedure=procedure, channel="counter", amount=20000)
    ProcedureFee.objects.create(procedure=procedure, channel="online", amount=10000)
    ProcedureComponent.objects.create(procedure=procedure, name="Tờ khai", mandatory=True)
    procedure.implementing_units.add(unit)
    for order, (name, role, hours) in enumerate(
        [
            ("Tiếp nhận hồ sơ", Role.ONE_STOP_OFFICER, 4),
            ("Thẩm định hồ sơ", Role.PROCESSING_OFFICER, 28),
            ("Ký duyệt", Role.LEADER, 4),
            ("Trả kết quả", Role.ONE_STOP_OFFICER, 4),
        ]
    ):
        WorkflowStep.objects.create(
            procedure=procedure, order=order, name=name, role=role, hours=Decimal(hours)
        )
    return procedure


def seen(dossier_id: int) -> int:
    """The dossier's version as a page or client showing it now would send it."""
    from cchc.dossiers.models import Dossier

    return Dossier.objects.values_list("version", flat=True).get(pk=dossier_id)


def page_version(page: str) -> str:
    """The version a dossier page's forms post (their hidden ``version`` field)."""
    import re

    versions = set(re.findall(r'name="version" value="(\d+)"', page))
    assert len(versions) == 1, versions
    return versions.pop()


def letter_seen(letter_id: int) -> int:
    """The version of an apology letter's dossier, as the dossier page would send it."""
    from cchc.dossiers.models import ApologyLetter

    return seen(ApologyLetter.objects.values_list("dossier_id", flat=True).get(pk=letter_id))


def version_for(action: str, target_id: int) -> int:
    """The version a page would send with ``action`` (a dossier's, or an apology letter's)."""
    return letter_seen(target_id) if action == "approve_apology" else seen(target_id)


def _user(django_user_model, username, role, unit):
    user = django_user_model.objects.create_user(username, password="pw-123456", full_name=username)
    RoleAssignment.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def officer(django_user_model, unit):
    return _user(django_user_model, "motcua", Role.ONE_STOP_OFFICER, unit)


@pytest.fixture
def processor(django_user_model, unit):
    return _user(django_user_model, "chuyenvien", Role.PROCESSING_OFFICER, unit)


@pytest.fixture
def leader(django_user_model, unit):
    return _user(django_user_model, "lanhdao", Role.LEADER, unit)


@pytest.fixture
def auditor(django_user_model, unit):
    return _user(django_user_model, "kiemtra", Role.AUDITOR, unit.parent)


@pytest.fixture
def applicant():
    return services.Applicant(
        kind="individual",
        name="Nguyễn Văn An",
        id_type="cccd",
        id_number="001090012345",
        phone="0912345678",
        email="an@example.com",
        address="Số 1 đường Lê Lợi, phường Đông Thành",
    )
