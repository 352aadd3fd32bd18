"""Rate limits per client address and per token (or session user).

Rates come from settings.API_THROTTLE_RATES at request time. The counters live in the default
cache (local memory unless CACHE_URL says otherwise), so with several web processes each one
counts on its own: set CACHE_URL to Redis for a shared limit.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class _ConfiguredRateThrottle(SimpleRateThrottle):
    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)


class IPThrottle(_ConfiguredRateThrottle):
    """Every request, authenticated or not, counts against its client address."""

    scope = "ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ClientThrottle(_ConfiguredRateThrottle):
    """Authenticated requests count against their token (or the session's user)."""

    scope = "client"

    def get_cache_key(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return None
        auth = request.auth
        ident = f"token-{auth.pk}" if hasattr(auth, "key_hash") else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class TokenObtainThrottle(IPThrottle):
    """Password guessing through the token endpoint, per address."""

    scope = "token_obtain"


class PreviewThrottle(IPThrottle):
    """The public rules preview, per address."""

    scope = "preview"
