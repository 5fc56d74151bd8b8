"""A unit's system administrator unlocks the sign-in of the unit's officers (and only theirs)."""

import pytest
from django.conf import settings
from django.test import Client

from cchc.accounts import selectors, services
from cchc.organisations.models import Role
from cchc.organisations.tests.factories import (
    PASSWORD,
    OrganisationUnitFactory,
    RoleAssignmentFactory,
    UserFactory,
)

from .test_login import assert_locked_out, assert_signed_in, attempt, fail

pytestmark = pytest.mark.django_db

UNLOCK_URL = "/tai-khoan/mo-khoa/"
ADDRESS = "203.0.113.40"


@pytest.fixture
def province():
    return OrganisationUnitFactory(name="UBND tỉnh thử")


@pytest.fixture
def commune(province):
    return OrganisationUnitFactory(name="UBND xã thử", parent=province)


@pytest.fixture
def admin(province):
    """System administrator of the province (and so of its communes); no superuser, no staff."""
    return RoleAssignmentFactory(unit=province, role=Role.SYSTEM_ADMIN).user


@pytest.fixture
def officer(commune):
    user = RoleAssignmentFactory(unit=commune, role=Role.ONE_STOP_OFFICER).user
    fail(user.username, settings.CCHC_LOGIN_MAX_FAILURES, address=ADDRESS)
    return user


def signed_in_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_units_administrator_unlocks_an_officer(admin, officer):
    client, response = attempt(officer.username, PASSWORD, address=ADDRESS)
    assert_locked_out(response, client)

    browser = signed_in_as(admin)
    page = browser.get(UNLOCK_URL).content.decode()
    assert officer.username in page and ADDRESS in page

    response = browser.post(UNLOCK_URL, {"username": officer.username}, follow=True)
    page = response.content.decode()
    assert f"Đã mở khóa đăng nhập cho tài khoản {officer.username}" in page
    assert "Không có tài khoản nào của đơn vị đang bị khóa" in page

    client, response = attempt(officer.username, PASSWORD, address=ADDRESS)
    assert_signed_in(response, client)


def test_an_administrator_of_another_unit_cannot_unlock(officer):
    stranger = RoleAssignmentFactory(unit=OrganisationUnitFactory(), role=Role.SYSTEM_ADMIN).user
    browser = signed_in_as(stranger)
    assert officer.username not in browser.get(UNLOCK_URL).content.decode()
    page = browser.post(UNLOCK_URL, {"username": officer.username}, follow=True).content.decode()
    assert "Tài khoản này không thuộc các đơn vị do bạn quản trị" in page
    client, response = attempt(officer.username, PASSWORD, address=ADDRESS)
    assert_locked_out(response, client)


def test_other_roles_have_no_unlock_page(officer, commune):
    leader = RoleAssignmentFactory(unit=commune, role=Role.LEADER).user
    browser = signed_in_as(leader)
    assert browser.get(UNLOCK_URL).status_code == 403
    assert browser.post(UNLOCK_URL, {"username": officer.username}).status_code == 403
    with pytest.raises(services.AccountError):
        services.unlock_sign_in(leader, officer.username)
    assert Client().get(UNLOCK_URL).status_code == 302  # to the sign-in page


def test_a_unit_administrator_cannot_unlock_a_superuser(admin, province):
    boss = UserFactory(is_superuser=True, is_staff=True)
    RoleAssignmentFactory(user=boss, unit=province, role=Role.LEADER)
    with pytest.raises(services.AccountError):
        services.unlock_sign_in(admin, boss.username)
    assert not selectors.unlockable_users(admin).filter(pk=boss.pk).exists()


def test_unknown_or_empty_user_names_are_refused(admin):
    for username in ("", "khong-ton-tai"):
        with pytest.raises(services.AccountError):
            services.unlock_sign_in(admin, username)


def test_superusers_unlock_anyone(officer):
    root = UserFactory(is_superuser=True, is_staff=True)
    assert [item.username for item in selectors.locked_sign_ins(root)] == [officer.username]
    assert services.unlock_sign_in(root, officer.username) >= 1
    assert selectors.locked_sign_ins(root) == []


def test_the_menu_offers_the_page_to_administrators_only(admin, officer):
    assert UNLOCK_URL in signed_in_as(admin).get("/").content.decode()
    assert UNLOCK_URL not in signed_in_as(officer).get("/").content.decode()
