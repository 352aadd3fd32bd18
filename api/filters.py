"""Query filters (django-filter). Nothing personal is filterable by URL: names and phones stay
out of query strings, which end up in access logs."""

from __future__ import annotations

from datetime import UTC

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from cases.models import Call, Case, Deadline, Delivery, Migrant, Reminder, Task
from content.models import DeadlineRule, Rule

MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UTCDateTimeField(IsoDateTimeField):
    """ISO 8601 with any offset Python accepts, handed to the database in UTC (PostgreSQL
    refuses offsets beyond ±15:59)."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None:
            return None
        try:
            return parsed.astimezone(UTC)
        except OverflowError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class DateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UTCDateTimeField


class MigrantFilter(filters.FilterSet):
    organisation = IdFilter(field_name="organisation_id")
    citizenship = filters.CharFilter(max_length=2)
    preferred_language = filters.ChoiceFilter(choices=Migrant.Language.choices)
    created_after = DateTimeFilter(field_name="created_at", lookup_expr="gte")

    class Meta:
        model = Migrant
        fields = ["organisation", "citizenship", "preferred_language", "created_after"]


class CaseFilter(filters.FilterSet):
    organisation = IdFilter(field_name="organisation_id")
    migrant = IdFilter(field_name="migrant_id")
    assignee = IdFilter(field_name="assignee_id")
    status = filters.MultipleChoiceFilter(choices=Case.Status.choices)
    # Any of the case's problems, not only the primary.
    problem_type = filters.MultipleChoiceFilter(
        field_name="problems__problem_type", choices=Case.ProblemType.choices, distinct=True
    )
    primary_problem_type = filters.MultipleChoiceFilter(
        field_name="problem_type", choices=Case.ProblemType.choices
    )
    priority = filters.ChoiceFilter(choices=Case.Priority.choices)
    is_open = filters.BooleanFilter(method="filter_is_open", label="Open (not resolved/closed)")
    opened_after = DateTimeFilter(field_name="opened_at", lookup_expr="gte")
    opened_before = DateTimeFilter(field_name="opened_at", lookup_expr="lt")

    class Meta:
        model = Case
        fields = [
            "organisation",
            "migrant",
            "assignee",
            "status",
            "problem_type",
            "primary_problem_type",
            "priority",
            "is_open",
            "opened_after",
            "opened_before",
        ]

    def filter_is_open(self, queryset, name, value):
        if value is None:
            return queryset
        closed = queryset.filter(status__in=Case.CLOSED_STATUSES)
        return queryset.exclude(pk__in=closed.values("pk")) if value else closed


class TaskFilter(filters.FilterSet):
    case = IdFilter(field_name="case_id")
    assignee = IdFilter(field_name="assignee_id")
    done = filters.BooleanFilter(field_name="done_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Task
        fields = ["case", "assignee", "done"]


class DeadlineFilter(filters.FilterSet):
    case = IdFilter(field_name="case_id")
    state = filters.MultipleChoiceFilter(choices=Deadline.State.choices)
    kind = filters.ChoiceFilter(choices=Deadline.Kind.choices)
    due_after = filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_before = filters.DateFilter(field_name="due_date", lookup_expr="lte")

    class Meta:
        model = Deadline
        fields = ["case", "state", "kind", "due_after", "due_before"]


class ReminderFilter(filters.FilterSet):
    case = IdFilter(field_name="deadline__case_id")
    deadline = IdFilter(field_name="deadline_id")
    state = filters.MultipleChoiceFilter(choices=Reminder.State.choices)
    audience = filters.ChoiceFilter(choices=Reminder.Audience.choices)

    class Meta:
        model = Reminder
        fields = ["case", "deadline", "state", "audience"]


class DeliveryFilter(filters.FilterSet):
    case = IdFilter(field_name="reminder__deadline__case_id")
    reminder = IdFilter(field_name="reminder_id")
    state = filters.MultipleChoiceFilter(choices=Delivery.State.choices)
    channel = filters.CharFilter(max_length=16)

    class Meta:
        model = Delivery
        fields = ["case", "reminder", "state", "channel"]


class RuleFilter(filters.FilterSet):
    """Filters on checklist and deadline rules (the rules table is small: hundreds of rows)."""

    key = filters.CharFilter(max_length=100)
    problem_type = filters.ChoiceFilter(
        choices=Case.ProblemType.choices,
        method="filter_problem_type",
        label="Rules that apply to this problem type (including rules for every type)",
    )
    verified = filters.BooleanFilter(field_name="needs_review", exclude=True)
    in_force_on = filters.DateFilter(method="filter_in_force_on", label="In force on this date")

    def filter_problem_type(self, queryset, name, value):
        # JSON containment is not portable (SQLite); the table is small, so match in Python.
        ids = [
            pk
            for pk, types in queryset.values_list("pk", "problem_types")
            if not types or value in types
        ]
        return queryset.filter(pk__in=ids)

    def filter_in_force_on(self, queryset, name, value):
        return queryset.filter(effective_from__lte=value).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=value)
        )


class ChecklistRuleFilter(RuleFilter):
    class Meta:
        model = Rule
        fields = ["key", "problem_type", "verified", "in_force_on"]


class DeadlineRuleFilter(RuleFilter):
    class Meta:
        model = DeadlineRule
        fields = ["key", "problem_type", "verified", "in_force_on"]


class CallFilter(filters.FilterSet):
    organisation = IdFilter(field_name="organisation_id")
    migrant = IdFilter(field_name="migrant_id")
    case = IdFilter(field_name="case_id")
    line = filters.ChoiceFilter(choices=Call.Line.choices)
    language = filters.ChoiceFilter(choices=Call.Language.choices)
    outcome = filters.MultipleChoiceFilter(choices=Call.Outcome.choices)
    topic = filters.ChoiceFilter(
        choices=Case.ProblemType.choices, method="filter_topic", label="Calls about this problem"
    )
    anonymous = filters.BooleanFilter(field_name="migrant", lookup_expr="isnull")
    received_after = DateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = DateTimeFilter(field_name="received_at", lookup_expr="lt")

    class Meta:
        model = Call
        fields = [
            "organisation",
            "migrant",
            "case",
            "line",
            "language",
            "outcome",
            "topic",
            "anonymous",
            "received_after",
            "received_before",
        ]

    def filter_topic(self, queryset, name, value):
        # The topics are a JSON list of codes; a quoted code matches that element only.
        return queryset.filter(topics__icontains=f'"{value}"')
