"""One error shape for the whole API, produced in one place.

    {"code": "not_found", "message": "Not found."}
    {"code": "invalid", "message": "…", "errors": {"field": ["message", …]}}

Services raise Django's ValidationError keyed by field and PermissionDenied; they are mapped
here, so views never translate errors themselves.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from cases.concurrency import StaleEdit, etag

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The request conflicts with the current state.")
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "Someone saved this record after you read it: read it again (its new ETag) and re-apply."
    )
    default_code = "stale"


def _django_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            (NON_FIELD if field == "__all__" else field): list(messages)
            for field, messages in exc.message_dict.items()
        }
    return {NON_FIELD: list(exc.messages)}


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail → {"field" or "field.sub" or "field.0": [messages]}."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or NON_FIELD: [str(item) for item in detail]}
        out = {}
        for index, item in enumerate(detail):
            out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return out
    return {prefix or NON_FIELD: [str(detail)]}


def exception_handler(exc, context):
    if isinstance(exc, StaleEdit):
        response = drf_exception_handler(PreconditionFailed(), context)
        response.data = {
            "code": "stale",
            "message": str(PreconditionFailed.default_detail),
            "changed": [change.field for change in exc.changes],
        }
        response["ETag"] = etag(exc.current)
        return response
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_errors(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let it be a 500 and reach the error log
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        response.data = {
            "code": "invalid",
            "message": _("Some fields are not valid."),
            "errors": errors,
        }
        return response
    detail = getattr(exc, "detail", None)
    if isinstance(exc, exceptions.APIException) and isinstance(detail, str):
        code = getattr(detail, "code", None) or exc.default_code
        message = str(detail)
    elif response.status_code == status.HTTP_403_FORBIDDEN:
        # Services raise Django's PermissionDenied(action): the action name is not a message.
        code, message = (
            "permission_denied",
            _("Your role in this organisation does not allow this."),
        )
    else:  # Http404, converted by DRF
        code, message = "not_found", _("Not found.")
    response.data = {"code": code, "message": message}
    if response.status_code == status.HTTP_400_BAD_REQUEST:  # e.g. a body that is not JSON
        response.data["errors"] = {NON_FIELD: [message]}
    return response
