"""Issue 19 item 1: the API is no way around two-factor authentication, and a token lives no
longer than the credentials and standing of the person it acts for."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts import mfa
from api.models import ApiToken
from cases import memberships
from cases.models import Membership
from tests.api.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
User = get_user_model()


def obtain(username: str, **extra):
    body = {"username": username, "password": PASSWORD, **extra}
    return APIClient().post(TOKEN_URL, body, format="json")


def enrol(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


@pytest.fixture
def enforced(settings):
    settings.MFA_ENFORCED = True


def test_an_enrolled_admin_gets_no_token_from_the_password_alone(enforced, admin_a):
    enrol(admin_a)
    response = obtain("admin_a")
    assert response.status_code == 400
    assert "otp_code" in response.json()["errors"]
    assert obtain("admin_a", otp_code="000000").status_code == 400
    assert not ApiToken.objects.exists()


def test_an_enrolled_admin_gets_a_token_with_the_current_code(enforced, admin_a):
    device = enrol(admin_a)
    response = obtain("admin_a", otp_code=current_code(device))
    assert response.status_code == 201
    assert ApiToken.objects.filter(user=admin_a).count() == 1


def test_a_recovery_code_works_once(enforced, admin_a):
    enrol(admin_a)
    [code, *_rest] = mfa.new_recovery_codes(user=admin_a)
    assert obtain("admin_a", otp_code=code).status_code == 201
    assert obtain("admin_a", otp_code=code).status_code == 400


def test_a_superuser_without_a_device_must_enrol_on_the_web_first(enforced):
    User.objects.create_superuser(username="root", password=PASSWORD)
    response = obtain("root")
    assert response.status_code == 400
    assert "otp_code" in response.json()["errors"]
    assert not ApiToken.objects.exists()


def test_an_organisation_that_requires_2fa_binds_its_caseworkers(enforced, org_a, caseworker):
    org_a.require_mfa = True
    org_a.save()
    assert obtain("cw_a").status_code == 400
    device = enrol(caseworker)
    assert obtain("cw_a", otp_code=current_code(device)).status_code == 201


def test_a_user_without_2fa_duties_still_gets_a_token(enforced, caseworker):
    assert obtain("cw_a").status_code == 201


def test_a_user_who_turned_2fa_on_is_asked_too(caseworker):  # MFA_ENFORCED off, as in tests
    enrol(caseworker)
    assert obtain("cw_a").status_code == 400


def usable_tokens(user) -> int:
    return ApiToken.objects.usable().filter(user=user).count()


def test_a_password_change_on_the_web_revokes_tokens(caseworker, client):
    api = client_for(caseworker)
    assert api.get("/api/v1/me/").status_code == 200
    client.force_login(caseworker)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "An0ther long pass",
            "new_password2": "An0ther long pass",
        },
    )
    assert response.status_code == 302
    assert usable_tokens(caseworker) == 0
    assert api.get("/api/v1/me/").status_code == 401


def test_setting_a_password_anywhere_revokes_tokens(caseworker):
    client_for(caseworker)
    caseworker.set_password("reset by an admin")
    caseworker.save()
    assert usable_tokens(caseworker) == 0


def test_an_unrelated_save_keeps_tokens(caseworker):
    client_for(caseworker)
    caseworker.first_name = "Dilnoza"
    caseworker.save()
    assert usable_tokens(caseworker) == 1


def test_turning_2fa_on_revokes_the_tokens_issued_on_the_password_alone(
    caseworker, django_capture_on_commit_callbacks
):
    earlier = client_for(caseworker)
    device = mfa.pending_totp(caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        assert mfa.confirm_totp(device=device, token=current_code(device)) is not None
    assert usable_tokens(caseworker) == 0
    assert earlier.get("/api/v1/me/").status_code == 401
    # A new token needs a second factor now (a recovery code: the TOTP code was just used up),
    # and using it revokes nothing.
    recovery = mfa.new_recovery_codes(user=caseworker)[0]
    assert obtain("cw_a", otp_code=recovery).status_code == 201
    assert usable_tokens(caseworker) == 1


def test_deactivation_revokes_tokens(caseworker):
    api = client_for(caseworker)
    caseworker.is_active = False
    caseworker.save()
    assert usable_tokens(caseworker) == 0
    caseworker.is_active = True
    caseworker.save()
    assert api.get("/api/v1/me/").status_code == 401  # reactivation does not revive them


def test_removal_from_the_organisation_revokes_tokens(caseworker, admin_a, org_a):
    api = client_for(caseworker)
    membership = Membership.objects.get(user=caseworker, organisation=org_a)
    memberships.update_membership(membership=membership, by=admin_a, is_active=False)
    assert usable_tokens(caseworker) == 0
    assert api.get("/api/v1/me/").status_code == 401


def test_a_deleted_membership_revokes_tokens(caseworker):
    client_for(caseworker)
    Membership.objects.filter(user=caseworker).delete()
    assert usable_tokens(caseworker) == 0


def test_a_token_does_no_more_than_the_role_does_now(admin_a, org_a):
    second_admin = User.objects.create_user(username="admin_two", password=PASSWORD)
    Membership.objects.create(user=second_admin, organisation=org_a, role=Membership.Role.ADMIN)
    api = client_for(admin_a)
    url = f"/api/v1/statistics/?organisation={org_a.pk}&dimension=problem"
    assert api.get(url).status_code == 200
    membership = Membership.objects.get(user=admin_a, organisation=org_a)
    memberships.update_membership(
        membership=membership, by=second_admin, role=Membership.Role.CASEWORKER
    )
    assert api.get(url).status_code == 403
