"""A province with two departments and a commune, and the staff of one department."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cchc.organisations.models import Role, UnitKind
from cchc.organisations.tests.factories import (
    OrganisationUnitFactory,
    RoleAssignmentFactory,
    UserFactory,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour=9):
    return datetime(year, month, day, hour, tzinfo=TZ)


def staff(role, unit, username=None):
    user = UserFactory(**({"username": username} if username else {}))
    RoleAssignmentFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def province(db):
    return OrganisationUnitFactory(
        kind=UnitKind.PROVINCE_COMMITTEE, name="UBND tỉnh Thử", code="000.00.00.T01"
    )


@pytest.fixture
def justice(province):
    return OrganisationUnitFactory(parent=province, name="Sở Tư pháp", code="000.00.15.T01")


@pytest.fixture
def home_affairs(province):
    return OrganisationUnitFactory(parent=province, name="Sở Nội vụ", code="000.00.10.T01")


@pytest.fixture
def commune(province):
    return OrganisationUnitFactory(
        parent=province,
        kind=UnitKind.COMMUNE_COMMITTEE,
        name="UBND xã Thử",
        code="000.00.31.T01",
    )


@pytest.fixture
def officer(justice):
    return staff(Role.PROCESSING_OFFICER, justice, "chuyenvien")


@pytest.fixture
def leader(justice):
    return staff(Role.LEADER, justice, "lanhdao")


@pytest.fixture
def other_officer(home_affairs):
    return staff(Role.PROCESSING_OFFICER, home_affairs, "chuyenvien.noivu")


@pytest.fixture
def province_staff(province):
    return staff(Role.REFORM_STAFF, province, "cchc.tinh")


@pytest.fixture
def province_leader(province):
    return staff(Role.LEADER, province, "lanhdao.tinh")
