"""Input and output shapes of the API. Inputs check types and sizes; the services own the rules."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.models import ApiToken
from cases.models import (
    Case,
    ChecklistItem,
    Consent,
    Deadline,
    Delivery,
    Membership,
    Migrant,
    Organisation,
    Reminder,
    Task,
    TimelineEvent,
)
from content.models import CitizenshipGroup, DeadlineRule, DocumentType, Rule
from stats.queries import DIMENSIONS

# The statistics dimensions of one organisation (the network-only ones are for platform views).
STATISTICS_DIMENSIONS = [
    (key, dimension.label) for key, dimension in DIMENSIONS.items() if not dimension.network_only
]

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


class FactsJSONField(serializers.JSONField):
    """A flat object of further facts named by the rules, e.g. {"purpose": "work"}."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("Expected an object."))
        if len(value) > 50:
            raise serializers.ValidationError(_("At most 50 facts."))
        _reject_nul(value)
        return value


extend_schema_field({"type": "object", "additionalProperties": True})(FactsJSONField)


# ——— Users and organisations ———


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


# ——— Tokens ———


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, style={"input_type": "password"})
    name = serializers.CharField(
        max_length=100, required=False, default="", help_text="A label, e.g. the integration."
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


# ——— Migrants ———

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


class MigrantWriteSerializer(serializers.Serializer):
    """Fields a caseworker may set on a migrant (cases.services.MIGRANT_FIELDS)."""

    full_name_latin = serializers.CharField(max_length=200)
    full_name_cyrillic = serializers.CharField(max_length=200, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
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
    region = serializers.CharField(max_length=64, required=False, allow_blank=True)
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


class PassportSerializer(serializers.Serializer):
    passport_number = serializers.CharField()


class DuplicateQuerySerializer(serializers.Serializer):
    """Sent in a body, not a query string: names and phones stay out of access logs."""

    organisation = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Defaults to your current one."
    )
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    full_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)


class MigrantCreateSerializer(MigrantWriteSerializer):
    organisation = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="One of your organisations; defaults to your current one.",
    )


# ——— Cases ———


class CaseFactsSerializer(serializers.Serializer):
    """The facts the rules read (cases.services.CASE_FACT_FIELDS)."""

    country_of_stay = serializers.RegexField(COUNTRY, max_length=2, required=False)
    arrival_date = serializers.DateField(required=False, allow_null=True)
    entry_point = serializers.CharField(max_length=100, required=False, allow_blank=True)
    host_address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    employer_tax_id = serializers.CharField(
        max_length=12, required=False, allow_blank=True, help_text="INN: 10 or 12 digits."
    )
    amount_owed = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    currency = serializers.RegexField(r"^[A-Z]{3}$", max_length=3, required=False)
    wage_period_start = serializers.DateField(required=False, allow_null=True)
    wage_period_end = serializers.DateField(required=False, allow_null=True)
    employment_end_date = serializers.DateField(required=False, allow_null=True)
    patent_issue_date = serializers.DateField(required=False, allow_null=True)
    ban_start_date = serializers.DateField(required=False, allow_null=True)
    ban_duration_years = serializers.IntegerField(
        min_value=0, max_value=50, required=False, allow_null=True
    )
    ban_reason = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    passport_holder = serializers.ChoiceField(
        choices=Case.PassportHolder.choices, required=False, allow_blank=True
    )
    passport_held_since = serializers.DateField(required=False, allow_null=True)
    passport_recovery_steps = serializers.CharField(
        max_length=MAX_TEXT, required=False, allow_blank=True
    )
    detention_date = serializers.DateField(required=False, allow_null=True)
    extra_facts = FactsJSONField(required=False)


class CaseCreateSerializer(CaseFactsSerializer):
    migrant = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="A migrant you can see."
    )
    problem_type = serializers.ChoiceField(choices=Case.ProblemType.choices)
    priority = serializers.ChoiceField(choices=Case.Priority.choices, required=False)
    summary = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    assignee = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        help_text="A member's user id.",
    )


class CaseSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(choices=Case.Status.choices)
    extra_facts = FactsJSONField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "organisation",
            "migrant",
            "problem_type",
            "status",
            "outcome",
            "priority",
            "assignee",
            "summary",
            *CaseFactsSerializer._declared_fields,
            "opened_at",
            "closed_at",
            "updated_at",
        ]
        read_only_fields = fields


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Case.Status.choices)
    outcome = serializers.ChoiceField(
        choices=Case.Outcome.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the new status is resolved or closed.",
    )
    reason = serializers.CharField(
        max_length=MAX_TEXT, required=False, allow_blank=True, default=""
    )


class CloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Case.Outcome.choices[1:])
    reason = serializers.CharField(
        max_length=MAX_TEXT, required=False, allow_blank=True, default=""
    )


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_TEXT)


class AssignSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        allow_null=True,
        help_text="A member's user id, or null for nobody.",
    )


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_TEXT)


class TimelineEventSerializer(serializers.ModelSerializer):
    data = serializers.DictField(help_text="Structured detail: ids and field names, by kind.")

    class Meta:
        model = TimelineEvent
        fields = ["id", "case", "kind", "actor", "text", "data", "created_at"]
        read_only_fields = fields


# ——— Tasks ———


class TaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = [
            "id",
            "case",
            "kind",
            "title",
            "due_date",
            "assignee",
            "done_at",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class TaskCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_date = serializers.DateField(required=False, allow_null=True)
    assignee = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )


# ——— Checklist and deadlines ———


class ChecklistItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "case",
            "key",
            "document_code",
            "rule_key",
            "source",
            "unverified",
            "state",
            "note",
            "position",
            "retired_at",
            "ticked_by_migrant_at",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = fields


class ChecklistStateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=ChecklistItem.State.choices,
        help_text="`have` ticks the item, `missing` unticks it.",
    )
    note = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")


class DeadlineSerializer(serializers.ModelSerializer):
    reminder_offsets = serializers.ListField(child=serializers.IntegerField())

    class Meta:
        model = Deadline
        fields = [
            "id",
            "case",
            "key",
            "kind",
            "title",
            "due_date",
            "basis_fact",
            "basis_date",
            "explanation",
            "rule_key",
            "source",
            "unverified",
            "reminder_offsets",
            "state",
            "resolved_on",
            "resolution_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ManualDeadlineSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_date = serializers.DateField()
    reminder_offsets = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=365),
        required=False,
        max_length=10,
        help_text="Days before the due date on which reminders go out; default [3, 1, 0].",
    )


class DeadlineMetSerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="Defaults to today.")
    note = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")


class DeadlineWaiveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_TEXT)


# ——— Reminders ———


class ReminderSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="deadline.case_id")

    class Meta:
        model = Reminder
        fields = [
            "id",
            "case",
            "deadline",
            "audience",
            "offset_days",
            "send_at",
            "state",
            "attempts",
            "sent_at",
            "created_at",
        ]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id",
            "reminder",
            "channel",
            "state",
            "attempts",
            "error",
            "segments",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields


# ——— Rules (public) ———


class PreviewQuerySerializer(serializers.Serializer):
    citizenship = serializers.RegexField(COUNTRY, max_length=2, help_text="e.g. TJ, UZ, KG.")
    problem_type = serializers.ChoiceField(choices=Case.ProblemType.choices)
    country_of_stay = serializers.RegexField(COUNTRY, max_length=2, required=False, default="RU")
    arrival_date = serializers.DateField(required=False)
    patent_issue_date = serializers.DateField(required=False)
    employment_end_date = serializers.DateField(required=False)
    ban_start_date = serializers.DateField(required=False)
    ban_duration_years = serializers.IntegerField(min_value=0, max_value=50, required=False)
    passport_holder = serializers.ChoiceField(
        choices=Case.PassportHolder.choices[1:], required=False
    )
    on = serializers.DateField(
        required=False, help_text="Judge by the rules in force on this date (default: arrival)."
    )
    lang = serializers.ChoiceField(choices=Migrant.Language.choices, required=False, default="en")


class PreviewItemSerializer(serializers.Serializer):
    document_code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    how_to_obtain = serializers.CharField()
    cost = serializers.CharField()
    validity = serializers.CharField()
    rule_key = serializers.CharField()
    source = serializers.CharField()
    unverified = serializers.BooleanField(help_text="The rule's source is not yet confirmed.")


class PreviewDeadlineSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    advice = serializers.CharField()
    due = serializers.DateField()
    basis_fact = serializers.CharField()
    basis_date = serializers.DateField()
    explanation = serializers.CharField()
    rule_key = serializers.CharField()
    source = serializers.CharField()
    unverified = serializers.BooleanField()


class PreviewSerializer(serializers.Serializer):
    language = serializers.CharField()
    items = PreviewItemSerializer(many=True)
    deadlines = PreviewDeadlineSerializer(many=True)


class DocumentTextSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    how_to_obtain = serializers.CharField()
    cost = serializers.CharField()
    validity = serializers.CharField()


class LanguageQuerySerializer(serializers.Serializer):
    lang = serializers.ChoiceField(choices=Migrant.Language.choices, required=False, default="en")


class PingSerializer(serializers.Serializer):
    status = serializers.CharField()


# ——— Rules content (members read; content admins write) ———


class DocumentTypeListQuerySerializer(LanguageQuerySerializer):
    pass


class DocumentTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(choices=DocumentType.Kind.choices)
    name = serializers.CharField(help_text="In the requested language, else English.")
    description = serializers.CharField()
    how_to_obtain = serializers.CharField()
    cost = serializers.CharField()
    validity = serializers.CharField()
    source = serializers.CharField()


class _ConditionField(serializers.DictField):
    """One condition: {"fact": …, "op": …, "value": …}; the model's clean() checks the rest."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        _reject_nul(value)
        return value


class _TextsField(serializers.DictField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        _reject_nul(value)
        return value


extend_schema_field({"type": "object", "additionalProperties": True})(_TextsField)

SMALL_INT = {"min_value": -32768, "max_value": 32767}
RULE_FIELDS = [
    "id", "key", "slot", "priority", "problem_types", "group", "conditions", "effective_from",
    "effective_to", "source", "note", "needs_review", "verified_on", "updated_at",
]  # fmt: skip


class RuleBaseSerializer(serializers.ModelSerializer):
    """Shapes and sizes only; validity (dates, conditions, overlaps) is the model's clean()."""

    key = serializers.CharField(max_length=100)
    slot = serializers.CharField(max_length=100, required=False, allow_blank=True)
    priority = serializers.IntegerField(required=False, **SMALL_INT)
    problem_types = serializers.ListField(
        child=serializers.ChoiceField(choices=Case.ProblemType.choices),
        required=False,
        max_length=20,
        help_text="Empty: every problem type.",
    )
    group = serializers.SlugRelatedField(
        slug_field="code",
        queryset=CitizenshipGroup.objects.all(),
        required=False,
        allow_null=True,
        help_text="Citizenship group code; null: every citizenship.",
    )
    conditions = serializers.ListField(child=_ConditionField(), required=False, max_length=50)
    source = serializers.CharField(max_length=MAX_TEXT)
    note = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    needs_review = serializers.BooleanField(
        required=False, help_text="Unverified: what the rule produces is flagged."
    )


class RuleSerializer(RuleBaseSerializer):
    document = serializers.SlugRelatedField(
        slug_field="code", queryset=DocumentType.objects.all(), help_text="Document type code."
    )
    position = serializers.IntegerField(required=False, min_value=0, max_value=32767)

    class Meta:
        model = Rule
        fields = [*RULE_FIELDS, "document", "position"]
        read_only_fields = ["id", "verified_on", "updated_at"]
        validators = []  # the model's clean() reports overlapping versions per field


class DeadlineRuleSerializer(RuleBaseSerializer):
    basis_fact = serializers.CharField(max_length=64)
    amount = serializers.IntegerField(required=False, **SMALL_INT)
    amount_fact = serializers.CharField(max_length=64, required=False, allow_blank=True)
    then_amount = serializers.IntegerField(required=False, **SMALL_INT)
    occurrences = serializers.IntegerField(required=False, min_value=0, max_value=32767)
    reminder_offsets = serializers.ListField(
        child=serializers.IntegerField(min_value=-3650, max_value=3650),
        required=False,
        max_length=20,
        help_text="Days before the due date.",
    )
    texts = _TextsField(
        help_text='Titles and advice by language: {"en": {"title": …, "advice": …}, …}.'
    )

    class Meta:
        model = DeadlineRule
        fields = [
            *RULE_FIELDS, "basis_fact", "amount", "amount_fact", "unit", "then_amount",
            "then_unit", "recurrence", "occurrences", "reminder_offsets", "texts",
        ]  # fmt: skip
        read_only_fields = ["id", "verified_on", "updated_at"]
        validators = []  # the model's clean() reports overlapping versions per field


# ——— Statistics ———


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
    date_from = serializers.DateField(required=False, help_text="Cases opened on or after.")
    date_to = serializers.DateField(required=False, help_text="Cases opened on or before.")
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
