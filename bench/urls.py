"""The product's URLs plus the signed-in floor the case list is measured against (bench only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from advisor.urls import urlpatterns as product_urlpatterns
from cases.views.access import member_required


@member_required
def signed_in_bare(request: HttpRequest) -> HttpResponse:
    """What every caseworker page pays before its own work (the middleware, the session, the
    user, the memberships and the member check) and nothing else: a two-byte answer."""
    return HttpResponse(b"ok", content_type="text/plain")


SIGNED_IN_BARE_URL = "/bench/signed-in/"
urlpatterns = [
    path(SIGNED_IN_BARE_URL.strip("/") + "/", signed_in_bare, name="bench_signed_in"),
    *product_urlpatterns,
]
