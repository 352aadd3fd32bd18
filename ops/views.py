from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ops import health


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    result = health.status()
    return JsonResponse(result, status=200 if result["ok"] else 503)


@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico on every page, whatever the page links to."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
