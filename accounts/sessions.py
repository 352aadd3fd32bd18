"""Session lifetime: 30 minutes idle, 12 hours absolute (NIST SP 800-63B AAL2), and revocation.

The login time and the last request time live in the session itself; `User.sessions_revoked_at`
ends every session that started before it (deactivation, membership removal).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone

LOGIN_AT = "_hamroh_login_at"
SEEN_AT = "_hamroh_seen_at"
# The last request time is written at most this often: most requests then read the session
# without saving it again. The idle limit counts from the last write, so a session may end up
# to this much sooner than 30 minutes after its last request, never later.
TOUCH_INTERVAL_SECONDS = 60


def start(request) -> None:
    now = timezone.now().timestamp()
    request.session[LOGIN_AT] = now
    request.session[SEEN_AT] = now


def expired(request) -> bool:
    """True when the session is past its idle or absolute limit, or was revoked."""
    now = timezone.now().timestamp()
    login_at = request.session.get(LOGIN_AT)
    seen_at = request.session.get(SEEN_AT)
    if login_at is None or seen_at is None:
        # A session from before these rules (or forged without them): treat as expired.
        return True
    if now - seen_at > settings.SESSION_IDLE_TIMEOUT_SECONDS:
        return True
    if now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS:
        return True
    revoked_at = getattr(request.user, "sessions_revoked_at", None)
    return revoked_at is not None and login_at <= revoked_at.timestamp()


def touch(request) -> None:
    now = timezone.now().timestamp()
    seen_at = request.session.get(SEEN_AT)
    if seen_at is None or not 0 <= now - seen_at < TOUCH_INTERVAL_SECONDS:
        request.session[SEEN_AT] = now


def end(request) -> None:
    logout(request)


def revoke_all(user) -> None:
    """End every session of a user on its next request (any session backend)."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=user.pk).update(sessions_revoked_at=timezone.now())
