"""Re-sync open cases after the rules change: content announces it (`rules_changed`), cases
re-plans its own cases in the background and writes the progress to the rules change's job."""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from cases import planning
from cases.models import Case
from content import rulesets
from content.models import ResyncJob
from content.signals import rules_changed

log = logging.getLogger(__name__)
# The administrator's progress bar polls every few seconds: one progress write a second is enough.
PROGRESS_EVERY_SECONDS = 1.0


def affected_cases(problem_types: list[str]):
    cases = Case.objects.open()
    if problem_types:
        cases = cases.filter(problem_type__in=problem_types)
    return cases.order_by("pk")


@receiver(rules_changed, dispatch_uid="cases-resync")
def start_resync(sender, *, job: ResyncJob, run_now: bool = False, **kwargs) -> None:
    """Count the job's cases and hand it to a worker once the rule change is committed."""
    job.total = affected_cases(job.problem_types).count()
    job.save(update_fields=["total"])
    if run_now:
        resync_open_cases.run(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: resync_open_cases.delay(job.pk))


@shared_task(acks_late=True)
def resync_open_cases(job_id: int) -> None:
    """Re-plan every affected open case; each changed case gets a timeline entry (sync_plan)."""
    job = ResyncJob.objects.filter(pk=job_id).first()
    if job is None or job.state == ResyncJob.State.DONE:
        return
    case_ids = list(affected_cases(job.problem_types).values_list("pk", "country_of_stay"))
    ResyncJob.objects.filter(pk=job.pk).update(
        state=ResyncJob.State.RUNNING, done=0, changed=0, total=len(case_ids)
    )
    loaded: dict[str, object] = {}  # one Ruleset per country of stay for the whole job
    done = changed = 0  # not yet written to the job row

    def report_progress() -> None:
        nonlocal done, changed
        ResyncJob.objects.filter(pk=job.pk).update(
            done=F("done") + done, changed=F("changed") + changed
        )
        done = changed = 0

    last_report = time.monotonic()
    try:
        for case_id, country in case_ids:
            if country not in loaded:
                loaded[country] = rulesets.ruleset_from_db(country=country)
            # sync_plan locks the case and skips it if it was closed in the meantime.
            changes = planning.sync_plan(
                case=Case(pk=case_id),
                reason=f"Rules changed: {job.reason}",
                ruleset=loaded[country],
            )
            done, changed = done + 1, changed + (1 if changes else 0)
            if time.monotonic() - last_report >= PROGRESS_EVERY_SECONDS:
                report_progress()
                last_report = time.monotonic()
        report_progress()
    except Exception as exc:
        log.exception("resync job %s failed", job.pk)
        ResyncJob.objects.filter(pk=job.pk).update(
            state=ResyncJob.State.FAILED, error=exc.__class__.__name__, finished_at=timezone.now()
        )
        raise
    ResyncJob.objects.filter(pk=job.pk).update(
        state=ResyncJob.State.DONE, finished_at=timezone.now()
    )
