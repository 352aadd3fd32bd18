"""A migrant's consents: read shape, give and withdraw requests (cases.consent)."""

from __future__ import annotations

from rest_framework import serializers

from cases.models import Consent


class ConsentSerializer(serializers.ModelSerializer):
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "purpose",
            "channel",
            "method",
            "notice_version",
            "language",
            "given_at",
            "withdrawn_at",
            "recorded_by",
        ]
        read_only_fields = fields

    def get_recorded_by(self, consent: Consent) -> int | None:
        return consent.recorded_by_id


class ConsentGiveSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=Consent.Channel.choices, help_text="Empty: any channel."
    )
    purpose = serializers.ChoiceField(
        choices=Consent.Purpose.choices, default=Consent.Purpose.CONTACT
    )
    method = serializers.ChoiceField(choices=Consent.Method.choices, help_text="How it was given.")
    notice_version = serializers.CharField(max_length=20, required=False)


class ConsentWithdrawSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=Consent.Channel.choices, help_text="Empty: every channel."
    )
    purpose = serializers.ChoiceField(
        choices=Consent.Purpose.choices, default=Consent.Purpose.CONTACT
    )
