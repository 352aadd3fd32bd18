"""The rules: the public preview, document types and the rule tables."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.fields import COUNTRY, MAX_TEXT, BoundedDateField, _reject_nul
from cases.models import (
    Case,
    Migrant,
)
from content.models import CitizenshipGroup, DeadlineRule, DocumentType, Rule


class PreviewQuerySerializer(serializers.Serializer):
    citizenship = serializers.RegexField(COUNTRY, max_length=2, help_text="e.g. TJ, UZ, KG.")
    problem_type = serializers.ChoiceField(choices=Case.ProblemType.choices)
    country_of_stay = serializers.RegexField(COUNTRY, max_length=2, required=False, default="RU")
    arrival_date = BoundedDateField(required=False)
    patent_issue_date = BoundedDateField(required=False)
    employment_end_date = BoundedDateField(required=False)
    ban_start_date = BoundedDateField(required=False)
    ban_duration_years = serializers.IntegerField(min_value=0, max_value=50, required=False)
    passport_holder = serializers.ChoiceField(
        choices=Case.PassportHolder.choices[1:], required=False
    )
    on = BoundedDateField(
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
    due = BoundedDateField()
    basis_fact = serializers.CharField()
    basis_date = BoundedDateField()
    explanation = serializers.CharField()
    rule_key = serializers.CharField()
    source = serializers.CharField()
    unverified = serializers.BooleanField()
    file_by = serializers.DateField(
        allow_null=True, help_text="The last day is a day off: file by this working day."
    )
    provisional = serializers.BooleanField(
        help_text="Counted on a year whose decree on days off is not loaded yet."
    )


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


class _CitationField(_ConditionField):
    """One cited act: {"act": …, "number": …, "article": …}; the model's clean() checks it."""


class _TextsField(serializers.DictField):
    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        _reject_nul(value)
        return value


extend_schema_field({"type": "object", "additionalProperties": True})(_TextsField)

SMALL_INT = {"min_value": -32768, "max_value": 32767}
RULE_FIELDS = [
    "id", "key", "slot", "priority", "problem_types", "group", "conditions", "effective_from",
    "effective_to", "citation", "source", "note", "needs_review", "verified_on",
    "verified_against", "updated_at",
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
    citation = serializers.ListField(
        child=_CitationField(),
        required=False,
        max_length=20,
        help_text='The acts, e.g. [{"act": "federal_law", "number": "115-ФЗ", "date": '
        '"2002-07-25", "article": "20", "point": "3"}]; see docs/rules.md.',
    )
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
        read_only_fields = ["id", "verified_on", "verified_against", "updated_at"]
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
        read_only_fields = ["id", "verified_on", "verified_against", "updated_at"]
        validators = []  # the model's clean() reports overlapping versions per field
