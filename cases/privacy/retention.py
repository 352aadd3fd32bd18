"""Retention: the nightly job (with a dry-run report) that erases migrants whose last case
closed longer ago than the organisation's retention period."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from audit import services as audit
from audit.actions import Action as AuditAction
from cases.models import Case, ErasureRecord, LegalHold, Migrant, Organisation
from cases.privacy.erasure import ErasureBlocked, erase_migrant


@dataclass
class RetentionReport:
    dry_run: bool
    ran_at: datetime
    due: list[int] = field(default_factory=list)  # migrant ids past retention
    held: list[int] = field(default_factory=list)  # past retention but under legal hold
    erased: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "ran_at": self.ran_at.isoformat(),
            "due": len(self.due),
            "held": len(self.held),
            "erased": len(self.erased),
            "errors": self.errors,
            "migrant_ids": self.due,
        }


def retention_due(*, now: datetime | None = None) -> tuple[list[int], list[int]]:
    """Migrants whose last case closed more than the retention period ago, and none open.

    Returns (due, held): held are due but under an active legal hold.
    """
    now = now or timezone.now()
    due: list[int] = []
    held: list[int] = []
    for org in Organisation.objects.all():
        cutoff = now - timedelta(days=org.retention_days or settings.RETENTION_DAYS)
        migrants = (
            Migrant.objects.filter(organisation=org, erasure__isnull=True)
            .exclude(cases__status__in=_open_statuses())
            .annotate(last_closed=Max("cases__closed_at"))
            .filter(last_closed__lt=cutoff)
        )
        with_hold = set(
            LegalHold.objects.filter(released_at__isnull=True, migrant__in=migrants).values_list(
                "migrant_id", flat=True
            )
        )
        for migrant_id in migrants.order_by("pk").values_list("pk", flat=True):
            (held if migrant_id in with_hold else due).append(migrant_id)
    return due, held


def _open_statuses() -> list[str]:
    return [s for s in Case.Status.values if s not in Case.CLOSED_STATUSES]


def run_retention(*, dry_run: bool, now: datetime | None = None) -> RetentionReport:
    report = RetentionReport(dry_run=dry_run, ran_at=now or timezone.now())
    report.due, report.held = retention_due(now=now)
    if not dry_run:
        for migrant_id in report.due:
            try:
                migrant = Migrant.objects.get(pk=migrant_id)
                erase_migrant(migrant=migrant, basis=ErasureRecord.Basis.RETENTION)
                report.erased.append(migrant_id)
            except ErasureBlocked:
                report.held.append(migrant_id)
            except Exception as exc:  # noqa: BLE001 - one bad row must not stop the night's run
                report.errors.append(f"migrant {migrant_id}: {type(exc).__name__}")
    audit.record(
        actor=None,
        action=AuditAction.RETENTION_DRY_RUN if dry_run else AuditAction.RETENTION_RUN,
        detail={k: v for k, v in report.as_dict().items() if k != "migrant_ids"},
    )
    return report
