"""Migrants: read and write shapes, duplicates, passport."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.fields import COUNTRY, MAX_ID, MAX_TEXT, BoundedDateField
from cases import regions
from cases.models import (
    Consent,
    Migrant,
)
from cases.services import MIGRANT_FIELDS

MIGRANT_OUTPUT_FIELDS = [
    "id",
    "organisation",
    "full_name_latin",
    "full_name_cyrillic",
    "date_of_birth",
    "gender",
    "citizenship",
    "phone",
    "phone_secondary",
    "telegram",
    "email",
    "preferred_language",
    "region",
    "city",
    "sector",
    "phone_controlled",
    "safe_call_time",
    "message_hours_start",
    "message_hours_end",
    "do_not_contact",
    "safe_contact_notes",
    "passport_masked",
    "created_at",
    "updated_at",
]


class MigrantSerializer(serializers.ModelSerializer):
    do_not_contact = serializers.ListField(
        child=serializers.ChoiceField(choices=Consent.Channel.choices[:-1])
    )
    email = serializers.CharField(help_text="An email address, or empty.")
    passport_masked = serializers.CharField(
        help_text="The last three characters of the passport number; the number itself is "
        "never sent."
    )

    class Meta:
        model = Migrant
        fields = MIGRANT_OUTPUT_FIELDS
        read_only_fields = MIGRANT_OUTPUT_FIELDS


class MigrantWriteSerializer(serializers.ModelSerializer):
    """Fields a caseworker may set on a migrant: the one list in cases.services.MIGRANT_FIELDS.

    The fields declared here say how the API's shape differs from the model's; a field added
    to the list without a declaration comes from the model. Saving goes through the services.
    """

    full_name_latin = serializers.CharField(max_length=200)
    full_name_cyrillic = serializers.CharField(max_length=200, required=False, allow_blank=True)
    date_of_birth = BoundedDateField(required=False, allow_null=True)
    gender = serializers.ChoiceField(choices=Migrant.Gender.choices, required=False)
    citizenship = serializers.RegexField(
        COUNTRY, max_length=2, help_text="ISO 3166-1 alpha-2, upper case (TJ, UZ, KG)."
    )
    phone = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text="Any format; stored as E.164."
    )
    phone_secondary = serializers.CharField(max_length=32, required=False, allow_blank=True)
    telegram = serializers.CharField(max_length=64, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    preferred_language = serializers.ChoiceField(choices=Migrant.Language.choices, required=False)
    region = serializers.ChoiceField(
        choices=regions.CHOICES,
        required=False,
        allow_blank=True,
        help_text="A Russian federal subject, by its English name; reminders keep quiet hours "
        "on its clock (empty: the organisation's).",
    )
    city = serializers.CharField(max_length=100, required=False, allow_blank=True)
    sector = serializers.ChoiceField(
        choices=Migrant.Sector.choices, required=False, allow_blank=True
    )
    phone_controlled = serializers.BooleanField(required=False)
    safe_call_time = serializers.CharField(max_length=100, required=False, allow_blank=True)
    do_not_contact = serializers.ListField(
        child=serializers.ChoiceField(choices=Consent.Channel.choices[:-1]),
        required=False,
        max_length=4,
    )
    safe_contact_notes = serializers.CharField(
        max_length=MAX_TEXT, required=False, allow_blank=True
    )
    passport_number = serializers.CharField(
        max_length=32, required=False, allow_blank=True, write_only=True
    )

    class Meta:
        model = Migrant
        fields = MIGRANT_FIELDS


class PassportSerializer(serializers.Serializer):
    passport_number = serializers.CharField()


class DuplicateQuerySerializer(serializers.Serializer):
    """Sent in a body, not a query string: names and phones stay out of access logs."""

    organisation = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Defaults to your current one."
    )
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    full_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    date_of_birth = BoundedDateField(required=False, allow_null=True, default=None)


class MigrantCreateSerializer(MigrantWriteSerializer):
    organisation = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="One of your organisations; defaults to your current one.",
    )

    class Meta(MigrantWriteSerializer.Meta):
        fields = (*MIGRANT_FIELDS, "organisation")
