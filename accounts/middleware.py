"""Request-level security: session lifetime, no caching of case pages, refusals audited.

The mandatory second factor is checked in `cases.middleware` (organisations decide who needs it).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from accounts import sessions
from audit import services as audit
from audit.actions import Action


class SessionLifetimeMiddleware:
    """Ends sessions that were idle 30 min, are older than 12 h, or were revoked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            if sessions.expired(request):
                sessions.end(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Session expired."}, status=401)
                return redirect(f"{reverse('login')}?expired=1")
            sessions.touch(request)
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages shown to a signed-in user hold case data: no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        was_authenticated = request.user.is_authenticated
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        if was_authenticated and request.method == "POST" and request.path == reverse("logout"):
            # Shared phones and office PCs: drop whatever the browser kept of this session.
            response["Clear-Site-Data"] = '"cache", "storage"'
            add_never_cache_headers(response)
        return response


class AuthzFailureAuditMiddleware:
    """Every refused action (PermissionDenied) leaves an audit event: who, which URL name, when."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied) and request.user.is_authenticated:
            match = getattr(request, "resolver_match", None)
            audit.record(
                actor=request.user,
                action=Action.AUTHZ_DENIED,
                detail={"route": match.view_name if match else "", "method": request.method},
            )
        return None
