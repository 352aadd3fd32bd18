"""Login throttling in front of Django's ModelBackend (the admin login goes through it too).

- Per username: django-axes locks a username after AXES_FAILURE_LIMIT failures within
  AXES_COOLOFF_TIME, whether or not the user exists, so the lockout says nothing about existence.
- Per client IP: `IPThrottleBackend` refuses every login from an address that failed
  LOGIN_IP_FAILURE_LIMIT times in the last LOGIN_IP_WINDOW_SECONDS (one IP trying many names).
  The refusal looks exactly like a wrong password.
"""

from __future__ import annotations

from datetime import timedelta

from axes.backends import AxesStandaloneBackend
from axes.models import AccessFailureLog
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone


class ThrottlingAxesBackend(AxesStandaloneBackend):
    """Axes' lockout check, skipped only for calls that carry no HTTP request.

    Every web login (our form, the admin, DRF) passes the request; calls without one are
    in-process (tests' `client.login`, management commands) and have no client to throttle.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str:
    """The client's address. Behind TRUSTED_PROXY_COUNT reverse proxies, the address the
    outermost trusted proxy saw (X-Forwarded-For read from the right, so clients can't forge it).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]


def ip_failures(ip_address: str) -> int:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_IP_WINDOW_SECONDS)
    return AccessFailureLog.objects.filter(ip_address=ip_address, attempt_time__gte=since).count()


class IPThrottleBackend:
    """Refuses only; it never authenticates anyone (no get_user, so sessions never name it)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not getattr(settings, "AXES_ENABLED", True):
            return None
        ip_address = client_ip(request)
        if ip_address and ip_failures(ip_address) >= settings.LOGIN_IP_FAILURE_LIMIT:
            # Django's authenticate() stops here and reports a failed login: same message.
            raise PermissionDenied("too many failed logins from this address")
        return None
