"""Export jobs: a case-level export that runs in the background and waits for its requester."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        RESEARCH = "research", _("Research export (no identifiers)")
        FULL = "full", _("Full export with identifiers")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    # The id appears in URLs: random, so a job cannot be guessed; names nobody.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "cases.Organisation", on_delete=models.CASCADE, related_name="export_jobs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.RESEARCH)
    format = models.CharField(max_length=4, choices=Format, default=Format.CSV)
    # Filters and language as chosen in the form (codes and dates only, never personal data).
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=8, choices=State, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # Relative to settings.STATS_EXPORT_DIR.
    file_name = models.CharField(max_length=100, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written with every progress report: a running job whose heartbeat stops lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A finished file must carry its expiry, or the cleanup task would keep it forever.
            models.CheckConstraint(
                condition=~Q(state="done") | Q(expires_at__isnull=False),
                name="exportjob_done_expires",
            ),
        ]
        indexes = [
            # The hourly cleanup: finished files past their expiry.
            models.Index(fields=["expires_at"], name="exportjob_expiry", condition=Q(state="done")),
        ]

    def __str__(self) -> str:
        return f"Export {self.id} ({self.kind}, {self.state})"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED, self.State.EXPIRED)
