"""Signed-in staff see the interface in their own language (User.language), switchable."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

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
