"""The verbs of statistics: ask for an export, run it, let it expire, hand it out.

Permission checks live here so every interface (views, tasks, a future API) gets them.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from audit.actions import Action as AuditAction
from audit.services import record
from cases import permissions
from cases.models import Organisation
from stats import exports, queries
from stats.models import ExportJob

log = logging.getLogger(__name__)
Action = permissions.Action
FILTER_KEYS = ("date_from", "date_to", "problem", "citizenship", "region")


def export_dir() -> Path:
    path = Path(settings.STATS_EXPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def filters_from_params(
    params: dict[str, Any], organisation_ids: tuple[int, ...] | None
) -> queries.Filters:
    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return queries.Filters(
        organisation_ids=organisation_ids,
        date_from=day(params.get("date_from")),
        date_to=day(params.get("date_to")),
        problem=params.get("problem", ""),
        citizenship=params.get("citizenship", ""),
        region=params.get("region", ""),
    )


def filter_context(params: dict[str, Any], organisations: str) -> list[str]:
    """Human-readable lines naming the scope and filters, for export notes."""
    chosen = ", ".join(f"{key}={params[key]}" for key in FILTER_KEYS[2:] if params.get(key))
    lines = [
        _("Organisations: %(names)s") % {"names": organisations},
        _("Period (case opened): %(start)s – %(end)s")
        % {"start": params.get("date_from") or "…", "end": params.get("date_to") or "…"},
    ]
    if chosen:
        lines.append(_("Filters: %(filters)s") % {"filters": chosen})
    return lines


def may_export_cases(user: User, organisation: Organisation, kind: str) -> bool:
    if not permissions.can(user, organisation, Action.EXPORT_AGGREGATES):
        return False
    if kind == ExportJob.Kind.FULL:
        return permissions.can(user, organisation, Action.EXPORT_IDENTIFIERS)
    return True


@transaction.atomic
def request_case_export(
    *,
    by: User,
    organisation: Organisation,
    kind: str,
    fmt: str,
    params: dict[str, Any],
    reason: str = "",
) -> ExportJob:
    """Record a case-level export request (and its audit entry); the caller runs or queues it."""
    if not may_export_cases(by, organisation, kind):
        raise PermissionDenied(kind)
    reason = reason.strip()
    if kind == ExportJob.Kind.FULL and len(reason) < 10:
        raise ValidationError(
            {"reason": _("Say why identifiers are needed (at least 10 characters).")}
        )
    clean = {key: str(params[key]) for key in FILTER_KEYS if params.get(key)}
    clean["language"] = translation.get_language() or settings.LANGUAGE_CODE
    filters = filters_from_params(clean, (organisation.pk,))
    job = ExportJob.objects.create(
        organisation=organisation,
        requested_by=by,
        kind=kind,
        format=fmt,
        params=clean,
        rows_total=queries.cases(filters).count(),
    )
    detail: dict[str, Any] = {"kind": kind, "format": fmt, "filters": clean, "rows": job.rows_total}
    if kind == ExportJob.Kind.FULL:
        # The reason is what the admin typed to justify the export; the audit log keeps it.
        detail["reason"] = reason[:500]
    action = AuditAction.EXPORT_FULL if kind == ExportJob.Kind.FULL else AuditAction.EXPORT_RESEARCH
    record(actor=by, action=action, organisation=organisation, obj=job, detail=detail)
    return job


def runs_in_background(job: ExportJob) -> bool:
    return job.rows_total > int(settings.STATS_BACKGROUND_EXPORT_ROWS)


def run_export_job(*, job_id: UUID | str) -> ExportJob | None:
    """Write the export file. Claims the job first, so a duplicate task message is a no-op.

    Each attempt writes its own partial file and finishes only if it is still the job's latest
    attempt: a run given up for dead (recover_stalled_exports) that wakes up changes nothing.
    """
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job_id, state=ExportJob.State.QUEUED).update(
        state=ExportJob.State.RUNNING,
        started_at=now,
        heartbeat_at=now,
        rows_done=0,
        attempts=F("attempts") + 1,
    )
    if claimed != 1:
        return None
    job = ExportJob.objects.select_related("organisation").get(pk=job_id)
    final = export_dir() / f"{job.pk}.{job.format}"
    partial = final.with_suffix(f"{final.suffix}.{job.attempts}.part")
    mine = ExportJob.objects.filter(pk=job.pk, state=ExportJob.State.RUNNING, attempts=job.attempts)
    try:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            rows = _write(job, partial, mine)
    except Exception:
        log.exception("export job %s failed", job.pk)
        partial.unlink(missing_ok=True)
        mine.update(
            state=ExportJob.State.FAILED,
            error="The export could not be written; try again or ask the administrator.",
            finished_at=timezone.now(),
        )
        return ExportJob.objects.get(pk=job.pk)
    now = timezone.now()
    with transaction.atomic():
        finished = mine.select_for_update().exists()
        if finished:
            partial.replace(final)
            mine.update(
                state=ExportJob.State.DONE,
                rows_done=rows,
                rows_total=max(rows, job.rows_total),
                file_name=final.name,
                finished_at=now,
                expires_at=now + timedelta(days=settings.STATS_EXPORT_TTL_DAYS),
            )
    if not finished:
        partial.unlink(missing_ok=True)
        log.warning("export job %s: attempt %s was superseded", job.pk, job.attempts)
    return ExportJob.objects.get(pk=job.pk)


# A running job that has not reported progress for this long has lost its worker (progress is
# written every 1 % of the rows, or every 2,000 rows: seconds apart even for large exports).
EXPORT_STALL = timedelta(minutes=5)
EXPORT_MAX_ATTEMPTS = 2


def recover_stalled_exports(
    *, enqueue: Callable[[str], object], now: datetime | None = None
) -> int:
    """Start again the jobs whose worker died (killed, restarted, out of memory); a job that
    stalls twice fails with a message, so nobody watches a progress bar that never moves.

    `enqueue(job_id)` queues a job again after commit (the task passes `run_export.delay`).
    """
    now = now or timezone.now()
    stalled = ExportJob.objects.filter(
        state=ExportJob.State.RUNNING, heartbeat_at__lt=now - EXPORT_STALL
    )
    recovered = 0
    for job in stalled:
        for part in export_dir().glob(f"{job.pk}.*.part"):
            part.unlink(missing_ok=True)
        same = ExportJob.objects.filter(
            pk=job.pk, state=ExportJob.State.RUNNING, heartbeat_at=job.heartbeat_at
        )
        if job.attempts >= EXPORT_MAX_ATTEMPTS:
            recovered += same.update(
                state=ExportJob.State.FAILED,
                error="The export was interrupted twice; start it again or ask the administrator.",
                finished_at=now,
            )
            log.warning("export job %s stalled on attempt %s: failed", job.pk, job.attempts)
        elif same.update(state=ExportJob.State.QUEUED, rows_done=0):
            recovered += 1
            log.warning("export job %s stalled on attempt %s: queued again", job.pk, job.attempts)
            transaction.on_commit(functools.partial(enqueue, str(job.pk)))
    return recovered


def _write(job: ExportJob, path: Path, mine: QuerySet[ExportJob]) -> int:
    with_identifiers = job.kind == ExportJob.Kind.FULL
    filters = filters_from_params(job.params, (job.organisation_id,))
    notes = exports.case_notes(
        with_identifiers=with_identifiers,
        context=filter_context(job.params, job.organisation.name),
    )
    rows = exports.case_rows(
        queries.cases(filters),
        with_identifiers=with_identifiers,
        pseudonym=exports.pseudonymiser(),
    )
    every = max(2000, job.rows_total // 100)

    def progress(done: int) -> None:
        mine.update(rows_done=done, heartbeat_at=timezone.now())

    return exports.write_case_file(
        path,
        fmt=job.format,
        notes=notes,
        columns=exports.columns_for(with_identifiers=with_identifiers),
        rows=rows,
        progress=progress,
        every=every,
    )


def expire_exports(*, now: datetime | None = None) -> int:
    """Delete finished files past their expiry; the job row stays, marked expired."""
    now = now or timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(state=ExportJob.State.DONE, expires_at__lte=now):
        if job.file_name:
            (export_dir() / job.file_name).unlink(missing_ok=True)
        expired += ExportJob.objects.filter(pk=job.pk, state=ExportJob.State.DONE).update(
            state=ExportJob.State.EXPIRED, file_name=""
        )
    return expired


def visible_job(user: User, job: ExportJob) -> bool:
    """The requester and the organisation's admins see a job; identifiers need the flag too."""
    if job.requested_by_id is not None and job.requested_by_id == user.pk:
        return True
    return may_export_cases(user, job.organisation, job.kind)


def job_file(job: ExportJob) -> Path | None:
    if job.state != ExportJob.State.DONE or not job.file_name:
        return None
    if job.expires_at and job.expires_at <= timezone.now():
        return None
    path = export_dir() / job.file_name
    return path if path.exists() else None


def record_download(*, by: User, job: ExportJob) -> None:
    record(
        actor=by,
        action=AuditAction.EXPORT_DOWNLOAD,
        organisation=job.organisation,
        obj=job,
        detail={"kind": job.kind},
    )


def record_aggregate_export(
    *, by: User, organisation: Organisation, table_key: str, fmt: str, k: int
) -> None:
    record(
        actor=by,
        action=AuditAction.EXPORT_AGGREGATE,
        organisation=organisation,
        detail={"table": table_key, "format": fmt, "k": k},
    )
