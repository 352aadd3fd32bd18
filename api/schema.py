"""drf-spectacular's AutoSchema plus the error responses every operation can give.

Views describe their success responses; the error shapes (api.exceptions) are added here once,
from what the operation is: write or read, public or authenticated, list or detail.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from rest_framework import permissions, serializers


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="Machine-readable: not_authenticated, authentication_failed, "
        "permission_denied, not_found, conflict, idempotency_key_reused, throttled, …"
    )
    message = serializers.CharField(help_text="Human-readable, in the request's language.")


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field; `non_field_errors` for the request as a whole. Nested "
        "fields are dotted (`do_not_contact.0`).",
    )


_DESCRIPTIONS = {
    "400": "Invalid input: field-level messages in `errors`.",
    "401": "No credentials, or an invalid, expired or revoked token.",
    "403": "Your role in the organisation does not allow this.",
    "404": "No such object among those you can see (other organisations' objects included).",
    "409": "The Idempotency-Key was already used with a different request, or is in use.",
    "415": "The body is not JSON.",
    "429": "Too many requests; retry after the number of seconds in Retry-After.",
}


class AutoSchema(BaseAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code in responses:
                continue
            serializer = ValidationErrorSerializer if code == "400" else ErrorSerializer
            response = self._get_response_for_code(serializer, code, direction=direction)
            response["description"] = _DESCRIPTIONS[code]
            responses[code] = response
        return responses

    def _error_codes(self) -> list[str]:
        public = any(
            isinstance(permission, permissions.AllowAny)
            for permission in self.view.get_permissions()
        )
        writes = self.method in ("POST", "PUT", "PATCH")
        codes = []
        if writes or self._is_list_view() or getattr(self.view, "validates_query", False):
            codes.append("400")
        if not public:
            codes += ["401", "403"]
        if "{" in self.path or self._is_list_view():
            codes.append("404")  # unknown object, or an invalid pagination cursor
        if self.method == "POST":
            codes.append("409")
        if writes:
            codes.append("415")
        codes.append("429")
        return codes
