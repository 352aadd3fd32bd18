"""Aggregate statistics: the query and the table."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.fields import COUNTRY, MAX_ID, BoundedDateField
from cases.models import (
    Case,
)
from stats.queries import DIMENSIONS

# The statistics dimensions of one organisation (the network-only ones are for platform views).
STATISTICS_DIMENSIONS = [
    (key, dimension.label) for key, dimension in DIMENSIONS.items() if not dimension.network_only
]


@extend_schema_field(
    {"oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "example": "<5"}]}
)
class CountField(serializers.Field):
    """An exact count, or (suppressed) "<k" for a small count and "x" for a complementary
    hidden cell, or "" when the whole table is too small to protect."""

    def to_representation(self, value):
        return value


class StatisticsQuerySerializer(serializers.Serializer):
    dimension = serializers.ChoiceField(choices=[], required=False, default="problem")
    cross = serializers.ChoiceField(
        choices=[], required=False, help_text="A second dimension (columns) for a cross-table."
    )
    organisation = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Default: your first."
    )
    audience = serializers.ChoiceField(
        choices=[("internal", "Exact counts"), ("outside", "Small counts hidden")],
        required=False,
        default="internal",
        help_text="`outside`: suppressed as for sharing outside the organisation.",
    )
    date_from = BoundedDateField(required=False, help_text="Cases opened on or after.")
    date_to = BoundedDateField(required=False, help_text="Cases opened on or before.")
    problem = serializers.ChoiceField(choices=Case.ProblemType.choices, required=False)
    citizenship = serializers.RegexField(COUNTRY, max_length=2, required=False)
    region = serializers.CharField(max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = STATISTICS_DIMENSIONS
        self.fields["cross"].choices = STATISTICS_DIMENSIONS

    def validate(self, attrs):
        if attrs.get("cross") and attrs["cross"] == attrs["dimension"]:
            raise serializers.ValidationError({"cross": [_("Choose a different dimension.")]})
        start, end = attrs.get("date_from"), attrs.get("date_to")
        if start and end and end < start:
            raise serializers.ValidationError({"date_to": [_("The end is before the start.")]})
        return attrs


class StatisticsRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    counts = serializers.ListField(child=CountField(), help_text="One per column.")
    total = CountField()


class StatisticsColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class StatisticsSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    dimension = serializers.CharField()
    cross = serializers.CharField(allow_null=True)
    k = serializers.IntegerField(
        allow_null=True, help_text="Suppression threshold; null: exact internal counts."
    )
    withheld = serializers.BooleanField(help_text="The table is too small to protect.")
    columns = StatisticsColumnSerializer(many=True)
    rows = StatisticsRowSerializer(many=True)
    column_totals = serializers.ListField(child=CountField())
    total = CountField()
