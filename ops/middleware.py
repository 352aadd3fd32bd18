"""Refuse requests whose form data or query string is not valid UTF-8.

Django decodes them with replacement characters, so a broken byte would be saved as "�" in a
name or note without anybody noticing; a 400 tells the client instead."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _

FORM = "application/x-www-form-urlencoded"


def is_utf8(encoded: bytes | str) -> bool:
    raw = encoded.encode("latin-1", "replace") if isinstance(encoded, str) else encoded
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class RejectInvalidUTF8Middleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        form_body = request.content_type == FORM and request.method not in ("GET", "HEAD")
        if not is_utf8(query) or (form_body and not is_utf8(request.body)):
            return HttpResponseBadRequest(
                _("The request is not valid UTF-8 text."), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
