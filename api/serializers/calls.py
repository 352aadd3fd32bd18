"""The call log: calls, logging one, linking one to a case."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.fields import MAX_ID, BoundedDateField
from cases.models import Call, Case


class CallSerializer(serializers.ModelSerializer):
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=Case.ProblemType.choices),
        read_only=True,
        help_text="Problems the caller asked about, in the problem list's order.",
    )

    class Meta:
        model = Call
        fields = [
            "id",
            "organisation",
            "received_at",
            "line",
            "migrant",
            "case",
            "language",
            "topics",
            "outcome",
            "note",
            "follow_up",
            "follow_up_due",
            "follow_up_task",
            "taken_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CallCreateSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        required=False,
        help_text="Default: the organisation you work in (the migrant's or case's, if given).",
    )
    received_at = serializers.DateTimeField(required=False, help_text="Default: now.")
    line = serializers.ChoiceField(choices=Call.Line.choices, required=False)
    migrant = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True,
        help_text="A migrant you can see; leave out for an anonymous caller.",
    )  # fmt: skip
    case = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True,
        help_text="A case you can see (its migrant is the caller).",
    )  # fmt: skip
    language = serializers.ChoiceField(choices=Call.Language.choices)
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=Case.ProblemType.choices),
        required=False,
        max_length=len(Case.ProblemType.choices),
    )
    outcome = serializers.ChoiceField(
        choices=Call.Outcome.choices,
        help_text="`case_opened` and `added_to_case` need a `case`; a case opened later from "
        "the call is linked with `link`.",
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)
    follow_up = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="Becomes a task on the call's case (now, or when it is linked to one).",
    )
    follow_up_due = BoundedDateField(required=False, allow_null=True)


class CallLinkSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="A case you can see.")
    opened = serializers.BooleanField(
        required=False, default=False, help_text="The case was opened from this call."
    )
