"""The admin sign-in (also the staff pages' sign-in) is throttled per address and account:
past the limit even the right password is refused, and the refusal checks no password (a
counting subclass of the real hasher shows it)."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.test import Client

from tests.security.counting_hasher import CountingMD5PasswordHasher

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"
PASSWORD = "mật-khẩu-đúng-1"
LOCKED = "Đăng nhập sai quá nhiều lần"


@pytest.fixture(autouse=True)
def _counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.security.counting_hasher.CountingMD5PasswordHasher"]
    settings.SIGNIN_LIMIT_PER_IP_USER = (5, 900)
    settings.SIGNIN_LIMIT_PER_USER = (8, 3600)
    settings.SIGNIN_LIMIT_PER_IP = (12, 3600)


@pytest.fixture
def admin_user(db):
    return User.objects.create_user("quantri", password=PASSWORD, is_staff=True)


def _attempt(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    CountingMD5PasswordHasher.calls = 0
    return client.post(
        LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip
    )


def test_five_failures_lock_the_account_from_that_address_even_with_the_right_password(
    admin_user,
):
    client = Client()
    for _ in range(5):
        response = _attempt(client, "quantri", "sai")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
        assert CountingMD5PasswordHasher.calls == 1  # a wrong password costs its hash
    locked = _attempt(client, "quantri", PASSWORD)
    assert locked.status_code == 200
    assert LOCKED in locked.content.decode()
    assert SESSION_KEY not in client.session
    assert CountingMD5PasswordHasher.calls == 0  # refused before authenticate()
    # Another address may still sign in to the same account (the name alone allows more).
    other = Client()
    assert _attempt(other, "quantri", PASSWORD, ip="10.0.0.2").status_code == 302
    assert int(other.session[SESSION_KEY]) == admin_user.pk


def test_a_spray_of_unknown_names_from_one_address_is_stopped(admin_user):
    client = Client()
    for i in range(12):
        assert LOCKED not in _attempt(client, f"khong-co-{i}", "sai").content.decode()
        assert CountingMD5PasswordHasher.calls == 1  # Django's own dummy hash, no more
    refused = _attempt(client, "quantri", PASSWORD)
    assert LOCKED in refused.content.decode() and CountingMD5PasswordHasher.calls == 0


def test_failures_from_many_addresses_lock_the_account_name(admin_user):
    for i in range(8):
        _attempt(Client(), "QuanTri", "sai", ip=f"10.0.1.{i}")  # names are compared folded
    refused = _attempt(Client(), "quantri", PASSWORD, ip="10.0.2.1")
    assert LOCKED in refused.content.decode() and CountingMD5PasswordHasher.calls == 0


def test_a_success_forgets_that_address_s_failures(admin_user, settings):
    settings.SIGNIN_LIMIT_PER_USER = (20, 3600)  # only the address-and-name limit here
    client = Client()
    for _ in range(4):
        _attempt(client, "quantri", "sai")
    assert _attempt(client, "quantri", PASSWORD).status_code == 302
    client.logout()
    # Five more failures, as if none had come before; then locked again.
    for _ in range(5):
        assert LOCKED not in _attempt(client, "quantri", "sai").content.decode()
    assert LOCKED in _attempt(client, "quantri", PASSWORD).content.decode()
