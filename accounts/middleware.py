"""Request-level security: session lifetime, mandatory second factor, no caching of case pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from accounts import mfa, sessions
from audit import services as audit
from cases.organisations import request_memberships

# Paths a logged-in user without a verified second factor may still reach.
_MFA_EXEMPT_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/mfa/setup/",
    "/accounts/mfa/verify/",
    "/static/",
    "/healthz/",
    "/i18n/",
)


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


class MFARequiredMiddleware:
    """Users who must use two-factor authentication reach nothing else until they verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
            and not user.is_verified()
        ):
            # One query per request: the memberships the page needs anyway carry the device flag.
            active = request_memberships(request)
            # Required by role or organisation, or turned on by the user: then always asked.
            if mfa.mfa_required(user, active) or mfa.has_device(user, active):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "Two-factor authentication required."}, status=403
                    )
                target = "mfa_verify" if mfa.has_device(user, active) else "mfa_setup"
                return redirect(reverse(target))
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
                action="authz.denied",
                detail={"route": match.view_name if match else "", "method": request.method},
            )
        return None
