"""Each role lands on its own start page after signing in (issue 9, item 9c); a safe ``next``
address still wins, an unsafe one is ignored."""

import pytest
from django.test import Client

from cchc.organisations.models import Role, RoleAssignment
from cchc.organisations.tests.factories import (
    PASSWORD,
    OrganisationUnitFactory,
    RoleAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LOGIN_URL = "/tai-khoan/dang-nhap/"


def sign_in(user, **extra):
    client = Client()
    response = client.post(LOGIN_URL, {"username": user.username, "password": PASSWORD, **extra})
    assert response.status_code == 302, response.content[:400]
    return client, response


def with_roles(*roles):
    unit = OrganisationUnitFactory()
    user = UserFactory()
    for role in roles:
        RoleAssignmentFactory(user=user, unit=unit, role=role)
    return user


@pytest.mark.parametrize(
    ("roles", "start"),
    [
        ((Role.ONE_STOP_OFFICER,), "/ho-so/"),
        ((Role.PROCESSING_OFFICER,), "/ho-so/"),
        ((Role.LEADER,), "/dieu-hanh/"),
        ((Role.REFORM_STAFF,), "/dieu-hanh/"),
        ((Role.AUDITOR,), "/bao-cao/"),
        ((Role.SYSTEM_ADMIN,), "/dieu-hanh/"),
        ((Role.PROCESSING_OFFICER, Role.LEADER), "/dieu-hanh/"),  # the leader's view first
        ((), "/cong-dan/ho-so/"),  # a citizen: their own dossiers
    ],
)
def test_each_role_starts_on_its_own_page(roles, start):
    client, response = sign_in(with_roles(*roles))
    assert response.url == start
    assert client.get(response.url).status_code == 200  # and the page opens for that role


def test_an_inactive_role_does_not_count():
    user = with_roles(Role.LEADER)
    RoleAssignment.objects.filter(user=user).update(active=False)
    _, response = sign_in(user)
    assert response.url == "/cong-dan/ho-so/"


@pytest.mark.parametrize("roles", [(Role.LEADER,), (Role.ONE_STOP_OFFICER,), ()])
def test_a_safe_next_address_still_wins(roles):
    _, response = sign_in(with_roles(*roles), next="/thu-tuc/")
    assert response.url == "/thu-tuc/"


def test_an_unsafe_next_address_falls_back_to_the_start_page():
    _, response = sign_in(with_roles(Role.PROCESSING_OFFICER), next="https://evil.example.com/")
    assert response.url == "/ho-so/"


def test_a_signed_in_user_opening_the_sign_in_page_goes_to_the_start_page():
    client, _ = sign_in(with_roles(Role.AUDITOR))
    response = client.get(LOGIN_URL)
    assert response.status_code == 302 and response.url == "/bao-cao/"
