"""Issue 19 item 6: staff password reset by e-mail, rate-limited, no user enumeration, and the
second factor asked again after the reset."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.password_reset import PER_HOUR
from api.models import ApiToken

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW = "a brand new long passphrase"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(db):
    return User.objects.create_user(
        username="malika", email="malika@example.org", password="x" * 12
    )


def ask(client, email: str):
    return client.post("/accounts/password/reset/", {"email": email})


def reset_link(mail) -> str:
    return re.search(r"https?://[^/]+(/accounts/password/reset/[^\s]+/)", mail.body).group(1)


def test_a_known_and_an_unknown_address_get_the_same_answer(client, staff, mailoutbox):
    known, unknown = ask(client, "malika@example.org"), ask(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["malika@example.org"]


def test_requests_are_rate_limited_without_saying_so(client, staff, mailoutbox):
    for _ in range(PER_HOUR + 3):
        assert ask(client, "malika@example.org").status_code == 302
    assert len(mailoutbox) == PER_HOUR


def test_the_link_sets_a_password_and_ends_sessions_and_tokens(client, staff, mailoutbox):
    ApiToken.issue(user=staff)
    ask(client, "malika@example.org")
    form = client.get(reset_link(mailoutbox[0]), follow=True)
    assert form.status_code == 200
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(NEW)
    assert staff.sessions_revoked_at is not None
    assert not ApiToken.objects.usable().filter(user=staff).exists()
    assert "_auth_user_id" not in client.session  # the reset signs nobody in


def test_after_a_reset_the_second_factor_is_asked_again(client, staff, mailoutbox):
    TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=True)
    ask(client, "malika@example.org")
    form = client.get(reset_link(mailoutbox[0]), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    signed_in = client.post("/accounts/login/", {"username": "malika", "password": NEW})
    assert signed_in.status_code == 302
    assert client.get("/").url.startswith("/accounts/mfa/verify/")
