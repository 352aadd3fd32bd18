"""Cases, their actions, timeline and tasks."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.fields import COUNTRY, MAX_ID, MAX_TEXT, BoundedDateField, FactsJSONField
from cases.models import (
    Case,
    Task,
    TimelineEvent,
)


class CaseFactsSerializer(serializers.Serializer):
    """The facts the rules read (cases.services.CASE_FACT_FIELDS)."""

    country_of_stay = serializers.RegexField(COUNTRY, max_length=2, required=False)
    arrival_date = BoundedDateField(required=False, allow_null=True)
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
    wage_period_start = BoundedDateField(required=False, allow_null=True)
    wage_period_end = BoundedDateField(required=False, allow_null=True)
    employment_end_date = BoundedDateField(required=False, allow_null=True)
    patent_issue_date = BoundedDateField(required=False, allow_null=True)
    ban_start_date = BoundedDateField(required=False, allow_null=True)
    ban_duration_years = serializers.IntegerField(
        min_value=0, max_value=50, required=False, allow_null=True
    )
    ban_reason = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    passport_holder = serializers.ChoiceField(
        choices=Case.PassportHolder.choices, required=False, allow_blank=True
    )
    passport_held_since = BoundedDateField(required=False, allow_null=True)
    passport_recovery_steps = serializers.CharField(
        max_length=MAX_TEXT, required=False, allow_blank=True
    )
    detention_date = BoundedDateField(required=False, allow_null=True)
    extra_facts = FactsJSONField(required=False)


def _other_problems() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=Case.ProblemType.choices),
        required=False,
        max_length=len(Case.ProblemType.choices),
        help_text="The case's further problems; the plan is the union of all their rules.",
    )


class CaseUpdateSerializer(CaseFactsSerializer):
    problem_type = serializers.ChoiceField(
        choices=Case.ProblemType.choices, required=False, help_text="The primary problem."
    )
    other_problem_types = _other_problems()


class CaseCreateSerializer(CaseFactsSerializer):
    migrant = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="A migrant you can see."
    )
    problem_type = serializers.ChoiceField(
        choices=Case.ProblemType.choices, help_text="The primary problem (lists, statistics)."
    )
    other_problem_types = _other_problems()
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
    problem_types = serializers.ListField(
        child=serializers.ChoiceField(choices=Case.ProblemType.choices),
        read_only=True,
        help_text="Every problem of the case, the primary first.",
    )

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "organisation",
            "migrant",
            "problem_type",
            "problem_types",
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
    due_date = BoundedDateField(required=False, allow_null=True)
    assignee = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
