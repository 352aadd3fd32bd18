"""`Idempotency-Key` on create endpoints: a retried request gets the first answer back.

The answer is stored per user and key with a hash of the request. The create and the record
are one transaction, so two concurrent requests with one key cannot both create: the second
fails on the unique constraint, is rolled back and answered 409.
"""

from __future__ import annotations

import functools
import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api.exceptions import Conflict
from api.models import IdempotencyRecord

HEADER = "Idempotency-Key"
PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="A unique value per intended operation (e.g. a UUID), 1–255 printable ASCII "
    "characters. A retry with the same key and body returns the first response (with "
    "`Idempotent-Replayed: true`); the same key with another body is a 409.",
)


def _request_hash(request) -> str:
    payload = {"method": request.method, "path": request.path, "body": request.data}
    canonical = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= 255 and all(32 <= ord(char) < 127 for char in key)


def idempotent(method):
    """Wrap a DRF view method that creates something."""

    @functools.wraps(method)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return method(view, request, *args, **kwargs)
        if not _valid_key(key):
            raise exceptions.ValidationError(
                {HEADER: [_("Use 1 to 255 printable ASCII characters.")]}
            )
        fingerprint = _request_hash(request)
        cutoff = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_TTL_HOURS)
        with transaction.atomic():
            IdempotencyRecord.objects.filter(
                user=request.user, key=key, created_at__lt=cutoff
            ).delete()
            stored = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
            if stored is not None:
                if stored.request_hash != fingerprint:
                    raise Conflict(
                        _("This Idempotency-Key was used with a different request."),
                        code="idempotency_key_reused",
                    )
                return Response(
                    stored.response_body,
                    status=stored.status_code,
                    headers={"Idempotent-Replayed": "true"},
                )
            response = method(view, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                body = json.loads(JSONRenderer().render(response.data) or b"null")
                try:
                    with transaction.atomic():
                        IdempotencyRecord.objects.create(
                            user=request.user,
                            key=key,
                            request_hash=fingerprint,
                            status_code=response.status_code,
                            response_body=body,
                        )
                except IntegrityError as exc:
                    # A concurrent request with this key won; undo ours entirely.
                    raise Conflict(
                        _("A request with this Idempotency-Key is in progress."),
                        code="idempotency_key_in_use",
                    ) from exc
            return response

    return wrapper


def purge_expired() -> int:
    cutoff = timezone.now() - timedelta(hours=settings.API_IDEMPOTENCY_TTL_HOURS)
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
