"""A case's plan: checklist items and deadlines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models.case import Case
from cases.models.versioned import Versioned


class ChecklistItem(Versioned):
    """The case's copy of one document or action the rules require, and what people did with it."""

    class State(models.TextChoices):
        MISSING = "missing", _("Missing")
        HAVE = "have", _("Have it")
        HELD_BY_EMPLOYER = "held_by_employer", _("Held by employer")
        SUBMITTED = "submitted", _("Submitted")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="checklist")
    # Stable identity across re-syncs: the engine's item key (normally the rule key).
    key = models.CharField(max_length=100)
    document_code = models.CharField(max_length=64)
    rule_key = models.CharField(max_length=100, blank=True)
    source = models.TextField(blank=True)
    unverified = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=State, default=State.MISSING)
    note = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Set when the rules no longer require the item; kept for history, never deleted.
    retired_at = models.DateTimeField(null=True, blank=True)
    ticked_by_migrant_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "key"], name="checklist_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document_code} on case {self.case_id}"


class Deadline(Versioned):
    """A dated obligation on a case: computed by the rules, or added by a caseworker."""

    class Kind(models.TextChoices):
        RULE = "rule", _("From the rules")
        MANUAL = "manual", _("Added by caseworker")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        WAIVED = "waived", _("Waived")
        RETIRED = "retired", _("No longer applies")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    key = models.CharField(max_length=120)
    kind = models.CharField(max_length=8, choices=Kind, default=Kind.RULE)
    title = models.CharField(_("deadline"), max_length=200)
    due_date = models.DateField(_("due"))
    basis_fact = models.CharField(max_length=64, blank=True)
    basis_date = models.DateField(null=True, blank=True)
    explanation = models.TextField(blank=True)
    # The explanation in other languages, e.g. {"ru": "7 рабочих дней после прибытия ..."}.
    explanations = models.JSONField(default=dict, blank=True)
    file_by = models.DateField(_("file by: the last day is a day off"), null=True, blank=True)
    provisional = models.BooleanField(_("counted on a provisional calendar"), default=False)
    rule_key = models.CharField(max_length=100, blank=True)
    source = models.TextField(blank=True)
    unverified = models.BooleanField(default=False)
    # Days before the due date on which reminders go out, e.g. [3, 1, 0].
    reminder_offsets = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=8, choices=State, default=State.OPEN)
    resolved_on = models.DateField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "key"], name="deadline_unique"),
        ]
        indexes = [
            # The dashboard's "overdue and due soon" across an organisation's open deadlines.
            models.Index(fields=["due_date"], name="deadline_open_due", condition=Q(state="open")),
        ]

    def __str__(self) -> str:
        return f"Deadline #{self.pk}"
