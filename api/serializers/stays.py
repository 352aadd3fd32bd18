"""A migrant's stays and addresses: read shapes and the entry, exit and move requests
(cases.stays checks the dates and re-plans the open cases)."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.fields import BoundedDateField
from cases.models import Address, Stay


class StaySerializer(serializers.ModelSerializer):
    class Meta:
        model = Stay
        fields = ["id", "entry_date", "exit_date", "entry_point", "created_at"]
        read_only_fields = fields


class AddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = Address
        fields = ["id", "address", "arrival_date", "end_date", "created_at"]
        read_only_fields = fields


class EntrySerializer(serializers.Serializer):
    entry_date = BoundedDateField()
    exit_date = BoundedDateField(
        required=False, allow_null=True, help_text="For a past trip; empty while in the country."
    )
    entry_point = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ExitSerializer(serializers.Serializer):
    exit_date = BoundedDateField(help_text="Ends the stay without an exit.")


class MoveSerializer(serializers.Serializer):
    address = serializers.CharField(max_length=300)
    arrival_date = BoundedDateField(help_text="Arrival at the new address; the last one ends.")
