"""Users, organisations, memberships and API tokens."""

from __future__ import annotations

from rest_framework import serializers

from api.models import ApiToken
from cases.models import (
    Membership,
    Organisation,
)


class OrganisationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "code", "country_of_stay", "timezone"]


class MembershipSerializer(serializers.ModelSerializer):
    organisation = OrganisationBriefSerializer()

    class Meta:
        model = Membership
        fields = [
            "id",
            "organisation",
            "role",
            "can_reveal_identifiers",
            "can_view_trafficking",
            "can_export_identifiers",
        ]


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.CharField(help_text="An email address, or empty.")
    language = serializers.CharField()
    memberships = MembershipSerializer(many=True)


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=100, required=False, default="", help_text="A label, e.g. the integration."
    )
    otp_code = serializers.CharField(
        max_length=16,
        required=False,
        default="",
        help_text="The authenticator's current code (or a recovery code): required for users "
        "who sign in with two-factor authentication.",
    )


class TokenIssuedSerializer(serializers.ModelSerializer):
    token = serializers.CharField(help_text="Shown once. Send as `Authorization: Bearer <token>`.")

    class Meta:
        model = ApiToken
        fields = ["id", "token", "name", "prefix", "created_at", "expires_at"]


class ApiTokenSerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField()

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "is_active",
        ]
