"""One-time form tokens against double submits (a double click, a resent POST).

A form carries a random token; the first request with it claims it in the cache, a repeat
finds the claim and gets what the first one made (e.g. the new case's id) instead of a copy.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

SUBMISSION_TTL = 6 * 3600


def _key(request: HttpRequest, token: str) -> str:
    return f"submission:{request.user.pk}:{token}"


def claim(request: HttpRequest, token: str) -> tuple[bool, object]:
    """True the first time a form's one-time token arrives; afterwards False and what it made."""
    if not token:
        return True, None
    key = _key(request, token)
    if cache.add(key, "pending", SUBMISSION_TTL):
        return True, None
    return False, cache.get(key)


def finish(request: HttpRequest, token: str, result: object) -> None:
    if token:
        cache.set(_key(request, token), result, SUBMISSION_TTL)


def release(request: HttpRequest, token: str) -> None:
    """A submission that failed validation may be corrected and sent again."""
    if token:
        cache.delete(_key(request, token))
