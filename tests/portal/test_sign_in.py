"""Issue 19 item 5: the code + PIN sign-in has working CSRF protection, slows a stranger down
without locking the migrant out, and takes the PIN only."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from portal import throttle

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"


def csrf_client() -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/m/")
    assert page.status_code == 200
    # The sign-in page lets the browser send its origin with its own form.
    assert page["Referrer-Policy"] == "same-origin"
    assert b'<meta name="referrer" content="same-origin">' in page.content
    return client, client.cookies[settings.CSRF_COOKIE_NAME].value


def sign_in(client: Client, code: str, pin: str, token: str, **headers):
    return client.post(
        "/m/", {"code": code, "secret": pin, "csrfmiddlewaretoken": token}, **headers
    )


def test_the_sign_in_form_works_with_its_csrf_token(issued):
    client, token = csrf_client()
    response = sign_in(client, issued.code, issued.pin, token, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 303
    assert client.get("/m/home/").status_code == 200


def test_a_post_without_the_csrf_token_is_refused(issued):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/m/", {"code": issued.code, "secret": issued.pin}, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 403
    assert client.get("/m/home/").status_code == 404


@pytest.mark.parametrize("origin", ["null", "https://evil.example"])
def test_a_post_from_an_opaque_or_foreign_origin_is_refused(issued, origin):
    # Login CSRF: a forged form would sign the victim's phone into the attacker's case.
    client, token = csrf_client()
    response = sign_in(client, issued.code, issued.pin, token, HTTP_ORIGIN=origin)
    assert response.status_code == 403
    assert client.get("/m/home/").status_code == 404


def test_personal_link_pages_keep_no_referrer(client, issued):
    assert client.get(issued.path)["Referrer-Policy"] == "no-referrer"


def stranger_guesses(client: Client, code: str, count: int, first_address: int = 0):
    for n in range(count):
        client.post(
            "/m/", {"code": code, "secret": f"{n:06d}"}, REMOTE_ADDR=f"10.7.{first_address}.{n}"
        )


def test_a_stranger_guessing_the_code_does_not_lock_out_the_migrants_phone(issued):
    phone = Client()
    phone.get(issued.path)  # the migrant opened their link on this phone before
    stranger_guesses(Client(), issued.code, 12)
    response = phone.post(
        "/m/", {"code": issued.code, "secret": issued.pin}, REMOTE_ADDR="10.7.0.1"
    )
    assert response.status_code == 303


def test_a_phone_that_signed_in_once_is_known_next_time(issued):
    phone = Client()
    assert phone.post("/m/", {"code": issued.code, "secret": issued.pin}).status_code == 303
    stranger_guesses(Client(), issued.code, 12)
    assert phone.post("/m/", {"code": issued.code, "secret": issued.pin}).status_code == 303


def test_a_forged_device_cookie_counts_as_a_stranger(issued):
    stranger_guesses(Client(), issued.code, 6)
    forged = Client()
    forged.cookies[throttle.DEVICE_COOKIE] = "made-up"
    response = forged.post("/m/", {"code": issued.code, "secret": issued.pin})
    assert response.status_code == 429


def test_a_stranger_is_slowed_down_more_with_every_wrong_try(client, issued):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        stranger_guesses(client, issued.code, 5)
        slowed = client.post(
            "/m/", {"code": issued.code, "secret": issued.pin}, REMOTE_ADDR="10.8.0.1"
        )
        assert slowed.status_code == 429
        assert int(slowed["Retry-After"]) == settings.PORTAL_LOGIN_BACKOFF_SECONDS
    backoff = settings.PORTAL_LOGIN_BACKOFF_SECONDS
    with time_machine.travel(start + timedelta(seconds=backoff + 1), tick=False):
        # The wait is over: the next try is checked, and a wrong one doubles the wait.
        wrong = client.post(
            "/m/", {"code": issued.code, "secret": "999999"}, REMOTE_ADDR="10.8.0.2"
        )
        assert wrong.status_code == 429
        assert int(wrong["Retry-After"]) == 2 * backoff
    with time_machine.travel(start + timedelta(seconds=backoff + 1 + backoff + 1), tick=False):
        still = client.post(
            "/m/", {"code": issued.code, "secret": issued.pin}, REMOTE_ADDR="10.8.0.3"
        )
        assert still.status_code == 429  # 2× the base has not passed yet
    with time_machine.travel(start + timedelta(seconds=backoff + 1 + 2 * backoff + 1), tick=False):
        ok = client.post("/m/", {"code": issued.code, "secret": issued.pin}, REMOTE_ADDR="10.8.0.4")
        assert ok.status_code == 303
    assert (
        AuditEvent.objects.filter(action="portal.login_lockout", detail__scope="code").count() == 1
    )


def test_a_known_phone_is_slowed_by_its_own_wrong_tries(issued):
    # A copied device cookie gives no unlimited guesses: its own counter backs off too.
    phone = Client()
    phone.get(issued.path)
    for n in range(settings.PORTAL_LOGIN_MAX_FAILURES):
        phone.post("/m/", {"code": issued.code, "secret": f"{n:06d}"})
    assert phone.post("/m/", {"code": issued.code, "secret": issued.pin}).status_code == 429
    # Strangers' counters were not touched by the phone's tries.
    assert Client().post("/m/", {"code": issued.code, "secret": issued.pin}).status_code == 303
