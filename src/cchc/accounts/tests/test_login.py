"""Sign-in pages and login rate limiting (per username and per client address)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from cchc.accounts import services
from cchc.organisations.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/tai-khoan/dang-nhap/"
ADMIN_LOGIN_URL = "/quan-tri/login/"
MAX = settings.CCHC_LOGIN_MAX_FAILURES
WINDOW = settings.CCHC_LOGIN_WINDOW_SECONDS
START = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội


def attempt(username, password, address="10.0.0.1", url=LOGIN_URL, client=None, **extra):
    client = client or Client()
    data = {"username": username, "password": password, **extra}
    response = client.post(url, data, REMOTE_ADDR=address)
    return client, response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def error_codes(response) -> set[str]:
    form = response.context["form"]
    return {error.code for error in form.non_field_errors().as_data()}


def fail(username, times, address="10.0.0.1", url=LOGIN_URL):
    for _ in range(times):
        client, response = attempt(username, "wrong-password", address, url)
        assert response.status_code == 200
        assert not signed_in(client)


def assert_rate_limited(response, client):
    assert response.status_code == 200
    assert not signed_in(client)
    assert error_codes(response) == {"rate_limited"}
    # The message names the waiting time (whatever language it is shown in).
    message = response.context["form"].non_field_errors()[0]
    assert str(WINDOW // 60) in message
    assert escape(message) in response.content.decode()


# -- the page ---------------------------------------------------------------------------------
def test_login_page_renders():
    response = Client().get(LOGIN_URL)
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content
    assert b"csrfmiddlewaretoken" in response.content
    assert reverse("accounts:login") == LOGIN_URL


def test_successful_login_redirects_home():
    user = UserFactory()
    client, response = attempt(user.username, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)
    assert signed_in(client)
    assert int(client.session["_auth_user_id"]) == user.pk


def test_successful_login_follows_a_safe_next_url_only():
    user = UserFactory()
    _, response = attempt(user.username, PASSWORD, next="/thu-tuc/")
    assert response.url == "/thu-tuc/"
    _, response = attempt(user.username, PASSWORD, next="https://evil.example.com/")
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)


def test_wrong_password_is_refused_with_the_normal_message():
    user = UserFactory()
    client, response = attempt(user.username, "wrong-password")
    assert response.status_code == 200
    assert not signed_in(client)
    assert error_codes(response) == {"invalid_login"}


def test_inactive_user_cannot_sign_in():
    user = UserFactory(is_active=False)
    client, response = attempt(user.username, PASSWORD)
    assert response.status_code == 200
    assert not signed_in(client)


def test_signed_in_user_is_redirected_away_from_the_login_page():
    client = Client()
    client.force_login(UserFactory())
    response = client.get(LOGIN_URL)
    assert response.status_code == 302


# -- rate limiting: per username ---------------------------------------------------------------
def test_correct_password_is_refused_after_max_failures():
    user = UserFactory()
    fail(user.username, MAX)
    client, response = attempt(user.username, PASSWORD)
    assert_rate_limited(response, client)


def test_one_failure_fewer_than_the_limit_still_allows_login():
    user = UserFactory()
    fail(user.username, MAX - 1, address="10.0.0.1")
    client, response = attempt(user.username, PASSWORD, address="10.0.0.2")
    assert response.status_code == 302
    assert signed_in(client)


def test_username_is_locked_whatever_the_address():
    user = UserFactory()
    for number in range(MAX):
        fail(user.username, 1, address=f"10.1.0.{number}")
    client, response = attempt(user.username, PASSWORD, address="10.2.0.1")
    assert_rate_limited(response, client)
    # The addresses used are not locked for other accounts (one failure each).
    other = UserFactory()
    client, response = attempt(other.username, PASSWORD, address="10.1.0.0")
    assert signed_in(client)


def test_username_counter_ignores_case_and_spaces():
    user = UserFactory(username="nguyenvana")
    for number, variant in enumerate(["NguyenVanA", " nguyenvana", "NGUYENVANA ", "nguyenVana"]):
        fail(variant, 1, address=f"10.3.0.{number}")
    fail("nguyenvana", MAX - 4, address="10.3.1.1")
    client, response = attempt(user.username, PASSWORD, address="10.3.2.1")
    assert_rate_limited(response, client)


def test_success_resets_the_username_counter():
    user = UserFactory()
    fail(user.username, MAX - 1, address="10.4.0.1")
    client, _ = attempt(user.username, PASSWORD, address="10.4.0.2")
    assert signed_in(client)
    fail(user.username, MAX - 1, address="10.4.0.3")
    client, response = attempt(user.username, PASSWORD, address="10.4.0.4")
    assert signed_in(client), error_codes(response)


def test_blank_password_does_not_reset_the_username_counter():
    user = UserFactory()
    fail(user.username, MAX - 1, address="10.5.0.1")
    client, response = attempt(user.username, "", address="10.5.0.2")
    assert not signed_in(client)
    fail(user.username, 1, address="10.5.0.3")
    client, response = attempt(user.username, PASSWORD, address="10.5.0.4")
    assert_rate_limited(response, client)


# -- rate limiting: per client address ----------------------------------------------------------
def test_address_is_locked_whatever_the_username():
    users = UserFactory.create_batch(MAX + 1)
    for user in users[:MAX]:
        fail(user.username, 1, address="192.0.2.7")
    last = users[MAX]
    client, response = attempt(last.username, PASSWORD, address="192.0.2.7")
    assert_rate_limited(response, client)
    # The same account from another address is fine.
    client, response = attempt(last.username, PASSWORD, address="192.0.2.8")
    assert signed_in(client)


def test_unknown_usernames_count_against_the_address():
    fail("khong-ton-tai", MAX, address="192.0.2.9")
    user = UserFactory()
    client, response = attempt(user.username, PASSWORD, address="192.0.2.9")
    assert_rate_limited(response, client)


def test_forwarded_for_header_does_not_dodge_the_address_limit():
    users = UserFactory.create_batch(MAX + 1)
    for number, user in enumerate(users[:MAX]):
        client = Client()
        client.post(
            LOGIN_URL,
            {"username": user.username, "password": "wrong-password"},
            REMOTE_ADDR="198.51.100.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{number}",
        )
    client = Client()
    response = client.post(
        LOGIN_URL,
        {"username": users[MAX].username, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.1",
        HTTP_X_FORWARDED_FOR="203.0.113.200",
    )
    assert_rate_limited(response, client)


# -- the window ------------------------------------------------------------------------------
def test_lock_expires_after_the_window():
    user = UserFactory()
    with time_machine.travel(START, tick=False) as traveller:
        fail(user.username, MAX)
        traveller.shift(timedelta(seconds=WINDOW - 5))
        client, response = attempt(user.username, PASSWORD)
        assert_rate_limited(response, client)
        traveller.shift(timedelta(seconds=10))
        client, response = attempt(user.username, PASSWORD)
        assert response.status_code == 302
        assert signed_in(client)


def test_blocked_attempts_do_not_extend_the_lock():
    user = UserFactory()
    with time_machine.travel(START, tick=False) as traveller:
        fail(user.username, MAX)
        traveller.shift(timedelta(seconds=WINDOW // 2))
        # Blocked attempts with a wrong password are not counted either.
        for _ in range(3):
            client, response = attempt(user.username, "wrong-password")
            assert_rate_limited(response, client)
        traveller.shift(timedelta(seconds=WINDOW // 2 + 5))
        client, _ = attempt(user.username, PASSWORD)
        assert signed_in(client)


def test_failures_spread_over_more_than_a_window_do_not_lock(settings):
    settings.CCHC_LOGIN_WINDOW_SECONDS = 60
    user = UserFactory()
    with time_machine.travel(START, tick=False) as traveller:
        fail(user.username, MAX - 1)
        traveller.shift(timedelta(seconds=61))
        fail(user.username, MAX - 1)
        client, _ = attempt(user.username, PASSWORD)
        assert signed_in(client)


def test_limit_follows_the_settings(settings):
    settings.CCHC_LOGIN_MAX_FAILURES = 2
    user = UserFactory()
    fail(user.username, 2)
    client, response = attempt(user.username, PASSWORD)
    assert not signed_in(client)
    assert error_codes(response) == {"rate_limited"}


def test_service_functions_directly():
    assert not services.login_blocked("an", "10.9.9.9")
    for _ in range(MAX):
        services.record_failure("an", "10.9.9.9")
    assert services.login_blocked("an", "10.9.9.10")  # by username
    assert services.login_blocked("binh", "10.9.9.9")  # by address
    assert not services.login_blocked("binh", "10.9.9.10")
    services.record_success("an", "10.9.9.9")
    assert not services.login_blocked("an", "10.9.9.10")
    assert services.login_blocked("an", "10.9.9.9")  # the address stays locked


# -- the admin login -----------------------------------------------------------------------------
def test_admin_login_works_for_staff():
    staff = UserFactory(is_staff=True, is_superuser=True)
    client, response = attempt(staff.username, PASSWORD, url=ADMIN_LOGIN_URL, next="/quan-tri/")
    assert response.status_code == 302
    assert response.url == "/quan-tri/"
    assert signed_in(client)


def test_admin_login_is_rate_limited():
    staff = UserFactory(is_staff=True, is_superuser=True)
    fail(staff.username, MAX, url=ADMIN_LOGIN_URL)
    client, response = attempt(staff.username, PASSWORD, url=ADMIN_LOGIN_URL, address="10.7.0.1")
    assert_rate_limited(response, client)


def test_failures_on_the_public_page_lock_the_admin_login_too():
    staff = UserFactory(is_staff=True, is_superuser=True)
    fail(staff.username, MAX, url=LOGIN_URL)
    client, response = attempt(staff.username, PASSWORD, url=ADMIN_LOGIN_URL, address="10.7.0.2")
    assert_rate_limited(response, client)


def test_non_staff_admin_logins_count_as_failures():
    user = UserFactory(is_staff=False)
    for number in range(MAX):
        client, response = attempt(
            user.username, PASSWORD, url=ADMIN_LOGIN_URL, address=f"10.8.0.{number}"
        )
        assert not signed_in(client)
    client, response = attempt(user.username, PASSWORD, address="10.8.1.1")
    assert_rate_limited(response, client)
