"""Reminders and their deliveries."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.case import Case
from cases.models.organisations import Organisation
from cases.models.plan import Deadline


class Reminder(models.Model):
    """One planned message about a deadline to one audience. The row is the source of truth."""

    class Audience(models.TextChoices):
        MIGRANT = "migrant", _("Migrant")
        CASEWORKER = "caseworker", _("Caseworker")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        SKIPPED = "skipped", _("Skipped")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    audience = models.CharField(max_length=12, choices=Audience)
    offset_days = models.SmallIntegerField()
    send_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State, default=State.SCHEDULED)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["send_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "audience", "offset_days"], name="reminder_unique"
            ),
        ]
        indexes = [
            # The dispatcher's claim query: due reminders still waiting, oldest first.
            models.Index(fields=["send_at"], name="reminder_due", condition=Q(state="scheduled")),
            # The reclaimer: claims left in "sending" by a worker that died.
            models.Index(
                fields=["claimed_at"], name="reminder_claimed", condition=Q(state="sending")
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder #{self.pk}"


class Delivery(models.Model):
    """One attempt to send a reminder on one channel, with the provider's answer."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        RETRYING = "retrying", _("Failed, will retry")
        FAILED = "failed", _("Failed")

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    # The reminder's case's organisation, copied: the statistics count deliveries per
    # organisation without joining reminder → deadline → case for every row.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    channel = models.CharField(max_length=16)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_message_id = models.CharField(max_length=128, blank=True)
    error = models.CharField(max_length=300, blank=True)
    segments = models.PositiveSmallIntegerField(default=0)
    # Set just before the provider is called: a pending delivery with a fresh claim is in flight
    # (a duplicate task must not send it again); a stale one was abandoned by a dead worker.
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # The send ledger: one delivery per reminder and channel, so a retried or duplicated
            # task finds the existing row (and its state) instead of sending a second message.
            models.UniqueConstraint(fields=["reminder", "channel"], name="delivery_unique_channel"),
        ]
        indexes = [
            # The statistics' reminders by channel: an index-only scan (PostgreSQL).
            models.Index(
                fields=["organisation", "created_at"],
                include=["channel", "state"],
                name="delivery_org_created",
            ),
        ]

    def __str__(self) -> str:
        return f"Delivery #{self.pk} via {self.channel}"

    def save(self, *args, **kwargs) -> None:
        # The dispatcher sets the organisation from the case it has loaded; anything else
        # saving a delivery one by one gets it looked up.
        if self.organisation_id is None:
            self.organisation_id = (
                Case.objects.filter(deadlines__reminders=self.reminder_id)
                .values_list("organisation_id", flat=True)
                .get()
            )
        super().save(*args, **kwargs)
