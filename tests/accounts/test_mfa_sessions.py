"""S6 two-factor authentication and S7 session lifetime."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import memberships
from cases.models import Membership
from tests.security.conftest import make_user, member, verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _enforce_mfa(settings):
    settings.MFA_ENFORCED = True


def _totp(device: TOTPDevice, at: float) -> int:
    from django_otp.oath import TOTP

    t = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    t.time = at
    return t.token()


def test_org_admin_with_password_only_reaches_nothing(client, admin_a, canary_a):
    _migrant, case = canary_a
    client.force_login(admin_a)
    for url in [reverse("cases:dashboard"), case.get_absolute_url(), reverse("audit:log")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_setup")
    api = client.get("/api/anything/")
    assert api.status_code in (403, 404)


def test_caseworker_needs_mfa_only_when_the_organisation_requires_it(client, worker_a, org_a):
    client.force_login(worker_a)
    assert client.get(reverse("cases:dashboard")).status_code == 200
    org_a.require_mfa = True
    org_a.save()
    assert client.get(reverse("cases:dashboard"))["Location"] == reverse("mfa_setup")


def test_platform_admin_needs_mfa_for_the_admin_site(client, django_user_model):
    root = make_user(django_user_model, "root", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_setup")
    verified_login(client, root)
    assert client.get("/admin/").status_code == 200


def test_setup_then_verify_with_totp_and_reused_code_is_rejected(client, admin_a):
    with time_machine.travel("2026-03-01 10:00:00+00:00", tick=False) as traveller:
        client.force_login(admin_a)
        page = client.get(reverse("mfa_setup"))
        assert page.status_code == 200 and b"<svg" in page.content
        device = TOTPDevice.objects.get(user=admin_a, confirmed=False)
        bad = client.post(reverse("mfa_setup"), {"token": "000000"})
        assert bad.status_code == 400
        traveller.shift(2)  # django-otp slows down guessing after a failure
        now = time.time()
        ok = client.post(reverse("mfa_setup"), {"token": f"{_totp(device, now):06d}"})
        assert ok.status_code == 200
        codes = ok.context["codes"]
        assert len(codes) == 10
        assert client.get(reverse("cases:dashboard")).status_code == 200

        # A new session: the same TOTP code, still inside its 30 s window, is refused.
        client.logout()
        client.force_login(admin_a)
        assert client.get(reverse("cases:dashboard"))["Location"] == reverse("mfa_verify")
        reused = client.post(reverse("mfa_verify"), {"token": f"{_totp(device, now):06d}"})
        assert reused.status_code == 400

        # A recovery code works once.
        assert client.post(reverse("mfa_verify"), {"token": codes[0]}).status_code == 302
        assert client.get(reverse("cases:dashboard")).status_code == 200
        client.logout()
        client.force_login(admin_a)
        assert client.post(reverse("mfa_verify"), {"token": codes[0]}).status_code == 400
        assert client.get(reverse("cases:dashboard"))["Location"] == reverse("mfa_verify")
        assert StaticToken.objects.filter(device__user=admin_a).count() == 9

        # The next TOTP step is accepted.
        traveller.shift(30)
        later = time.time()  # the next 30-second step
        assert (
            client.post(reverse("mfa_verify"), {"token": f"{_totp(device, later):06d}"}).status_code
            == 302
        )


def test_idle_30_minutes_logs_out(client, worker_a):
    with time_machine.travel("2026-03-01 10:00:00+00:00", tick=False) as traveller:
        client.force_login(worker_a)
        assert client.get(reverse("cases:dashboard")).status_code == 200
        traveller.shift(29 * 60)
        assert client.get(reverse("cases:dashboard")).status_code == 200
        traveller.shift(31 * 60)
        response = client.get(reverse("cases:dashboard"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        # And the session is really gone, not just redirected once.
        assert client.get(reverse("cases:dashboard")).status_code == 302


def test_absolute_12_hours_logs_out_even_when_active(client, worker_a):
    with time_machine.travel("2026-03-01 08:00:00+00:00", tick=False) as traveller:
        client.force_login(worker_a)
        for _ in range(12 * 3 + 1):  # a request every 20 minutes for 12 hours
            traveller.shift(20 * 60)
            response = client.get(reverse("cases:dashboard"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_cookie_replayed_after_logout_is_rejected(client, worker_a):
    client.force_login(worker_a)
    cookie_name = next(iter(client.cookies))
    old = client.cookies[cookie_name].value
    client.post(reverse("logout"))
    client.cookies[cookie_name] = old
    assert client.get(reverse("cases:dashboard")).status_code == 302


def test_deactivating_user_or_membership_ends_sessions(
    client, worker_a, admin_a, django_user_model
):
    client.force_login(worker_a)
    assert client.get(reverse("cases:dashboard")).status_code == 200
    membership = Membership.objects.get(user=worker_a)
    memberships.update_membership(membership=membership, by=admin_a, is_active=False)
    assert client.get(reverse("cases:dashboard")).status_code == 302

    other = make_user(django_user_model, "other")
    member(other, membership.organisation)
    client.force_login(other)
    assert client.get(reverse("cases:dashboard")).status_code == 200
    other.is_active = False
    other.save()
    assert client.get(reverse("cases:dashboard")).status_code == 302


def test_end_other_sessions(client, worker_a):
    from django.test import Client

    other_device = Client()
    other_device.force_login(worker_a)
    client.force_login(worker_a)
    response = client.post(reverse("end_other_sessions"))
    assert response.status_code == 302
    assert client.get(reverse("cases:dashboard")).status_code == 200
    assert other_device.get(reverse("cases:dashboard")).status_code == 302


def test_password_alone_cannot_enrol_a_new_authenticator(client, admin_a):
    verified_login(client, admin_a)  # the real owner has a device
    client.logout()
    client.force_login(admin_a)  # the thief knows the password only
    response = client.get(reverse("mfa_setup"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_verify")
    assert client.post(reverse("mfa_setup"), {"token": "123456"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=admin_a, confirmed=False).exists()
    # Nor renew recovery codes or end the owner's sessions.
    assert client.post(reverse("mfa_recovery_codes"))["Location"] == reverse("mfa_verify")
    assert client.post(reverse("end_other_sessions"))["Location"] == reverse("mfa_verify")


def test_a_caseworker_who_turned_mfa_on_is_always_asked(client, worker_a, settings):
    settings.MFA_ENFORCED = False
    TOTPDevice.objects.create(user=worker_a, name="authenticator", confirmed=True)
    client.force_login(worker_a)
    assert client.get(reverse("cases:dashboard"))["Location"] == reverse("mfa_verify")


def test_password_change_ends_other_sessions(client, worker_a):
    from django.test import Client

    other_device = Client()
    other_device.force_login(worker_a)
    client.force_login(worker_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct horse battery",
            "new_password1": "a brand new long passphrase",
            "new_password2": "a brand new long passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("cases:dashboard")).status_code == 200
    assert other_device.get(reverse("cases:dashboard")).status_code == 302
    weak = client.post(
        reverse("password_change"),
        {
            "old_password": "a brand new long passphrase",
            "new_password1": "password123456",
            "new_password2": "password123456",
        },
    )
    assert weak.status_code == 200 and weak.context["form"].errors
