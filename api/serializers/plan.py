"""A case's checklist, deadlines, reminders and deliveries."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.fields import MAX_TEXT, BoundedDateField
from cases import deadlines as deadline_verbs
from cases.models import (
    ChecklistItem,
    Deadline,
    Delivery,
    Reminder,
)


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
            "file_by",
            "provisional",
            "state",
            "resolved_on",
            "resolution_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ManualDeadlineSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due_date = BoundedDateField()
    reminder_offsets = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=deadline_verbs.MAX_OFFSET_DAYS),
        required=False,
        max_length=10,
        help_text="Days before the due date on which reminders go out; default [3, 1, 0].",
    )


class DeadlineMetSerializer(serializers.Serializer):
    on = BoundedDateField(required=False, help_text="Defaults to today.")
    note = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")


class DeadlineWaiveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_TEXT)


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
