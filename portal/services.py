"""The portal's verbs: issue, revoke and resolve personal links; log in with code + PIN."""

from __future__ import annotations

import functools
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.models import User
from audit import services as audit
from audit.actions import Action
from cases import permissions
from cases.event_codes import coded
from cases.fields import keyed_hash
from cases.models import Case, TimelineEvent
from portal import throttle
from portal.models import AccessLink, LoginFailure

logger = logging.getLogger(__name__)

# Unambiguous capitals and digits (no 0/O, 1/I/L): easy to read aloud and to type on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
PIN_LENGTH = 6
TOKEN_BYTES = 24  # 192 bits of randomness


@dataclass(frozen=True)
class IssuedLink:
    """What the caseworker hands over once; only hashes are kept in the database."""

    link: AccessLink
    token: str
    code: str  # formatted, e.g. "K7QM-3XPA"
    pin: str

    @property
    def path(self) -> str:
        return f"/m/{self.token}/"

    @property
    def url(self) -> str:
        site_url: str = settings.SITE_URL
        return site_url.rstrip("/") + self.path


def _token_hash(token: str) -> str:
    # Tokens are case-sensitive (base64url), unlike keyed_hash's normalised secrets.
    return keyed_hash("T" + token.encode().hex())


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _code_hash(code: str) -> str:
    return keyed_hash("C" + normalise_code(code))


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


@transaction.atomic
def issue_link(*, case: Case, by: User) -> IssuedLink:
    """Issue a new personal link, code and PIN for the case, revoking any earlier link."""
    permissions.require(by, case.organisation, permissions.Action.EDIT_CASE)
    now = timezone.now()
    revoked = AccessLink.objects.filter(case=case, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=by
    )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    code = _new_code()
    while AccessLink.objects.filter(code_hash=_code_hash(code)).exists():
        code = _new_code()  # 31^8 codes: a clash is very unlikely, but cheap to rule out
    pin = "".join(secrets.choice("0123456789") for _ in range(PIN_LENGTH))
    link = AccessLink.objects.create(
        case=case,
        token_hash=_token_hash(token),
        code_hash=_code_hash(code),
        pin_hash=make_password(pin),
        created_by=by,
    )
    TimelineEvent.objects.create(
        case=case,
        kind=TimelineEvent.Kind.SYSTEM,
        actor=by,
        data={
            "portal_link": link.pk,
            "revoked_earlier": revoked,
            **coded(
                gettext_noop("Personal link for the migrant issued (earlier link revoked)")
                if revoked
                else gettext_noop("Personal link for the migrant issued")
            ),
        },
    )
    audit.record(
        actor=by, action=Action.PORTAL_LINK_ISSUE, organisation=case.organisation, obj=link
    )
    return IssuedLink(link=link, token=token, code=code, pin=pin)


@transaction.atomic
def revoke_links(*, case: Case, by: User) -> int:
    """Stop every working link (and its code + PIN) of the case. Returns how many were revoked."""
    permissions.require(by, case.organisation, permissions.Action.EDIT_CASE)
    count = AccessLink.objects.filter(case=case, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    if count:
        TimelineEvent.objects.create(
            case=case,
            kind=TimelineEvent.Kind.SYSTEM,
            actor=by,
            data={
                "portal_links_revoked": count,
                **coded(gettext_noop("Personal link for the migrant revoked")),
            },
        )
        audit.record(
            actor=by, action=Action.PORTAL_LINK_REVOKE, organisation=case.organisation, obj=case
        )
    return count


def active_link(*, case: Case) -> AccessLink | None:
    return AccessLink.objects.filter(case=case, revoked_at__isnull=True).first()


def link_expires_at(case: Case) -> datetime | None:
    """When a closed case's link stops working (None while the case is open)."""
    if not case.is_closed:
        return None
    closed_at = case.closed_at or case.updated_at
    return closed_at + timedelta(days=settings.PORTAL_LINK_DAYS_AFTER_CLOSE)


def is_usable(link: AccessLink | None) -> bool:
    if link is None or link.revoked_at is not None:
        return False
    expires = link_expires_at(link.case)
    return expires is None or timezone.now() < expires


def resolve_token(token: str) -> AccessLink | None:
    """The working link for a token, or None (unknown, revoked or expired: all look the same)."""
    if not token or len(token) > 64:
        return None
    link = (
        AccessLink.objects.select_related("case__organisation", "case__migrant", "case__assignee")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    return link if is_usable(link) else None


def resolve_link_id(link_id: object) -> AccessLink | None:
    """The working link a code + PIN login stored in the session, or None."""
    if not isinstance(link_id, int):
        return None
    link = (
        AccessLink.objects.select_related("case__organisation", "case__migrant", "case__assignee")
        .filter(pk=link_id)
        .first()
    )
    return link if is_usable(link) else None


def touch(link: AccessLink) -> None:
    """Remember when the migrant last opened the page (at most once an hour: no write storm)."""
    now = timezone.now()
    if link.last_used_at is None or now - link.last_used_at > timedelta(hours=1):
        AccessLink.objects.filter(pk=link.pk).update(last_used_at=now)


# --- Code + PIN login with rate limiting -------------------------------------------------


class LockedOut(Exception):
    """Too many wrong attempts for this code, address or device: wait `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def code_hash(code: str) -> str:
    return _code_hash(code) if normalise_code(code) else ""


def _audit_backoff(scopes: list[str]) -> None:
    for scope in scopes:
        # The try that starts the backoff is logged, without personal data.
        audit.record(
            actor=None,
            action=Action.PORTAL_LOGIN_LOCKOUT,
            detail={"scope": scope, "window_minutes": settings.PORTAL_LOGIN_WINDOW_MINUTES},
        )
        logger.warning("portal login backoff started (scope=%s)", scope)


@functools.cache
def _dummy_hash() -> str:
    return make_password("timing-equaliser")


def _pin_matches(link: AccessLink | None, secret: str) -> bool:
    # Always one password-hash check, whether the code exists or not: the answer takes the
    # same time either way and so confirms nothing. The PIN is the only secret (a birth date is
    # known to employers and landlords).
    pin_ok = check_password(secret.strip(), link.pin_hash if link else _dummy_hash())
    return link is not None and pin_ok


def login_with_code(
    *, code: str, secret: str, address: str, device: str | None = None
) -> AccessLink | None:
    """The working link for a case code + PIN, or None if they do not match.

    `device`: the id from the migrant's phone cookie (portal.throttle), when it has one for
    this code. Raises LockedOut while the backoff of this code, address or device runs; the
    PIN is not even checked then, so guessing gains nothing.
    """
    hashed = code_hash(code)
    keys = throttle.keys(code_hash=hashed, address=address, device=device)
    if not hashed:
        keys.pop(LoginFailure.Scope.CODE, None)
    wait = throttle.wait_seconds(keys)
    if wait > 0:
        raise LockedOut(wait)
    link = None
    if hashed:
        link = (
            AccessLink.objects.select_related("case__migrant", "case__organisation")
            .filter(code_hash=hashed)
            .first()
        )
    if _pin_matches(link, secret) and is_usable(link):
        return link
    _audit_backoff(throttle.record_failure(keys))
    wait = throttle.wait_seconds(keys)
    if wait > 0:
        raise LockedOut(wait)
    return None
