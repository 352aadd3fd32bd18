"""What the API's serializers share: limits and the checked facts field."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases import date_bounds
from content import facts

COUNTRY = r"^[A-Z]{2}$"
MAX_ID = 2**63 - 1  # ids are 64-bit; a larger number is a 400, not a database error
MAX_TEXT = 10_000


def _reject_nul(value: Any, path: str = "") -> None:
    """PostgreSQL cannot store NUL characters in JSON; say so instead of failing on save."""
    if isinstance(value, str) and "\x00" in value:
        raise serializers.ValidationError(_("Null characters are not allowed."))
    if isinstance(value, dict):
        for key, item in value.items():
            _reject_nul(key, path)
            _reject_nul(item, path)
    if isinstance(value, list):
        for item in value:
            _reject_nul(item, path)


class BoundedDateField(serializers.DateField):
    """A date within the plausible range for its field name (cases.date_bounds)."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        error = date_bounds.out_of_range(self.field_name, day)
        if error:
            raise serializers.ValidationError(error, code="date_out_of_range")
        return day


class FactsJSONField(serializers.JSONField):
    """A flat object of the declared facts (content/rules/facts.yaml), e.g.
    {"wage_due_date": "2026-01-15"}. Merged into the case's facts; null removes one."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Expected an object."))
        if len(value) > 50:
            raise serializers.ValidationError(_("At most 50 facts."))
        _reject_nul(value)
        errors = facts.fact_errors(value)  # the declared facts only, as the forms check them
        if errors:
            raise serializers.ValidationError({name: [message] for name, message in errors.items()})
        return value


extend_schema_field({"type": "object", "additionalProperties": True})(FactsJSONField)
