"""Sign-in pages, the login lockout (django-axes, by the pair of user name and client address)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from cchc.organisations.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/tai-khoan/dang-nhap/"
ADMIN_LOGIN_URL = "/quan-tri/login/"
MAX = settings.CCHC_LOGIN_MAX_FAILURES
WINDOW = settings.CCHC_LOGIN_WINDOW_SECONDS
START = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
LOCKED_VI = "tạm bị khóa đăng nhập"


def attempt(username, password, address="10.0.0.1", url=LOGIN_URL, client=None, **extra):
    client = client or Client()
    headers = {"REMOTE_ADDR": address}
    if "forwarded_for" in extra:
        headers["HTTP_X_FORWARDED_FOR"] = extra.pop("forwarded_for")
    data = {"username": username, "password": password, **extra}
    response = client.post(url, data, **headers)
    return client, response


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def error_codes(response) -> set[str]:
    form = response.context["form"]
    return {error.code for error in form.non_field_errors().as_data()}


def fail(username, times, address="10.0.0.1", url=LOGIN_URL, **extra):
    for _ in range(times):
        client, _response = attempt(username, "wrong-password", address, url, **extra)
        assert not signed_in(client)


def assert_locked_out(response, client):
    """Refused by the lockout: 429 and the Vietnamese message with the wait, on the page itself."""
    assert response.status_code == 429
    assert not signed_in(client)
    assert error_codes(response) == {"locked_out"}
    message = response.context["form"].non_field_errors()[0]
    assert LOCKED_VI in message
    assert f"{WINDOW // 60} phút" in message
    assert escape(message) in response.content.decode()


def assert_signed_in(response, client):
    assert response.status_code == 302, response.status_code
    assert signed_in(client)


# -- the page ---------------------------------------------------------------------------------
def test_login_page_renders():
    response = Client().get(LOGIN_URL)
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'name="password"' in response.content
    assert b"csrfmiddlewaretoken" in response.content
    assert reverse("accounts:login") == LOGIN_URL


def test_successful_login_redirects_to_the_start_page():
    user = UserFactory()  # no role: a citizen, whose start page is their own dossiers
    client, response = attempt(user.username, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("citizen:my_dossiers")
    assert signed_in(client)
    assert int(client.session["_auth_user_id"]) == user.pk


def test_successful_login_follows_a_safe_next_url_only():
    user = UserFactory()
    _, response = attempt(user.username, PASSWORD, next="/thu-tuc/")
    assert response.url == "/thu-tuc/"
    _, response = attempt(user.username, PASSWORD, next="https://evil.example.com/")
    assert response.url == reverse("citizen:my_dossiers")


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


# -- the lockout: the attack from the issue -----------------------------------------------------
def test_wrong_passwords_from_one_address_do_not_lock_the_account_elsewhere():
    """5 wrong passwords for motcua.tinh from A locked the right password out from every address."""
    user = UserFactory(username="motcua.tinh")
    with time_machine.travel(START, tick=False) as traveller:
        fail(user.username, MAX, address="203.0.113.66")
        # The officer at another address signs in.
        client, response = attempt(user.username, PASSWORD, address="10.20.0.7")
        assert_signed_in(response, client)
        # The address that failed is refused, even with the right password, and told why.
        client, response = attempt(user.username, PASSWORD, address="203.0.113.66")
        assert_locked_out(response, client)
        # After the cool-off it may sign in again.
        traveller.shift(timedelta(seconds=WINDOW + 1))
        client, response = attempt(user.username, PASSWORD, address="203.0.113.66")
        assert_signed_in(response, client)


def test_the_failure_that_reaches_the_limit_already_says_locked():
    user = UserFactory()
    fail(user.username, MAX - 1)
    client, response = attempt(user.username, "wrong-password")
    assert_locked_out(response, client)


def test_one_failure_fewer_than_the_limit_still_allows_login():
    user = UserFactory()
    fail(user.username, MAX - 1)
    client, response = attempt(user.username, PASSWORD)
    assert_signed_in(response, client)


def test_other_accounts_at_the_locked_address_still_sign_in():
    """Behind one NAT or proxy address, one officer's typos do not lock the colleagues out."""
    locked, colleague = UserFactory(), UserFactory()
    fail(locked.username, MAX, address="192.0.2.7")
    client, response = attempt(colleague.username, PASSWORD, address="192.0.2.7")
    assert_signed_in(response, client)


def test_success_resets_the_count():
    user = UserFactory()
    fail(user.username, MAX - 1)
    client, response = attempt(user.username, PASSWORD)
    assert_signed_in(response, client)
    fail(user.username, MAX - 1)
    client, response = attempt(user.username, PASSWORD)
    assert_signed_in(response, client)


def test_lock_lasts_the_window_from_the_last_failure():
    user = UserFactory()
    with time_machine.travel(START, tick=False) as traveller:
        fail(user.username, MAX)
        traveller.shift(timedelta(seconds=WINDOW - 5))
        client, response = attempt(user.username, PASSWORD)
        assert_locked_out(response, client)
        traveller.shift(timedelta(seconds=10))
        client, response = attempt(user.username, PASSWORD)
        assert_signed_in(response, client)


def test_attempts_while_locked_do_not_extend_the_lock():
    user = UserFactory()
    with time_machine.travel(START, tick=False) as traveller:
        fail(user.username, MAX)
        traveller.shift(timedelta(seconds=WINDOW // 2))
        for _ in range(3):
            client, response = attempt(user.username, "wrong-password")
            assert_locked_out(response, client)
        traveller.shift(timedelta(seconds=WINDOW // 2 + 5))
        client, response = attempt(user.username, PASSWORD)
        assert_signed_in(response, client)


def test_failures_spread_over_more_than_a_window_do_not_lock(settings):
    settings.AXES_COOLOFF_TIME = timedelta(seconds=60)
    user = UserFactory()
    with time_machine.travel(START, tick=False) as traveller:
        fail(user.username, MAX - 1)
        traveller.shift(timedelta(seconds=61))
        fail(user.username, MAX - 1)
        client, response = attempt(user.username, PASSWORD)
        assert_signed_in(response, client)


def test_limit_follows_the_settings(settings):
    settings.AXES_FAILURE_LIMIT = 2
    user = UserFactory()
    fail(user.username, 2)
    _, response = attempt(user.username, PASSWORD)
    assert response.status_code == 429
    assert error_codes(response) == {"locked_out"}


def test_attempts_are_recorded_for_the_audit():
    user = UserFactory()
    fail(user.username, 2, address="198.51.100.4")
    attempt(user.username, PASSWORD, address="198.51.100.4")
    failures = AccessFailureLog.objects.filter(username=user.username)
    assert failures.count() == 2
    assert set(failures.values_list("ip_address", flat=True)) == {"198.51.100.4"}
    assert AccessLog.objects.filter(username=user.username, ip_address="198.51.100.4").exists()
    # The password typed is never stored.
    assert not AccessAttempt.objects.filter(post_data__contains="wrong-password").exists()


def test_the_audit_is_in_the_admin():
    admin = UserFactory(is_staff=True, is_superuser=True)
    fail("khong-ton-tai", 1, address="198.51.100.5")
    client = Client()
    client.force_login(admin)
    for model in ("accessattempt", "accessfailurelog", "accesslog"):
        response = client.get(f"/quan-tri/axes/{model}/")
        assert response.status_code == 200, model
    assert "khong-ton-tai" in client.get("/quan-tri/axes/accessfailurelog/").content.decode()


# -- client addresses behind proxies ------------------------------------------------------------
def test_forwarded_for_from_an_untrusted_client_is_ignored():
    """A client that writes X-Forwarded-For itself cannot change the address it is counted at."""
    user = UserFactory()
    for number in range(MAX):
        fail(user.username, 1, address="198.51.100.1", forwarded_for=f"203.0.113.{number}")
    client, response = attempt(
        user.username, PASSWORD, address="198.51.100.1", forwarded_for="203.0.113.200"
    )
    assert_locked_out(response, client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.1"}


def test_clients_behind_a_trusted_proxy_are_told_apart(settings):
    settings.CCHC_TRUSTED_PROXIES = ["10.9.0.0/24"]
    user = UserFactory()
    fail(user.username, MAX, address="10.9.0.2", forwarded_for="203.0.113.9")
    # Another client through the same proxy signs in: the proxy's address is not what is locked.
    client, response = attempt(
        user.username, PASSWORD, address="10.9.0.2", forwarded_for="198.51.100.20"
    )
    assert_signed_in(response, client)
    # The locked client is refused, and forging the header in front of the proxy does not help:
    # the proxy appends the real address, which is the one read.
    client, response = attempt(
        user.username, PASSWORD, address="10.9.0.2", forwarded_for="198.51.100.20, 203.0.113.9"
    )
    assert_locked_out(response, client)


# -- the admin login -----------------------------------------------------------------------------
def test_admin_login_works_for_staff():
    staff = UserFactory(is_staff=True, is_superuser=True)
    client, response = attempt(staff.username, PASSWORD, url=ADMIN_LOGIN_URL, next="/quan-tri/")
    assert response.status_code == 302
    assert response.url == "/quan-tri/"
    assert signed_in(client)


def test_admin_login_is_locked_out_with_the_same_message():
    staff = UserFactory(is_staff=True, is_superuser=True)
    fail(staff.username, MAX, url=ADMIN_LOGIN_URL)
    client, response = attempt(staff.username, PASSWORD, url=ADMIN_LOGIN_URL)
    assert_locked_out(response, client)
    client, response = attempt(staff.username, PASSWORD, url=ADMIN_LOGIN_URL, address="10.7.0.9")
    assert_signed_in(response, client)


def test_failures_on_the_public_page_lock_the_admin_login_too():
    staff = UserFactory(is_staff=True, is_superuser=True)
    fail(staff.username, MAX, url=LOGIN_URL)
    client, response = attempt(staff.username, PASSWORD, url=ADMIN_LOGIN_URL)
    assert_locked_out(response, client)
