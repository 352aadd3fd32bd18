"""Tokens: issued for a password, stored hashed, listed and revoked by their owner, expiring."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken, hash_token
from tests.api.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def obtain(username: str, password: str = PASSWORD, **extra):
    return APIClient().post(
        TOKEN_URL, {"username": username, "password": password, **extra}, format="json"
    )


def test_password_gets_a_token_that_authenticates(caseworker):
    response = obtain("cw_a", name="hotline bot")
    assert response.status_code == 201
    raw = response.json()["token"]
    assert response.json()["name"] == "hotline bot"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "cw_a"
    assert me.json()["memberships"][0]["role"] == "caseworker"
    assert me.json()["memberships"][0]["organisation"]["code"] == "MSK"


def test_token_is_stored_only_as_its_hash(caseworker):
    raw = obtain("cw_a").json()["token"]
    token = ApiToken.objects.get(user=caseworker)
    assert token.key_hash == hash_token(raw)
    assert raw not in {token.key_hash, token.prefix, token.name}
    assert token.expires_at > timezone.now() + timedelta(days=89)


def test_wrong_password_is_a_field_level_400(caseworker):
    response = obtain("cw_a", "wrong password")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["non_field_errors"]
    assert not ApiToken.objects.exists()


def test_missing_fields_are_named(db):
    response = APIClient().post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"username", "password"}


def test_inactive_user_gets_no_token(caseworker):
    caseworker.is_active = False
    caseworker.save()
    assert obtain("cw_a").status_code == 400


def test_no_credentials_is_401_with_a_challenge(db):
    response = APIClient().get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer", "Bearer a b", "Token \xff"])
def test_bad_tokens_are_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_expired_token_is_401(caseworker):
    client = client_for(caseworker)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/me/").status_code == 401


def test_owner_lists_only_own_tokens(caseworker, supervisor):
    client = client_for(caseworker)
    client_for(supervisor)
    response = client.get("/api/v1/auth/tokens/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 1
    assert rows[0]["is_active"] is True
    assert "token" not in rows[0]
    assert "key_hash" not in rows[0]


def test_owner_revokes_a_token_and_it_stops_working(caseworker):
    client = client_for(caseworker)
    other_raw = obtain("cw_a").json()["token"]
    other = ApiToken.objects.get(key_hash=hash_token(other_raw))
    assert client.delete(f"/api/v1/auth/tokens/{other.pk}/").status_code == 204
    other.refresh_from_db()
    assert other.revoked_at is not None
    revoked = APIClient()
    revoked.credentials(HTTP_AUTHORIZATION=f"Bearer {other_raw}")
    assert revoked.get("/api/v1/me/").status_code == 401
    assert client.get("/api/v1/me/").status_code == 200


def test_nobody_revokes_someone_elses_token(caseworker, supervisor):
    client_for(supervisor)
    theirs = ApiToken.objects.get(user=supervisor)
    response = client_for(caseworker).delete(f"/api/v1/auth/tokens/{theirs.pk}/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_session_login_works_and_needs_csrf_for_writes(caseworker):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(caseworker)
    assert client.get("/api/v1/me/").status_code == 200
    response = client.post("/api/v1/migrants/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_token_endpoint_is_rate_limited(settings, caseworker):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "token_obtain": "3/min"}
    codes = [obtain("cw_a", "wrong").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    body = obtain("cw_a").json()
    assert body["code"] == "throttled"
    assert body["message"]
