"""Per-request rules that depend on the user's organisations: the second factor they must use,
and the interface language of signed-in staff (User.language, switchable)."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from accounts import mfa
from cases.organisations import organisation_requires_mfa, request_memberships

# The caseworker interface is complete in these; the migrant portal has its own choice.
STAFF_LANGUAGES = ("en", "ru")


class UserLanguageMiddleware:
    """After authentication: activate the user's saved language instead of the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language in STAFF_LANGUAGES:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language in STAFF_LANGUAGES:
            response.setdefault("Content-Language", language)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
            )
        return response


class MFARequiredMiddleware:
    """Users who must use two-factor authentication reach nothing else until they verified.

    Platform admins must (accounts.mfa); so must organisation admins and every member of an
    organisation that asks for it. Here, not in accounts, because the organisations decide.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(mfa.EXEMPT_PREFIXES)
            and not user.is_verified()
        ):
            # One query per request: the memberships the page needs anyway carry the device flag.
            active = request_memberships(request)
            has_device = active[0].user_has_device if active else mfa.has_device(user)
            required = mfa.mfa_required(user, by_organisation=organisation_requires_mfa(active))
            # Required by role or organisation, or turned on by the user: then always asked.
            if required or has_device:
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "Two-factor authentication required."}, status=403
                    )
                return redirect(reverse("mfa_verify" if has_device else "mfa_setup"))
        return self.get_response(request)
