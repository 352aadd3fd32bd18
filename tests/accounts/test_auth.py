"""S5 login brute force and S17 password policy."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from tests.security.conftest import make_user

pytestmark = pytest.mark.django_db

GOOD = "correct horse battery"


def post_login(client, username, password, ip="10.0.0.1", url=None):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def test_sixth_attempt_within_15_minutes_is_refused_even_with_right_password(
    client, django_user_model
):
    make_user(django_user_model, "alice")
    for _ in range(4):
        response = post_login(client, "alice", "wrong password!!")
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()
    # The 5th failure is checked, and answered with the lockout page...
    assert post_login(client, "alice", "wrong password!!").status_code == 429
    # ...so the 6th attempt is refused without looking at the (right) password.
    response = post_login(client, "alice", GOOD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_lifts_after_15_minutes(client, django_user_model):
    import time_machine

    make_user(django_user_model, "alice")
    with time_machine.travel("2026-01-01 10:00:00+00:00", tick=False):
        for _ in range(5):
            post_login(client, "alice", "wrong password!!")
        assert post_login(client, "alice", GOOD).status_code == 429
    with time_machine.travel("2026-01-01 10:16:00+00:00", tick=False):
        response = post_login(client, "alice", GOOD)
        assert response.status_code == 302


def test_unknown_user_and_wrong_password_look_the_same(client, django_user_model):
    make_user(django_user_model, "alice")
    wrong = post_login(client, "alice", "not the password")
    unknown = post_login(client, "nobody-here", "not the password", ip="10.0.0.2")
    assert wrong.status_code == unknown.status_code == 200

    def strip(response):
        body = response.content.decode().replace("nobody-here", "alice")
        body = re.sub(r'"X-CSRFToken": "[^"]+"', "", body)
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)

    assert strip(wrong) == strip(unknown)
    # Unknown usernames lock out the same way (no existence oracle).
    for _ in range(4):
        post_login(client, "nobody-here", "x", ip="10.0.0.2")
    assert post_login(client, "nobody-here", "x", ip="10.0.0.2").status_code == 429


def test_admin_login_is_throttled_too(client, django_user_model):
    make_user(django_user_model, "root", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(5):
        post_login(client, "root", "wrong password!!", url=url)
    response = post_login(client, "root", GOOD, url=url)
    assert response.status_code == 429


def test_one_address_trying_many_usernames_is_throttled(client, django_user_model, settings):
    make_user(django_user_model, "victim")
    for i in range(settings.LOGIN_IP_FAILURE_LIMIT):
        post_login(client, f"user{i}", "guess guess guess", ip="203.0.113.9")
    # The right password of a real user is refused from that address, with the usual message...
    response = post_login(client, "victim", GOOD, ip="203.0.113.9")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    # ...but the same user from another address is not locked out by the attacker.
    response = post_login(client, "victim", GOOD, ip="198.51.100.7")
    assert response.status_code == 302


def test_failed_and_successful_logins_are_audited(client, django_user_model):
    make_user(django_user_model, "alice")
    post_login(client, "alice", "wrong password!!")
    post_login(client, "alice", GOOD)
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert "auth.login_failed" in actions
    assert "auth.login" in actions
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.detail == {"ip": "10.0.0.1"}  # the username tried is not kept


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("short pass", False),  # < 12
        ("password123456", False),  # on the common-password list
        ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1Zq", True),
        ("lowercase only words here", True),  # no composition rules
        ("x" * 40 + "€ж漢字 and 64+ characters are fine, spaces too" * 2, True),
    ],
)
def test_password_policy(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_unknown_user_and_wrong_password_take_the_same_time(client, django_user_model):
    """Median response times differ by less than 20 ms (Django hashes for unknown users too)."""
    import statistics
    import time

    for i in range(25):
        make_user(django_user_model, f"known{i}")

    def timed(username, ip):
        started = time.perf_counter()
        response = post_login(client, username, "not the password", ip=ip)
        assert response.status_code == 200
        return time.perf_counter() - started

    known, unknown = [], []
    for i in range(25):  # interleaved, one try per name and address: no lockout involved
        known.append(timed(f"known{i}", f"10.1.0.{i}"))
        unknown.append(timed(f"ghost{i}", f"10.2.0.{i}"))
    assert abs(statistics.median(known) - statistics.median(unknown)) < 0.020


def test_client_address_behind_a_proxy_cannot_be_forged(rf, settings):
    from accounts.backends import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.254"
    settings.TRUSTED_PROXY_COUNT = 1  # the proxy appended the real client; 6.6.6.6 is forged
    assert client_ip(request) == "203.0.113.5"
