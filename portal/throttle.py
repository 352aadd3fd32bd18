"""Code + PIN sign-in throttle: exponential backoff per code and per address, which slows a
stranger's guessing without locking the migrant out.

The first PORTAL_LOGIN_MAX_FAILURES wrong tries within the window are free; each further one
doubles the wait before the next try (PORTAL_LOGIN_BACKOFF_SECONDS, 2×, 4×, … up to the window).
The migrant's own phone is known by a signed cookie set when it opened the personal link or
signed in: it is not slowed by what strangers do to the code or from a shared address (mobile
carriers put many phones behind one), only by its own wrong tries. A stranger cannot forge it.
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from cases.fields import keyed_hash
from portal.models import LoginFailure

DEVICE_COOKIE = "portal_device"
DEVICE_COOKIE_SALT = "portal.device"
DEVICE_COOKIE_DAYS = 180

Keys = dict[str, str]


def _window() -> timedelta:
    return timedelta(minutes=settings.PORTAL_LOGIN_WINDOW_MINUTES)


def device_of(request: HttpRequest, code_hash: str) -> str | None:
    """The device id of a phone that opened this code's page before, else None."""
    try:
        value = signing.loads(
            request.COOKIES.get(DEVICE_COOKIE, ""),
            salt=DEVICE_COOKIE_SALT,
            max_age=timedelta(days=DEVICE_COOKIE_DAYS),
        )
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("code") != code_hash:
        return None
    device = value.get("device")
    return device if isinstance(device, str) else None


def remember_device(request: HttpRequest, response: HttpResponse, code_hash: str) -> None:
    """Mark this phone as the one that opened the code's page (keeps its id if it had one)."""
    device = device_of(request, code_hash) or secrets.token_urlsafe(16)
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps({"code": code_hash, "device": device}, salt=DEVICE_COOKIE_SALT),
        max_age=DEVICE_COOKIE_DAYS * 86400,
        path="/m/",
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def keys(*, code_hash: str, address: str, device: str | None) -> Keys:
    """Which counters an attempt is counted in: the known device only its own; a stranger
    the code's and the address's."""
    if device is not None:
        return {LoginFailure.Scope.DEVICE: keyed_hash("D" + (code_hash + device).encode().hex())}
    return {
        LoginFailure.Scope.CODE: code_hash,
        LoginFailure.Scope.ADDRESS: keyed_hash("A" + (address or "unknown").encode().hex()),
    }


def _delay(failures: int) -> timedelta:
    """The wait after the n-th recent failure: none while free, then doubling, capped."""
    free = settings.PORTAL_LOGIN_MAX_FAILURES
    if failures < free:
        return timedelta(0)
    seconds = settings.PORTAL_LOGIN_BACKOFF_SECONDS * 2 ** min(failures - free, 30)
    return min(timedelta(seconds=seconds), _window())


def _recent(scope: str, key: str, now: datetime):
    return LoginFailure.objects.filter(scope=scope, key_hash=key, created_at__gte=now - _window())


def wait_seconds(attempt_keys: Keys) -> int:
    """How long this attempt must wait before it is even checked (0: go ahead)."""
    now = timezone.now()
    longest = timedelta(0)
    for scope, key in attempt_keys.items():
        recent = _recent(scope, key, now)
        failures = recent.count()
        if failures < settings.PORTAL_LOGIN_MAX_FAILURES:
            continue
        last = recent.order_by("-created_at").values_list("created_at", flat=True).first()
        if last is not None:
            longest = max(longest, last + _delay(failures) - now)
    return math.ceil(longest.total_seconds())


@transaction.atomic
def record_failure(attempt_keys: Keys) -> list[str]:
    """Count one wrong try; returns the scopes whose backoff it has just started."""
    now = timezone.now()
    # Old rows are only needed for the window; drop them as we go (cheap, indexed).
    LoginFailure.objects.filter(created_at__lt=now - _window() - timedelta(days=1)).delete()
    started = []
    for scope, key in attempt_keys.items():
        LoginFailure.objects.create(scope=scope, key_hash=key)
        if _recent(scope, key, now).count() == settings.PORTAL_LOGIN_MAX_FAILURES:
            started.append(scope)
    return started
